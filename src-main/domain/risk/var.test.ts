// VaR and CVaR on portfolios small enough to check by hand (the arithmetic is in each test), plus properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cholesky, componentVar, historicalCvar, historicalVar, monteCarloReturns, parametricCvar, parametricVar, portfolioReturns, scaleToHorizon, varTable, type ReturnMatrix } from './var';

const m = (...rows: number[][]): ReturnMatrix => ({ symbols: rows.map((_, i) => `S${i}`), returns: rows.map((r) => Float64Array.from(r)) });

describe('historical VaR and CVaR (empyrical conventions)', () => {
  // Ten returns, already sorted. 95 %: position (n − 1)·0.05 = 0.45 between −0.05 and −0.03 → −0.05 + 0.45·0.02 = −0.041.
  // CVaR: ⌊0.45⌋ + 1 = 1 smallest → −0.05. 99 %: position 0.09 → −0.05 + 0.09·0.02 = −0.0482.
  const r = [-0.05, -0.03, -0.01, 0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06];
  it('interpolates the 5th and 1st percentiles and averages the tail at or below', () => {
    expect(historicalVar(r, 0.95)).toBeCloseTo(0.041, 12);
    expect(historicalCvar(r, 0.95)).toBeCloseTo(0.05, 12);
    expect(historicalVar(r, 0.99)).toBeCloseTo(0.0482, 12);
    // Shuffled input, same figures: the order of days does not matter.
    expect(historicalVar([...r].reverse(), 0.95)).toBeCloseTo(0.041, 12);
  });
  it('values a two-instrument portfolio day by day', () => {
    // w = (0.5, 0.5): p = (−0.015, −0.005, 0.015).
    const p = portfolioReturns(m([-0.04, 0.02, 0.01], [0.01, -0.03, 0.02]), [0.5, 0.5]);
    expect(Array.from(p).map((x) => +x.toFixed(12))).toEqual([-0.015, -0.005, 0.015]);
    // Position 2·0.05 = 0.1 between −0.015 and −0.005: −0.015 + 0.1·0.01 = −0.014.
    expect(historicalVar(p, 0.95)).toBeCloseTo(0.014, 12);
  });
});

describe('parametric VaR and CVaR (quantstats: normal, sample mean and sd)', () => {
  // r = (0.01, −0.01, 0.03, −0.03): mean 0, var = 0.002 / 3, sd = 0.02581989. z₀.₀₅ = −1.6448536.
  // VaR = 0.02581989 · 1.6448536 = 0.04247; CVaR = sd · φ(1.6448536) / 0.05 = 0.02581989 · 0.10313564 / 0.05 = 0.0532590.
  const r = [0.01, -0.01, 0.03, -0.03];
  it('matches the hand figures', () => {
    expect(parametricVar(r, 0.95)).toBeCloseTo(0.02581989 * 1.6448536, 7);
    expect(parametricCvar(r, 0.95)).toBeCloseTo(0.053259, 6);
    expect(parametricVar(r, 0.99)).toBeCloseTo(0.02581989 * 2.3263479, 7);
  });
  it('scales to 10 days by √10', () => {
    expect(scaleToHorizon(0.01, 10)).toBeCloseTo(0.0316227766, 10);
    const t = varTable(m(r), [1], { paths: 1000 });
    const one = t.find((f) => f.method === 'parametric' && f.confidence === 0.95 && f.horizonDays === 1)!;
    const ten = t.find((f) => f.method === 'parametric' && f.confidence === 0.95 && f.horizonDays === 10)!;
    expect(ten.var).toBeCloseTo(one.var * Math.sqrt(10), 12);
    expect(t).toHaveLength(12);
  });
});

