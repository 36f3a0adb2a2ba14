// The OANDA execution client on its own (no trading service) against the simulator process: a trailing stop on fill
// that follows the price, duplicate transaction ids handled once, and what the reconciliation snapshot holds.
import { afterEach, describe, expect, it } from 'vitest';
import type { Order } from '../../src-shared/domain/types';
import { createOandaSession, type OandaSession } from '../../src-main/adapters/oanda/session';
import { openSqliteStore, type SqliteStore } from '../../src-main/adapters/sqlite/store';
import { createLogger } from '../../src-main/logging';
import type { OandaFinancing } from '../../src-main/adapters/oanda/parsing';
import type { BrokerEvent, BrokerSnapshot } from '../../src-main/ports/broker';
import { systemClock } from '../../src-main/ports/clock';
import { startOandaSim, SIM_TOKEN, type RunningOandaSim } from '../support/oanda-sim-process';
import { FAST_OANDA, SIM_ARGS, tempDb, waitUntil } from './harness';

let sim: RunningOandaSim | undefined;
let session: OandaSession | undefined;
let store: SqliteStore | undefined;

afterEach(async () => {
  await session?.dispose();
  store?.dispose();
  await sim?.stop();
  sim = session = store = undefined;
});

async function boot(args: string[] = []): Promise<{ sim: RunningOandaSim; session: OandaSession; events: BrokerEvent[]; snapshots: BrokerSnapshot[] }> {
  sim = await startOandaSim([...SIM_ARGS, ...args]);
  store = openSqliteStore({ file: tempDb() });
  session = createOandaSession({
    settings: { account_id: '', environment: 'practice', base_url: sim.url, auto_connect: false }, token: async () => SIM_TOKEN, timings: FAST_OANDA,
    clock: systemClock, logger: createLogger({ level: 'silent' }), ids: store.settings, knownAccountHash: null,
  });
  const events: BrokerEvent[] = [];
  const snapshots: BrokerSnapshot[] = [];
  session.broker.onEvent((e) => events.push(e));
  session.broker.setReconciler!(async (s) => void snapshots.push(s));
  session.start();
  const s = session;
  await waitUntil('ready with quotes', () => s.status().ready && s.market.lastQuote('EURUSD') !== undefined, 8_000);
  return { sim, session, events, snapshots };
}

function order(fields: Partial<Order>): Order {
  return {
    id: crypto.randomUUID(), accountId: 'OANDA-test', brokerOrderId: null, symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 1_000, limitPrice: null,
    stopPrice: null, trailPercent: null, timeInForce: 'gtc', stopLoss: null, takeProfit: null, parentId: null, source: 'manual', status: 'submitted',
    filledQuantity: 0, avgFillPrice: null, rejectReason: null, createdAt: Date.now(), updatedAt: Date.now(), ...fields,
  };
}

const pendingOfType = (s: RunningOandaSim, type: string) => s.state().then((x) => x.orders.find((o) => o['type'] === type && o['state'] === 'PENDING'));

