// Piscina task: run backtests on bars shared through a SharedArrayBuffer (never copied per task), on one instrument or,
// for portfolio strategies, several. Each worker gets one task per sweep and claims parameter sets one at a time from a
// counter in shared memory, so no worker ever waits for the main thread between backtests (on a 2-core machine the
// main thread has no core of its own, and a message round trip per batch of backtests left workers idle).
import { percentOfNotional } from '../domain/backtest/commission';
import { runBacktest, type FillModel } from '../domain/backtest/engine';
import { computeMetrics, type Metrics } from '../domain/metrics/metrics';
import { runPortfolioBacktest } from '../domain/backtest/portfolio-engine';
import { createPortfolioStrategy, createStrategy } from '../domain/strategies/registry';
import { barSetFromShared, barsFromShared } from './shared-bars';
import { DONE, NEXT, STOP } from './sweep-control';

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
  /** Every parameter set of the sweep; the worker runs those it claims. */
  paramSets: Record<string, number | string>[];
  /** CONTROL_SLOTS Int32 slots shared by the sweep's workers and the main thread. */
  control: SharedArrayBuffer;
  cash: number;
  commission: number;
  fill: FillModel;
  /** Portfolio strategies (pairs, rotation): the instruments in the buffer, in order, with their bar counts. */
  portfolio?: { symbols: string[]; lengths: number[] };
}

export interface SweepResult {
  params: Record<string, number | string>;
  metrics: Metrics;
  /** Orders of size 'all' left unfilled for lack of one whole unit (single-instrument strategies). */
  unaffordable?: number;
}

/** A result with the index of its parameter set, so the caller can order results independently of the workers. */
export type IndexedSweepResult = SweepResult & { index: number };

let scratch: { equity: Float64Array; inMarket: Uint8Array } | undefined;

function backtestOf(task: SweepTask): (params: Record<string, number | string>) => Omit<SweepResult, 'params'> {
  if (task.portfolio) {
    const { symbols, lengths } = task.portfolio;
    const data = barSetFromShared(task.bars, task.barsId, symbols, lengths);
    const model = percentOfNotional(task.commission);
    const instruments = Object.fromEntries(symbols.map((s) => [s, { commission: model }]));
    return (params) => {
      const r = runPortfolioBacktest(data, createPortfolioStrategy(task.strategy, params, symbols), { cash: task.cash, instruments });
      return { metrics: computeMetrics({ time: r.time, equity: r.equity, close: [], trades: r.trades, inMarket: r.inMarket, initialCash: task.cash }) };
    };
  }
  const data = barsFromShared(task.bars, task.barsId, task.n, task.from, task.to);
  const len = data.close.length;
  if (!scratch || scratch.equity.length !== len) scratch = { equity: new Float64Array(len), inMarket: new Uint8Array(len) };
  const buffers = scratch;
  const commission = percentOfNotional(task.commission);
  return (params) => {
    const r = runBacktest(data, createStrategy(task.strategy, params), { cash: task.cash, commission, fill: task.fill, scratch: buffers, recordFills: false });
    const metrics = computeMetrics({ time: data.time, equity: r.equity, close: data.close, trades: r.trades, inMarket: r.inMarket, initialCash: task.cash, firstBar: r.firstBar });
    return { metrics, unaffordable: r.unaffordable.count };
  };
}

export function runSweepTask(task: SweepTask): IndexedSweepResult[] {
  const control = new Int32Array(task.control);
  const out: IndexedSweepResult[] = [];
  try {
    const run = backtestOf(task);
    while (Atomics.load(control, STOP) === 0) {
      const index = Atomics.add(control, NEXT, 1);
      if (index >= task.paramSets.length) break;
      const params = task.paramSets[index]!;
      out.push({ index, params, ...run(params) });
      Atomics.add(control, DONE, 1);
    }
  } catch (err) {
    Atomics.store(control, STOP, 1);
    throw err;
  }
  return out;
}

export default runSweepTask;
