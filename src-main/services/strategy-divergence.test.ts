// The divergence service on a SQLite file, with a market of fixed minute bars (so the backtest is known by hand) and a
// strategy that buys on one bar and sells three bars later. The live record is written as the runner and the trading
// service write it ('strategy.order' entries, orders and fills): its buy filled 5 s late and dearer, its sell missing,
// and a buy the backtest never made. The report is checked by hand; the daily job runs on manual timers, and a failing
// strategy does not stop the others.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Bar, Order } from '../../src-shared/domain/types';
import { openSqliteStore } from '../adapters/sqlite/store';
import { createLogger } from '../logging';
import { ManualClock } from '../ports/clock';
import type { MarketData } from '../ports/market-data';
import { ManualTimers } from '../ports/timers';
import type { Strategy } from '../domain/strategy/strategy';
import { StrategyDivergence } from './strategy-divergence';
import type { SavedState } from './strategy-state';

const T0 = Date.parse('2026-12-01T10:00:00Z');
const S0 = T0 / 1000;
// Bar i opens at T0 + (i − 10) minutes: open 100 + i, close 100.5 + i (ten warm-up bars before the start).
const BARS: Bar[] = Array.from({ length: 20 }, (_, i) => ({ time: S0 + (i - 10) * 60, open: 100 + i, high: 101 + i, low: 99 + i, close: 100.5 + i, volume: 1 }));
const market = { history: async () => BARS, instrument: () => ({ symbol: 'TEST' }) } as unknown as MarketData;

/** Buys 1 on the bar at T0+2', sells 1 on the bar at T0+5'; also buys on a warm-up bar (which must not count). */
const strategy = (): Strategy => ({
  next(ctx) {
    const t = ctx.time();
    if (t === S0 + 120 || t === S0 - 300) ctx.buy({ size: 1 });
    if (t === S0 + 300) ctx.sell({ size: 1 });
  },
});

function state(over: Partial<SavedState> = {}): SavedState {
  return {
    symbols: ['TEST'], timeframe: '1m', params: {}, capital: 10_000, accountId: 'PAPER-1', status: 'running', message: null, startedAt: T0,
    lastBarTime: S0 + 9 * 60, lastSignal: null, positions: { TEST: 2 }, cashFlow: '0', orders: 2, ...over,
  };
}

async function liveOrder(store: ReturnType<typeof openSqliteStore>, id: string, side: 'buy' | 'sell', time: number, price: number) {
  const order: Order = {
    id, accountId: 'PAPER-1', brokerOrderId: null, symbol: 'TEST', side, type: 'market', quantity: 1, limitPrice: null, stopPrice: null, timeInForce: 'day',
    stopLoss: null, takeProfit: null, parentId: null, source: 'strategy', status: 'filled', filledQuantity: 1, avgFillPrice: price, rejectReason: null, createdAt: time, updatedAt: time,
  };
  await store.journalOrder({ order, audit: [{ time, kind: 'order.intent', orderId: id, payload: {} }] });
  await store.audit.append({ time, kind: 'strategy.order', orderId: id, payload: { strategyId: 'S1', strategy: 'test', bar: 0 } });
  await store.applyFill({
    fill: { id: `x-${id}`, orderId: id, accountId: 'PAPER-1', symbol: 'TEST', side, quantity: 1, price, commission: '0.00', time },
    order, position: { accountId: 'PAPER-1', symbol: 'TEST', quantity: 1, avgPrice: price, realizedPnl: '0.00' }, cash: '10000.00',
    audit: { time, kind: 'order.fill', orderId: id, payload: {} },
  });
}

async function setup() {
  const store = openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), 'qc-divergence-')), 'quant.db') });
  await store.accounts.insert({ id: 'PAPER-1', broker: 'paper', currency: 'USD', cash: '10000.00', initialCash: '10000.00', createdAt: T0 });
  await store.strategies.upsert({ id: 'S1', name: 'test on TEST 1m', kind: 'test', params: { ...state() }, enabled: true, createdAt: T0 });
  await liveOrder(store, 'L1', 'buy', T0 + 3 * 60_000 + 5_000, 113.1);
  await liveOrder(store, 'L2', 'buy', T0 + 8 * 60_000 + 2_000, 118);
  const clock = new ManualClock(T0 + 10 * 60_000 + 30_000);
  const create = (name: string) => {
    if (name === 'broken') throw new Error('no such strategy');
    return strategy();
  };
  const service = new StrategyDivergence({ store, market, clock, logger: createLogger({ level: process.env['DBG'] ? 'debug' : 'silent' }), create });
  return { store, clock, service };
}

