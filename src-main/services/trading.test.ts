// The trading path on the real parts: a SQLite file, the demo market, the paper broker, a manual clock.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDemoMarket } from '../adapters/demo/market';
import { createPaperBroker } from '../adapters/paper/broker';
import { openSqliteStore } from '../adapters/sqlite/store';
import { createLogger } from '../logging';
import { ManualClock } from '../ports/clock';
import { AccountService } from './account';
import { TradingService, type TradingEvent } from './trading';

const MONDAY = Date.parse('2026-11-30T15:00:00Z');
const settle = async (t: TradingService) => {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setImmediate(r));
    await t.idle();
  }
};

function boot(file: string, clock = new ManualClock(MONDAY)) {
  const store = openSqliteStore({ file });
  const market = createDemoMarket({ clock, seed: 3 });
  const broker = createPaperBroker({ market, clock, slippageBps: 0, book: async () => (await store.orders.list({ accountId: 'PAPER-1', openOnly: true })).reverse() });
  const account = new AccountService({ store, market, clock, accountId: 'PAPER-1', broker: 'paper', currency: 'USD', initialCash: 100_000 });
  const trading = new TradingService({
    store, broker, market, clock, account, logger: createLogger({ level: 'silent' }), configKillSwitch: false,
    limits: { maxPositionSize: 0.1, maxOrderNotional: 50_000, priceCollarPct: 0.05, maxDailyTrades: 100 },
  });
  const events: TradingEvent[] = [];
  trading.on((e) => events.push(e));
  return { store, market, broker, account, trading, events, clock, close: () => (trading.dispose(), broker.dispose(), market.dispose(), store.dispose()) };
}

const dbFile = () => join(mkdtempSync(join(tmpdir(), 'qc-trading-')), 'quant.db');

