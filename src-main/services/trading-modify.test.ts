// Modifying working orders through the real trading service on a SQLite file with the paper broker: the new price and
// quantity are worked, the risk gate refuses a modify past a limit, and the audit log has the intent before the answer.
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
import { TradingService } from './trading';

const MONDAY = Date.parse('2026-11-30T15:00:00Z');

async function boot() {
  const clock = new ManualClock(MONDAY);
  const store = openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), 'qc-modify-')), 'quant.db') });
  const market = createDemoMarket({ clock, seed: 11 });
  const broker = createPaperBroker({ market, clock, slippageBps: 1 });
  const account = new AccountService({ store, market, clock, accountId: 'PAPER-1', broker: 'paper', currency: 'USD', initialCash: 100_000 });
  const trading = new TradingService({
    store, broker, market, clock, account, logger: createLogger({ level: 'silent' }), configKillSwitch: false,
    limits: { maxPositionSize: 0.1, maxOrderNotional: 50_000, priceCollarPct: 0.05, maxDailyTrades: 1000 },
  });
  await account.ensureAccount();
  await trading.start();
  const settle = async () => {
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setImmediate(r));
      await trading.idle();
    }
  };
  const kinds = async (orderId: string) => (await store.audit.list({ orderId, limit: 100 })).sort((a, b) => a.seq - b.seq).map((e) => e.kind);
  const close = () => (trading.dispose(), broker.dispose(), market.dispose(), store.dispose());
  return { store, market, trading, settle, kinds, close };
}

