import { describe, expect, it } from 'vitest';
import { isSessionOpen, sessionState } from './sessions';

const t = (iso: string) => Date.parse(iso);

describe('sessionState', () => {
  it('US equities: open until 16:00 New York, then the next weekday 09:30', () => {
    // Thursday 3 December 2026, 15:00 UTC = 10:00 New York (standard time): closes at 21:00 UTC.
    expect(sessionState('us-equity', t('2026-12-03T15:00:00Z'))).toEqual({ open: true, changesAt: t('2026-12-03T21:00:00Z') });
    // Friday after the close: opens Monday 14:30 UTC.
    expect(sessionState('us-equity', t('2026-12-04T22:00:00Z'))).toEqual({ open: false, changesAt: t('2026-12-07T14:30:00Z') });
    // Summer time: 13:30 UTC.
    expect(sessionState('us-equity', t('2026-07-04T12:00:00Z'))).toEqual({ open: false, changesAt: t('2026-07-06T13:30:00Z') });
  });

  it('FX: one span from Sunday 22:00 to Friday 22:00 UTC, midnights joined', () => {
    expect(sessionState('fx-24x5', t('2026-12-01T10:00:00Z'))).toEqual({ open: true, changesAt: t('2026-12-04T22:00:00Z') });
    expect(sessionState('fx-24x5', t('2026-12-05T10:00:00Z'))).toEqual({ open: false, changesAt: t('2026-12-06T22:00:00Z') });
  });

  it('CFDs: the daily break from 21:00 to 22:00 UTC', () => {
    expect(sessionState('cfd-23x5', t('2026-12-01T20:59:00Z'))).toEqual({ open: true, changesAt: t('2026-12-01T21:00:00Z') });
    expect(sessionState('cfd-23x5', t('2026-12-01T21:30:00Z'))).toEqual({ open: false, changesAt: t('2026-12-01T22:00:00Z') });
  });

  it('crypto never closes', () => {
    expect(sessionState('crypto-24x7', t('2026-12-05T03:00:00Z'))).toEqual({ open: true, changesAt: null });
  });

  it('agrees with isSessionOpen minute by minute over two weeks', () => {
    for (const kind of ['us-equity', 'fx-24x5', 'cfd-23x5'] as const) {
      for (let m = t('2026-11-01T00:00:00Z'); m < t('2026-11-15T00:00:00Z'); m += 7 * 60_000) {
        const s = sessionState(kind, m);
        expect(s.open).toBe(isSessionOpen(kind, m));
        // Just before the change the state holds; at it, it flips.
        if (s.changesAt !== null) {
          expect(isSessionOpen(kind, s.changesAt - 60_000)).toBe(s.open);
          expect(isSessionOpen(kind, s.changesAt)).toBe(!s.open);
        }
      }
    }
  });
});
