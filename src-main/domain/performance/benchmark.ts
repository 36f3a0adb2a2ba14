// Comparison with a benchmark: the portfolio's TWR index against the benchmark's closes over a period, the relative
// series, and beta, alpha, tracking error, information ratio and up/down capture on the benchmark's trading days.
import { benchmarkStats, simpleReturns, type BenchmarkStats } from '../analytics/return-stats';
import { dateOf } from '../../../src-shared/domain/dates';
import { dailyReturn } from './returns';
import type { SeriesSet } from './valuation';

export interface BenchmarkSeries {
  /** Days since 1970-01-01, ascending, and the closes on them. */
  day: ArrayLike<number>;
  close: ArrayLike<number>;
}

export interface BenchmarkComparison {
  /** One point per calendar day of the period: growth of 1 of the portfolio (TWR) and of the benchmark, and their ratio − 1. */
  points: { date: string; portfolio: number; benchmark: number | null; relative: number | null }[];
  portfolioReturn: number;
  benchmarkReturn: number | null;
  stats: BenchmarkStats;
  /** Returns compared: one per benchmark trading day in the period (from the base at its start). */
  observations: number;
}

/** The benchmark's close on or before `day` (cursor-based: call with ascending days). */
function closeOnOrBefore(b: BenchmarkSeries, day: number, cursor: { k: number }): number | undefined {
  while (cursor.k + 1 < b.day.length && b.day[cursor.k + 1]! <= day) cursor.k++;
  return cursor.k >= 0 ? b.close[cursor.k]! : undefined;
}

export function compareWithBenchmark(s: SeriesSet, start: number, startIndex: number, endIndex: number, b: BenchmarkSeries): BenchmarkComparison {
  const points: BenchmarkComparison['points'] = [];
  const cursor = { k: -1 };
  let growth = 1;
  const first = closeOnOrBefore(b, start + Math.max(startIndex, 0), cursor);
  const trading = new Set<number>();
  for (let i = 0; i < b.day.length; i++) trading.add(b.day[i]!);
  const sampledP: number[] = [];
  const sampledB: number[] = [];
  // The period's base: growth 1 against the benchmark's close on or before the start; then each benchmark trading day.
  if (first !== undefined) {
    sampledP.push(1);
    sampledB.push(first);
  }
  for (let t = startIndex + 1; t <= endIndex; t++) {
    growth *= 1 + dailyReturn(s, t);
    const close = closeOnOrBefore(b, start + t, cursor);
    const bench = close !== undefined && first !== undefined ? close / first : null;
    points.push({ date: dateOf(start + t), portfolio: growth, benchmark: bench, relative: bench === null ? null : growth / bench - 1 });
    if (trading.has(start + t) && close !== undefined) {
      sampledP.push(growth);
      sampledB.push(close);
    }
  }
  const r = simpleReturns(sampledP);
  const rb = simpleReturns(sampledB);
  const last = points[points.length - 1];
  return {
    points,
    portfolioReturn: growth - 1,
    benchmarkReturn: last?.benchmark != null ? last.benchmark - 1 : null,
    stats: benchmarkStats(r, rb),
    observations: r.length,
  };
}
