// Backtests for the UI: runs on demo-market history or an uploaded CSV, optimisation on the worker pool with progress
// events and cancellation, and every run saved in the database to reopen and compare.
import type { Piscina } from 'piscina';
import { BACKTEST_BARS_SENT, type BacktestResult, type OptimizationResult, type StrategyInfo } from '../../src-shared/api/contract';
import type { MethodName, ParsedRequestOf } from '../../src-shared/api/contract';
import type { Bar, Timeframe } from '../../src-shared/domain/types';
import { parseBarsCsv } from '../domain/data/csv';
import { percentOfNotional } from '../domain/backtest/commission';
import { runBacktest, unaffordableWarning, type FillModel } from '../domain/backtest/engine';
import { parseSpace, validFor } from '../domain/backtest/param-space';
import type { BarArrays } from '../domain/backtest/types';
import { computeMetrics, ruinWarning } from '../domain/metrics/metrics';
import { createPortfolioStrategy, createStrategy, isPortfolioStrategy, PORTFOLIO_STRATEGIES, STRATEGIES } from '../domain/strategies/registry';
import { runPortfolioBacktest } from '../domain/backtest/portfolio-engine';
import type { Clock } from '../ports/clock';
import type { Disposable } from '../ports/disposable';
import type { MarketData } from '../ports/market-data';
import type { Store } from '../ports/store';
import { createBacktestPool, optimize } from './optimizer';

type Req<M extends MethodName> = ParsedRequestOf<M>;

export class BacktestInputError extends Error {}

function toArrays(bars: Bar[]): BarArrays {
  const f = (k: keyof Bar) => Float64Array.from(bars, (b) => b[k]);
  return { time: f('time'), open: f('open'), high: f('high'), low: f('low'), close: f('close'), volume: f('volume') };
}

const finite = (v: number) => (Number.isFinite(v) ? v : null);

/** A result as it goes to the terminal: a long run's newest BACKTEST_BARS_SENT bars (the rest from `backtest.bars`). */
export function newestBars(r: BacktestResult): BacktestResult {
  const n = r.bars.time.length;
  if (n <= BACKTEST_BARS_SENT) return r;
  const from = n - BACKTEST_BARS_SENT;
  const b = r.bars;
  return { ...r, barsTotal: n, bars: { time: b.time.slice(from), open: b.open.slice(from), high: b.high.slice(from), low: b.low.slice(from), close: b.close.slice(from), volume: b.volume.slice(from) } };
}
/** The equity curve as shown and saved: 6 decimals (the metrics are computed before); float noise such as
 * 7278.0274000000045 doubled its size on the wire. */
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

type Metrics = ReturnType<typeof computeMetrics>;

/** What a backtest runs: a built-in strategy by name, its parameters, and the account's terms. */
export interface BacktestSpec {
  strategy: string;
  params: Record<string, number | string>;
  cash: number;
  /** A fraction of notional, on entry and exit. */
  commission: number;
  fill: FillModel;
}

