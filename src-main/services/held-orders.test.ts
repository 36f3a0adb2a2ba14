// Orders the venue lacks, held by the trading service: a trailing stop on the paper broker (which fills market, limit and
// stop orders only) follows the price, triggers as a market order, is journaled at each step, and survives a restart.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDemoMarket } from '../adapters/demo/market';
import { createPaperBroker } from '../adapters/paper/broker';
import { openSqliteStore } from '../adapters/sqlite/store';
import { createLogger } from '../logging';
import { ManualClock } from '../ports/clock';
import { atr } from '../../src-shared/domain/indicators/batch';
import { AccountService } from './account';
import { TradingService } from './trading';

const MONDAY = Date.parse('2026-11-30T15:00:00Z');
const settle = async (t: TradingService) => {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setImmediate(r));
    await t.idle();
  }
};

function boot(file: string, clock: ManualClock, seed: number) {
  const store = openSqliteStore({ file });
  const market = createDemoMarket({ clock, seed });
  const broker = createPaperBroker({ market, clock, slippageBps: 0, book: async () => (await store.orders.list({ accountId: 'PAPER-1', openOnly: true })).reverse() });
  const account = new AccountService({ store, market, clock, accountId: 'PAPER-1', broker: 'paper', currency: 'USD', initialCash: 100_000 });
  const trading = new TradingService({
    store, broker, market, clock, account, logger: createLogger({ level: 'silent' }), configKillSwitch: false,
    limits: { maxPositionSize: 1000, maxOrderNotional: 1e7, priceCollarPct: 0.5, maxDailyTrades: 100 },
  });
  const start = async () => (await account.ensureAccount(), await trading.start());
  return { store, market, broker, trading, start, close: () => (trading.dispose(), broker.dispose(), market.dispose(), store.dispose()) };
}

