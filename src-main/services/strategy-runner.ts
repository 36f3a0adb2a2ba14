// The live strategy runner: the Strategy objects the backtest engine runs, fed the active session's closed bars, with
// orders through the trading service (risk gate, audit log) and the account's real positions and cash. Running
// strategies are kept in the `strategies` table and resume after a restart without acting on a bar twice.
import type { LiveStrategy, StartStrategyRequest } from '../../src-shared/api/contract';
import { StartStrategyRequest as StartSchema } from '../../src-shared/api/contract';
import type { ValidOrderRequest } from '../../src-shared/api/order-request';
import { TIMEFRAME_SECONDS, type Bar, type Fill, type Order } from '../../src-shared/domain/types';
import { createPortfolioContext, createStrategyContext } from '../domain/strategy/context';
import type { OrderSpec, OrderUpdate, PortfolioContext, PortfolioStrategy, Strategy, StrategyContext } from '../domain/strategy/strategy';
import { dec, moneyString } from '../domain/money';
import { createPortfolioStrategy, createStrategy, isPortfolioStrategy } from '../domain/strategies/registry';
import type { Logger } from '../logging';
import type { Clock } from '../ports/clock';
import type { Disposable } from '../ports/disposable';
import type { MarketData } from '../ports/market-data';
import type { Store, StrategyRow } from '../ports/store';
import type { StrategyAccount, StrategyAccounts } from './strategy-accounts';
import { BarWindow } from './strategy-bar-window';
import { parseSavedState, storedState, type SavedState } from './strategy-state';
import type { TradingService } from './trading';
import { serial } from '../../src-shared/common/serial';

export class StrategyInputError extends Error {}

/** The market data could not serve a strategy's bars: it waits (status 'data-unavailable') and retries with a backoff. */
export class DataUnavailableError extends Error {}

/** The strategy's account is not connected (IB before it reconnects): it waits like a strategy without data. */
export class AccountUnavailableError extends DataUnavailableError {}

/** Statuses of a strategy that is live (kept in the `live` map, restarted on resume). */
const LIVE_STATUSES: ReadonlySet<LiveStrategy['status']> = new Set(['running', 'data-unavailable']);

type Intent = { kind: 'order'; symbol: string; spec: OrderSpec } | { kind: 'cancelAll' };

interface Live {
  id: string;
  name: string;
  strategyName: string;
  createdAt: number;
  state: SavedState;
  /** Single-instrument strategies; for portfolio ones a hook-less stand-in (PortfolioStrategy has no hooks). */
  strategy: Strategy;
  portfolio: PortfolioStrategy | undefined;
  /** Closed bars per symbol; `window` is the first symbol's (the only one of a single-instrument strategy). */
  windows: Map<string, BarWindow>;
  window: BarWindow;
  ctx: StrategyContext;
  pctx: PortfolioContext | undefined;
  /** Portfolio orders asked for on this bar, in units per symbol (summed, as the portfolio engine does). */
  pending: Map<string, number>;
  intents: Intent[];
  started: boolean;
  /** The account's positions in its symbols, cash and NAV, refreshed at each bar and on fills. */
  positions: Map<string, number>;
  cash: number;
  equity: number;
  /** Open orders: our order id → the spec the strategy placed (bracket legs get their own). */
  orders: Map<string, OrderSpec>;
  /** Every order it placed (and their bracket legs), open or done: fills are matched on these. */
  owned: Set<string>;
  accepted: Set<string>;
  /** Its windows hold the warm-up history (false while the data source could not serve it yet). */
  warm: boolean;
  /** While its data is unavailable: the next attempt (UTC ms) and the wait after it fails again (backoff). */
  retryAt: number;
  retryMs: number;
}

/** Retries of a strategy waiting for data: 5 s, doubling, at most a minute (or its bar period, if shorter). */
const RETRY_FIRST_MS = 5_000;
const RETRY_MAX_MS = 60_000;

export interface StrategyRunnerOptions {
  store: Store;
  market: MarketData;
  /** The accounts strategies may trade on (each strategy keeps its own). */
  accounts: StrategyAccounts;
  clock: Clock;
  logger: Logger;
  /** Builds a strategy by name (the registry's, which the engine and the workers use). */
  create?: (name: string, params: Record<string, number | string>) => Strategy;
  createPortfolio?: (name: string, params: Record<string, number | string>, symbols: string[]) => PortfolioStrategy;
  /** Closed bars loaded to warm a strategy up (and kept, at most twice as many). */
  historyBars?: number;
  onChange?: (list: LiveStrategy[]) => void;
}

