// Piscina task: run a batch of backtests on bars shared through a SharedArrayBuffer (never copied per task).
import { percentOfNotional } from '../domain/backtest/commission';
import { runBacktest, type FillModel } from '../domain/backtest/engine';
import type { BarArrays } from '../domain/backtest/types';
import { computeMetrics, type Metrics } from '../domain/metrics/metrics';
import { createStrategy } from '../domain/strategies/registry';

export interface SweepTask {
  /** Six Float64 columns of n bars: time, open, high, low, close, volume. */
  bars: SharedArrayBuffer;
  n: number;
  from: number;
  to: number;
  strategy: string;
  paramSets: Record<string, number | string>[];
  cash: number;
  commission: number;
  fill: FillModel;
}

export interface SweepResult {
  params: Record<string, number | string>;
  metrics: Metrics;
}

// One view object per shared range, so indicator caches keyed by the close array survive from task to task.
const views = new WeakMap<SharedArrayBuffer, Map<string, BarArrays>>();
let scratch: { equity: Float64Array; inMarket: Uint8Array } | undefined;

export function barsFromShared(buf: SharedArrayBuffer, n: number, from = 0, to = n): BarArrays {
  let byRange = views.get(buf);
  if (!byRange) views.set(buf, (byRange = new Map()));
  const key = `${n}:${from}:${to}`;
  let bars = byRange.get(key);
  if (!bars) {
    const col = (k: number) => new Float64Array(buf, k * n * 8, n).subarray(from, to);
    byRange.set(key, (bars = { time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) }));
  }
  return bars;
}

export function runSweepTask(task: SweepTask): SweepResult[] {
  const data = barsFromShared(task.bars, task.n, task.from, task.to);
  const len = data.close.length;
  if (!scratch || scratch.equity.length !== len) scratch = { equity: new Float64Array(len), inMarket: new Uint8Array(len) };
  return task.paramSets.map((params) => {
    const r = runBacktest(data, createStrategy(task.strategy, params), { cash: task.cash, commission: percentOfNotional(task.commission), fill: task.fill, scratch, recordFills: false });
    return { params, metrics: computeMetrics({ time: data.time, equity: r.equity, close: data.close, trades: r.trades, inMarket: r.inMarket, initialCash: task.cash, firstBar: r.firstBar }) };
  });
}

export default runSweepTask;
