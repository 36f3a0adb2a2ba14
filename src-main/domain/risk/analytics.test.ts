// Correlation clusters, drawdowns, leverage, stress tests and history alignment on hand-sized examples.
import { describe, expect, it } from 'vitest';
import { correlatedClusters, correlationMatrix } from './correlation';
import { drawdownFromPeak, underwater, worstDrawdowns } from './drawdown';
import { exposureRatios, realisedVolatility, volTargetedCap } from './leverage';
import { alignReturns } from './returns';
import { HISTORICAL_WINDOWS, historicalStress, hypotheticalStress } from './stress';
import type { RiskProfile } from './profile';

const m = (rows: Record<string, number[]>) => ({ symbols: Object.keys(rows), returns: Object.values(rows).map((r) => Float64Array.from(r)) });

describe('correlation and clusters', () => {
  it('gives +1 for proportional moves, −1 for opposite ones', () => {
    const c = correlationMatrix(m({ A: [0.01, 0.02, 0.03], B: [0.02, 0.04, 0.06], C: [0.03, 0.02, 0.01] }));
    expect(c[1]).toBeCloseTo(1, 12); // A,B
    expect(c[2]).toBeCloseTo(-1, 12); // A,C
    expect(c[4]).toBeCloseTo(1, 12); // B,B
  });
  it('joins chains into one cluster (connected components above the threshold)', () => {
    // corr(A,B) = 0.9, corr(B,C) = 0.8, corr(A,C) = 0.3, D alone: threshold 0.7 → {A, B, C}.
    const corr = Float64Array.from([1, 0.9, 0.3, 0, 0.9, 1, 0.8, 0, 0.3, 0.8, 1, 0, 0, 0, 0, 1]);
    expect(correlatedClusters(['A', 'B', 'C', 'D'], corr, 0.7)).toEqual([['A', 'B', 'C']]);
    expect(correlatedClusters(['A', 'B', 'C', 'D'], corr, 0.85)).toEqual([['A', 'B']]);
  });
  it('uses only the last `window` days', () => {
    // Over all 4 days A and B are not perfectly correlated; over the last 3 they are.
    const c = correlationMatrix(m({ A: [0.05, 0.01, 0.02, 0.03], B: [-0.05, 0.02, 0.04, 0.06] }), 3);
    expect(c[1]).toBeCloseTo(1, 12);
  });
});

describe('drawdowns', () => {
  // NAV 100, 110, 99, 105, 110, 120, 90, 100: a 10 % fall from 110 (day 1) to 99 (day 2), recovered on day 4;
  // then 25 % from 120 (day 5) to 90 (day 6), not recovered.
  const nav = [100, 110, 99, 105, 110, 120, 90, 100].map((v, day) => ({ day, nav: v }));
  it('gives the underwater series', () => {
    expect(underwater(nav).map((p) => +p.drawdown.toFixed(6))).toEqual([0, 0, -0.1, -0.045455, 0, 0, -0.25, -0.166667]);
  });
  it('lists the worst drawdowns with start, trough and recovery', () => {
    expect(worstDrawdowns(nav)).toEqual([
      { start: 5, trough: 6, recovery: null, depth: -0.25 },
      { start: 1, trough: 2, recovery: 4, depth: expect.closeTo(-0.1, 12) as number },
    ]);
    expect(drawdownFromPeak(120, 90)).toBeCloseTo(0.25, 12);
  });
});

describe('leverage', () => {
  it('gross, net and the volatility-targeted cap', () => {
    // +60k and −40k on 100k NAV: gross 1.0, net 0.2.
    expect(exposureRatios([{ symbol: 'A', value: 60_000 }, { symbol: 'B', value: -40_000 }], 100_000)).toEqual({ gross: 1, net: 0.2 });
    // ±1 % a day: sd = √(4·0.0001/3) = 0.0115470, annual 0.0115470·√252 = 0.183303. At gross 1, a 10 % target allows
    // 0.10 / 0.183303 = 0.545545; at gross 2 the same returns mean half the vol per unit: cap 1.091089.
    const p = [0.01, -0.01, 0.01, -0.01];
    expect(realisedVolatility(p)).toBeCloseTo(0.183303, 6);
    expect(volTargetedCap(0.1, p, 1)).toBeCloseTo(0.545545, 6);
    expect(volTargetedCap(0.1, p, 2)).toBeCloseTo(1.091089, 6);
  });
});