describe('held orders (types the venue lacks)', () => {
  it('a trailing stop on the paper broker follows the price, triggers as a market order, is journaled, and is restored after a restart', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qc-held-')), 'quant.db');
    const clock = new ManualClock(MONDAY);
    let t = boot(file, clock, 3);
    await t.start();
    expect(t.broker.capabilities.nativeOrderTypes).not.toContain('trailing-stop');
    await t.trading.placeOrder({ symbol: 'BTCUSD', side: 'buy', type: 'market', quantity: 0.01, timeInForce: 'day' });
    await settle(t.trading);
    const placed = await t.trading.placeOrder({ symbol: 'BTCUSD', side: 'sell', type: 'trailing-stop', trailPercent: 1, quantity: 0.01, timeInForce: 'gtc' });
    expect(placed.rejection).toBeNull();
    await settle(t.trading);
    const id = placed.order.id;
    const first = (await t.store.orders.get(id))!;
    expect(first.status).toBe('working');
    expect(t.broker.workingOrderIds()).not.toContain(id); // held by the app, not at the venue
    // Starts 1 % under the last price.
    expect(first.stopPrice).toBeCloseTo(t.market.lastQuote('BTCUSD')!.last * 0.99, 6);

    // The price walks until the stop has moved up at least once, without triggering.
    let stop = first.stopPrice!;
    for (let i = 0; i < 2000 && stop === first.stopPrice; i++) {
      clock.advance(60_000);
      t.market.tick();
      await settle(t.trading);
      const row = (await t.store.orders.get(id))!;
      if (row.status !== 'working') break;
      stop = row.stopPrice!;
    }
    const beforeRestart = (await t.store.orders.get(id))!;
    expect(beforeRestart.status).toBe('working');
    expect(beforeRestart.stopPrice!).toBeGreaterThan(first.stopPrice!);
    t.close();

    // Restarted (a day later, on another price path): held again from the store at the level it had reached, then ticks until it triggers.
    clock.advance(86_400_000);
    t = boot(file, clock, 4);
    await t.start();
    await settle(t.trading);
    let row = (await t.store.orders.get(id))!;
    for (let i = 0; i < 5000 && row.status === 'working'; i++) {
      clock.advance(60_000);
      t.market.tick();
      await settle(t.trading);
      row = (await t.store.orders.get(id))!;
    }
    expect(row.status).toBe('filled');
    expect(row.type).toBe('trailing-stop');
    const audit = (await t.store.audit.list({ orderId: id, limit: 10_000 })).reverse();
    const kinds = audit.map((a) => a.kind).filter((k) => k !== 'order.held-moved');
    expect(kinds).toEqual(['order.intent', 'risk.decision', 'order.submitted', 'order.held', 'order.held-triggered', 'order.ack', 'order.fill']);
    expect(audit.filter((a) => a.kind === 'order.held-moved').length).toBeGreaterThan(0);
    const triggered = audit.find((a) => a.kind === 'order.held-triggered')!.payload as { price: number; stop: number; sentAs: string };
    // Triggered by a price at or under its stop, which never went below the level reached before the restart.
    expect(triggered.sentAs).toBe('market');
    expect(triggered.price).toBeLessThanOrEqual(triggered.stop);
    expect(triggered.stop).toBeGreaterThanOrEqual(beforeRestart.stopPrice! - 1e-9);
    const pos = await t.store.positions.get('PAPER-1', 'BTCUSD');
    expect(pos?.quantity ?? 0).toBeCloseTo(0, 9);
    t.close();
  }, 60_000);

  it('a stop-limit is held until its stop trades, then sent as a limit order; a held order is cancelled at once', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qc-held-')), 'quant.db');
    const clock = new ManualClock(MONDAY);
    const t = boot(file, clock, 3);
    await t.start();
    await t.trading.placeOrder({ symbol: 'BTCUSD', side: 'buy', type: 'market', quantity: 0.02, timeInForce: 'day' });
    await settle(t.trading);
    const last = t.market.lastQuote('BTCUSD')!.last;
    const stop = Math.round(last * 0.995 * 100) / 100;
    const limit = Math.round(last * 0.9 * 100) / 100;
    const sl = await t.trading.placeOrder({ symbol: 'BTCUSD', side: 'sell', type: 'stop-limit', stopPrice: stop, limitPrice: limit, quantity: 0.01, timeInForce: 'gtc' });
    // A second one far away, cancelled while held: it never reaches the venue.
    const far = await t.trading.placeOrder({ symbol: 'BTCUSD', side: 'sell', type: 'stop-limit', stopPrice: Math.round(last * 0.5), limitPrice: Math.round(last * 0.4), quantity: 0.01, timeInForce: 'gtc' });
    await settle(t.trading);
    expect((await t.store.orders.get(far.order.id))!.status).toBe('working');
    expect((await t.trading.cancelOrder(far.order.id)).status).toBe('cancelled');
    expect((await t.store.audit.list({ orderId: far.order.id })).map((a) => a.kind)).not.toContain('order.held-triggered');

    let row = (await t.store.orders.get(sl.order.id))!;
    expect(row).toMatchObject({ status: 'working', stopPrice: stop, limitPrice: limit });
    const seen: number[] = [];
    for (let i = 0; i < 5000 && row.status === 'working'; i++) {
      clock.advance(60_000);
      t.market.tick();
      seen.push(t.market.lastQuote('BTCUSD')!.last);
      await settle(t.trading);
      row = (await t.store.orders.get(sl.order.id))!;
    }
    expect(row.status).toBe('filled');
    const audit = (await t.store.audit.list({ orderId: sl.order.id, limit: 1000 })).reverse();
    const triggered = audit.find((a) => a.kind === 'order.held-triggered')!.payload as { price: number; sentAs: string };
    expect(triggered.sentAs).toBe('limit');
    expect(triggered.price).toBeLessThanOrEqual(stop);
    // Not before: every price before the trigger was above the stop.
    expect(seen.slice(0, -1).every((p) => p > stop)).toBe(true);
    const [fill] = await t.store.fills.listForOrder(sl.order.id);
    expect(fill!.price).toBeGreaterThanOrEqual(limit);
    t.close();
  }, 60_000);
  it('a trailing stop by an ATR multiple: the distance is 2 × ATR(14) of the hourly bars when placed, and stays', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qc-held-')), 'quant.db');
    const clock = new ManualClock(MONDAY);
    const t = boot(file, clock, 3);
    await t.start();
    await t.trading.placeOrder({ symbol: 'BTCUSD', side: 'buy', type: 'market', quantity: 0.01, timeInForce: 'day' });
    await settle(t.trading);
    const bars = await t.market.history('BTCUSD', '1h', 56);
    const a = atr(bars.map((b) => b.high), bars.map((b) => b.low), bars.map((b) => b.close), 14).at(-1)!;
    const last = t.market.lastQuote('BTCUSD')!.last;
    const placed = await t.trading.placeOrder({ symbol: 'BTCUSD', side: 'sell', type: 'trailing-stop', trailAtrMultiple: 2, quantity: 0.01, timeInForce: 'gtc' });
    await settle(t.trading);
    const held = (await t.store.audit.list({ orderId: placed.order.id })).find((e) => e.kind === 'order.held')!.payload as { atr: number; trail: { kind: string; value: number }; stop: number };
    expect(held.atr).toBeCloseTo(a, 9);
    expect(held.trail).toEqual({ kind: 'distance', value: 2 * a });
    expect(held.stop).toBeCloseTo(last - 2 * a, 6);
    // Each move keeps the distance to the best price seen (not a new ATR).
    let best = last;
    for (let i = 0; i < 300; i++) {
      clock.advance(60_000);
      t.market.tick();
      best = Math.max(best, t.market.lastQuote('BTCUSD')!.last);
      await settle(t.trading);
      const row = (await t.store.orders.get(placed.order.id))!;
      if (row.status !== 'working') break;
      expect(row.stopPrice!).toBeCloseTo(best - 2 * a, 6);
    }
    t.close();
  }, 60_000);

  it('break-even: once the position is far enough in profit the stop moves to the entry, journaled, and a restart keeps it there', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qc-held-')), 'quant.db');
    const clock = new ManualClock(MONDAY);
    let t = boot(file, clock, 3);
    await t.start();
    await t.trading.placeOrder({ symbol: 'BTCUSD', side: 'buy', type: 'market', quantity: 0.01, timeInForce: 'day' });
    await settle(t.trading);
    const entry = (await t.store.positions.get('PAPER-1', 'BTCUSD'))!.avgPrice;
    const stop = Math.round(entry * 0.95);
    const after = Math.round(entry * 0.001);
    const placed = await t.trading.placeOrder({ symbol: 'BTCUSD', side: 'sell', type: 'stop', stopPrice: stop, breakEvenAfter: after, quantity: 0.01, timeInForce: 'gtc' });
    await settle(t.trading);
    const id = placed.order.id;
    expect(t.broker.workingOrderIds()).not.toContain(id); // a stop the venue has, managed by the app
    let row = (await t.store.orders.get(id))!;
    const seen: number[] = [];
    for (let i = 0; i < 5000 && row.stopPrice === stop; i++) {
      clock.advance(60_000);
      t.market.tick();
      seen.push(t.market.lastQuote('BTCUSD')!.last);
      await settle(t.trading);
      row = (await t.store.orders.get(id))!;
    }
    expect(row).toMatchObject({ status: 'working', stopPrice: entry });
    // Moved on the first price at least `after` above the entry, not before.
    expect(seen.at(-1)! - entry).toBeGreaterThanOrEqual(after);
    expect(seen.slice(0, -1).every((p) => p - entry < after)).toBe(true);
    const moved = (await t.store.audit.list({ orderId: id })).filter((e) => e.kind === 'order.held-moved');
    expect(moved.map((e) => e.payload)).toEqual([{ stop: entry, by: 'break-even' }]);
    t.close();

    // Restarted: held by the app again (the paper broker does not take it into its book), at the entry.
    t = boot(file, clock, 3);
    await t.start();
    await settle(t.trading);
    expect(t.broker.workingOrderIds()).not.toContain(id);
    expect((await t.store.orders.get(id))).toMatchObject({ status: 'working', stopPrice: entry });
    t.close();
  }, 60_000);

  it('time exit: the stop is sent as a market order at its time whatever the price, also after a restart', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qc-held-')), 'quant.db');
    const clock = new ManualClock(MONDAY);
    let t = boot(file, clock, 3);
    await t.start();
    await t.trading.placeOrder({ symbol: 'BTCUSD', side: 'buy', type: 'market', quantity: 0.01, timeInForce: 'day' });
    await settle(t.trading);
    const last = t.market.lastQuote('BTCUSD')!.last;
    const exitAt = MONDAY + 10 * 60_000;
    const placed = await t.trading.placeOrder({ symbol: 'BTCUSD', side: 'sell', type: 'stop', stopPrice: Math.round(last * 0.6), exitAt, quantity: 0.01, timeInForce: 'gtc' });
    await settle(t.trading);
    const id = placed.order.id;
    for (let i = 0; i < 5; i++) {
      clock.advance(60_000);
      t.market.tick();
      await settle(t.trading);
    }
    expect((await t.store.orders.get(id))!.status).toBe('working');
    t.close();

    t = boot(file, clock, 3);
    await t.start();
    await settle(t.trading);
    expect(t.broker.workingOrderIds()).not.toContain(id);
    let row = (await t.store.orders.get(id))!;
    let triggeredAt = 0;
    for (let i = 0; i < 20 && row.status === 'working'; i++) {
      clock.advance(60_000);
      t.market.tick();
      await settle(t.trading);
      row = (await t.store.orders.get(id))!;
      if (row.status !== 'working' && triggeredAt === 0) triggeredAt = clock.now();
    }
    expect(row.status).toBe('filled');
    expect(triggeredAt).toBe(exitAt);
    const triggered = (await t.store.audit.list({ orderId: id })).find((e) => e.kind === 'order.held-triggered')!.payload;
    expect(triggered).toMatchObject({ by: 'time exit', sentAs: 'market' });
    expect((await t.store.positions.get('PAPER-1', 'BTCUSD'))?.quantity ?? 0).toBeCloseTo(0, 9);
    t.close();
  }, 60_000);
});
