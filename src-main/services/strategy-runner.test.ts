// The live runner on the real parts (demo market, paper broker, trading service, SQLite file, manual clock): the same
// strategy places the same orders as in the engine, a restart resumes without acting twice, rejections reach it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDemoMarket } from '../adapters/demo/market';
import { createPaperBroker } from '../adapters/paper/broker';
import { openSqliteStore } from '../adapters/sqlite/store';
import { runBacktest } from '../domain/backtest/engine';
import type { OrderUpdate, PortfolioStrategy, Strategy } from '../domain/strategy/strategy';
import { runPortfolioBacktest } from '../domain/backtest/portfolio-engine';
import type { BarArrays } from '../domain/backtest/types';
import { createStrategy } from '../domain/strategies/registry';
import { createLogger } from '../logging';
import { ManualClock } from '../ports/clock';
import { AccountService } from './account';
import { StrategyRunner } from './strategy-runner';
import { TradingService } from './trading';
import { singleAccount, type StrategyAccount, type StrategyAccounts } from './strategy-accounts';

const START = Date.parse('2026-11-30T15:00:00Z');
const PARAMS = { fast: 3, slow: 8, size: 0.01 };
const loose = { maxPositionSize: 1, maxOrderNotional: 1e9, priceCollarPct: 1, maxDailyTrades: 10_000 };
const dbFile = () => join(mkdtempSync(join(tmpdir(), 'qc-runner-')), 'quant.db');

function boot(
  file: string, clock: ManualClock, limits = loose, create?: (n: string, p: Record<string, number | string>) => Strategy, createPortfolio?: () => PortfolioStrategy,
  accountsFor?: (paper: StrategyAccount) => StrategyAccounts,
) {
  const logger = createLogger({ level: 'silent' });
  const store = openSqliteStore({ file });
  const market = createDemoMarket({ clock, seed: 5 });
  const broker = createPaperBroker({ market, clock, slippageBps: 0 });
  const account = new AccountService({ store, market, clock, accountId: 'PAPER-1', broker: 'paper', currency: 'USD', initialCash: 100_000 });
  const trading = new TradingService({ store, broker, market, clock, account, logger, configKillSwitch: false, limits });
  const runner = new StrategyRunner({ store, market, accounts: (accountsFor ?? singleAccount)({ trading, account, live: false }), clock, logger, historyBars: 300, create, createPortfolio });
  const settle = async () => {
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setImmediate(r));
      await trading.idle();
      await runner.idle();
    }
  };
  /** One minute of market time: the clock moves, the market ticks, the runner looks for closed bars. */
  const minute = async () => {
    clock.advance(60_000);
    market.tick();
    await settle();
    await runner.poll();
    await settle();
  };
  const close = async () => {
    await runner.dispose();
    trading.dispose();
    broker.dispose();
    market.dispose();
    store.dispose();
  };
  return { store, market, trading, account, runner, settle, minute, close, init: async () => (await account.ensureAccount(), await trading.start()) };
}

/** The engine on the same bars, acting from the same bar as the live runner: the orders it places, by bar time. */
async function engineOrders(market: ReturnType<typeof createDemoMarket>, firstLive: number, lastLive: number) {
  const all = await market.history('BTCUSD', '1m', 1000);
  const upTo = all.filter((b) => b.time <= lastLive + 60); // the bar after the last live one ends the backtest
  const f = (k: 'time' | 'open' | 'high' | 'low' | 'close' | 'volume') => Float64Array.from(upTo, (b) => b[k]);
  const data: BarArrays = { time: f('time'), open: f('open'), high: f('high'), low: f('low'), close: f('close'), volume: f('volume') };
  const s = createStrategy('sma-cross', PARAMS);
  const orders: { time: number; side: string; size: number }[] = [];
  const k = upTo.findIndex((b) => b.time === firstLive);
  runBacktest(data, { ...s, warmup: k, onOrderUpdate: (u) => void (u.status === 'accepted' && orders.push({ time: data.time[u.bar]!, side: u.order.side, size: Number(u.order.size) })) }, { cash: 100_000 });
  return orders;
}

async function liveOrders(store: ReturnType<typeof openSqliteStore>) {
  const orders = (await store.orders.list({ accountId: 'PAPER-1', limit: 5000 })).filter((o) => o.source === 'strategy').reverse();
  // Placed when the bar closed: the bar opened one minute earlier.
  return orders.map((o) => ({ time: o.createdAt / 1000 - 60, side: o.side, size: o.quantity, status: o.status }));
}

