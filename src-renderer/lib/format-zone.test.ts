import { describe, expect, it } from 'vitest';
import { zoneInUse } from './format';

describe('the time zone in use', () => {
  it("uses the instrument's exchange zone, and says so", () => {
    expect(zoneInUse('exchange', 'AAPL', 'America/New_York')).toEqual({
      zone: 'America/New_York', label: 'New York', why: 'America/New_York — the exchange time of AAPL', fallback: false,
    });
  });

  it('falls back to UTC where the exchange zone is unknown, naming the instrument (never silently)', () => {
    expect(zoneInUse('exchange', 'NOPE', undefined)).toEqual({ zone: 'UTC', label: 'unknown: UTC', why: 'UTC — exchange time zone unknown for NOPE', fallback: true });
    expect(zoneInUse('exchange', undefined, undefined)).toMatchObject({ zone: 'UTC', fallback: true, why: 'UTC — no chart open, so no exchange time zone' });
  });

  it('UTC and local ignore the exchange; local names the computer\'s zone', () => {
    expect(zoneInUse('utc', 'NOPE', undefined)).toMatchObject({ zone: 'UTC', fallback: false });
    const local = zoneInUse('local', 'AAPL', 'America/New_York');
    expect(local.zone).toBeUndefined();
    expect(local.why).toBe(`${new Intl.DateTimeFormat().resolvedOptions().timeZone} — this computer's time zone`);
  });
});
