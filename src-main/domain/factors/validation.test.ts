// Factor validation on data small enough to work by hand, with alphalens' conventions (see validation.ts).
import { describe, expect, it } from 'vitest';
import { factorTest, type SymbolSeries } from './validation';

const dates = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'];
// Closes and the factor on each date; forward 1-row returns follow from the closes (exact in binary, so that ties in
// returns are true ties, as they would be by hand):
// A  8, 12, 18, 18 → +0.5, +0.5, 0;   B 16, 12, 12, 18 → −0.25, 0, +0.5
// C  4, 6, 6, 6    → +0.5, 0, 0;      D  8, 8, 4, 4    → 0, −0.5, 0
const s = (symbol: string, sector: string | null, closes: number[], factor: number[]): SymbolSeries => ({ symbol, sector, dates, closes, factor });
const data = [
  s('A', 'Tech', [8, 12, 18, 18], [1, 4, 1, 9]),
  s('B', 'Tech', [16, 12, 12, 18], [2, 3, 1, 9]),
  s('C', 'Energy', [4, 6, 6, 6], [3, 2, 2, 9]),
  s('D', 'Energy', [8, 8, 4, 4], [4, 1, 2, 9]),
];

describe('factorTest', () => {
  it('IC, quantile means, demeaned means, spread and turnover over the whole cross-section', () => {
    const r = factorTest(data, { periods: [1], quantiles: 2 });
    // The last date has no 1-ahead close: its 4 rows are dropped; 12 remain.
    expect(r.rows).toBe(12);
    expect(r.dropped).toEqual({ noForwardReturn: 4, noSector: 0, uncuttable: 0 });
    const p = r.periods['1']!;
    // Spearman per date (ranks, then Pearson):
    // d1 f [1,2,3,4], ret [.5,−.25,.5,0] → ret ranks [3.5,1,3.5,2]: Σdxdy = −1, Σdx² = 5, Σdy² = 4.5 → −1/√22.5
    // d2 f [4,3,2,1], ret [.5,0,0,−.5] → ranks f [4,3,2,1], ret [4,2.5,2.5,1]: 4.5/√22.5
    // d3 f [1,1,2,2], ret [0,.5,0,0] → ranks [1.5,1.5,3.5,3.5] and [2,4,2,2]: Σdxdy = −2, Σdx² = 4, Σdy² = 3 → −2/√12
    const ic = [-1 / Math.sqrt(22.5), 4.5 / Math.sqrt(22.5), -2 / Math.sqrt(12)];
    expect(p.ic.map((x) => x.ic)).toEqual(ic.map((v) => expect.closeTo(v, 12) as number));
    const m = (ic[0]! + ic[1]! + ic[2]!) / 3;
    const sd = Math.sqrt(ic.reduce((a, v) => a + (v - m) ** 2, 0) / 2); // ddof 1
    expect(p.icMean).toBeCloseTo(m, 12);
    expect(p.icStd).toBeCloseTo(sd, 12);
    expect(p.icir).toBeCloseTo(m / sd, 12);
    // Quantiles (qcut into 2 per date): d1 A,B | C,D; d2 C,D | A,B; d3 [1,1,2,2] edges 1, 1.5, 2 → A,B | C,D.
    // Q1 returns .5, −.25, 0, −.5, 0, .5 → 0.25/6; Q2 .5, 0, .5, 0, 0, 0 → 1/6.
    expect(p.quantileMeanReturn[0]).toBeCloseTo(0.25 / 6, 12);
    expect(p.quantileMeanReturn[1]).toBeCloseTo(1 / 6, 12);
    // Date means .1875, 0, .125; Q1 demeaned .3125, −.4375, 0, −.5, −.125, .375 → −0.375/6; Q2 the opposite.
    expect(p.quantileMeanReturnDemeaned[0]).toBeCloseTo(-0.375 / 6, 12);
    expect(p.quantileMeanReturnDemeaned[1]).toBeCloseTo(0.375 / 6, 12);
    expect(p.topMinusBottom).toBeCloseTo(0.75 / 6, 12);
    // The top quantile is {C,D}, {A,B}, {C,D}: every name new each day → turnover 1; the same for the bottom.
    expect(p.turnover).toEqual({ top: 1, bottom: 1 });
    // Per-date spread of top minus bottom: d1 .25 − .125, d2 .25 − (−.25), d3 0 − .25.
    expect(p.spread.map((x) => x.value)).toEqual([0.125, 0.5, -0.25].map((v) => expect.closeTo(v, 12) as number));
  });

  it('by sector: quantiles within each sector per date, returns demeaned by date and sector (for the IC too)', () => {
    const r = factorTest(data, { periods: [1], quantiles: 2, bySector: true });
    // d3: Tech f [1,1] and Energy f [2,2] cannot be cut in two (edges not unique): its 4 rows are dropped too.
    expect(r.rows).toBe(8);
    expect(r.dropped).toEqual({ noForwardReturn: 4, noSector: 0, uncuttable: 4 });
    const p = r.periods['1']!;
    // d1: Tech A(1) q1, B(2) q2; Energy C(3) q1, D(4) q2. d2: Tech B(3) q1, A(4) q2; Energy D(1) q1, C(2) q2.
    // Q1 returns .5, .5, 0, −.5 → 0.5/4; Q2 −.25, 0, .5, 0 → 0.25/4.
    expect(p.quantileMeanReturn).toEqual([expect.closeTo(0.125, 12), expect.closeTo(0.0625, 12)]);
    // Sector means d1 Tech .125, Energy .25; d2 Tech .25, Energy −.25 → demeaned
    // d1 A .375 B −.375 C .25 D −.25; d2 A .25 B −.25 C .25 D −.25. Q1: .375, .25, −.25, −.25 → .125/4.
    expect(p.quantileMeanReturnDemeaned).toEqual([expect.closeTo(0.03125, 12), expect.closeTo(-0.03125, 12)]);
    // IC on the demeaned returns: d1 f [1,2,3,4] vs ranks [4,1,3,2]: Σdxdy = −2, 5, 5 → −0.4;
    // d2 f [4,3,2,1] vs ranks [3.5,1.5,3.5,1.5]: Σdxdy = 2, 5, 4 → 2/√20.
    expect(p.ic.map((x) => x.ic)).toEqual([expect.closeTo(-0.4, 12), expect.closeTo(2 / Math.sqrt(20), 12)]);
    expect(p.icMean).toBeCloseTo((-0.4 + 2 / Math.sqrt(20)) / 2, 12);
    expect(p.icStd).toBeCloseTo((2 / Math.sqrt(20) + 0.4) / Math.SQRT2, 12);
  });

  it('drops a row for every period when any period lacks its forward close, and rows without a sector by sector', () => {
    const withNone = [...data, s('E', null, [1, 2, 3, 4], [5, 5, 5, 5])];
    const r = factorTest(withNone, { periods: [1, 2], quantiles: 2, bySector: true });
    // Periods 1 and 2: only d1 and d2 have a 2-ahead close: 2 rows per symbol kept at most; E has no sector (2 rows).
    expect(r.dropped.noForwardReturn).toBe(10);
    expect(r.dropped.noSector).toBe(2);
    expect(r.periods['1']!.ic).toHaveLength(2);
    expect(r.periods['2']!.ic).toHaveLength(2);
    expect(() => factorTest(data, { periods: [0], quantiles: 2 })).toThrow(/periods/);
    expect(() => factorTest(data, { periods: [1], quantiles: 1 })).toThrow(/quantiles/);
  });
});