describe('stress tests', () => {
  const holdings = [{ symbol: 'A', value: 50_000 }, { symbol: 'B', value: 30_000 }, { symbol: 'C', value: 20_000 }];
  const profiles: Record<string, RiskProfile> = {
    A: { assetClass: 'stock', sector: 'Technology', currency: 'USD' },
    B: { assetClass: 'stock', sector: 'Energy', currency: 'EUR' },
    C: { assetClass: 'fx', currency: 'USD' },
  };
  it('applies the hypothetical shocks', () => {
    const s = Object.fromEntries(hypotheticalStress(holdings, 100_000, (x) => profiles[x], 'USD').map((r) => [r.id, r]));
    // Equities −10 %: A −5,000, B −3,000 → −8,000 = −8 % of NAV.
    expect(s['equities-10']!.pnl).toBeCloseTo(-8000, 9);
    expect(s['equities-10']!.fraction).toBeCloseTo(-0.08, 12);
    // One scenario per sector held, −20 %: Technology −10,000, Energy −6,000.
    expect(s['sector-Technology-20']!.pnl).toBeCloseTo(-10_000, 9);
    expect(s['sector-Energy-20']!.pnl).toBeCloseTo(-6000, 9);
    // USD +5 %: the EUR holding is worth 30,000 / 1.05 = 28,571.43 dollars (−1,428.57); −5 %: 30,000 / 0.95 (+1,578.95).
    expect(s['usd+5']!.pnl).toBeCloseTo(-1428.571429, 5);
    expect(s['usd-5']!.pnl).toBeCloseTo(1578.947368, 5);
  });
  it('moves a non-USD account\'s USD holdings by ±5 %', () => {
    const s = hypotheticalStress(holdings, 100_000, (x) => profiles[x], 'EUR');
    // A and C are USD: (50,000 + 20,000)·5 % = 3,500; B is in the account currency.
    expect(s.find((r) => r.id === 'usd+5')!.pnl).toBeCloseTo(3500, 9);
  });
  it('replays a historical window and names the holdings without data', () => {
    const closes: Record<string, Record<string, number>> = { A: { '2008-09-15': 100, '2009-03-09': 60 }, C: { '2008-09-15': 1.5, '2009-03-09': 1.2 } };
    const r = historicalStress(holdings, 100_000, HISTORICAL_WINDOWS[0]!, (s, d) => closes[s]?.[d]);
    // A: 60 / 100 − 1 = −40 % → −20,000; C: 1.2 / 1.5 − 1 = −20 % → −4,000; B missing.
    expect(r.pnl).toBeCloseTo(-24_000, 9);
    expect(r.missing).toEqual(['B']);
  });
});

describe('aligned history', () => {
  it('keeps the common days and names the instrument with too little history', () => {
    const days = Array.from({ length: 30 }, (_, i) => i);
    const a = { symbol: 'A', closes: days.map((d) => ({ day: d, close: 100 + d })) };
    const b = { symbol: 'B', closes: days.filter((d) => d !== 10).map((d) => ({ day: d, close: 50 })) };
    const c = { symbol: 'C', closes: days.slice(0, 5).map((d) => ({ day: d, close: 10 })) };
    const h = alignReturns([a, b, c], 250, 20);
    expect(h.symbols).toEqual(['A', 'B']);
    expect(h.unmodelled).toEqual(['C']);
    // 29 common days (day 10 missing for B) → 28 returns; the return across the gap is day 11 over day 9.
    expect(h.days).toHaveLength(28);
    expect(h.returns[0]![9]).toBeCloseTo(111 / 109 - 1, 12);
  });
});