describe('OANDA execution client', () => {
  it('a trailing stop on fill follows the price at OANDA and closes the trade when hit; the leg keeps our id', async () => {
    const { sim, session, events } = await boot();
    await sim.fault({ kind: 'price', instrument: 'EUR_USD', mid: 1.1 });
    await waitUntil('EURUSD at 1.1', () => Math.abs(session.market.lastQuote('EURUSD')!.last - 1.1) < 1e-6);
    const entry = order({});
    // A trailing-stop leg of 0.1 % of 1.1: OANDA's trailingStopLossOnFill with a distance of 11 pips.
    const leg = order({ type: 'trailing-stop', side: 'sell', trailPercent: 0.1, parentId: entry.id, source: 'bracket' });
    session.broker.placeOrder(entry, [leg]);
    await waitUntil('the entry fill', () => events.some((e) => e.kind === 'fill' && e.orderId === entry.id));
    await waitUntil('the leg acknowledged', () => events.some((e) => e.kind === 'ack' && e.orderId === leg.id));
    const first = (await pendingOfType(sim, 'TRAILING_STOP_LOSS'))!;
    expect(first['distance']).toBe('0.00110');
    expect((first['clientExtensions'] as { id: string }).id).toBe(leg.id);
    await sim.fault({ kind: 'price', instrument: 'EUR_USD', mid: 1.105 });
    const moved = (await pendingOfType(sim, 'TRAILING_STOP_LOSS'))!;
    expect(Number(moved['trailingStopValue'])).toBeCloseTo(1.105 - 0.00007 - 0.0011, 5);
    await sim.fault({ kind: 'price', instrument: 'EUR_USD', mid: 1.1035 });
    await waitUntil('the trailing stop fill', () => events.some((e) => e.kind === 'fill' && e.orderId === leg.id));
    const fill = events.find((e) => e.kind === 'fill' && e.orderId === leg.id) as Extract<BrokerEvent, { kind: 'fill' }>;
    expect(fill.execution!.side).toBe('sell');
    expect(fill.quantity).toBe(1_000);
    expect((await sim.state()).trades.filter((t) => t.state === 'OPEN')).toHaveLength(0);
  });

  it('bracket legs of an entry that only closes a position are cancelled: OANDA attaches them only to a trade the fill opens', async () => {
    const { session, events } = await boot();
    session.broker.placeOrder(order({ quantity: 2_000 }));
    await waitUntil('the long', () => events.some((e) => e.kind === 'fill'));
    const exit = order({ side: 'sell', quantity: 2_000 });
    const stop = order({ side: 'buy', type: 'stop', stopPrice: 1.2, parentId: exit.id, source: 'bracket' });
    const target = order({ side: 'buy', type: 'limit', limitPrice: 1.0, parentId: exit.id, source: 'bracket' });
    session.broker.placeOrder(exit, [stop, target]);
    await waitUntil('both legs cancelled', () => [stop.id, target.id].every((id) => events.some((e) => e.kind === 'cancelled' && e.orderId === id)));
    expect(events.filter((e) => e.kind === 'ack' && (e.orderId === stop.id || e.orderId === target.id))).toHaveLength(0);
    expect(session.broker.workingOrderIds()).toEqual([]);
  });

  it('overnight financing (DAILY_FINANCING) arrives once per instrument at the instrument\'s rate, also when streamed twice', async () => {
    const { sim, session, events } = await boot();
    const financing: OandaFinancing[] = [];
    (session as OandaSession).onFinancing((f) => financing.push(f));
    await sim.fault({ kind: 'price', instrument: 'EUR_USD', mid: 1.1 });
    await waitUntil('EURUSD at 1.1', () => Math.abs(session.market.lastQuote('EURUSD')!.last - 1.1) < 1e-6);
    session.broker.placeOrder(order({ quantity: 10_000 }));
    session.broker.placeOrder(order({ symbol: 'USDJPY', side: 'sell', quantity: 1_000 }));
    const later = order({ type: 'limit', limitPrice: 1.0 });
    session.broker.placeOrder(later);
    await waitUntil('two fills and the limit working', () => events.filter((e) => e.kind === 'fill').length === 2 && events.some((e) => e.kind === 'ack' && e.orderId === later.id));
    await sim.fault({ kind: 'duplicate', count: 5 });
    await sim.fault({ kind: 'rollover', days: 3 });
    await waitUntil('the financing', () => financing.length >= 2);
    // This fill comes only on the stream, after both copies of the financing.
    await sim.fault({ kind: 'price', instrument: 'EUR_USD', mid: 0.99 });
    await waitUntil('the limit fill', () => events.some((e) => e.kind === 'fill' && e.orderId === later.id));
    expect(financing.map((f) => f.symbol).sort()).toEqual(['EURUSD', 'USDJPY']);
    // 10,000 EUR long at 1.1 (USD 11,000) at the simulator's long rate -3.86 % a year, for three days: USD -3.49.
    expect(Number(financing.find((f) => f.symbol === 'EURUSD')!.amount)).toBeCloseTo((11_000 * -0.0386 / 365) * 3, 2);
    // USD 1,000 short USD/JPY at the short rate -5.98 %: USD -0.49.
    expect(Number(financing.find((f) => f.symbol === 'USDJPY')!.amount)).toBeCloseTo((1_000 * -0.0598 / 365) * 3, 2);
    expect(new Set(financing.map((f) => f.id)).size).toBe(2);
  });

  it('financing charged while we were away arrives with the reconnect\'s catch-up, once', async () => {
    const { sim, session: first, events } = await boot();
    first.broker.placeOrder(order({ symbol: 'XAUUSD', quantity: 3 }));
    await waitUntil('the fill', () => events.some((e) => e.kind === 'fill'));
    await first.dispose();
    session = undefined;
    await sim.fault({ kind: 'rollover', days: 1 });
    const second = createOandaSession({
      settings: { account_id: '', environment: 'practice', base_url: sim.url, auto_connect: false }, token: async () => SIM_TOKEN, timings: FAST_OANDA,
      clock: systemClock, logger: createLogger({ level: 'silent' }), ids: store!.settings, knownAccountHash: null,
    });
    session = second;
    const financing: OandaFinancing[] = [];
    second.onFinancing((f) => financing.push(f));
    second.broker.setReconciler!(async () => undefined);
    second.start();
    await waitUntil('ready', () => second.status().ready, 8_000);
    expect(financing).toEqual([expect.objectContaining({ symbol: 'XAUUSD' })]);
    expect(Number(financing[0]!.amount)).toBeLessThan(0);
  });

  it('a transaction streamed twice (the same id) is handled once', async () => {
    const { sim, session, events } = await boot();
    await sim.fault({ kind: 'duplicate', count: 50 });
    const l = order({ type: 'limit', limitPrice: 1.2 }); // through the market: fills at once
    session.broker.placeOrder(l);
    const m = order({ side: 'sell', quantity: 2_000 });
    session.broker.placeOrder(m);
    const later = order({ type: 'limit', limitPrice: 1.0 });
    session.broker.placeOrder(later);
    await waitUntil('both fills and the pending limit acknowledged', () => events.filter((e) => e.kind === 'fill').length >= 2 && events.some((e) => e.kind === 'ack' && e.orderId === later.id));
    // This fill comes only on the stream, after every copy streamed before it.
    await sim.fault({ kind: 'price', instrument: 'EUR_USD', mid: 0.99 });
    await waitUntil('the limit fill from the stream', () => events.some((e) => e.kind === 'fill' && e.orderId === later.id));
    const fills = events.filter((e) => e.kind === 'fill');
    expect(fills.map((f) => (f as { orderId: string }).orderId).sort()).toEqual([l.id, m.id, later.id].sort());
    expect(events.filter((e) => e.kind === 'ack')).toHaveLength(3);
  });

  it('a market-if-touched order placed at OANDA by someone else shows as an external order', async () => {
    const { sim, session, events } = await boot();
    const res = await fetch(`${sim.url}/v3/accounts/101-004-7654321-001/orders`, {
      method: 'POST', headers: { Authorization: `Bearer ${SIM_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ order: { type: 'MARKET_IF_TOUCHED', instrument: 'GBP_USD', units: '-700', price: '1.3000' } }),
    });
    expect(res.status).toBe(201);
    await waitUntil('the external order', () => events.some((e) => e.kind === 'external'));
    const ext = events.find((e) => e.kind === 'external') as Extract<BrokerEvent, { kind: 'external' }>;
    expect(ext.report).toMatchObject({ symbol: 'GBPUSD', side: 'sell', quantity: 700, clientOrderId: null, status: 'working' });
    expect(session.status().ready).toBe(true);
  });
});