const asNumber = (v: string) => Number(v);

export class StrategyRunner implements Disposable {
  private readonly live = new Map<string, Live>();
  /** Stopped, with orders still being cancelled: their updates still reach the strategy. */
  private readonly windingDown = new Map<string, Live>();
  private readonly stopped = new Map<string, { row: StrategyRow; state: SavedState }>();
  /** Order events that arrive before placeOrder resolves (the order id is not known yet). */
  private readonly early = new Map<string, Order[]>();
  private submitting = false;
  /** Order and fill events of every trading service a strategy used (one subscription each). */
  private readonly watched = new Map<TradingService, Disposable>();
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Bar checks, starts and stops run one at a time. */
  /** Strategy steps, one at a time. */
  private readonly steps = serial();
  private readonly create: (name: string, params: Record<string, number | string>) => Strategy;
  private readonly createPortfolio: (name: string, params: Record<string, number | string>, symbols: string[]) => PortfolioStrategy;

  constructor(private readonly o: StrategyRunnerOptions) {
    this.create = o.create ?? createStrategy;
    this.createPortfolio = o.createPortfolio ?? createPortfolioStrategy;
  }

  /** The strategy's account now (a reconnect builds new services), listened to; throws while it is not connected. */
  private accountOf(live: Pick<Live, 'state'>): StrategyAccount {
    const a = this.o.accounts.get(live.state.accountId);
    if (!a) throw new AccountUnavailableError(`account ${live.state.accountId} is not connected`);
    if (!this.watched.has(a.trading)) {
      this.watched.set(a.trading, a.trading.on((e) => {
        if (e.kind === 'order') this.onOrder(e.order);
        else if (e.kind === 'fill') this.onFill(e.fill).catch((err: unknown) => this.o.logger.error({ err }, 'live strategy fill bookkeeping failed'));
      }));
    }
    return a;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.steps(fn);
    run.catch((err: unknown) => this.o.logger.error({ err }, 'strategy runner step failed'));
    return run;
  }

  /** Restarts every strategy that was running when the app stopped; bars already seen are only used to warm up. */
  resume(): Promise<void> {
    return this.serial(async () => {
      for (const row of await this.o.store.strategies.list()) {
        const parsed = parseSavedState(row.params);
        if (!parsed.ok) {
          this.o.logger.warn({ id: row.id, reason: parsed.reason }, 'a strategies row that is not a live strategy: left alone');
          continue;
        }
        const state = parsed.state;
        if (!row.enabled || !LIVE_STATUSES.has(state.status)) {
          this.stopped.set(row.id, { row, state });
          continue;
        }
        try {
          // Waits for its data when the source cannot serve it yet (IB connected, a provider down).
          await this.boot(row.id, row.name, row.kind, row.createdAt, state, true);
        } catch (err) {
          state.status = 'error';
          state.message = `Could not resume: ${err instanceof Error ? err.message : String(err)}`;
          await this.o.store.strategies.upsert({ ...row, enabled: false, params: storedState(state) });
          this.stopped.set(row.id, { row: { ...row, enabled: false }, state });
        }
      }
      this.changed();
    });
  }

  /** Polls for closed bars every second (quotes may stop when a session closes, bars still close), and pushes the list
   * while strategies run so their P&L follows the market. */
  startTimers(intervalMs = 1000): void {
    if (this.timer) return;
    // The tick owns its promise: a failure is logged and the next tick runs (poll already records per-strategy failures).
    this.timer = setInterval(() => {
      this.poll()
        .then(() => this.live.size > 0 && this.changed())
        .catch((err: unknown) => this.o.logger.error({ err }, 'live strategy tick failed'));
    }, intervalMs);
    this.timer.unref?.();
  }

