// Piscina task: run a batch of backtests on bars shared through a SharedArrayBuffer (never copied per task), on one
// instrument or, for portfolio strategies, several.
import { percentOfNotional } from '../domain/backtest/commission';
import { runBacktest, type FillModel } from '../domain/backtest/engine';
import { computeMetrics, type Metrics } from '../domain/metrics/metrics';
import { runPortfolioBacktest } from '../domain/backtest/portfolio-engine';
import { createPortfolioStrategy, createStrategy } from '../domain/strategies/registry';
import { barSetFromShared, barsFromShared } from './shared-bars';

export interface SweepTask {
  /** Six Float64 columns of n bars: time, open, high, low, close, volume. */
  bars: SharedArrayBuffer;
  /** Names the shared bars: every message brings a new SharedArrayBuffer object for the same memory, so the worker's
   * caches (bar views, and the indicators keyed by them) are keyed by this id instead. */
  barsId: string;
  n: number;
  from: number;
  to: number;
  strategy: string;
  paramSets: Record<string, number | string>[];
  cash: number;
  commission: number;
  fill: FillModel;
  /** Portfolio strategies (pairs, rotation): the instruments in the buffer, in order, with their bar counts. */
  portfolio?: { symbols: string[]; lengths: number[] };
}

export interface SweepResult {
  params: Record<string, number | string>;
  metrics: Metrics;
}

let scratch: { equity: Float64Array; inMarket: Uint8Array } | undefined;

function runPortfolioSweep(task: SweepTask, portfolio: NonNullable<SweepTask['portfolio']>): SweepResult[] {
  const data = barSetFromShared(task.bars, task.barsId, portfolio.symbols, portfolio.lengths);
  const model = percentOfNotional(task.commission);
  const instruments = Object.fromEntries(portfolio.symbols.map((s) => [s, { commission: model }]));
  return task.paramSets.map((params) => {
    const r = runPortfolioBacktest(data, createPortfolioStrategy(task.strategy, params, portfolio.symbols), { cash: task.cash, instruments });
    return { params, metrics: computeMetrics({ time: r.time, equity: r.equity, close: [], trades: r.trades, inMarket: r.inMarket, initialCash: task.cash }) };
  });
}

export function runSweepTask(task: SweepTask): SweepResult[] {
  if (task.portfolio) return runPortfolioSweep(task, task.portfolio);
  const data = barsFromShared(task.bars, task.barsId, task.n, task.from, task.to);
  const len = data.close.length;
  if (!scratch || scratch.equity.length !== len) scratch = { equity: new Float64Array(len), inMarket: new Uint8Array(len) };
  return task.paramSets.map((params) => {
    const r = runBacktest(data, createStrategy(task.strategy, params), { cash: task.cash, commission: percentOfNotional(task.commission), fill: task.fill, scratch, recordFills: false });
    return { params, metrics: computeMetrics({ time: data.time, equity: r.equity, close: data.close, trades: r.trades, inMarket: r.inMarket, initialCash: task.cash, firstBar: r.firstBar }) };
  });
}

export default runSweepTask;