describe('trading service', () => {
  it('a market buy fills: position, cash and an audit trail in order, written before the events', async () => {
    const file = dbFile();
    const t = boot(file);
    await t.account.ensureAccount();
    await t.trading.start();
    let auditAtFillEvent = -1;
    t.trading.on((e) => {
      if (e.kind === 'fill') void t.store.audit.list({ limit: 1 }).then((a) => (auditAtFillEvent = a[0]!.seq));
    });
    const { order, rejection } = await t.trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'market', quantity: 10, timeInForce: 'day' });
    expect(rejection).toBeNull();
    await settle(t.trading);
    const stored = (await t.store.orders.get(order.id))!;
    expect(stored.status).toBe('filled');
    const [fill] = await t.store.fills.listForOrder(order.id);
    const pos = (await t.store.positions.get('PAPER-1', 'AAPL'))!;
    expect(pos.quantity).toBe(10);
    expect(pos.avgPrice).toBe(fill!.price);
    const expectedCash = (100_000 - Math.round(fill!.price * 10 * 100) / 100 - Number(fill!.commission)).toFixed(2);
    expect((await t.store.accounts.get('PAPER-1'))!.cash).toBe(expectedCash);
    const kinds = (await t.store.audit.list({ orderId: order.id })).reverse().map((a) => a.kind);
    expect(kinds).toEqual(['order.intent', 'risk.decision', 'order.submitted', 'order.ack', 'order.fill']);
    expect(auditAtFillEvent).toBeGreaterThan(0);
    t.close();
  });

  it('a risk rejection is stored with its reason and audited with the rule; nothing reaches the broker', async () => {
    const t = boot(dbFile());
    await t.account.ensureAccount();
    const quantity = Math.ceil(12_000 / t.market.lastQuote('AAPL')!.last); // 12 % of NAV, below the notional cap
    const { order, rejection } = await t.trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'market', quantity, timeInForce: 'day' });
    expect(rejection?.rule).toBe('max_position_size');
    expect((await t.store.orders.get(order.id))!.rejectReason).toMatch(/risk\.max_position_size/);
    const audit = (await t.store.audit.list({ orderId: order.id })).reverse();
    expect(audit.map((a) => a.kind)).toEqual(['order.intent', 'risk.decision', 'order.rejected']);
    expect(audit[1]!.payload).toMatchObject({ ok: false, rule: 'max_position_size' });
    expect(t.broker.workingOrderIds()).toEqual([]);
    t.close();
  });

  it('refuses NaN, zero and negative quantities before anything is journaled', async () => {
    const t = boot(dbFile());
    await t.account.ensureAccount();
    for (const quantity of [NaN, 0, -5]) {
      await expect(t.trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'market', quantity, timeInForce: 'day' })).rejects.toThrow(/Quantity/);
    }
    expect(await t.store.audit.list({})).toEqual([]);
    t.close();
  });

  it('the kill switch cancels working orders and blocks new ones, and survives a restart', async () => {
    const file = dbFile();
    let t = boot(file);
    await t.account.ensureAccount();
    await t.trading.start();
    const bid = t.market.lastQuote('BTCUSD')!.bid;
    const { order } = await t.trading.placeOrder({ symbol: 'BTCUSD', side: 'buy', type: 'limit', quantity: 0.01, limitPrice: Math.round(bid * 0.97), timeInForce: 'gtc' });
    await settle(t.trading);
    expect((await t.store.orders.get(order.id))!.status).toBe('working');
    const status = await t.trading.setKillSwitch(true);
    await settle(t.trading);
    expect(status.killSwitch).toBe(true);
    expect((await t.store.orders.get(order.id))!.status).toBe('cancelled');
    const blocked = await t.trading.placeOrder({ symbol: 'BTCUSD', side: 'buy', type: 'market', quantity: 0.01, timeInForce: 'day' });
    expect(blocked.rejection?.rule).toBe('kill_switch');
    t.close();
    t = boot(file);
    await t.trading.start();
    expect((await t.trading.riskStatus()).killSwitch).toBe(true);
    t.close();
  });

  it('stop-loss and take-profit become an OCO pair once the entry fills', async () => {
    const t = boot(dbFile());
    await t.account.ensureAccount();
    const last = t.market.lastQuote('BTCUSD')!.last;
    const { order } = await t.trading.placeOrder({
      symbol: 'BTCUSD', side: 'buy', type: 'market', quantity: 0.01, timeInForce: 'day', stopLoss: Math.round(last * 0.97), takeProfit: Math.round(last * 1.03),
    });
    await settle(t.trading);
    const children = (await t.store.orders.list({ accountId: 'PAPER-1', openOnly: true })).filter((o) => o.parentId === order.id);
    expect(children.map((c) => c.type).sort()).toEqual(['limit', 'stop']);
    expect(children.every((c) => c.side === 'sell' && c.source === 'bracket' && c.status === 'working')).toBe(true);
    t.close();
  });

  it('after a restart, positions, orders and cash are still there and the paper broker restores its working orders (nothing re-sent)', async () => {
    const file = dbFile();
    let t = boot(file);
    await t.account.ensureAccount();
    await t.trading.placeOrder({ symbol: 'BTCUSD', side: 'buy', type: 'market', quantity: 0.05, timeInForce: 'day' });
    const bid = t.market.lastQuote('BTCUSD')!.bid;
    const { order: resting } = await t.trading.placeOrder({ symbol: 'BTCUSD', side: 'buy', type: 'limit', quantity: 0.01, limitPrice: Math.round(bid * 0.97), timeInForce: 'gtc' });
    await settle(t.trading);
    const cash = (await t.store.accounts.get('PAPER-1'))!.cash;
    t.close();
    t = boot(file);
    await t.account.ensureAccount();
    await t.trading.start();
    await settle(t.trading);
    expect((await t.store.positions.get('PAPER-1', 'BTCUSD'))!.quantity).toBeCloseTo(0.05, 10);
    expect((await t.store.accounts.get('PAPER-1'))!.cash).toBe(cash);
    expect(t.broker.workingOrderIds()).toEqual([resting.id]);
    const kinds = (await t.store.audit.list({ orderId: resting.id })).reverse().map((a) => a.kind);
    expect(kinds).toEqual(['order.intent', 'risk.decision', 'order.submitted', 'order.ack']);
    t.close();
  });

  it('dust and off-step quantities are refused by the risk gate with the reason: nothing reaches the broker, no commission', async () => {
    const t = boot(dbFile());
    await t.account.ensureAccount();
    await t.trading.start();
    const cases = [
      { symbol: 'BTCUSD', quantity: 5e-324, reason: 'Quantity 5e-324 is below the minimum size 0.001 of BTCUSD' },
      { symbol: 'EURUSD', quantity: 1e-10, reason: 'Quantity 1e-10 is below the minimum size 1000 of EURUSD' },
      { symbol: 'EURUSD', quantity: 1000.0000001, reason: 'Quantity 1000.0000001 is not a multiple of the size step 1000 of EURUSD' },
    ];
    for (const c of cases) {
      const r = await t.trading.placeOrder({ symbol: c.symbol, side: 'buy', type: 'market', quantity: c.quantity, timeInForce: 'day' });
      expect(r.rejection).toEqual({ rule: 'invalid_quantity', message: c.reason });
    }
    await settle(t.trading);
    expect(await t.store.fills.list({ accountId: 'PAPER-1' })).toHaveLength(0);
    expect((await t.store.accounts.get('PAPER-1'))!.cash).toBe('100000.00');
    expect(t.broker.workingOrderIds()).toEqual([]);
    t.close();
  });

  it('a 1 MB symbol is refused by the schema before anything is journaled', async () => {
    const t = boot(dbFile());
    await t.account.ensureAccount();
    const before = (await t.store.audit.list({ limit: 1 }))[0]?.seq ?? 0;
    await expect(t.trading.placeOrder({ symbol: 'A'.repeat(1 << 20), side: 'buy', type: 'market', quantity: 1, timeInForce: 'day' })).rejects.toThrow(/at most 32/);
    expect((await t.store.audit.list({ limit: 1 }))[0]?.seq ?? 0).toBe(before);
    t.close();
  });

  it('restart: a dangling intent of an older version gets a closing entry; an order left new is closed, never sent', async () => {
    const file = dbFile();
    let t = boot(file);
    await t.account.ensureAccount();
    await t.store.audit.append({ time: MONDAY, kind: 'order.intent', orderId: 'lost-1', payload: {} });
    const { order } = await t.trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'market', quantity: 1, timeInForce: 'day' });
    await t.store.journalOrder({ order: { ...order, id: 'new-1', status: 'new' }, audit: [{ time: MONDAY, kind: 'order.intent', orderId: 'new-1', payload: {} }] });
    await settle(t.trading);
    t.close();
    t = boot(file);
    await t.trading.start();
    await settle(t.trading);
    expect(await t.store.audit.danglingIntents()).toEqual([]);
    expect((await t.store.audit.list({ orderId: 'lost-1' }))[0]!.kind).toBe('order.abandoned');
    expect(await t.store.orders.get('new-1')).toMatchObject({ status: 'rejected' });
    expect((await t.store.audit.list({ orderId: 'new-1' }))[0]!.kind).toBe('order.rejected');
    expect(t.broker.workingOrderIds()).toEqual([]);
    t.close();
  });
});