  start(input: StartStrategyRequest): Promise<LiveStrategy> {
    return this.serial(async () => {
      const req = StartSchema.parse(input);
      const portfolio = isPortfolioStrategy(req.strategy);
      if (!portfolio && req.symbols.length !== 1) throw new StrategyInputError(`symbols: ${req.strategy} trades one instrument (got ${req.symbols.length})`);
      if (new Set(req.symbols).size !== req.symbols.length) throw new StrategyInputError('symbols: each instrument once');
      for (const symbol of req.symbols) if (!this.o.market.instrument(symbol)) throw new StrategyInputError(`symbols: unknown symbol ${symbol}`);
      try {
        if (portfolio) this.createPortfolio(req.strategy, req.params, req.symbols);
        else this.create(req.strategy, req.params);
      } catch (err) {
        throw new StrategyInputError(err instanceof Error ? err.message : String(err), { cause: err });
      }
      const accountId = req.accountId ?? this.o.accounts.defaultId;
      const acct = this.o.accounts.get(accountId);
      if (!acct) throw new StrategyInputError(`accountId: account ${accountId} is not connected`);
      if (acct.live && req.confirmLive !== true) {
        throw new StrategyInputError(`confirmLive: account ${accountId} trades real money; confirm (confirmLive: true) to run a strategy on it`);
      }
      const now = this.o.clock.now();
      const id = crypto.randomUUID();
      const name = `${req.strategy} ${Object.entries(req.params).map(([k, v]) => `${k}=${v}`).join(' ')} on ${req.symbols.join(', ')} ${req.timeframe}`.replace(/\s+/g, ' ');
      const state: SavedState = {
        symbols: req.symbols, timeframe: req.timeframe, params: req.params, capital: req.capital, accountId, status: 'running', message: null, startedAt: now,
        lastBarTime: null, lastSignal: null, positions: Object.fromEntries(req.symbols.map((s) => [s, 0])), cashFlow: '0', orders: 0,
      };
      // Started by the user: no data now is an answer to the request, not a strategy that waits unseen.
      const live = await this.boot(id, name, req.strategy, now, state, false);
      this.changed();
      return this.describe(live);
    });
  }

  stop(id: string): Promise<LiveStrategy> {
    return this.serial(async () => {
      const live = this.live.get(id);
      if (!live) {
        const s = this.stopped.get(id);
        if (!s) throw new StrategyInputError(`No live strategy ${id}`);
        return this.describeStopped(s.row, s.state);
      }
      await this.halt(live, 'stopped', null);
      return this.describeStopped(this.stopped.get(id)!.row, live.state);
    });
  }

  list(): LiveStrategy[] {
    return [...[...this.live.values()].map((l) => this.describe(l)), ...[...this.stopped.values()].map((s) => this.describeStopped(s.row, s.state))]
      .sort((a, b) => b.startedAt - a.startedAt);
  }

  /** Feeds every running strategy the bars that closed since it last looked; one strategy's failure stays its own. */
  poll(): Promise<void> {
    return this.serial(async () => {
      for (const live of [...this.live.values()]) await this.step(live);
    });
  }

  /** One look for closed bars (or, while its data was unavailable at boot, for its warm-up history). */
  private async step(live: Live): Promise<void> {
    // A source that failed is not asked again every second (IB paces requests; rate limits are per hour).
    if (live.state.status === 'data-unavailable' && this.o.clock.now() < live.retryAt) return;
    try {
      if (live.warm) await this.catchUp(live);
      else {
        await this.warmUp(live);
        await this.save(live);
        this.changed();
      }
    } catch (err) {
      await this.stepFailed(live, err);
    }
  }

  /**
   * Records why a step failed where the user sees it (the strategy's status and message). A data failure makes it wait
   * for its source; anything else is logged and the next tick tries again (the bar in hand is never acted on twice:
   * lastBarTime is saved before acting).
   */
  private async stepFailed(live: Live, err: unknown): Promise<void> {
    const reason = err instanceof Error ? err.message : String(err);
    if (err instanceof DataUnavailableError) {
      const first = live.state.status !== 'data-unavailable';
      if (first) live.retryMs = RETRY_FIRST_MS;
      live.retryAt = this.o.clock.now() + live.retryMs;
      live.retryMs = Math.min(live.retryMs * 2, RETRY_MAX_MS, Math.max(RETRY_FIRST_MS, TIMEFRAME_SECONDS[live.state.timeframe] * 1000));
      live.state.status = 'data-unavailable';
      live.state.message = `${reason}; retrying`;
      if (first) this.o.logger.warn({ strategy: live.strategyName, id: live.id, reason }, 'live strategy waiting for market data');
    } else {
      live.state.message = `Failed to process a bar: ${reason}; retrying`;
      this.o.logger.error({ err, strategy: live.strategyName, id: live.id }, 'live strategy step failed');
    }
    await this.save(live).catch((e: unknown) => this.o.logger.error({ err: e }, 'live strategy state could not be saved'));
    this.changed();
  }

