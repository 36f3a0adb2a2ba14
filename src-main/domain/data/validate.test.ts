// Validation on hand-made series: spikes against a rolling robust z-score, moves that hold, stale runs, gaps, and the
// stored context seeding the outlier window.
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../src-shared/domain/types';
import { validateBars, type CandidateBar } from './validate';

const DAY = 86_400;
const T0 = Date.UTC(2024, 0, 1) / 1000; // a Monday
/** A calm daily series (closes alternate ±0.5 %, every day of the week). */
function series(n: number, at = (i: number) => 100 * (1 + (i % 2 ? 0.005 : -0.005))): CandidateBar[] {
  return Array.from({ length: n }, (_, i) => {
    const c = at(i);
    return { row: i + 1, bar: { time: T0 + i * DAY, open: c, high: c * 1.001, low: c * 0.999, close: c, volume: 10 } };
  });
}

describe('validateBars', () => {
  it('quarantines a one-bar spike that the next bar takes back, with the reason; a move that holds stays', () => {
    const spike = series(60);
    spike[40] = { row: 41, bar: { ...spike[40]!.bar, open: 150, high: 151, low: 149, close: 150 } };
    const r = validateBars(spike);
    expect(r.rejected.map((x) => x.row)).toEqual([41]);
    expect(r.rejected[0]!.reason).toMatch(/^outlier: a one-bar spike of 4\d\.\d % from row 40, taken back by row 42 \(robust z \d+ > 12 over the last 39 moves\)$/);
    expect(r.rejected[0]!.bar).toEqual(spike[40]!.bar);
    expect(r.accepted).toHaveLength(59);
    // A level shift (+50 % that holds) is real.
    const shift = series(60, (i) => (i >= 40 ? 150 : 100) * (1 + (i % 2 ? 0.005 : -0.005)));
    expect(validateBars(shift).rejected).toEqual([]);
  });

  it('the window is rolling: a move that is extreme for a calm stretch is caught even when the series was wild earlier', () => {
    // 100 wild bars (±10 %), then 100 calm ones (±0.1 %) with a 5 % one-bar spike: the global MAD would miss it.
    const wild = series(260, (i) => (i < 100 ? 100 * (1 + (i % 2 ? 0.1 : -0.1)) : 100 * (1 + (i % 2 ? 0.001 : -0.001))));
    wild[230] = { row: 231, bar: { ...wild[230]!.bar, open: 105, high: 105, low: 105, close: 105 } };
    const r = validateBars(wild);
    expect(r.rejected.map((x) => x.row)).toEqual([231]);
  });

  it('stored context seeds the window, so a spike in a short download is still seen', () => {
    const all = series(40);
    const context: Bar[] = all.slice(0, 30).map((c) => c.bar);
    const batch = all.slice(30);
    batch[2] = { ...batch[2]!, bar: { ...batch[2]!.bar, open: 180, high: 180, low: 180, close: 180 } };
    expect(validateBars(batch).rejected).toEqual([]); // too few moves alone to judge
    const r = validateBars(batch, { context });
    expect(r.rejected.map((x) => x.row)).toEqual([33]);
    expect(r.rejected[0]!.reason).toMatch(/from row 32, taken back by row 34/);
  });

  it('flags a stale run (identical OHLC repeated) but stores it; short repeats are not flagged', () => {
    const s = series(30);
    for (let i = 10; i < 18; i++) s[i] = { row: i + 1, bar: { ...s[i]!.bar, open: 77, high: 77, low: 77, close: 77 } };
    for (let i = 20; i < 23; i++) s[i] = { row: i + 1, bar: { ...s[i]!.bar, open: 80, high: 81, low: 79, close: 80 } };
    const r = validateBars(s);
    expect(r.rejected).toEqual([]);
    expect(r.accepted).toHaveLength(30);
    expect(r.flagged.map((f) => f.row)).toEqual([12, 13, 14, 15, 16, 17, 18]);
    expect(r.flagged[0]!.reason).toBe('stale: OHLC 77 repeated unchanged over 8 bars (row 11 to row 18)');
  });

  it('reports gaps against the calendar (weekends are not gaps) and never invents bars', () => {
    // Weekdays of two weeks; Thursday of the first week missing.
    const days = [0, 1, 2, 4, 7, 8, 9, 10, 11].map((d, i) => ({ row: i + 1, bar: { time: T0 + d * DAY + 4 * 3600, open: 10, high: 11, low: 9, close: 10 + i / 10, volume: 1 } }));
    const r = validateBars(days, { calendar: { session: 'us-equity', timeframe: '1d' } });
    expect(r.gaps).toEqual([{ from: T0 + 3 * DAY, to: T0 + 3 * DAY, bars: 1 }]);
    expect(r.accepted).toHaveLength(9);
  });

  it('provider bars (row 0) are named by their time in reasons', () => {
    const s = series(3).map((c) => ({ ...c, row: 0 }));
    s[2] = { row: 0, bar: { ...s[1]!.bar } };
    expect(validateBars(s).rejected[0]!.reason).toBe('duplicate timestamp (same as 2024-01-02T00:00:00Z)');
  });
});
