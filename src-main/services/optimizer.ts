// Parameter optimisation on a piscina worker pool (one worker per core): grid or random search of single-instrument
// and portfolio strategies, walk-forward,
// progress and cancellation, and an overfitting warning (the deflated Sharpe ratio of Bailey & López de Prado).
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { percentOfNotional } from '../domain/backtest/commission';
import { runBacktest, type FillModel } from '../domain/backtest/engine';
import { createStrategy } from '../domain/strategies/registry';
import type { BarArrays } from '../domain/backtest/types';
import { computeMetrics, type Metrics } from '../domain/metrics/metrics';
import type { IndexedSweepResult, SweepResult, SweepTask } from '../workers/backtest-worker';
import { CONTROL_SLOTS, DONE, STOP } from '../workers/sweep-control';

export type Objective = keyof Pick<Metrics, 'sharpe' | 'sortino' | 'calmar' | 'returnPct' | 'cagrPct' | 'profitFactor' | 'sqn'>;

export interface OptimizeOptions {
  /** One instrument's bars (single-instrument strategies)… */
  data?: BarArrays;
  /** …or several, by symbol, for portfolio strategies (pairs, rotation). */
  instruments?: Record<string, BarArrays>;
  strategy: string;
  /** Values per parameter; the grid is their Cartesian product. */
  space: Record<string, (number | string)[]>;
  /** Random search: evaluate this many combinations drawn from the grid (seeded). */
  samples?: number;
  seed?: number;
  objective?: Objective;
  /** Threads: of a new pool, or at most this many of the given pool's (default: all of them). */
  workers?: number;
  cash?: number;
  commission?: number;
  fill?: FillModel;
  /** Parameter sets a strategy cannot take (e.g. fast ≥ slow) are skipped. */
  valid?: (params: Record<string, number | string>) => boolean;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** A pool to reuse (its workers stay warm between runs); otherwise one is made and destroyed for this run. */
  pool?: Piscina;
  /** Only bars [from, to) (walk-forward windows); the whole series otherwise. */
  range?: [number, number];
  /** Bars already in shared memory (walk-forward shares them once for every window). */
  shared?: SharedBars;
}

export interface OptimizeResult {
  results: SweepResult[];
  best: SweepResult | undefined;
  evaluated: number;
  /** Probability that the best Sharpe is not due to selection among many trials (deflated Sharpe ratio). */
  deflatedSharpe: number;
  warning: string | null;
}

export function gridOf(space: Record<string, (number | string)[]>): Record<string, number | string>[] {
  let combos: Record<string, number | string>[] = [{}];
  for (const [name, values] of Object.entries(space)) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  return combos;
}

export interface SharedBars {
  buffer: SharedArrayBuffer;
  /** Unique per copy: the workers key their caches by it. */
  id: string;
  n: number;
}

/** Several instruments in one shared buffer, each symbol's six columns in turn (read by barSetFromShared). */
export function shareBarSet(data: Record<string, BarArrays>): SharedBars & { symbols: string[]; lengths: number[] } {
  const symbols = Object.keys(data);
  const lengths = symbols.map((s) => data[s]!.close.length);
  const total = lengths.reduce((a, b) => a + b, 0);
  const buffer = new SharedArrayBuffer(6 * total * 8);
  let offset = 0;
  symbols.forEach((s, k) => {
    const d = data[s]!;
    const n = lengths[k]!;
    [d.time, d.open, d.high, d.low, d.close, d.volume].forEach((col, c) => new Float64Array(buffer, (offset + c * n) * 8, n).set(col));
    offset += 6 * n;
  });
  return { buffer, id: crypto.randomUUID(), n: total, symbols, lengths };
}

/** Copies the bars once into shared memory; every task reads the same buffer. */
export function shareBars(data: BarArrays): SharedBars {
  const n = data.close.length;
  const buffer = new SharedArrayBuffer(6 * n * 8);
  [data.time, data.open, data.high, data.low, data.close, data.volume].forEach((col, k) => new Float64Array(buffer, k * n * 8, n).set(col));
  return { buffer, id: crypto.randomUUID(), n };
}