/** A strategy's own complaint (unknown name, bad parameter) as the input error the caller shows. */
function inputError<T>(make: () => T): T {
  try {
    return make();
  } catch (err) {
    throw new BacktestInputError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}

export class BacktestService implements Disposable {
  private pool: Piscina | undefined;
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly o: {
    /** Where runs are saved and stored bars read; the CLI's file backtests need none (see compute()). */
    store?: Store;
    /** The demo market's history for demo-source runs; the CLI's file backtests need none. */
    market?: MarketData;
    clock: Clock; onProgress: (id: string, done: number, total: number) => void;
  }) {}

  private storeOrFail(): Store {
    if (!this.o.store) throw new Error('This backtest service has no database: it runs on bars it is given (compute)');
    return this.o.store;
  }

  strategies(): StrategyInfo[] {
    const params = (ps: Record<string, { default: number | string; description: string }>) =>
      Object.entries(ps).map(([name, p]) => ({ name, default: p.default, description: p.description }));
    return [
      ...Object.values(STRATEGIES).map((s) => ({ name: s.name, description: s.description, params: params(s.params), instruments: null })),
      ...Object.values(PORTFOLIO_STRATEGIES).map((s) => ({ name: s.name, description: s.description, params: params(s.params), instruments: s.instruments })),
    ];
  }

  private async load(source: Req<'backtest.run'>['source']): Promise<{ data: BarArrays; label: string }> {
    if (source.kind === 'csv') {
      try {
        return { data: parseBarsCsv(source.text, source.name), label: source.name };
      } catch (err) {
        throw new BacktestInputError(err instanceof Error ? err.message : String(err), { cause: err });
      }
    }
    if (source.kind === 'stored') {
      const bars = await this.storeOrFail().bars.rangeArrays(source.symbol, source.timeframe, 0, Math.floor(this.o.clock.now() / 1000));
      if (bars.time.length === 0) throw new BacktestInputError(`No stored ${source.timeframe} bars of ${source.symbol}: import a file or load its chart first`);
      return { data: bars, label: `${source.symbol} ${source.timeframe} (local store)` };
    }
    const market = this.o.market;
    if (!market) throw new BacktestInputError('This backtest service has no market: give it bars (compute) or a CSV file');
    if (!market.instrument(source.symbol)) throw new BacktestInputError(`Unknown symbol ${source.symbol}`);
    const bars = await market.history(source.symbol, source.timeframe as Timeframe, 20_000);
    // The forming bar is not closed yet: backtests use closed bars only.
    return { data: toArrays(bars.slice(0, -1)), label: `${source.symbol} ${source.timeframe} (demo)` };
  }

  /** Keeps the bars within the request's date range (UTC days, inclusive). */
  private range(data: BarArrays, req: { from?: string; to?: string }): BarArrays {
    if (!req.from && !req.to) return data;
    const lo = req.from ? Date.parse(`${req.from}T00:00:00Z`) / 1000 : -Infinity;
    const hi = req.to ? Date.parse(`${req.to}T00:00:00Z`) / 1000 + 86_400 : Infinity;
    let a = 0;
    while (a < data.time.length && data.time[a]! < lo) a++;
    let b = a;
    while (b < data.time.length && data.time[b]! < hi) b++;
    const cut = (x: Float64Array) => x.slice(a, b);
    return { time: cut(data.time), open: cut(data.open), high: cut(data.high), low: cut(data.low), close: cut(data.close), volume: cut(data.volume) };
  }

  /** The bars of every instrument a portfolio strategy trades (demo market), within the request's date range. */
  private async loadPortfolio(req: Req<'backtest.run'> | Req<'backtest.optimize'>): Promise<{ data: Record<string, BarArrays>; symbols: string[]; label: string }> {
    if (req.source.kind !== 'demo' || !req.source.symbols?.length) throw new BacktestInputError(`${req.strategy} trades several instruments: choose them from the demo market`);
    const symbols = req.source.symbols;
    const data: Record<string, BarArrays> = {};
    for (const symbol of symbols) data[symbol] = this.range((await this.load({ kind: 'demo', symbol, timeframe: req.source.timeframe })).data, req);
    return { data, symbols, label: `${symbols.join(', ')} ${req.source.timeframe} (demo)` };
  }

  private async runPortfolio(req: Req<'backtest.run'>): Promise<BacktestResult> {
    const { data, symbols, label } = await this.loadPortfolio(req);
    const { result: r, metrics: m, warnings } = this.computePortfolio(data, req);
    return this.save(req, label, m, r.trades, r.time, r.equity, data[symbols[0]!]!, warnings.join(' ') || null);
  }

  /**
   * One instrument's backtest on bars already read: the engine's result, its metrics and warnings, nothing saved.
   * The UI's runs (run()) and the CLI's `backtest` both come through here.
   */
  compute(data: BarArrays, spec: BacktestSpec): { result: ReturnType<typeof runBacktest>; metrics: Metrics; warnings: string[] } {
    const strategy = inputError(() => createStrategy(spec.strategy, spec.params));
    const result = runBacktest(data, strategy, { cash: spec.cash, commission: percentOfNotional(spec.commission), fill: spec.fill });
    const metrics = computeMetrics({ time: data.time, equity: result.equity, close: data.close, trades: result.trades, inMarket: result.inMarket, initialCash: spec.cash, firstBar: result.firstBar });
    return { result, metrics, warnings: [unaffordableWarning(result.unaffordable), ruinWarning(data.time, result.equity)].filter((w): w is string => Boolean(w)) };
  }

  /** A portfolio strategy (pairs, rotation) on each instrument's bars, keyed by symbol; nothing saved. */
  computePortfolio(data: Record<string, BarArrays>, spec: Omit<BacktestSpec, 'fill'>): { result: ReturnType<typeof runPortfolioBacktest>; metrics: Metrics; warnings: string[] } {
    const symbols = Object.keys(data);
    const strategy = inputError(() => createPortfolioStrategy(spec.strategy, spec.params, symbols));
    const model = percentOfNotional(spec.commission);
    const result = runPortfolioBacktest(data, strategy, { cash: spec.cash, instruments: Object.fromEntries(symbols.map((s) => [s, { commission: model }])) });
    const metrics = computeMetrics({ time: result.time, equity: result.equity, close: [], trades: result.trades, inMarket: result.inMarket, initialCash: spec.cash });
    const ruin = ruinWarning(result.time, result.equity);
    return { result, metrics, warnings: ruin ? [ruin] : [] };
  }

  private async save(req: Req<'backtest.run'>, label: string, m: ReturnType<typeof computeMetrics>, trades: BacktestResult['trades'], time: ArrayLike<number>, equity: ArrayLike<number>, chart: BarArrays, warning: string | null = null): Promise<BacktestResult> {
    const result: BacktestResult = {
      id: crypto.randomUUID(),
      name: `${req.strategy} ${Object.entries(req.params).map(([k, v]) => `${k}=${v}`).join(' ')} on ${label}`.replace(/\s+/g, ' '),
      createdAt: this.o.clock.now(),
      strategy: req.strategy,
      params: req.params,
      source: label,
      metrics: Object.fromEntries(Object.entries(m).map(([k, v]) => [k, finite(v)])),
      trades: trades.map(({ entryTime, exitTime, side, size, entryPrice, exitPrice, pnl, commission, ...rest }) => ({ ...('symbol' in rest ? { symbol: String(rest.symbol) } : {}), entryTime, exitTime, side, size, entryPrice, exitPrice, pnl, commission })),
      equity: {
        time: Array.from(time),
        equity: Array.from(equity, (e) => round6(e)),
      },
      bars: { time: Array.from(chart.time), open: Array.from(chart.open), high: Array.from(chart.high), low: Array.from(chart.low), close: Array.from(chart.close), volume: Array.from(chart.volume) },
      warning,
    };
    await this.storeOrFail().backtests.insert({
      id: result.id, createdAt: result.createdAt, kind: 'backtest', name: result.name, strategy: req.strategy,
      summary: { returnPct: result.metrics['returnPct'], sharpe: result.metrics['sharpe'], maxDrawdownPct: result.metrics['maxDrawdownPct'], trades: result.metrics['trades'] },
      result,
    });
    return result;
  }

  async run(req: Req<'backtest.run'>): Promise<BacktestResult> {
    if (isPortfolioStrategy(req.strategy)) return this.runPortfolio(req);
    const loaded = await this.load(req.source);
    const data = this.range(loaded.data, req);
    const label = loaded.label + (req.from || req.to ? ` ${req.from ?? '…'} → ${req.to ?? '…'}` : '');
    if (data.close.length < 3) throw new BacktestInputError('At least 3 bars are needed');
    const { result: r, metrics: m, warnings } = this.compute(data, req);
    return this.save(req, label, m, r.trades, data.time, r.equity, data, warnings.join(' ') || null);
  }

  async optimize(req: Req<'backtest.optimize'>): Promise<OptimizationResult> {
    const portfolio = isPortfolioStrategy(req.strategy);
    let input: { data: BarArrays } | { instruments: Record<string, BarArrays> };
    let label: string;
    let symbols: string[] = [];
    if (portfolio) {
      const loaded = await this.loadPortfolio(req);
      input = { instruments: loaded.data };
      symbols = loaded.symbols;
      label = loaded.label;
    } else {
      const loaded = await this.load(req.source);
      input = { data: this.range(loaded.data, req) };
      label = loaded.label;
    }
    label += req.from || req.to ? ` ${req.from ?? '…'} → ${req.to ?? '…'}` : '';
    let space: Record<string, (number | string)[]>;
    let varying: string[];
    try {
      const ranges = parseSpace(req.space);
      varying = Object.keys(ranges);
      // Parameters not searched keep the value the trader set (e.g. size, mode): one-value dimensions of the grid.
      space = { ...Object.fromEntries(Object.entries(req.params).filter(([k]) => !Object.hasOwn(ranges, k)).map(([k, v]) => [k, [v]])), ...ranges };
      const first = Object.fromEntries(Object.entries(space).map(([k, v]) => [k, v[0]!]));
      if (portfolio) createPortfolioStrategy(req.strategy, first, symbols);
      else createStrategy(req.strategy, first);
    } catch (err) {
      throw new BacktestInputError(err instanceof Error ? err.message : String(err), { cause: err });
    }
    const controller = new AbortController();
    this.running.set(req.id, controller);
    this.pool ??= createBacktestPool();
    const started = performance.now();
    try {
      const r = await optimize({
        ...input, strategy: req.strategy, space, objective: req.objective, samples: req.samples, cash: req.cash, commission: req.commission, fill: req.fill,
        valid: validFor(req.strategy), pool: this.pool, signal: controller.signal, onProgress: (done, total) => this.o.onProgress(req.id, done, total),
      });
      const result: OptimizationResult = {
        id: req.id, name: `${req.strategy} optimisation (${req.objective}) on ${label}`, createdAt: this.o.clock.now(), strategy: req.strategy, source: label,
        objective: req.objective, evaluated: r.evaluated, seconds: (performance.now() - started) / 1000, deflatedSharpe: finite(r.deflatedSharpe), warning: r.warning,
        paramNames: varying,
        results: r.results.map((x) => ({ params: x.params, score: finite(x.metrics[req.objective]), returnPct: finite(x.metrics.returnPct), maxDrawdownPct: finite(x.metrics.maxDrawdownPct), trades: x.metrics.trades })),
      };
      await this.storeOrFail().backtests.insert({
        id: result.id, createdAt: result.createdAt, kind: 'optimization', name: result.name, strategy: req.strategy,
        summary: { evaluated: result.evaluated, best: result.results[0]?.params ?? null, score: result.results[0]?.score ?? null }, result,
      });
      return result;
    } catch (err) {
      if (controller.signal.aborted) throw new BacktestInputError('The optimisation was cancelled', { cause: err });
      throw err;
    } finally {
      this.running.delete(req.id);
    }
  }

  cancel(id: string): void {
    this.running.get(id)?.abort();
  }

  async dispose(): Promise<void> {
    for (const c of this.running.values()) c.abort();
    await this.pool?.destroy();
  }
}
