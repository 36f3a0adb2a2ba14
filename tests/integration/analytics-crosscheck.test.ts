// Our return statistics against empyrical's and quantstats' formulas on real data (GOOG; EuStockMarkets DAX against
// FTSE): tests/fixtures/analytics-reference.json comes from tools/crosscheck/empyrical_stats.py, which transcribes both
// libraries with numpy/pandas/scipy (see docs/portfolio-analytics.md).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guessMapping, readOhlcv } from '../../src-main/domain/data/csv';
import { alignedReturns, benchmarkStats, returnStats, simpleReturns } from '../../src-main/domain/analytics/return-stats';
import fixture from '../fixtures/analytics-reference.json';

const REFERENCE_DATA = '/work/shared/data/reference';
const series = (file: string, column?: string) => {
  const { columns } = readOhlcv(readFileSync(`${REFERENCE_DATA}/${file}`), file, (h) => guessMapping(h, column));
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