describe('live vs backtest divergence service', () => {
  it('reports the shifted, missing and extra live trades against the backtest over the same bars, and keeps it', async () => {
    const { store, service } = await setup();
    const r = await service.run('S1');
    // Backtest: buy at the open of T0+3' (113), sell at the open of T0+6' (116); the warm-up buy placed nothing.
    expect(r.backtestTrades).toBe(2);
    expect(r.liveTrades).toBe(2);
    expect(r.bars).toBe(10);
    expect(r.windowMs).toBe(60_000);
    expect(r.matched).toHaveLength(1);
    expect(r.matched[0]!.backtest).toMatchObject({ time: T0 + 3 * 60_000, side: 'buy', price: 113 });
    expect(r.matched[0]!.timeDiffMs).toBe(5_000);
    expect(r.matched[0]!.priceDiffBps).toBeCloseTo((0.1 / 113) * 10_000, 9); // 8.85 bps dearer
    expect(r.missed).toEqual([{ time: T0 + 6 * 60_000, side: 'sell', quantity: 1, price: 116, commission: 0 }]);
    expect(r.extra).toEqual([{ time: T0 + 8 * 60_000 + 2_000, side: 'buy', quantity: 1, price: 118, commission: 0 }]);
    // At the last close (T0+10', 119.5): backtest 10,000 − 113 + 116 = 10,003 flat; live 10,000 − 113.1 − 118 + 2 × 119.5.
    expect(r.equity.at(-1)).toMatchObject({ time: T0 + 10 * 60_000 });
    expect(r.equity.at(-1)!.backtest).toBeCloseTo(10_003, 9);
    expect(r.equity.at(-1)!.live).toBeCloseTo(10_007.9, 9);
    expect(r.finalDrift).toBeCloseTo(4.9, 9);
    expect((await service.list('S1')).map((x) => x.createdAt)).toEqual([r.createdAt]);

    // Had it acted last on the bar of T0+5' (its sell), the backtest still fills that sell at the next bar's open, as
    // live would at the first quote after the close: the bar after the last one seen is part of the comparison.
    await store.strategies.upsert({ id: 'S1', name: 'test on TEST 1m', kind: 'test', params: { ...state({ lastBarTime: S0 + 300 }) }, enabled: true, createdAt: T0 });
    const early = await service.run('S1');
    expect(early.bars).toBe(7); // T0 … T0+5', and T0+6'
    expect(early.backtestTrades).toBe(2);
    expect(early.missed.map((x) => [x.time, x.side, x.price])).toEqual([[T0 + 6 * 60_000, 'sell', 116]]);
    expect((await service.list('S1'))).toHaveLength(2);

    // Acting last on the bar of T0+2' (its buy, filled at the open of T0+3'): the backtest holds the position at the end
    // as live does (the engine's closing of the final bar is not a trade of the strategy).
    await store.strategies.upsert({ id: 'S1', name: 'test on TEST 1m', kind: 'test', params: { ...state({ lastBarTime: S0 + 120 }) }, enabled: true, createdAt: T0 });
    const holding = await service.run('S1');
    expect(holding.bars).toBe(4); // T0 … T0+2', and T0+3'
    expect(holding.backtestTrades).toBe(1);
    expect(holding.liveTrades).toBe(1); // its buy at T0+8' comes after these bars
    expect(holding.extra).toEqual([]);
    expect(holding.matched.map((m) => [m.backtest.time, m.backtest.side, m.backtest.price])).toEqual([[T0 + 3 * 60_000, 'buy', 113]]);
    // At the close of T0+3' (113.5): both hold 1; live paid 0.10 more.
    expect(holding.finalDrift).toBeCloseTo(-0.1, 9);
    store.dispose();
  });

  it('runs every live strategy daily on the clock; a failing one is logged and the others are reported', async () => {
    const { store, clock, service } = await setup();
    await store.strategies.upsert({ id: 'S2', name: 'broken', kind: 'broken', params: { ...state() }, enabled: true, createdAt: T0 });
    await store.strategies.upsert({ id: 'S3', name: 'stopped', kind: 'test', params: { ...state({ status: 'stopped' }) }, enabled: false, createdAt: T0 });
    const timers = new ManualTimers(clock);
    service.scheduleDaily(timers, 10);
    expect(timers.size).toBe(1);
    timers.advance(15 * 3_600_000); // 10:10 → 01:10 the next day: past 00:10 UTC
    for (let i = 0; i < 100 && (await service.list('S1')).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const reports = await service.list('S1');
    expect(reports.map((x) => x.trigger)).toEqual(['daily']);
    expect(await service.list('S2')).toEqual([]);
    expect(await service.list('S3')).toEqual([]);
    // Re-armed for the next day, and nothing after dispose.
    await expect.poll(() => timers.size).toBe(1);
    service.dispose();
    expect(await service.runDaily()).toEqual({ ran: ['S1'], failed: [{ id: 'S2', error: 'no such strategy' }] });
    store.dispose();
  });
});