  /** Resolves when every queued step has run (tests, shutdown). */
  idle(): Promise<void> {
    return this.steps.idle();
  }

  private async boot(id: string, name: string, strategyName: string, createdAt: number, state: SavedState, waitForData: boolean): Promise<Live> {
    const portfolio = isPortfolioStrategy(strategyName) ? this.createPortfolio(strategyName, state.params, state.symbols) : undefined;
    const strategy: Strategy = portfolio ? { next: () => undefined } : this.create(strategyName, state.params);
    const historyBars = this.historyBars(strategy);
    const windows = new Map(state.symbols.map((s) => [s, new BarWindow(historyBars * 2)]));
    const live: Live = {
      id, name, strategyName, createdAt, state, strategy, portfolio, windows, window: windows.get(state.symbols[0]!)!, ctx: undefined!, pctx: undefined,
      pending: new Map(), intents: [], started: false, positions: new Map(), cash: 0, equity: 0, orders: new Map(), owned: new Set(), accepted: new Set(),
      warm: false, retryAt: 0, retryMs: RETRY_FIRST_MS,
    };
    live.ctx = this.context(live);
    if (portfolio) live.pctx = this.portfolioContext(live);
    // Its account's order events reach it from now on (resumed orders report before the next bar).
    if (this.o.accounts.get(state.accountId)) this.accountOf(live);
    if (state.lastBarTime !== null) await this.reattachOrders(live);
    this.live.set(id, live);
    try {
      await this.warmUp(live);
    } catch (err) {
      if (!waitForData || !(err instanceof DataUnavailableError)) {
        this.live.delete(id);
        throw err;
      }
      await this.stepFailed(live, err);
      return live;
    }
    await this.save(live);
    return live;
  }

  /** Loads the warm-up history, then looks for bars that closed since. */
  private async warmUp(live: Live): Promise<void> {
    const { state } = live;
    const historyBars = this.historyBars(live.strategy);
    const bySymbol = new Map<string, Bar[]>();
    for (const symbol of state.symbols) bySymbol.set(symbol, (await this.closedBars(live, symbol)).slice(-historyBars));
    const closed = [...bySymbol.values()].flat().sort((a, b) => a.time - b.time);
    // It acts from the next bar that closes. After a restart, bars that closed while the app was stopped only warm it
    // up: acting late on a stale signal, at today's prices, is what neither the backtest nor the trader did.
    const lastClosed = closed.at(-1)?.time ?? Math.floor(this.o.clock.now() / 1000) - TIMEFRAME_SECONDS[state.timeframe];
    const waited = state.status === 'data-unavailable';
    state.status = 'running';
    if (waited) state.message = null;
    if (state.lastBarTime !== null) {
      const missed = closed.filter((b) => b.time > state.lastBarTime!).length;
      if (missed > 0) state.message = `${waited ? 'Data back' : 'Resumed'}: ${missed} bar(s) that closed while ${waited ? 'it was unavailable' : 'stopped'} were used for warm-up only`;
    }
    state.lastBarTime = Math.max(state.lastBarTime ?? -Infinity, lastClosed);
    for (const [symbol, bars] of bySymbol) for (const b of bars) live.windows.get(symbol)!.push(b);
    live.warm = true;
    await this.save(live);
    await this.catchUp(live);
  }

  /** After a restart: this strategy's orders still open keep reporting to it. */
  private async reattachOrders(live: Live): Promise<void> {
    const open = await this.o.store.orders.list({ accountId: live.state.accountId, openOnly: true, limit: 5000 });
    const ids = new Set(await this.ownOrderIds(live.id));
    for (const id of ids) live.owned.add(id);
    for (const order of open) {
      if (ids.has(order.id) || (order.parentId !== null && ids.has(order.parentId))) {
        live.orders.set(order.id, { side: order.side, type: order.type, size: order.quantity, limit: order.limitPrice ?? undefined, stop: order.stopPrice ?? undefined });
        live.owned.add(order.id);
        if (order.status === 'working' || order.status === 'partially-filled') live.accepted.add(order.id);
      }
    }
  }