describe('live strategy runner', () => {
  it('places the same orders as the engine over the same bars, through the risk gate, audited and filled', async () => {
    const clock = new ManualClock(START);
    const t = boot(dbFile(), clock);
    await t.init();
    const started = await t.runner.start({ strategy: 'sma-cross', symbols: ['BTCUSD'], timeframe: '1m', params: PARAMS });
    expect(started.status).toBe('running');
    const firstLive = started.lastBarTime! + 60;
    for (let i = 0; i < 180; i++) await t.minute();
    const [state] = t.runner.list();
    const live = await liveOrders(t.store);
    const engine = await engineOrders(t.market, firstLive, state!.lastBarTime!);
    expect(state!.lastBarTime).toBe(START / 1000 + 179 * 60);
    expect(engine.length).toBeGreaterThan(6); // the test means something only if the strategy traded
    expect(live.map(({ time, side, size }) => ({ time, side, size }))).toEqual(engine);
    expect(live.every((o) => o.status === 'filled')).toBe(true);
    expect(state!.orders).toBe(engine.length);
    // The account holds what the strategy's fills say; the intents are audited as strategy orders.
    const pos = await t.store.positions.get('PAPER-1', 'BTCUSD');
    expect(pos?.quantity ?? 0).toBeCloseTo(state!.positions['BTCUSD']!, 9);
    const audit = await t.store.audit.list({ limit: 5000 });
    expect(audit.filter((a) => a.kind === 'order.intent' && a.payload['source'] === 'strategy')).toHaveLength(engine.length);
    // P&L of its own fills: what the fills cost and brought, plus what it holds at the last price.
    const fills = await t.store.fills.list({ accountId: 'PAPER-1', limit: 5000 });
    const flows = fills.reduce((a, f) => a - (f.side === 'buy' ? 1 : -1) * f.quantity * f.price - Number(f.commission), 0);
    const pnl = flows + state!.positions['BTCUSD']! * t.market.lastQuote('BTCUSD')!.last;
    expect(fills).toHaveLength(engine.length);
    expect(Number(state!.pnl)).toBeCloseTo(pnl, 2);
    await t.close();
  }, 60_000);

  it('resumes after a restart from the stored state without acting on a bar twice', async () => {
    const file = dbFile();
    const clock = new ManualClock(START);
    let t = boot(file, clock);
    await t.init();
    const started = await t.runner.start({ strategy: 'sma-cross', symbols: ['BTCUSD'], timeframe: '1m', params: PARAMS });
    for (let i = 0; i < 90; i++) await t.minute();
    const before = await liveOrders(t.store);
    const seen = t.runner.list()[0]!.lastBarTime;
    await t.close();

    t = boot(file, clock);
    await t.init();
    await t.runner.resume();
    await t.runner.poll();
    await t.settle();
    expect(t.runner.list()).toHaveLength(1);
    expect(t.runner.list()[0]!.status).toBe('running');
    expect(t.runner.list()[0]!.lastBarTime).toBe(seen);
    expect(await liveOrders(t.store)).toEqual(before); // nothing re-placed for the bars already seen
    for (let i = 0; i < 90; i++) await t.minute();
    const after = await liveOrders(t.store);
    const engine = await engineOrders(t.market, started.lastBarTime! + 60, t.runner.list()[0]!.lastBarTime!);
    expect(after.length).toBeGreaterThan(before.length);
    expect(after.map(({ time, side, size }) => ({ time, side, size }))).toEqual(engine);

    const stopped = await t.runner.stop(started.id);
    expect(stopped.status).toBe('stopped');
    await t.close();
    t = boot(file, clock);
    await t.init();
    await t.runner.resume();
    await t.minute();
    expect(t.runner.list()[0]!.status).toBe('stopped');
    expect(await liveOrders(t.store)).toHaveLength(after.length);
    await t.close();
  }, 60_000);

  it('reports a risk rejection to the strategy (onOrderUpdate) and the audit log has it', async () => {
    const clock = new ManualClock(START);
    const updates: OrderUpdate[] = [];
    const create = (n: string, p: Record<string, number | string>): Strategy => {
      const s = createStrategy(n, p);
      return { ...s, onOrderUpdate: (u) => void updates.push(u) };
    };
    const t = boot(dbFile(), clock, { ...loose, maxOrderNotional: 100 }, create);
    await t.init();
    await t.runner.start({ strategy: 'sma-cross', symbols: ['BTCUSD'], timeframe: '1m', params: PARAMS });
    for (let i = 0; i < 60 && updates.length === 0; i++) await t.minute();
    expect(updates[0]).toMatchObject({ status: 'rejected', order: { size: 0.01 } });
    expect(updates[0]!.reason).toMatch(/notional/i);
    const rejected = (await liveOrders(t.store)).filter((o) => o.status === 'rejected');
    expect(rejected.length).toBeGreaterThan(0);
    const audit = await t.store.audit.list({ limit: 5000 });
    expect(audit.some((a) => a.kind === 'order.rejected' && a.payload['by'] === 'risk' && a.payload['rule'] === 'max_order_notional')).toBe(true);
    expect(t.runner.list()[0]!.message).toMatch(/max_order_notional/);
    await t.close();
  }, 60_000);

  it('lifecycle: a resting limit order is accepted, Stop cancels it (onOrderUpdate) and calls onStop; a throwing strategy stops with an error', async () => {
    const clock = new ManualClock(START);
    const seen: string[] = [];
    let placed = false;
    const resting: Strategy = {
      onStart: () => void seen.push('start'),
      next(ctx) {
        if (placed) return;
        placed = true;
        ctx.buy({ type: 'limit', limit: Math.round(ctx.close() * 0.5), size: 0.01 }); // far below: it rests
      },
      onOrderUpdate: (u) => void seen.push(u.status),
      onStop: () => void seen.push('stop'),
    };
    const failing: Strategy = { next: () => { throw new Error('boom'); } };
    const t = boot(dbFile(), clock, loose, (n) => (n === 'sma-cross' ? resting : failing));
    await t.init();
    const a = await t.runner.start({ strategy: 'sma-cross', symbols: ['BTCUSD'], timeframe: '1m' });
    const b = await t.runner.start({ strategy: 'donchian-breakout', symbols: ['BTCUSD'], timeframe: '1m' });
    await t.minute();
    expect(seen).toEqual(['start', 'accepted']);
    const [order] = (await t.store.orders.list({ accountId: 'PAPER-1', openOnly: true })).filter((o) => o.source === 'strategy');
    expect(order).toMatchObject({ type: 'limit', status: 'working', timeInForce: 'gtc' });
    await t.runner.stop(a.id);
    await t.settle();
    expect(seen).toEqual(['start', 'accepted', 'stop', 'cancelled']);
    expect((await t.store.orders.get(order!.id))!.status).toBe('cancelled');
    const failed = t.runner.list().find((x) => x.id === b.id)!;
    expect(failed.status).toBe('error');
    expect(failed.message).toMatch(/boom/);
    await t.close();
  });

  it('a portfolio strategy decides the same on two instruments live as in the portfolio engine', async () => {
    // Holds whichever of BTCUSD and EURUSD rose more over 3 bars, in fixed units; logs each change of target.
    const units: Record<string, number> = { BTCUSD: 0.01, EURUSD: 1000 };
    const momentum = (log: string[]): PortfolioStrategy => ({
      next(ctx) {
        if (!ctx.symbols.every((s) => ctx.has(s) && ctx.count(s) > 3)) return;
        const m = (s: string) => ctx.close(s) / ctx.close(s, 3) - 1;
        const pick = m('BTCUSD') > m('EURUSD') ? 'BTCUSD' : 'EURUSD';
        for (const s of ctx.symbols) {
          const target = s === pick ? units[s]! : 0;
          if (ctx.position(s) !== target) log.push(`${ctx.time} ${s} ${target}`);
          ctx.orderTarget(s, target);
        }
      },
    });
    const clock = new ManualClock(START);
    const liveLog: string[] = [];
    const t = boot(dbFile(), clock, loose, undefined, () => momentum(liveLog));
    await t.init();
    const started = await t.runner.start({ strategy: 'rotation', symbols: ['BTCUSD', 'EURUSD'], timeframe: '1m' });
    for (let i = 0; i < 120; i++) await t.minute();
    const last = t.runner.list()[0]!.lastBarTime!;
    const data = Object.fromEntries(await Promise.all(['BTCUSD', 'EURUSD'].map(async (s) => {
      const bars = (await t.market.history(s, '1m', 1000)).filter((b) => b.time <= last + 60);
      const f = (k: 'time' | 'open' | 'high' | 'low' | 'close' | 'volume') => Float64Array.from(bars, (b) => b[k]);
      return [s, { time: f('time'), open: f('open'), high: f('high'), low: f('low'), close: f('close'), volume: f('volume') }] as const;
    })));
    const engineLog: string[] = [];
    const inner = momentum(engineLog);
    runPortfolioBacktest(data, { next: (ctx) => (ctx.time > started.lastBarTime! ? inner.next(ctx) : undefined) }, { cash: 100_000 });
    expect(engineLog.length).toBeGreaterThan(4);
    expect(liveLog).toEqual(engineLog);
    const orders = (await t.store.orders.list({ accountId: 'PAPER-1', limit: 5000 })).filter((o) => o.source === 'strategy');
    expect(new Set(orders.map((o) => o.symbol))).toEqual(new Set(['BTCUSD', 'EURUSD']));
    expect(orders.every((o) => o.status === 'filled')).toBe(true);
    const held = t.runner.list()[0]!.positions;
    expect(Object.values(held).filter((q) => q !== 0)).toHaveLength(1); // one of the two, in its fixed units
    await t.close();
  }, 60_000);

  it('refuses bad input with the field named', async () => {
    const clock = new ManualClock(START);
    const t = boot(dbFile(), clock);
    await t.init();
    await expect(t.runner.start({ strategy: 'sma-cross', symbols: ['NOPE'], timeframe: '1m', params: {} })).rejects.toThrow(/symbols: unknown symbol NOPE/);
    await expect(t.runner.start({ strategy: 'sma-cross', symbols: ['BTCUSD'], timeframe: '1m', params: { speed: 3 } })).rejects.toThrow(/Unknown parameter "speed"/);
    await expect(t.runner.start({ strategy: 'sma-cross', symbols: ['BTCUSD', 'AAPL'], timeframe: '1m' })).rejects.toThrow(/symbols: sma-cross trades one instrument \(got 2\)/);
    await expect(t.runner.start({ strategy: 'pairs', symbols: ['BTCUSD'], timeframe: '1m' })).rejects.toThrow(/pairs needs exactly 2/);
    await t.close();
  });

  it('runs on the account it is given; an account trading real money needs confirmLive', async () => {
    const clock = new ManualClock(START);
    const file = dbFile();
    // A second account (a paper broker standing in for a real-money venue: the runner sees only the interface).
    const others = new Map<string, StrategyAccount>();
    const t = boot(file, clock, loose, undefined, undefined, (paper) => ({
      defaultId: 'PAPER-1',
      get: (id) => (id === 'PAPER-1' ? paper : others.get(id)),
    }));
    await t.init();
    const broker = createPaperBroker({ market: t.market, clock, slippageBps: 0 });
    const account = new AccountService({ store: t.store, market: t.market, clock, accountId: 'LIVE-1', broker: 'paper', currency: 'USD', initialCash: 100_000 });
    const trading = new TradingService({ store: t.store, broker, market: t.market, clock, account, logger: createLogger({ level: 'silent' }), configKillSwitch: false, limits: loose });
    await account.ensureAccount();
    await trading.start();
    others.set('LIVE-1', { trading, account, live: true });
    const req = { strategy: 'sma-cross', symbols: ['BTCUSD'], timeframe: '1m' as const, params: PARAMS, accountId: 'LIVE-1' };
    await expect(t.runner.start(req)).rejects.toThrow(/confirmLive: account LIVE-1 trades real money/);
    await expect(t.runner.start({ ...req, accountId: 'NOPE-9' })).rejects.toThrow(/accountId: account NOPE-9 is not connected/);
    expect(t.runner.list()).toHaveLength(0);
    const started = await t.runner.start({ ...req, confirmLive: true });
    expect(started.accountId).toBe('LIVE-1');
    for (let i = 0; i < 120; i++) {
      await t.minute();
      await trading.idle();
    }
    const onLive = (await t.store.orders.list({ accountId: 'LIVE-1', limit: 5000 })).filter((o) => o.source === 'strategy');
    const onPaper = (await t.store.orders.list({ accountId: 'PAPER-1', limit: 5000 })).filter((o) => o.source === 'strategy');
    expect(onLive.length).toBeGreaterThan(2);
    expect(onPaper).toHaveLength(0);
    expect(t.runner.list()[0]!.orders).toBe(onLive.length);
    await t.runner.stop(started.id);
    trading.dispose();
    broker.dispose();
    await t.close();
  }, 60_000);

  it('parses stored state: a row of an older version resumes on the paper account; a malformed row is left alone', async () => {
    const file = dbFile();
    const clock = new ManualClock(START);
    let t = boot(file, clock);
    await t.init();
    const started = await t.runner.start({ strategy: 'sma-cross', symbols: ['BTCUSD'], timeframe: '1m', params: PARAMS });
    await t.minute();
    await t.close();
    // As an older version wrote it: no accountId. And a row that is not a live strategy at all.
    const store = openSqliteStore({ file });
    const row = (await store.strategies.list()).find((r) => r.id === started.id)!;
    const { accountId: _dropped, ...older } = row.params;
    await store.strategies.upsert({ ...row, params: older });
    await store.strategies.upsert({ id: 'junk', name: 'junk', kind: 'sma-cross', params: { symbols: 'BTCUSD', cashFlow: 7 }, enabled: true, createdAt: START });
    store.dispose();

    t = boot(file, clock);
    await t.init();
    await t.runner.resume();
    const list = t.runner.list();
    expect(list.map((s) => [s.id, s.accountId, s.status])).toEqual([[started.id, 'PAPER-1', 'running']]);
    await t.close();
  }, 60_000);
});