describe('Monte Carlo VaR', () => {
  it('factors a covariance by hand: [[4, 2], [2, 3]] = L·Lᵀ with L = [[2, 0], [1, √2]]', () => {
    expect(Array.from(cholesky(Float64Array.from([4, 2, 2, 3]), 2))).toEqual([2, 0, 1, Math.SQRT2]);
    // Rank-deficient (the second row repeats the first): a zero column instead of a failure.
    expect(Array.from(cholesky(Float64Array.from([1, 1, 1, 1]), 2))).toEqual([1, 0, 1, 0]);
  });
  it('is deterministic for a seed and converges to the normal figure', () => {
    // Two instruments with a known sample covariance; 10,000 paths land within 3 % of the parametric VaR of the same
    // normal (the standard error of a 5 % quantile with 10,000 draws is about 1.5 %).
    const a = [0.01, -0.02, 0.015, -0.005, 0.02, -0.01, 0.005, -0.015, 0.012, -0.008];
    const b = [0.004, -0.01, 0.012, 0.001, 0.009, -0.012, 0.002, -0.006, 0.01, -0.002];
    const mat = m(a, b);
    const p1 = monteCarloReturns(mat, [0.6, 0.4], { seed: 1 });
    const p2 = monteCarloReturns(mat, [0.6, 0.4], { seed: 1 });
    expect(p1).toEqual(p2);
    expect(p1).toHaveLength(10_000);
    const exact = parametricVar(portfolioReturns(mat, [0.6, 0.4]), 0.95);
    expect(Math.abs(historicalVar(p1, 0.95) / exact - 1)).toBeLessThan(0.03);
    expect(monteCarloReturns(mat, [0.6, 0.4], { seed: 2 })).not.toEqual(p1);
  });
});

describe('component VaR (Euler allocation)', () => {
  it('splits the historical VaR of the hand portfolio', () => {
    // The VaR reads day 0 (p = −0.015) and day 1 (p = −0.005) with fraction 0.1.
    // A: −0.5·(−0.04 + 0.1·(0.02 + 0.04)) = 0.017; B: −0.5·(0.01 + 0.1·(−0.03 − 0.01)) = −0.003; 0.017 − 0.003 = 0.014.
    const c = componentVar(m([-0.04, 0.02, 0.01], [0.01, -0.03, 0.02]), [0.5, 0.5], 0.95, 'historical');
    expect(c[0]).toBeCloseTo(0.017, 12);
    expect(c[1]).toBeCloseTo(-0.003, 12);
  });
  it('gives a single holding the whole parametric VaR', () => {
    const r = [0.01, -0.01, 0.03, -0.03];
    expect(componentVar(m(r), [1], 0.95, 'parametric')[0]).toBeCloseTo(parametricVar(r, 0.95), 12);
  });

  const matrix = fc.integer({ min: 1, max: 5 }).chain((n) =>
    fc.record({
      rows: fc.array(fc.array(fc.double({ min: -0.1, max: 0.1, noNaN: true }), { minLength: 30, maxLength: 30 }), { minLength: n, maxLength: n }),
      weights: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
    }));
  it('sums to the total, both methods (property)', () => {
    fc.assert(fc.property(matrix, ({ rows, weights }) => {
      const mat = m(...rows);
      const p = portfolioReturns(mat, weights);
      for (const [method, total] of [['historical', historicalVar(p, 0.95)], ['parametric', parametricVar(p, 0.95)]] as const) {
        const sum = componentVar(mat, weights, 0.95, method).reduce((s, x) => s + x, 0);
        expect(sum).toBeCloseTo(total, 9);
      }
    }));
  });
  it('VaR and CVaR do not fall as the confidence rises (property)', () => {
    fc.assert(fc.property(matrix, fc.double({ min: 0.5, max: 0.98, noNaN: true }), ({ rows, weights }, c) => {
      const p = portfolioReturns(m(...rows), weights);
      const c2 = c + 0.01;
      expect(historicalVar(p, c2)).toBeGreaterThanOrEqual(historicalVar(p, c) - 1e-12);
      expect(historicalCvar(p, c2)).toBeGreaterThanOrEqual(historicalCvar(p, c) - 1e-12);
      expect(parametricVar(p, c2)).toBeGreaterThanOrEqual(parametricVar(p, c) - 1e-12);
    }));
  });
});