  /** Ids of the orders a strategy placed, from the audit log (each intent names its strategy). */
  private async ownOrderIds(id: string): Promise<string[]> {
    const entries = await this.o.store.audit.list({ limit: 5000 });
    return entries.filter((e) => e.kind === 'strategy.order' && e.payload['strategyId'] === id && e.orderId).map((e) => e.orderId!);
  }

  private historyBars(strategy: Strategy): number {
    return Math.max(this.o.historyBars ?? 5000, (strategy.warmup ?? 0) * 2 + 10);
  }

  private async closedBars(live: Live, symbol: string): Promise<Bar[]> {
    const tf = TIMEFRAME_SECONDS[live.state.timeframe];
    let bars: Bar[];
    try {
      bars = await this.o.market.history(symbol, live.state.timeframe, this.historyBars(live.strategy) + 2);
    } catch (err) {
      throw new DataUnavailableError(err instanceof Error ? err.message : String(err), { cause: err });
    }
    // A bar is closed once its period is over: the forming one is never shown to a strategy.
    const nowS = this.o.clock.now() / 1000;
    return bars.filter((b) => b.time + tf <= nowS);
  }

  private async catchUp(live: Live): Promise<void> {
    if (!LIVE_STATUSES.has(live.state.status)) return;
    const tf = TIMEFRAME_SECONDS[live.state.timeframe];
    const nowS = this.o.clock.now() / 1000;
    // Nothing can have closed before the period after the last bar seen is over.
    if (live.state.lastBarTime !== null && live.state.lastBarTime + 2 * tf > nowS) return;
    // Every symbol's new closed bars, merged into one timeline (calendars may differ, as in the portfolio engine).
    const byTime = new Map<number, [string, Bar][]>();
    for (const [symbol, window] of live.windows) {
      for (const bar of await this.closedBars(live, symbol)) {
        if (bar.time <= (window.lastTime ?? -Infinity)) continue;
        byTime.set(bar.time, [...(byTime.get(bar.time) ?? []), [symbol, bar]]);
      }
    }
    const times = [...byTime.keys()].sort((a, b) => a - b);
    // Back from a data outage: the bars that closed meanwhile warm it up and it acts on the newest only, as after a
    // restart (a stale signal at today's price is what neither the backtest nor the trader did).
    const actFrom = live.state.status === 'data-unavailable' ? (times.at(-1) ?? Infinity) : -Infinity;
    if (live.state.status === 'data-unavailable') {
      const missed = times.filter((t) => t > (live.state.lastBarTime ?? -Infinity) && t < actFrom).length;
      live.state.status = 'running';
      live.state.message = missed > 0 ? `Data back: ${missed} bar(s) that closed while it was unavailable were used for warm-up only` : null;
      await this.save(live);
      this.changed();
    }
    for (const time of times) {
      for (const [symbol, bar] of byTime.get(time)!) live.windows.get(symbol)!.push(bar);
      if (time <= (live.state.lastBarTime ?? -Infinity)) continue;
      if (time < actFrom) {
        live.state.lastBarTime = time;
        continue;
      }
      await this.onBar(live, time);
      if (live.state.status !== 'running') return;
    }
  }

