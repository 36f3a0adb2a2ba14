// Our statistics against empyrical's and quantstats' formulas on real data (GOOG; EuStockMarkets DAX against FTSE):
// the fixture comes from tools/crosscheck/empyrical_stats.py, which transcribes both libraries with numpy/pandas/scipy.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guessMapping, readOhlcv } from '../data/csv';
import {
  alignedReturns, annualReturn, benchmarkStats, cvar95, maxDrawdown, normalQuantile, percentile, returnStats, simpleReturns, var95,
} from './return-stats';
import fixture from './return-stats.fixture.json';

const REF = '/work/shared/data/reference';
const series = (file: string, column?: string) => {
  const { columns } = readOhlcv(readFileSync(`${REF}/${file}`), file, (h) => guessMapping(h, column));
  return { time: columns.time, value: columns.close };
};

/** Relative tolerance 1e-9 (absolute 1e-12 near 0): the same formulas in a different summation order. */
function close(actual: number | null, expected: number | null, label: string): void {
  if (expected === null) return expect(actual, label).toBeNull();
  expect(actual, label).not.toBeNull();
  expect(Math.abs(actual! - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(Math.max(1e-12, Math.abs(expected) * 1e-9));
}

describe('return statistics against empyrical / quantstats', () => {
  it('GOOG (2147 daily returns): every figure within 1e-9 relative', () => {
    const r = simpleReturns(series('GOOG.csv').value);
    const ref = fixture.GOOG;
    expect(r).toHaveLength(ref.n);
    const ours = returnStats(r);
    for (const [k, v] of Object.entries(ours)) close(v, ref[k as keyof typeof ref] as number | null, `GOOG ${k}`);
  });

  it('DAX against FTSE (EuStockMarkets): statistics, beta, alpha, tracking error, information ratio, capture', () => {
    const dax = series('EuStockMarkets.csv', 'DAX');
    const ftse = series('EuStockMarkets.csv', 'FTSE');
    const { r, b } = alignedReturns(dax, ftse);
    const ref = fixture.DAX_vs_FTSE;
    expect(r).toHaveLength(ref.n);
    for (const [k, v] of Object.entries({ ...returnStats(r, b), ...benchmarkStats(r, b) })) close(v, ref[k as keyof typeof ref] as number | null, `DAX ${k}`);
  });
});

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
