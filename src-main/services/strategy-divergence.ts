// Live vs backtest divergence (issue 17 item 7): a live strategy's record (its orders, journaled as 'strategy.order',
// and their fills) beside the backtest engine's run of the same strategy over the same bars, on demand and once a day.
// Reports are kept in settings (the last few per strategy). The daily job runs on the Clock and Timers ports and never
// ends the process: a failure is logged and the next day comes.
import { TIMEFRAME_SECONDS, type Bar, type Timeframe } from '../../src-shared/domain/types';
import type { DivergenceReport } from '../../src-shared/api/divergence';
import { runBacktest } from '../domain/backtest/engine';
import type { BarArrays } from '../domain/backtest/types';
import { compareRuns, type RunTrade } from '../domain/divergence/compare';
import { createStrategy, isPortfolioStrategy } from '../domain/strategies/registry';
import type { Strategy, StrategyContext } from '../domain/strategy/strategy';
import type { Logger } from '../logging';
import type { Clock } from '../ports/clock';
import type { Disposable } from '../ports/disposable';
import type { MarketData } from '../ports/market-data';
import type { Store } from '../ports/store';
import type { Timers } from '../ports/timers';
import { parseSavedState } from './strategy-state';

export class DivergenceInputError extends Error {}

const DAY = 86_400_000;
const KEEP = 10;
const MAX_POINTS = 500;
const MAX_BARS = 20_000;
const key = (id: string) => `divergence.${id}`;
const ORDER_METHODS = new Set(['order', 'buy', 'sell', 'closePosition', 'cancelAll']);

/** The strategy, deaf before `fromSec`: bars the live run only warmed up on place no orders in the backtest either. */
function liveFrom(strategy: Strategy, actsOn: (barTimeSec: number) => boolean): Strategy {
  const muted = (ctx: StrategyContext): StrategyContext => (actsOn(ctx.time())
    ? ctx
    : new Proxy(ctx, {
      get(target, k, receiver) {
        if (typeof k === 'string' && ORDER_METHODS.has(k)) return () => undefined;
        const v: unknown = Reflect.get(target, k, receiver);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    }));
  return {
    ...strategy,
    init: strategy.init?.bind(strategy),
    onStart: strategy.onStart ? (ctx) => strategy.onStart!(muted(ctx)) : undefined,
    next: (ctx) => strategy.next(muted(ctx)),
    onOrderUpdate: strategy.onOrderUpdate?.bind(strategy),
    onFill: strategy.onFill?.bind(strategy),
    onStop: strategy.onStop?.bind(strategy),
  };
}

const arrays = (bars: Bar[]): BarArrays => ({
  time: Float64Array.from(bars, (b) => b.time), open: Float64Array.from(bars, (b) => b.open), high: Float64Array.from(bars, (b) => b.high),
  low: Float64Array.from(bars, (b) => b.low), close: Float64Array.from(bars, (b) => b.close), volume: Float64Array.from(bars, (b) => b.volume),
});

/** Every k-th point and the last, at most `max`. */
function thin<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  const step = Math.ceil(xs.length / max);
  const out = xs.filter((_, i) => i % step === 0);
  if (out[out.length - 1] !== xs[xs.length - 1]) out.push(xs[xs.length - 1]!);
  return out;
}

export interface StrategyDivergenceOptions {
  store: Store;
  /** The market the live runner reads its bars from (the backtest reads the same). */
  market: MarketData;
  clock: Clock;
  logger: Logger;
  create?: (name: string, params: Record<string, number | string>) => Strategy;
}

export class StrategyDivergence implements Disposable {
  private cancelDaily: (() => void) | undefined;
  private disposed = false;

  constructor(private readonly o: StrategyDivergenceOptions) {}