// The shared copy of each bar set optimised so far, by the caller's object: optimising the same bars again (tuning a
// grid, random search after a grid) reuses the copy, so the workers' bar views and indicator caches still hold. Bars
// are treated as immutable once optimised.
const sharedCopies = new WeakMap<BarArrays, SharedBars>();

function sharedCopyOf(data: BarArrays): SharedBars {
  let copy = sharedCopies.get(data);
  if (!copy) sharedCopies.set(data, (copy = shareBars(data)));
  return copy;
}

function workerFile(): string {
  // From source (CLI, tests, bench) a small .mjs shim registers tsx in the worker; in the built app (out/main, maybe
  // from a chunk in out/main/chunks) the worker is its own bundle, backtest-worker.js.
  const candidates = ['../workers/backtest-worker.mjs', './backtest-worker.js', '../backtest-worker.js'].map((p) => new URL(p, import.meta.url));
  const found = candidates.find((u) => existsSync(fileURLToPath(u)));
  if (!found) throw new Error('The backtest worker bundle is missing: run `npm run build`');
  return found.href;
}

/** Distinct UTC days among sorted times [from, to), in one pass (a sweep's only serial work after the workers). */
function countDays(time: Float64Array, from: number, to: number): number {
  let days = 0;
  let last = NaN;
  for (let i = from; i < to; i++) {
    const d = Math.floor(time[i]! / 86_400);
    if (d !== last) {
      days++;
      last = d;
    }
  }
  return days;
}

/** The UTC day of each change of day in sorted times. */
function dayNumbers(time: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < time.length; i++) {
    const d = Math.floor(time[i]! / 86_400);
    if (d !== out[out.length - 1]) out.push(d);
  }
  return out;
}

function normCdf(x: number): number {
  // Abramowitz–Stegun 26.2.17, |error| < 7.5e-8.
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const d = 0.3989422804014327 * Math.exp((-x * x) / 2);
  const p = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return x >= 0 ? 1 - p : p;
}

function normInv(p: number): number {
  // Acklam's rational approximation.
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const q = Math.min(p, 1 - p);
  let x: number;
  if (q < 0.02425) {
    const r = Math.sqrt(-2 * Math.log(q));
    x = (((((c[0]! * r + c[1]!) * r + c[2]!) * r + c[3]!) * r + c[4]!) * r + c[5]!) / ((((d[0]! * r + d[1]!) * r + d[2]!) * r + d[3]!) * r + 1);
  } else {
    const r = q - 0.5;
    const s = r * r;
    x = ((((((a[0]! * s + a[1]!) * s + a[2]!) * s + a[3]!) * s + a[4]!) * s + a[5]!) * r) / (((((b[0]! * s + b[1]!) * s + b[2]!) * s + b[3]!) * s + b[4]!) * s + 1);
    return p < 0.5 ? x : -x;
  }
  return p < 0.5 ? x : -x;
}

/**
 * Deflated Sharpe ratio (Bailey & López de Prado, 2014) for the best of `trials` annualised Sharpe ratios measured
 * over `periods` daily returns, assuming normal returns (skew 0, kurtosis 3): the probability that the true Sharpe
 * exceeds the one expected from the best of `trials` strategies with no skill.
 */
export function deflatedSharpe(sharpes: number[], periods: number, annualisation = 252): number {
  const finite = sharpes.filter(Number.isFinite).map((s) => s / Math.sqrt(annualisation));
  const trials = finite.length;
  if (trials < 2 || periods < 3) return NaN;
  const mean = finite.reduce((a, b) => a + b, 0) / trials;
  const variance = finite.reduce((a, b) => a + (b - mean) ** 2, 0) / (trials - 1);
  const gamma = 0.5772156649015329;
  const expectedMax = Math.sqrt(variance) * ((1 - gamma) * normInv(1 - 1 / trials) + gamma * normInv(1 - 1 / (trials * Math.E)));
  const best = Math.max(...finite);
  return normCdf(((best - expectedMax) * Math.sqrt(periods - 1)) / Math.sqrt(1 + 0.5 * best * best));
}

