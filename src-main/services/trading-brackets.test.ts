// Protected brackets on the real parts (SQLite file, demo market, paper broker): legs validated before the entry is
// sent, legs exempt from the entry's price collar, a leg refused after the fill leaves a visible trail, flatten closes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDemoMarket } from '../adapters/demo/market';
import { createPaperBroker } from '../adapters/paper/broker';
import { openSqliteStore } from '../adapters/sqlite/store';
import { createLogger } from '../logging';
import type { Broker } from '../ports/broker';
import { ManualClock } from '../ports/clock';
import { AccountService } from './account';
import { TradingService } from './trading';
import { OrderRequest } from '../../src-shared/api/order-request';

const MONDAY = Date.parse('2026-11-30T15:00:00Z');

async function boot(opts: { refuseStops?: boolean } = {}) {
  const clock = new ManualClock(MONDAY);
  const store = openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), 'qc-bracket-')), 'quant.db') });
  const market = createDemoMarket({ clock, seed: 5 });
  const paper = createPaperBroker({ market, clock, slippageBps: 0 });
  // A venue that refuses stop orders (as a real one may: a stop too close, a symbol without stops).
  const listeners = new Set<Parameters<Broker['onEvent']>[0]>();
  const broker: Broker = !opts.refuseStops ? paper : {
    ...paper,
    placeOrder: (order, children) => {
      if (order.type !== 'stop') return paper.placeOrder(order, children);
      setImmediate(() => listeners.forEach((l) => l({ kind: 'reject', orderId: order.id, reason: 'Stop orders are not accepted for this instrument', time: clock.now() })));
    },
    onEvent: (l) => {
      listeners.add(l);
      const inner = paper.onEvent(l);
      return { dispose: () => (listeners.delete(l), inner.dispose()) };
    },
  };
  const account = new AccountService({ store, market, clock, accountId: 'PAPER-1', broker: 'paper', currency: 'USD', initialCash: 100_000 });
  const trading = new TradingService({
    store, broker, market, clock, account, logger: createLogger({ level: 'silent' }), configKillSwitch: false,
    limits: { maxPositionSize: 0.1, maxOrderNotional: 50_000, priceCollarPct: 0.05, maxDailyTrades: 100 },
  });
  await account.ensureAccount();
  await trading.start();
  const settle = async () => {
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setImmediate(r));
      await trading.idle();
    }
  };
  return { clock, store, market, trading, settle, close: () => (trading.dispose(), paper.dispose(), market.dispose(), store.dispose()) };
}