  /** Compares the live strategy with its backtest over the bars it saw, and stores the report. */
  async run(strategyId: string, trigger: DivergenceReport['trigger'] = 'manual'): Promise<DivergenceReport> {
    const row = (await this.o.store.strategies.list()).find((r) => r.id === strategyId);
    if (!row) throw new DivergenceInputError(`No live strategy ${strategyId}`);
    const parsed = parseSavedState(row.params);
    if (!parsed.ok) throw new DivergenceInputError(`Strategy ${strategyId} has no live record (${parsed.reason})`);
    const s = parsed.state;
    if (isPortfolioStrategy(row.kind)) throw new DivergenceInputError(`${row.kind} trades several instruments: the divergence report covers single-instrument strategies`);
    const symbol = s.symbols[0]!;
    const tf = s.timeframe as Timeframe;
    const periodSec = TIMEFRAME_SECONDS[tf];
    const periodMs = periodSec * 1000;
    const now = this.o.clock.now();

    // The live record: its orders (journaled when placed) and their fills, one trade per order at the volume-weighted price.
    const live: RunTrade[] = [];
    const placed = (await this.o.store.audit.between(s.startedAt, now + 1)).filter((e) => e.kind === 'strategy.order' && e.payload['strategyId'] === strategyId && e.orderId);
    for (const e of placed) {
      const fills = await this.o.store.fills.listForOrder(e.orderId!);
      if (!fills.length) continue;
      const quantity = fills.reduce((x, f) => x + f.quantity, 0);
      live.push({
        time: Math.min(...fills.map((f) => f.time)), side: fills[0]!.side, quantity,
        price: fills.reduce((x, f) => x + f.price * f.quantity, 0) / quantity, commission: fills.reduce((x, f) => x + Number(f.commission), 0),
      });
    }

    // The bars it saw: warm-up before its start, then every closed bar up to the last one it acted on.
    const strategy = (this.o.create ?? createStrategy)(row.kind, s.params);
    const warm = Math.max(500, (strategy.warmup ?? 0) * 2 + 10);
    const since = Math.ceil((now - s.startedAt) / periodMs) + 2;
    const lastSeen = s.lastBarTime ?? -Infinity;
    const history = await this.o.market.history(symbol, tf, Math.min(MAX_BARS, warm + since));
    // The bar after the last one it acted on is kept too: the backtest fills an order of that last bar at its open, as
    // live filled it at the first quote after the close.
    const seen = history.filter((b) => b.time <= lastSeen && (b.time + periodSec) * 1000 <= now);
    const after = history.find((b) => b.time > lastSeen && b.time * 1000 <= now);
    const bars = after && seen.length ? [...seen, after] : seen;
    const actsOn = (t: number) => (t + periodSec) * 1000 > s.startedAt;
    // The engine closes whatever is open on its final bar and never asks the strategy about it: a flat bar after the
    // last one stands in for that final bar, and its fills (the engine's own) are left out. Live keeps its position.
    const end = bars.length ? bars[bars.length - 1]!.time + periodSec : 0;
    const last = bars[bars.length - 1];
    const padded = last ? [...bars, { time: end, open: last.close, high: last.close, low: last.close, close: last.close, volume: 0 }] : [];
    const result = padded.length ? runBacktest(arrays(padded), liveFrom(strategy, actsOn), { cash: s.capital, fill: 'next-open' }) : undefined;
    const backtest: RunTrade[] = (result?.fills ?? [])
      .filter((f) => f.time < end)
      .map((f) => ({ time: f.time * 1000, side: f.side, quantity: f.size, price: f.price, commission: f.commission }))
      .filter((f) => f.time >= s.startedAt);
    const liveBars = bars.filter((b) => actsOn(b.time)).map((b) => ({ time: b.time * 1000, close: b.close }));
    // Live trades after the compared bars (placed on a bar still forming) wait for the next report.
    const liveInSpan = padded.length ? live.filter((t) => t.time < end * 1000) : live;
    const figures = compareRuns({ live: liveInSpan, backtest, bars: liveBars, periodMs, capital: s.capital, windowMs: periodMs });
    const report: DivergenceReport = {
      strategyId, name: row.name, strategy: row.kind, symbol, timeframe: tf, accountId: s.accountId, createdAt: now, trigger,
      from: s.startedAt, to: liveBars.length ? liveBars[liveBars.length - 1]!.time + periodMs : s.startedAt, bars: liveBars.length, windowMs: periodMs,
      liveTrades: liveInSpan.length, backtestTrades: backtest.length, matched: figures.matched, missed: figures.missed, extra: figures.extra,
      meanAbsBps: figures.meanAbsBps, meanBps: figures.meanBps, finalDrift: figures.finalDrift, equity: thin(figures.equity, MAX_POINTS),
    };
    await this.o.store.settings.set(key(strategyId), JSON.stringify([report, ...(await this.list(strategyId))].slice(0, KEEP)));
    return report;
  }

  /** Stored reports, newest first. */
  async list(strategyId: string): Promise<DivergenceReport[]> {
    const raw = await this.o.store.settings.get(key(strategyId));
    if (!raw) return [];
    try {
      const v = JSON.parse(raw) as unknown;
      return Array.isArray(v) ? (v as DivergenceReport[]) : [];
    } catch {
      return [];
    }
  }

  /** Every live strategy (running or waiting for data), one after another; a failure is logged and the rest run. */
  async runDaily(): Promise<{ ran: string[]; failed: { id: string; error: string }[] }> {
    const ran: string[] = [];
    const failed: { id: string; error: string }[] = [];
    for (const row of await this.o.store.strategies.list()) {
      const p = parseSavedState(row.params);
      if (!row.enabled || !p.ok || (p.state.status !== 'running' && p.state.status !== 'data-unavailable') || isPortfolioStrategy(row.kind)) continue;
      try {
        await this.run(row.id, 'daily');
        ran.push(row.id);
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        failed.push({ id: row.id, error });
        this.o.logger.warn({ strategyId: row.id, error }, 'daily divergence report failed');
      }
    }
    return { ran, failed };
  }

  /** Runs `runDaily` each day at `minuteUtc` minutes past midnight UTC, on the given timers. */
  scheduleDaily(timers: Timers, minuteUtc = 10): void {
    const arm = () => {
      if (this.disposed) return;
      const now = this.o.clock.now();
      let at = Math.floor(now / DAY) * DAY + minuteUtc * 60_000;
      if (at <= now) at += DAY;
      this.cancelDaily = timers.after(at - now, () => {
        this.runDaily()
          .catch((err: unknown) => this.o.logger.error({ err }, 'daily divergence job failed'))
          .finally(arm);
      });
    };
    this.cancelDaily?.();
    arm();
  }

  dispose(): void {
    this.disposed = true;
    this.cancelDaily?.();
    this.cancelDaily = undefined;
  }
}
