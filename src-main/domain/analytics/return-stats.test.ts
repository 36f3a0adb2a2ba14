// Return statistics on small hand-checked series (the real-data cross-check against empyrical and quantstats is
// tests/integration/analytics-crosscheck.test.ts).
import { describe, expect, it } from 'vitest';
import { annualReturn, cvar95, maxDrawdown, normalQuantile, percentile, returnStats, var95 } from './return-stats';

describe('return statistics by hand', () => {
  it('percentile interpolates linearly as numpy does; VaR/CVaR on a small series', () => {
    const r = [0.03, -0.02, 0.01, -0.05, 0.04, 0.0, -0.01, 0.02, -0.03, 0.05];
    // sorted: −.05 −.03 −.02 −.01 0 .01 .02 .03 .04 .05; h = 9·0.05 = 0.45 → −.05 + .45·.02 = −0.041
    expect(var95(r)).toBeCloseTo(-0.041, 15);
    expect(percentile(r, 50)).toBeCloseTo(0.005, 15);
    // k = ⌊9·0.05⌋ = 0: the smallest return alone
    expect(cvar95(r)).toBe(-0.05);
  });

  it('max drawdown counts from the start (growth of 100); annual return over n/252 years', () => {
    expect(maxDrawdown([-0.1, 0.5, -0.5])).toBeCloseTo(-0.5, 15);
    expect(maxDrawdown([0.1, 0.1])).toBe(0);
    expect(annualReturn(new Array(252).fill(0.001))).toBeCloseTo(1.001 ** 252 - 1, 14);
  });

  it('normal quantile: as scipy.stats.norm.ppf, to double precision', () => {
    expect(Math.abs(normalQuantile(0.05) + 1.6448536269514729)).toBeLessThan(1e-15);
    expect(Math.abs(normalQuantile(0.5))).toBeLessThan(1e-15);
    expect(Math.abs(normalQuantile(0.999) - 3.090232306167813)).toBeLessThan(1e-13);
  });

  it('undefined figures are null, not NaN: a flat series', () => {
    const s = returnStats([0, 0, 0], [0.01, -0.01, 0.02]);
    expect(s.sharpe).toBeNull();
    expect(s.calmar).toBeNull();
    expect(s.beta).toBe(0);
  });
});