describe('protected brackets', () => {
  it('legs farther than the price collar work: both legs of a ±13 % bracket are working after the fill', async () => {
    const t = await boot();
    const last = t.market.lastQuote('BTCUSD')!.last;
    const stopLoss = Math.round(last * 0.87);
    const takeProfit = Math.round(last * 1.13);
    const { order, rejection } = await t.trading.placeOrder({ symbol: 'BTCUSD', side: 'buy', type: 'market', quantity: 0.05, timeInForce: 'day', stopLoss, takeProfit });
    expect(rejection).toBeNull();
    await t.settle();
    const legs = (await t.store.orders.list({ accountId: 'PAPER-1' })).filter((o) => o.parentId === order.id);
    expect(legs.map((l) => `${l.type} ${l.status}`).sort()).toEqual(['limit working', 'stop working']);
    t.close();
  });

  it('a leg on the wrong side, or 1e308, is refused with a field error before anything is sent', async () => {
    const t = await boot();
    const last = t.market.lastQuote('BTCUSD')!.last;
    const wrong = await t.trading.placeOrder({ symbol: 'BTCUSD', side: 'buy', type: 'market', quantity: 0.05, timeInForce: 'day', stopLoss: Math.round(last * 1.1) });
    expect(wrong.rejection).toMatchObject({ rule: 'invalid_bracket', field: 'stopLoss' });
    expect(wrong.rejection!.message).toMatch(/Stop-loss must be below the entry price/);
    const far = await t.trading.placeOrder({ symbol: 'BTCUSD', side: 'sell', type: 'market', quantity: 0.05, timeInForce: 'day', stopLoss: last * 3 });
    expect(far.rejection).toMatchObject({ rule: 'invalid_bracket', field: 'stopLoss' });
    await expect(t.trading.placeOrder({ symbol: 'BTCUSD', side: 'sell', type: 'market', quantity: 0.05, timeInForce: 'day', stopLoss: 1e308 })).rejects.toThrow(/at most/);
    await t.settle();
    expect(await t.store.fills.list({ accountId: 'PAPER-1' })).toHaveLength(0);
    const kinds = (await t.store.audit.list({ orderId: wrong.order.id })).reverse().map((a) => a.kind);
    expect(kinds).toEqual(['order.intent', 'order.rejected']);
    t.close();
  });

  it('a leg refused after the fill stays visible as a rejected child; flatten closes the position, cancels the other leg and is audited', async () => {
    const t = await boot({ refuseStops: true });
    const last = t.market.lastQuote('BTCUSD')!.last;
    const { order } = await t.trading.placeOrder({ symbol: 'BTCUSD', side: 'buy', type: 'market', quantity: 0.05, timeInForce: 'day', stopLoss: Math.round(last * 0.9), takeProfit: Math.round(last * 1.1) });
    await t.settle();
    const legs = (await t.store.orders.list({ accountId: 'PAPER-1' })).filter((o) => o.parentId === order.id);
    expect(legs.find((l) => l.type === 'stop')).toMatchObject({ status: 'rejected', rejectReason: 'Stop orders are not accepted for this instrument' });
    expect((await t.store.positions.get('PAPER-1', 'BTCUSD'))!.quantity).toBeCloseTo(0.05, 12);

    await t.trading.setKillSwitch(true).catch(() => undefined); // flatten is reducing: the kill switch does not block it
    const flat = await t.trading.flatten('BTCUSD');
    expect(flat.rejection).toBeNull();
    expect(flat.order).toMatchObject({ side: 'sell', quantity: 0.05, source: 'flatten' });
    await t.settle();
    expect((await t.store.positions.get('PAPER-1', 'BTCUSD'))!.quantity).toBe(0);
    const open = await t.store.orders.list({ accountId: 'PAPER-1', openOnly: true });
    expect(open).toHaveLength(0);
    expect((await t.store.audit.list({ orderId: flat.order.id })).reverse().map((a) => a.kind)).toEqual(['order.intent', 'risk.decision', 'order.submitted', 'order.ack', 'order.fill']);
    await expect(t.trading.flatten('BTCUSD')).rejects.toThrow(/No position/);
    t.close();
  });

  it('an entry with a trailing stop gets a trailing leg after the fill, held by the app: it follows the best price up, never down, and one cancels the other', async () => {
    const t = await boot();
    const last = t.market.lastQuote('BTCUSD')!.last;
    const takeProfit = Math.round(last * 1.4);
    const { order, rejection } = await t.trading.placeOrder({ symbol: 'BTCUSD', side: 'buy', type: 'market', quantity: 0.05, timeInForce: 'day', takeProfit, trailingStop: { percent: 2 }, stopBreakEvenAfter: last * 0.5 });
    expect(rejection).toBeNull();
    await t.settle();
    const legs = (await t.store.orders.list({ accountId: 'PAPER-1' })).filter((o) => o.parentId === order.id);
    expect(legs.map((l) => `${l.type} ${l.status}`).sort()).toEqual(['limit working', 'trailing-stop working']);
    const trail = legs.find((l) => l.type === 'trailing-stop')!;
    const held = (await t.store.audit.list({ orderId: trail.id })).find((e) => e.kind === 'order.held')!;
    expect(held.payload).toMatchObject({ trail: { kind: 'percent', value: 2 }, breakEvenAfter: last * 0.5 });
    // Every level it reaches is 2 % under the best price seen so far, and it only goes up.
    let best = t.market.lastQuote('BTCUSD')!.last;
    let level = (await t.store.orders.get(trail.id))!.stopPrice!;
    expect(level).toBeCloseTo(best * 0.98, 6);
    let moved = 0;
    for (let i = 0; i < 200; i++) {
      t.clock.advance(60_000);
      t.market.tick();
      await t.settle();
      const now = (await t.store.orders.get(trail.id))!;
      if (now.status !== 'working') break;
      best = Math.max(best, t.market.lastQuote('BTCUSD')!.last);
      expect(now.stopPrice!).toBeGreaterThanOrEqual(level);
      if (now.stopPrice! > level) moved++;
      level = now.stopPrice!;
    }
    expect(moved).toBeGreaterThan(0);
    const after = await t.store.orders.list({ accountId: 'PAPER-1' });
    const trailNow = after.find((o) => o.id === trail.id)!;
    const tp = after.find((o) => o.parentId === order.id && o.type === 'limit')!;
    if (trailNow.status === 'filled') expect(tp.status).toBe('cancelled');
    t.close();
  });

  it('a trailing stop is refused on an order that is not an entry, and needs one of percent or distance', () => {
    expect(() => OrderRequest.parse({ symbol: 'X', side: 'sell', type: 'trailing-stop', quantity: 1, trailPercent: 1, trailingStop: { percent: 1 } })).toThrow(/market, limit or stop entry/);
    expect(() => OrderRequest.parse({ symbol: 'X', side: 'buy', type: 'market', quantity: 1, trailingStop: {} })).toThrow(/percent or as a distance/);
    expect(() => OrderRequest.parse({ symbol: 'X', side: 'buy', type: 'market', quantity: 1, stopExitAt: 5 })).toThrow(/needs a stop-loss or a trailing stop/);
    expect(OrderRequest.parse({ symbol: 'X', side: 'buy', type: 'market', quantity: 1, trailingStop: { distance: 0.002 }, stopExitAt: 5 }).trailingStop).toEqual({ distance: 0.002 });
    // A trail more than half the price away is a mistake (a distance typed in the wrong unit), like a far stop-loss.
    expect(() => OrderRequest.parse({ symbol: 'X', side: 'buy', type: 'limit', limitPrice: 1.1, quantity: 1, trailingStop: { distance: 0.6 } })).toThrow(/trailing stop is more than 50 %/);
    expect(OrderRequest.safeParse({ symbol: 'X', side: 'buy', type: 'limit', limitPrice: 1.1, quantity: 1, trailingStop: { distance: 0.5 } }).success).toBe(true);
  });

  it('a market entry whose trail is more than half the price away is refused before anything is sent, naming the field', async () => {
    const t = await boot();
    const last = t.market.lastQuote('BTCUSD')!.last;
    const far = await t.trading.placeOrder({ symbol: 'BTCUSD', side: 'buy', type: 'market', quantity: 0.05, timeInForce: 'day', trailingStop: { distance: last * 0.6 } });
    expect(far.rejection).toMatchObject({ rule: 'invalid_bracket', field: 'trailingStop' });
    await t.settle();
    expect(await t.store.fills.list({ accountId: 'PAPER-1' })).toHaveLength(0);
    t.close();
  });
});