  private async onBar(live: Live, time: number): Promise<void> {
    // Recorded before acting: a crash between here and the orders loses them (audited intents show it) rather than
    // placing them twice after the restart.
    live.state.lastBarTime = time;
    await this.save(live);
    await this.refreshAccount(live);
    try {
      if (live.portfolio) {
        live.portfolio.init?.(Object.fromEntries([...live.windows].map(([s, w]) => [s, w.view()])));
        live.portfolio.next(live.pctx!);
        // In symbol order, as the portfolio engine fills them.
        for (const symbol of live.state.symbols) {
          const units = live.pending.get(symbol) ?? 0;
          if (units !== 0) live.intents.push({ kind: 'order', symbol, spec: { side: units > 0 ? 'buy' : 'sell', size: Math.abs(units) } });
        }
        live.pending.clear();
      } else {
        live.strategy.init?.(live.window.view());
        if (live.window.length - 1 >= (live.strategy.warmup ?? 0)) {
          if (!live.started) {
            live.started = true;
            live.strategy.onStart?.(live.ctx);
          }
          live.strategy.next(live.ctx);
        }
      }
    } catch (err) {
      live.intents.length = 0;
      live.pending.clear();
      await this.halt(live, 'error', `The strategy failed on the bar of ${new Date(time * 1000).toISOString()}: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    await this.submit(live, time);
  }

  private async refreshAccount(live: Live): Promise<void> {
    const { summary, positions } = await this.accountOf(live).account.snapshot();
    for (const symbol of live.state.symbols) live.positions.set(symbol, positions.find((p) => p.symbol === symbol)?.quantity ?? 0);
    live.cash = asNumber(summary.cash);
    live.equity = asNumber(summary.nav);
  }

  /** Sends what the strategy asked for on this bar, in the order it asked. */
  private async submit(live: Live, time: number): Promise<void> {
    const intents = live.intents.splice(0);
    const { trading } = this.accountOf(live);
    for (const intent of intents) {
      if (intent.kind === 'cancelAll') {
        for (const orderId of live.orders.keys()) await trading.cancelOrder(orderId).catch(() => undefined);
        continue;
      }
      const { spec, symbol } = intent;
      const inst = this.o.market.instrument(symbol)!;
      const window = live.windows.get(symbol)!;
      const type = spec.type ?? 'market';
      const text = `${spec.side} ${spec.size ?? 'all'} ${symbol} ${type}`;
      live.state.lastSignal = { time, text };
      const price = this.o.market.lastQuote(symbol)?.last ?? window.cols.close[window.length - 1]!;
      const quantity = this.quantity(live, spec, price, inst.lotSize);
      if (!(quantity > 0)) continue; // as in the engine: an all-in order that affords nothing is not placed
      const req: ValidOrderRequest = {
        symbol, side: spec.side, type, quantity, timeInForce: 'gtc',
        // Every type the engine fills: the venue's own, or held by the trading service until it triggers.
        ...(type === 'limit' || type === 'stop-limit' ? { limitPrice: spec.limit } : {}), ...(type === 'stop' || type === 'stop-limit' ? { stopPrice: spec.stop } : {}),
        ...(type === 'trailing-stop' && spec.trail !== undefined ? { trailPercent: Number((spec.trail * 100).toFixed(10)) } : {}),
        ...(spec.stopLoss !== undefined ? { stopLoss: spec.stopLoss } : {}), ...(spec.takeProfit !== undefined ? { takeProfit: spec.takeProfit } : {}),
      };
      let result;
      this.submitting = true;
      try {
        result = await trading.placeOrder(req, 'strategy');
      } catch (err) {
        // Invalid for the order schema (a limit without a price...): the strategy's error, reported to it.
        await this.reject(live, spec, err instanceof Error ? err.message : String(err));
        continue;
      } finally {
        this.submitting = false;
      }
      live.state.orders++;
      live.orders.set(result.order.id, spec);
      live.owned.add(result.order.id);
      await this.o.store.audit.append({ time: this.o.clock.now(), kind: 'strategy.order', orderId: result.order.id, payload: { strategyId: live.id, strategy: live.strategyName, bar: time } });
      if (result.rejection) {
        live.orders.delete(result.order.id);
        live.state.message = `Rejected (${result.rejection.rule}): ${result.rejection.message}`;
        this.tell(live, { status: 'rejected', order: spec, bar: live.ctx.index, reason: result.rejection.message });
      } else {
        for (const o of this.early.get(result.order.id) ?? []) this.onOrder(o);
      }
      this.early.delete(result.order.id);
    }
    await this.save(live);
    this.changed();
  }

  private quantity(live: Live, spec: OrderSpec, price: number, lot: number): number {
    const round = (q: number) => Math.floor(q / lot + 1e-9) * lot;
    if (spec.size !== undefined && spec.size !== 'all') return Number(round(spec.size).toFixed(10));
    // All-in, as in the engine, but within the capital allotted to the strategy (the account holds more than it).
    const budget = Math.min(live.state.capital + asNumber(this.pnlOf(live)), live.equity);
    return Number(round(Math.max(0, budget) / price).toFixed(10));
  }

  private async reject(live: Live, spec: OrderSpec, reason: string): Promise<void> {
    await this.o.store.audit.append({ time: this.o.clock.now(), kind: 'strategy.order-rejected', orderId: null, payload: { strategyId: live.id, strategy: live.strategyName, reason, order: { ...spec } } });
    live.state.message = `Rejected: ${reason}`;
    this.tell(live, { status: 'rejected', order: spec, bar: live.ctx.index, reason });
  }

  private tell(live: Live, update: OrderUpdate): void {
    try {
      live.strategy.onOrderUpdate?.(update, live.ctx);
    } catch (err) {
      this.o.logger.error({ err, strategy: live.strategyName }, 'strategy onOrderUpdate failed');
    }
  }

  private ownerOf(order: Order): Live | undefined {
    for (const live of [...this.live.values(), ...this.windingDown.values()]) {
      if (live.orders.has(order.id)) return live;
      if (order.parentId !== null && live.owned.has(order.parentId) && !live.owned.has(order.id)) {
        // A bracket leg: reported to the strategy like the engine's legs.
        live.orders.set(order.id, { side: order.side, type: order.type, size: order.quantity, limit: order.limitPrice ?? undefined, stop: order.stopPrice ?? undefined });
        live.owned.add(order.id);
        return live;
      }
    }
    return undefined;
  }

  private onOrder(order: Order): void {
    if (order.source !== 'strategy' && order.source !== 'bracket') return;
    const live = this.ownerOf(order);
    if (!live) {
      // Placed by a strategy but placeOrder has not returned yet: kept until it does.
      if (this.submitting && order.source === 'strategy' && order.status !== 'rejected') this.early.set(order.id, [...(this.early.get(order.id) ?? []), order]);
      return;
    }
    const spec = live.orders.get(order.id);
    if (!spec) return; // already done (a late duplicate)
    const bar = live.ctx.index;
    if ((order.status === 'working' || order.status === 'partially-filled' || order.status === 'filled') && !live.accepted.has(order.id)) {
      live.accepted.add(order.id);
      this.tell(live, { status: 'accepted', order: spec, bar });
    }
    if (order.status === 'filled' || order.status === 'cancelled' || order.status === 'rejected') {
      live.orders.delete(order.id);
      live.accepted.delete(order.id);
      if (order.status === 'rejected') live.state.message = `Rejected: ${order.rejectReason ?? 'by the broker'}`;
      this.tell(live, { status: order.status, order: spec, bar, ...(order.status === 'rejected' ? { reason: order.rejectReason ?? 'rejected by the broker' } : {}) });
      if (live.orders.size === 0) this.windingDown.delete(live.id);
    }
  }

  private async onFill(fill: Fill): Promise<void> {
    const live = [...this.live.values(), ...this.windingDown.values()].find((l) => l.owned.has(fill.orderId));
    if (!live) return;
    const signed = fill.side === 'buy' ? fill.quantity : -fill.quantity;
    live.positions.set(fill.symbol, (live.positions.get(fill.symbol) ?? 0) + signed);
    live.state.positions[fill.symbol] = Number(((live.state.positions[fill.symbol] ?? 0) + signed).toFixed(10));
    live.state.cashFlow = dec(live.state.cashFlow).minus(dec(signed).times(fill.price)).minus(dec(fill.commission)).toString();
    try {
      live.strategy.onFill?.({ bar: live.ctx.index, time: Math.floor(fill.time / 1000), side: fill.side, size: fill.quantity, price: fill.price, commission: Number(fill.commission) }, live.ctx);
    } catch (err) {
      this.o.logger.error({ err, strategy: live.strategyName }, 'strategy onFill failed');
    }
    await this.save(live);
    this.changed();
  }

  /** The engine's context on live data: the window's bars, the account's position, cash and equity; orders are sent
   * after the bar (submit). */
  private context(live: Live): StrategyContext {
    const symbol = live.state.symbols[0]!;
    return createStrategyContext(live.window, {
      get position() { return live.positions.get(symbol) ?? 0; },
      get cash() { return live.cash; },
      get equity() { return live.equity; },
    }, {
      place: (side, spec) => void live.intents.push({ kind: 'order', symbol, spec: { ...spec, side } }),
      cancelAll: () => void live.intents.push({ kind: 'cancelAll' }),
    });
  }

  /** The portfolio engine's context on live data: positions, cash and equity are the account's. */
  private portfolioContext(live: Live): PortfolioContext {
    return createPortfolioContext({ get time() { return live.state.lastBarTime ?? 0; }, symbols: live.state.symbols, series: (s) => live.windows.get(s) }, {
      position: (s) => live.positions.get(s) ?? 0,
      pending: (s) => live.pending.get(s) ?? 0,
      addPending: (s, units) => void live.pending.set(s, (live.pending.get(s) ?? 0) + units),
      get cash() { return live.cash; },
      get equity() { return live.equity; },
      // Of the capital allotted to the strategy (with its P&L), not of the whole account.
      unitsFor: (_s, fraction, price) => (Math.min(live.state.capital + asNumber(this.pnlOf(live)), live.equity) * fraction) / price,
    });
  }

  private pnlOf(live: Live): string {
    let v = dec(live.state.cashFlow);
    for (const [symbol, qty] of Object.entries(live.state.positions)) {
      if (qty === 0) continue;
      // No quote while no source serves it (quotes belong to their source): its last closed bar values it meanwhile.
      const w = live.windows.get(symbol);
      const last = this.o.market.lastQuote(symbol)?.last ?? (w?.length ? w.cols.close[w.length - 1] : undefined);
      if (last !== undefined) v = v.plus(dec(qty).times(last));
    }
    return moneyString(v);
  }

  private describe(live: Live): LiveStrategy {
    return this.describeState(live.id, live.strategyName, live.state, this.pnlOf(live));
  }

  private describeStopped(row: StrategyRow, state: SavedState): LiveStrategy {
    let v = dec(state.cashFlow);
    for (const [symbol, qty] of Object.entries(state.positions)) {
      const last = this.o.market.lastQuote(symbol)?.last;
      if (qty !== 0 && last !== undefined) v = v.plus(dec(qty).times(last));
    }
    return this.describeState(row.id, row.kind, state, moneyString(v));
  }

  private describeState(id: string, strategy: string, s: SavedState, pnl: string): LiveStrategy {
    return {
      id, strategy, symbols: s.symbols, timeframe: s.timeframe, params: s.params, capital: s.capital, status: s.status, message: s.message,
      startedAt: s.startedAt, lastBarTime: s.lastBarTime, lastSignal: s.lastSignal, positions: { ...s.positions }, pnl, orders: s.orders, accountId: s.accountId,
    };
  }

  private async save(live: Live): Promise<void> {
    await this.o.store.strategies.upsert({
      id: live.id, name: live.name, kind: live.strategyName, params: storedState(live.state),
      enabled: LIVE_STATUSES.has(live.state.status), createdAt: live.createdAt,
    });
  }

  /** Stops acting: working orders of the strategy are cancelled, positions are left as they are (the trader decides). */
  private async halt(live: Live, status: 'stopped' | 'error', message: string | null): Promise<void> {
    this.live.delete(live.id);
    live.state.status = status;
    live.state.message = message;
    try {
      live.strategy.onStop?.(live.ctx);
    } catch (err) {
      this.o.logger.error({ err, strategy: live.strategyName }, 'strategy onStop failed');
    }
    if (live.orders.size > 0) this.windingDown.set(live.id, live);
    // Its account gone (disconnected): the orders stay with the broker, cancelled by the trader or on reconnect.
    const trading = this.o.accounts.get(live.state.accountId)?.trading;
    if (trading) for (const orderId of [...live.orders.keys()]) await trading.cancelOrder(orderId).catch(() => undefined);
    await this.save(live);
    this.stopped.set(live.id, {
      row: { id: live.id, name: live.name, kind: live.strategyName, params: storedState(live.state), enabled: false, createdAt: live.createdAt },
      state: live.state,
    });
    if (status === 'error') this.o.logger.warn({ strategy: live.strategyName, message }, 'live strategy stopped on an error');
    this.changed();
  }

  private changed(): void {
    this.o.onChange?.(this.list());
  }

  async dispose(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const s of this.watched.values()) await s.dispose();
    this.watched.clear();
    await this.idle();
  }
}
