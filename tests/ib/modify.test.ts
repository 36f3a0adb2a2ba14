// Modifying working orders on IB: placed again under the same order id (as TWS requires), through the TradingService to
// the TWS simulator over TCP, booked in a SQLite file.
import { afterEach, describe, expect, it } from 'vitest';
import type { TwsSimulator } from '../../tools/tws-sim/simulator';
import { openTerminal, startSim, tempDb, waitReady, waitUntil, type Terminal } from './harness';

let sim: TwsSimulator | undefined;
let term: Terminal | undefined;

afterEach(async () => {
  await term?.close();
  await sim?.close();
  term = sim = undefined;
});

async function boot(maxOrderQuantity?: number): Promise<{ sim: TwsSimulator; term: Terminal }> {
  sim = await startSim(maxOrderQuantity !== undefined ? { maxOrderQuantity } : {});
  term = openTerminal(tempDb(), sim.port);
  await term.connect();
  await waitReady(term);
  return { sim, term };
}

const cents = (x: number) => Math.round(x * 100) / 100;

describe('modify on IB (TWS simulator)', () => {
  it('a resting limit gets its new price and quantity under the same IB order id; moved through the market it fills', async () => {
    const { sim, term } = await boot();
    const { trading } = term.sessions.active();
    const q = sim.quote('AAPL');
    const placed = await trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'limit', quantity: 5, limitPrice: cents(q.bid - 3), timeInForce: 'day' });
    await waitUntil('the limit to work', async () => (await term.store.orders.get(placed.order.id))!.status === 'working');
    const ibId = sim.openOrders()[0]!.orderId;

    const r = await trading.modifyOrder(placed.order.id, { price: cents(q.bid - 2), quantity: 7 });
    expect(r.rejection).toBeNull();
    await waitUntil('the modify to be acknowledged', async () => (await term.store.orders.get(placed.order.id))!.quantity === 7);
    expect(await term.store.orders.get(placed.order.id)).toMatchObject({ status: 'working', limitPrice: cents(q.bid - 2), quantity: 7 });
    // TWS holds one order, the same id, with the new values.
    expect(sim.openOrders()).toHaveLength(1);
    expect(sim.openOrders()[0]).toMatchObject({ orderId: ibId, totalQuantity: 7, lmtPrice: cents(q.bid - 2) });
    const kinds = (await term.store.audit.list({ orderId: placed.order.id })).reverse().map((a) => a.kind);
    expect(kinds.slice(kinds.indexOf('order.modify-intent'))).toEqual(['order.modify-intent', 'risk.decision', 'order.modify-submitted', 'order.modified']);

    await trading.modifyOrder(placed.order.id, { price: cents(q.ask + 1) });
    await waitUntil('the moved limit to fill', async () => (await term.store.orders.get(placed.order.id))!.status === 'filled');
    expect((await term.store.orders.get(placed.order.id))!.filledQuantity).toBe(7);
    expect(sim.allOrders()).toHaveLength(1);
  });

  it('a stop moves its trigger; a modify TWS refuses is journaled with its reason and the order keeps working as it was', async () => {
    const { sim, term } = await boot(50);
    const { trading } = term.sessions.active();
    await trading.placeOrder({ symbol: 'MSFT', side: 'buy', type: 'market', quantity: 10, timeInForce: 'day' });
    const q = sim.quote('MSFT');
    const stop = await trading.placeOrder({ symbol: 'MSFT', side: 'sell', type: 'stop', quantity: 10, stopPrice: cents(q.bid - 5), timeInForce: 'gtc' });
    await waitUntil('the stop to work', async () => (await term.store.orders.get(stop.order.id))!.status === 'working');
    await trading.modifyOrder(stop.order.id, { price: cents(q.bid - 2) });
    await waitUntil('the stop to move', async () => (await term.store.orders.get(stop.order.id))!.stopPrice === cents(q.bid - 2));
    expect(sim.openOrders().find((o) => o.orderRef === stop.order.id)).toMatchObject({ auxPrice: cents(q.bid - 2) });

    // Past the simulator's max order size (50): TWS refuses the modify (error 201), the stop stays at 10.
    const r = await trading.modifyOrder(stop.order.id, { quantity: 60 });
    if (r.rejection) throw new Error(`risk refused first: ${r.rejection.message}`);
    await waitUntil('the refusal', async () => (await term.store.audit.list({ orderId: stop.order.id })).some((a) => a.kind === 'order.modify-rejected'));
    expect(await term.store.orders.get(stop.order.id)).toMatchObject({ status: 'working', quantity: 10, stopPrice: cents(q.bid - 2) });
    expect(sim.openOrders().find((o) => o.orderRef === stop.order.id)).toMatchObject({ totalQuantity: 10 });

    // IB trails a TRAIL order itself: its level is not ours to move; its quantity is.
    const trail = await trading.placeOrder({ symbol: 'MSFT', side: 'sell', type: 'trailing-stop', quantity: 5, trailPercent: 2, timeInForce: 'gtc' });
    await waitUntil('the trailing stop to work', async () => (await term.store.orders.get(trail.order.id))!.status === 'working');
    const moved = await trading.modifyOrder(trail.order.id, { price: cents(q.bid - 1) });
    expect(moved.rejection).toMatchObject({ rule: 'invalid_order', field: 'price' });
    await trading.modifyOrder(trail.order.id, { quantity: 4 });
    await waitUntil('the trail\'s new quantity', async () => (await term.store.orders.get(trail.order.id))!.quantity === 4);
    expect(sim.openOrders().find((o) => o.orderRef === trail.order.id)).toMatchObject({ totalQuantity: 4, orderType: 'TRAIL' });
  });
});