/**
 * One worker per core by default; workers start at once so the first run does not pay for their start-up.
 * `filename` picks a worker bundle explicitly (the benchmark uses the built one, as the app does).
 */
export function createBacktestPool(workers = availableParallelism(), filename = workerFile()): Piscina {
  const n = Math.max(1, workers);
  return new Piscina({ filename, minThreads: n, maxThreads: n, idleTimeout: 60_000 });
}

export async function optimize(o: OptimizeOptions): Promise<OptimizeResult> {
  const objective = o.objective ?? 'sharpe';
  let combos = gridOf(o.space).filter((p) => (o.valid ? o.valid(p) : true));
  if (o.samples && o.samples < combos.length) {
    let s = o.seed ?? 1;
    const rnd = () => ((s = (s * 48271) % 2147483647) / 2147483647);
    for (let i = combos.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [combos[i], combos[j]] = [combos[j]!, combos[i]!];
    }
    combos = combos.slice(0, o.samples);
  }
  if (!o.data === !o.instruments) throw new RangeError('optimize needs either data (one instrument) or instruments (several)');
  const set = o.instruments ? shareBarSet(o.instruments) : undefined;
  const { buffer, id: barsId, n } = set ?? o.shared ?? sharedCopyOf(o.data!);
  const portfolio = set ? { symbols: set.symbols, lengths: set.lengths } : undefined;
  const [from, to] = o.range ?? [0, n];
  const pool = o.pool ?? createBacktestPool(o.workers);
  const workers = Math.max(1, Math.min(pool.options.maxThreads, o.pool && o.workers ? o.workers : Infinity, combos.length));
  // One task per worker; each claims parameter sets from the shared counter until none is left (see the worker).
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  const task: SweepTask = {
    bars: buffer, barsId, n, from, to, strategy: o.strategy, paramSets: combos, control: control.buffer as SharedArrayBuffer, cash: o.cash ?? 10_000,
    commission: o.commission ?? 0, fill: o.fill ?? 'next-open', portfolio,
  };
  // Cancelling stops the workers between backtests (they stay warm for the next run, unlike aborting piscina's task,
  // which terminates the thread).
  const stop = () => Atomics.store(control, STOP, 1);
  o.signal?.addEventListener('abort', stop);
  // Progress is read from shared memory every 50 ms rather than sent by the workers, which never wait for us.
  let reported = 0;
  const report = () => {
    const done = Atomics.load(control, DONE);
    if (done !== reported) o.onProgress?.((reported = done), combos.length);
  };
  const ticker = o.onProgress ? setInterval(report, 50) : undefined;
  const results: IndexedSweepResult[] = [];
  try {
    o.signal?.throwIfAborted();
    const settled = await Promise.allSettled(
      Array.from({ length: workers }, () => (pool.run(task) as Promise<IndexedSweepResult[]>).catch((err: unknown) => {
        stop();
        throw err;
      })),
    );
    for (const s of settled) if (s.status === 'rejected') throw s.reason;
    o.signal?.throwIfAborted();
    for (const s of settled) if (s.status === 'fulfilled') results.push(...s.value);
    report();
  } finally {
    clearInterval(ticker);
    o.signal?.removeEventListener('abort', stop);
    if (!o.pool) await pool.destroy();
  }
  const score = (r: SweepResult) => (Number.isFinite(r.metrics[objective]) ? r.metrics[objective] : -Infinity);
  // Best first; ties in the order of the grid, whichever worker ran them.
  results.sort((a, b) => score(b) - score(a) || a.index - b.index);
  const days = o.data ? countDays(o.data.time, from, to) : new Set(Object.values(o.instruments!).flatMap((d) => dayNumbers(d.time))).size;
  const dsr = deflatedSharpe(results.map((r) => r.metrics.sharpe), days);
  const warnings: string[] = [];
  if (Number.isFinite(dsr) && dsr < 0.95) warnings.push(`Possible overfitting: the deflated Sharpe ratio of the best of ${results.length} trials is ${dsr.toFixed(2)} (below 0.95).`);
  const starved = results.filter((r) => r.metrics.trades === 0 && (r.unaffordable ?? 0) > 0).length;
  if (starved) warnings.push(`${starved} of ${results.length} parameter sets made no trade: size "all" buys whole units and equity did not cover one. Raise the cash, or set the size to a number of units (fractions allowed).`);
  const ruined = results.filter((r) => r.metrics.maxDrawdownPct <= -100).length;
  if (ruined) warnings.push(`${ruined} of ${results.length} parameter sets wiped the account out (equity fell to zero or below); their return-based ratios are undefined.`);
  const warning = warnings.length ? warnings.join(' ') : null;
  const ranked: SweepResult[] = results.map(({ params, metrics, unaffordable }) => ({ params, metrics, unaffordable }));
  return { results: ranked, best: ranked[0], evaluated: ranked.length, deflatedSharpe: dsr, warning };
}