describe('modifying a working order (paper)', () => {
  it('moves a resting limit and changes its quantity; the audit has intent, decision, submitted, then the acknowledgement', async () => {
    const t = await boot();
    const last = t.market.lastQuote('AAPL')!.last;
    const limitPrice = Math.round(last * 0.97 * 100) / 100;
    const placed = await t.trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'limit', quantity: 5, limitPrice, timeInForce: 'gtc' });
    await t.settle();
    const newPrice = Math.round(last * 0.96 * 100) / 100;
    const r = await t.trading.modifyOrder(placed.order.id, { price: newPrice, quantity: 8 });
    expect(r.rejection).toBeNull();
    await t.settle();
    const order = (await t.store.orders.get(placed.order.id))!;
    expect(order).toMatchObject({ status: 'working', limitPrice: newPrice, quantity: 8, filledQuantity: 0 });
    const k = await t.kinds(placed.order.id);
    const from = k.indexOf('order.modify-intent');
    expect(k.slice(from)).toEqual(['order.modify-intent', 'risk.decision', 'order.modify-submitted', 'order.modified']);
    const intent = (await t.store.audit.list({ orderId: placed.order.id, limit: 100 })).find((e) => e.kind === 'order.modify-intent')!;
    expect(intent.payload).toMatchObject({ from: { quantity: 5, limitPrice }, to: { quantity: 8, limitPrice: newPrice } });
    t.close();
  });

  it('a limit moved through the market fills at once, at no worse than the new limit', async () => {
    const t = await boot();
    const q = t.market.lastQuote('AAPL')!;
    const placed = await t.trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'limit', quantity: 5, limitPrice: Math.round(q.last * 0.97 * 100) / 100, timeInForce: 'gtc' });
    await t.settle();
    const through = Math.round(q.ask * 1.01 * 100) / 100;
    await t.trading.modifyOrder(placed.order.id, { price: through });
    await t.settle();
    const order = (await t.store.orders.get(placed.order.id))!;
    expect(order.status).toBe('filled');
    expect(order.avgFillPrice!).toBeLessThanOrEqual(through);
    t.close();
  });

  it('the risk gate refuses a quantity past the max position size, with the reason; the order keeps working unchanged', async () => {
    const t = await boot();
    const last = t.market.lastQuote('AAPL')!.last;
    const limitPrice = Math.round(last * 0.97 * 100) / 100;
    const placed = await t.trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'limit', quantity: 5, limitPrice, timeInForce: 'gtc' });
    await t.settle();
    // 10 % of 100,000 NAV: far more shares than that.
    const big = Math.ceil(20_000 / last);
    const r = await t.trading.modifyOrder(placed.order.id, { quantity: big });
    expect(r.rejection).toMatchObject({ rule: 'max_position_size' });
    expect(r.rejection!.message).toContain('max position size');
    await t.settle();
    expect(await t.store.orders.get(placed.order.id)).toMatchObject({ status: 'working', quantity: 5, limitPrice });
    const k = await t.kinds(placed.order.id);
    expect(k.slice(k.indexOf('order.modify-intent'))).toEqual(['order.modify-intent', 'risk.decision', 'order.modify-rejected']);
    await expect(t.trading.modifyOrder(placed.order.id, { price: limitPrice * 0.5 }).then((x) => x.rejection?.rule)).resolves.toBe('price_collar');
    await t.settle();
    t.close();
  });

  it('refuses a quantity at or below what has filled, and a finished order', async () => {
    const t = await boot();
    const placed = await t.trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'market', quantity: 1, timeInForce: 'day' });
    await t.settle();
    expect((await t.store.orders.get(placed.order.id))!.status).toBe('filled');
    await expect(t.trading.modifyOrder(placed.order.id, { quantity: 2 })).rejects.toThrow(/filled: nothing to modify/);
    t.close();
  });

  it('moves the level of a stop the app holds (a trailing stop on paper) at once, journaled', async () => {
    const t = await boot();
    await t.trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'market', quantity: 2, timeInForce: 'day' });
    await t.settle();
    const last = t.market.lastQuote('AAPL')!.last;
    const trail = await t.trading.placeOrder({ symbol: 'AAPL', side: 'sell', type: 'trailing-stop', quantity: 2, trailPercent: 4, timeInForce: 'gtc' });
    await t.settle();
    expect(trail.order.status).toBe('working');
    const level = Math.round(last * 0.98 * 100) / 100;
    const r = await t.trading.modifyOrder(trail.order.id, { price: level });
    expect(r.rejection).toBeNull();
    expect(r.order.stopPrice).toBe(level);
    const k = await t.kinds(trail.order.id);
    expect(k.slice(k.indexOf('order.modify-intent'))).toEqual(['order.modify-intent', 'risk.decision', 'order.modify-submitted', 'order.modified']);
    t.close();
  });

  it("moves a protective leg that waits for its entry's fill (held by the app); the fill places the leg at the new level", async () => {
    const t = await boot();
    const last = t.market.lastQuote('AAPL')!.last;
    const limitPrice = Math.round(last * 0.97 * 100) / 100;
    const stopLoss = Math.round(limitPrice * 0.95 * 100) / 100;
    const takeProfit = Math.round(limitPrice * 1.05 * 100) / 100;
    const entry = await t.trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'limit', quantity: 3, limitPrice, timeInForce: 'gtc', stopLoss, takeProfit });
    await t.settle();
    const movedStop = Math.round(limitPrice * 0.96 * 100) / 100;
    const r = await t.trading.modifyOrder(entry.order.id, { stopLoss: movedStop });
    expect(r.rejection).toBeNull();
    expect(r.order).toMatchObject({ status: 'working', stopLoss: movedStop, takeProfit, limitPrice, quantity: 3 });
    expect(await t.store.orders.get(entry.order.id)).toMatchObject({ stopLoss: movedStop, takeProfit });
    const k = await t.kinds(entry.order.id);
    expect(k.slice(k.indexOf('order.modify-intent'))).toEqual(['order.modify-intent', 'order.modify-submitted', 'order.modified']);

    // Checked as at placement: above the entry for a buy's stop-loss is refused with the field, and nothing changes.
    const wrong = await t.trading.modifyOrder(entry.order.id, { stopLoss: Math.round(limitPrice * 1.01 * 100) / 100 });
    expect(wrong.rejection).toMatchObject({ rule: 'invalid_bracket', field: 'stopLoss' });
    expect((await t.store.orders.get(entry.order.id))!.stopLoss).toBe(movedStop);
    // A leg the order was not given cannot be moved.
    const plain = await t.trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'limit', quantity: 1, limitPrice, timeInForce: 'gtc' });
    await t.settle();
    expect((await t.trading.modifyOrder(plain.order.id, { takeProfit })).rejection).toMatchObject({ rule: 'invalid_order', field: 'takeProfit' });

    // The entry fills (its limit moved through the market): the stop leg goes out at the moved level.
    await t.trading.modifyOrder(entry.order.id, { price: Math.round(last * 1.01 * 100) / 100 });
    await t.settle();
    const legs = (await t.store.orders.list({ accountId: 'PAPER-1' })).filter((o) => o.parentId === entry.order.id);
    expect(legs.find((l) => l.type === 'stop')).toMatchObject({ stopPrice: movedStop, status: 'working' });
    expect(legs.find((l) => l.type === 'limit')).toMatchObject({ limitPrice: takeProfit, status: 'working' });
    t.close();
  });
});
