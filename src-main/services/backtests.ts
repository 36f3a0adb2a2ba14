// Backtests for the UI: runs on demo-market history or an uploaded CSV, optimisation on the worker pool with progress
// events and cancellation, and every run saved in the database to reopen and compare.
import type { Piscina } from 'piscina';
import type { BacktestResult, OptimizationResult, StrategyInfo } from '../../src-shared/api/contract';
import type { MethodName, ParsedRequestOf } from '../../src-shared/api/contract';
import type { Bar, Timeframe } from '../../src-shared/domain/types';
import { parseBarsCsv } from '../domain/data/csv';
import { percentOfNotional } from '../domain/backtest/commission';
import { runBacktest, unaffordableWarning } from '../domain/backtest/engine';
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

function fromArrays(d: BarArrays): Bar[] {
  return Array.from(d.close, (close, i) => ({ time: d.time[i]!, open: d.open[i]!, high: d.high[i]!, low: d.low[i]!, close, volume: d.volume[i]! }));
}

const finite = (v: number) => (Number.isFinite(v) ? v : null);

export class BacktestService implements Disposable {
  private pool: Piscina | undefined;
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly o: { store: Store; market: MarketData; clock: Clock; onProgress: (id: string, done: number, total: number) => void }) {}

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
      const bars = await this.o.store.bars.rangeArrays(source.symbol, source.timeframe, 0, Math.floor(this.o.clock.now() / 1000));
      if (bars.time.length === 0) throw new BacktestInputError(`No stored ${source.timeframe} bars of ${source.symbol}: import a file or load its chart first`);
      return { data: bars, label: `${source.symbol} ${source.timeframe} (local store)` };
    }
    if (!this.o.market.instrument(source.symbol)) throw new BacktestInputError(`Unknown symbol ${source.symbol}`);
    const bars = await this.o.market.history(source.symbol, source.timeframe as Timeframe, 20_000);
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
    let strategy;
    try {
      strategy = createPortfolioStrategy(req.strategy, req.params, symbols);
    } catch (err) {
      throw new BacktestInputError(err instanceof Error ? err.message : String(err), { cause: err });
    }
    const model = percentOfNotional(req.commission);
    const r = runPortfolioBacktest(data, strategy, { cash: req.cash, instruments: Object.fromEntries(symbols.map((s) => [s, { commission: model }])) });
    const m = computeMetrics({ time: r.time, equity: r.equity, close: [], trades: r.trades, inMarket: r.inMarket, initialCash: req.cash });
    return this.save(req, label, m, r.trades, r.time, r.equity, data[symbols[0]!]!, ruinWarning(r.time, r.equity));
  }

  private async save(req: Req<'backtest.run'>, label: string, m: ReturnType<typeof computeMetrics>, trades: BacktestResult['trades'], time: ArrayLike<number>, equity: ArrayLike<number>, chart: BarArrays, warning: string | null = null): Promise<BacktestResult> {
    let peak = -Infinity;
    const result: BacktestResult = {
      id: crypto.randomUUID(),
      name: `${req.strategy} ${Object.entries(req.params).map(([k, v]) => `${k}=${v}`).join(' ')} on ${label}`.replace(/\s+/g, ' '),
      createdAt: this.o.clock.now(),
      strategy: req.strategy,
      params: req.params,
      source: label,
      metrics: Object.fromEntries(Object.entries(m).map(([k, v]) => [k, finite(v)])),
      trades: trades.map(({ entryTime, exitTime, side, size, entryPrice, exitPrice, pnl, commission, ...rest }) => ({ ...('symbol' in rest ? { symbol: String(rest.symbol) } : {}), entryTime, exitTime, side, size, entryPrice, exitPrice, pnl, commission })),
      equity: Array.from(equity, (e, i) => {
        peak = Math.max(peak, e);
        return { time: time[i]!, equity: e, drawdownPct: (e / peak - 1) * 100 };
      }),
      bars: fromArrays(chart),
      warning,
    };
    await this.o.store.backtests.insert({
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
    let strategy;
    try {
      strategy = createStrategy(req.strategy, req.params);
    } catch (err) {
      throw new BacktestInputError(err instanceof Error ? err.message : String(err), { cause: err });
    }
    const r = runBacktest(data, strategy, { cash: req.cash, commission: percentOfNotional(req.commission), fill: req.fill });
    const m = computeMetrics({ time: data.time, equity: r.equity, close: data.close, trades: r.trades, inMarket: r.inMarket, initialCash: req.cash, firstBar: r.firstBar });
    const warning = [unaffordableWarning(r.unaffordable), ruinWarning(data.time, r.equity)].filter(Boolean).join(' ') || null;
    return this.save(req, label, m, r.trades, data.time, r.equity, data, warning);
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
      await this.o.store.backtests.insert({
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