export interface WalkForwardWindow {
  inSample: [number, number];
  outOfSample: [number, number];
  best: Record<string, number | string>;
  inSampleScore: number;
  /** The chosen parameters on the next, unseen bars. */
  oosMetrics: Metrics;
}

/**
 * Rolling walk-forward: optimise on `inSample` bars, trade the best parameters on the following `outOfSample` bars,
 * slide by `outOfSample`. Out-of-sample runs start at the in-sample start so indicators are warm; only the
 * out-of-sample part of the equity counts (a position open at the boundary is carried in).
 */
export async function walkForward(
  o: Omit<OptimizeOptions, 'range' | 'shared' | 'data' | 'instruments'> & { data: BarArrays; inSample: number; outOfSample: number },
): Promise<{ windows: WalkForwardWindow[]; efficiency: number }> {
  const objective = o.objective ?? 'sharpe';
  const shared = shareBars(o.data);
  const pool = o.pool ?? createBacktestPool(o.workers);
  const windows: WalkForwardWindow[] = [];
  const cash = o.cash ?? 10_000;
  try {
    for (let start = 0; start + o.inSample + o.outOfSample <= shared.n; start += o.outOfSample) {
      const isEnd = start + o.inSample;
      const oosEnd = isEnd + o.outOfSample;
      const opt = await optimize({ ...o, pool, shared, range: [start, isEnd] });
      if (!opt.best) continue;
      const slice = (a: Float64Array) => a.subarray(start, oosEnd);
      const data = { time: slice(o.data.time), open: slice(o.data.open), high: slice(o.data.high), low: slice(o.data.low), close: slice(o.data.close), volume: slice(o.data.volume) };
      const r = runBacktest(data, createStrategy(o.strategy, opt.best.params), { cash, commission: percentOfNotional(o.commission ?? 0), fill: o.fill });
      const k = o.inSample;
      const oosMetrics = computeMetrics({
        time: data.time.subarray(k), equity: r.equity.subarray(k), close: data.close.subarray(k), inMarket: r.inMarket.subarray(k),
        trades: r.trades.filter((t) => t.exitBar >= k), initialCash: r.equity[k] ?? cash,
      });
      windows.push({ inSample: [start, isEnd], outOfSample: [isEnd, oosEnd], best: opt.best.params, inSampleScore: opt.best.metrics[objective], oosMetrics });
    }
  } finally {
    if (!o.pool) await pool.destroy();
  }
  // Walk-forward efficiency: mean out-of-sample objective over mean in-sample objective.
  const mean = (xs: number[]) => xs.filter(Number.isFinite).reduce((a, b) => a + b, 0) / Math.max(1, xs.filter(Number.isFinite).length);
  const efficiency = mean(windows.map((w) => w.oosMetrics[objective])) / mean(windows.map((w) => w.inSampleScore));
  return { windows, efficiency };
}
