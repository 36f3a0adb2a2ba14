// Orders through the TradingService to the TWS simulator over TCP (real @stoqey/ib client), booked in a SQLite file.
import { afterEach, describe, expect, it } from 'vitest';
import { dec } from '../../src-main/domain/money';
import { OrderAction, OrderType, SecType } from '@stoqey/ib';
import type { TwsSimulator } from '../../tools/tws-sim/simulator';
import { connectClient } from '../../tools/tws-sim/test-client';
import { openTerminal, startSim, tempDb, waitReady, waitUntil, type Terminal } from './harness';
import type { ReconciliationReport } from '../../src-shared/api/contract';

let sim: TwsSimulator | undefined;
let term: Terminal | undefined;

afterEach(async () => {
  await term?.close();
  await sim?.close();
  term = sim = undefined;
});

async function boot(): Promise<{ sim: TwsSimulator; term: Terminal }> {
  sim = await startSim();
  term = openTerminal(tempDb(), sim.port);
  await term.connect();
  await waitReady(term);
  return { sim, term };
}

describe('IB session against the TWS simulator', () => {
  it('connects, reconciles a clean account, and reports status and account values from IB', async () => {
    const { sim, term } = await boot();
    const status = term.sessions.status();
    expect(status).toMatchObject({ broker: 'ib', state: 'connected', ready: true, clientId: 7, accountLabel: 'DU••••567', queuedOrders: 0 });
    expect(term.sessions.reconciliation()).toMatchObject({ clean: true, missedFills: [], externalOrders: [] });
    const summary = (await term.sessions.active().account.snapshot()).summary;
    expect(summary.nav).toBe(sim.account().NetLiquidation);
    expect(summary.cash).toBe(sim.account().TotalCashValue);
    // The account id in our database is a one-way hash, never the IB account itself.
    expect(term.sessions.active().session.accountId).toMatch(/^IB-[0-9a-f]{16}$/);
    expect(await term.store.settings.get('ib.settings')).not.toContain('DU1234567');
  });

  it('market, limit and stop orders fill with commissions; positions and cash reach the database', async () => {
    const { sim, term } = await boot();
    const { trading, session } = term.sessions.active();
    const accountId = session.accountId;
    const q = sim.quote('AAPL');
    const m = await trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'market', quantity: 10, timeInForce: 'day' });
    expect(m.rejection).toBeNull();
    const l = await trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'limit', quantity: 5, limitPrice: Math.round((q.ask + 1) * 100) / 100, timeInForce: 'day' });
    const s = await trading.placeOrder({ symbol: 'AAPL', side: 'sell', type: 'stop', quantity: 3, stopPrice: Math.round((q.bid - 5) * 100) / 100, timeInForce: 'gtc' });
    await waitUntil('two fills', async () => (await term.store.fills.list({ accountId })).length === 2);
    expect((await term.store.orders.get(m.order.id))!).toMatchObject({ status: 'filled', filledQuantity: 10 });
    expect((await term.store.orders.get(l.order.id))!).toMatchObject({ status: 'filled', filledQuantity: 5 });
    await waitUntil('the stop to be acknowledged', async () => (await term.store.orders.get(s.order.id))!.status === 'working');
    sim.setQuote('AAPL', { bid: q.bid - 6, ask: q.bid - 5.98, last: q.bid - 6 });
    await waitUntil('the stop to fill', async () => (await term.store.orders.get(s.order.id))!.status === 'filled');

    const fills = await term.store.fills.list({ accountId });
    const simExecs = sim.executions();
    expect(fills.map((f) => f.id).sort()).toEqual(simExecs.map((e) => e.execId).sort());
    for (const e of simExecs) expect(fills.find((f) => f.id === e.execId)!.commission).toBe(dec(e.commission).toFixed(2));
    expect((await term.store.positions.get(accountId, 'AAPL'))!.quantity).toBe(12);
    expect(sim.positions().find((p) => p.symbol === 'AAPL')!.quantity).toBe(12);
    // Cash moved by exactly the fills' flows and commissions (from 0: IB's own balance is shown from account values).
    const flows = fills.reduce((c, f) => c.plus(dec(f.quantity).times(f.price).toDecimalPlaces(2).times(f.side === 'buy' ? -1 : 1)).minus(f.commission), dec(0));
    expect((await term.store.accounts.get(accountId))!.cash).toBe(flows.toFixed(2));
    // Our client order id travelled as orderRef.
    expect(sim.allOrders().map((o) => o.orderRef).sort()).toEqual([m.order.id, l.order.id, s.order.id].sort());
    const kinds = (await term.store.audit.list({ orderId: m.order.id })).reverse().map((a) => a.kind);
    expect(kinds).toEqual(['order.intent', 'risk.decision', 'order.submitted', 'order.ack', 'order.fill']);
  });

  it('a bracket goes as parent + stop-loss + take-profit (transmit on the last, OCA); the take-profit fill cancels the stop', async () => {
    const { sim, term } = await boot();
    const { trading, session } = term.sessions.active();
    const q = sim.quote('MSFT');
    const entry = await trading.placeOrder({
      symbol: 'MSFT', side: 'buy', type: 'market', quantity: 4, timeInForce: 'day',
      stopLoss: Math.round((q.bid - 10) * 100) / 100, takeProfit: Math.round((q.ask + 10) * 100) / 100,
    });
    expect(entry.rejection).toBeNull();
    const simOrders = () => sim.allOrders().filter((o) => o.inst.symbol === 'MSFT');
    await waitUntil('the entry fill', async () => (await term.store.orders.get(entry.order.id))!.status === 'filled');
    const [parent, ...legs] = simOrders().sort((a, b) => a.orderId - b.orderId);
    expect(legs.map((l) => [l.orderType, l.parentId, l.ocaGroup !== ''])).toEqual([['STP', parent!.orderId, true], ['LMT', parent!.orderId, true]]);
    const children = (await term.store.orders.list({ accountId: session.accountId })).filter((o) => o.parentId === entry.order.id);
    expect(children.map((c) => c.source)).toEqual(['bracket', 'bracket']);
    sim.setQuote('MSFT', { bid: q.ask + 11, ask: q.ask + 11.02, last: q.ask + 11 });
    await waitUntil('take-profit filled and stop cancelled', async () => {
      const c = await Promise.all(children.map((o) => term.store.orders.get(o.id)));
      return c.map((o) => `${o!.type}:${o!.status}`).sort().join() === 'limit:filled,stop:cancelled';
    });
    expect((await term.store.positions.get(session.accountId, 'MSFT'))!.quantity).toBe(0);
  });

  it('cancels a resting limit order at IB', async () => {
    const { sim, term } = await boot();
    const { trading } = term.sessions.active();
    const q = sim.quote('AAPL');
    const { order } = await trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'limit', quantity: 2, limitPrice: Math.round((q.bid - 3) * 100) / 100, timeInForce: 'gtc' });
    await waitUntil('working', async () => (await term.store.orders.get(order.id))!.status === 'working');
    await trading.cancelOrder(order.id);
    await waitUntil('cancelled', async () => (await term.store.orders.get(order.id))!.status === 'cancelled');
    expect(sim.allOrders().find((o) => o.orderRef === order.id)!.status).toBe('Cancelled');
  });

  it('after a time away: missed fills are booked once, orders placed elsewhere are adopted as external, and the next reconnect is clean', async () => {
    sim = await startSim();
    const file = tempDb();
    term = openTerminal(file, sim.port);
    await term.connect();
    await waitReady(term);
    const q = sim.quote('AAPL');
    const { order } = await term.sessions.active().trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'limit', quantity: 4, limitPrice: Math.round((q.bid - 2) * 100) / 100, timeInForce: 'gtc' });
    await waitUntil('working', async () => (await term!.store.orders.get(order.id))!.status === 'working');
    await term.close();
    term = undefined;

    // While the terminal is away: our limit order fills, and another application places and fills an order.
    sim.setQuote('AAPL', { bid: q.bid - 2.5, ask: q.bid - 2.48, last: q.bid - 2.5 });
    await waitUntil('our order filled at the simulator', () => sim!.allOrders().find((o) => o.orderRef === order.id)!.status === 'Filled');
    const other = await connectClient(sim.port, 42);
    other.ib.placeOrder(other.nextValidId, { symbol: 'MSFT', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 3, transmit: true });
    await waitUntil('the other order filled', () => sim!.executions().some((e) => e.inst.symbol === 'MSFT'));
    other.close();

    term = openTerminal(file, sim.port);
    const reports: ReconciliationReport[] = [];
    await term.connect();
    await waitReady(term);
    const first = term.sessions.reconciliation()!;
    expect(first.clean).toBe(false);
    expect(first.externalOrders.map((o) => [o.symbol, o.side, o.quantity])).toEqual([['MSFT', 'buy', 3]]);
    const externalId = first.externalOrders[0]!.orderId;
    expect(first.missedFills.map((f) => [f.orderId, f.symbol, f.quantity])).toEqual([[order.id, 'AAPL', 4], [externalId, 'MSFT', 3]]);
    expect(first.positionDiffs).toEqual([]);
    const accountId = term.sessions.active().session.accountId;
    expect((await term.store.orders.get(order.id))!.status).toBe('filled');
    const external = (await term.store.orders.list({ accountId })).find((o) => o.symbol === 'MSFT')!;
    expect(external).toMatchObject({ source: 'external', status: 'filled', filledQuantity: 3 });
    expect((await term.store.fills.list({ accountId })).map((f) => f.id).sort()).toEqual(sim.executions().map((e) => e.execId).sort());

    // Reconnect: nothing new, nothing booked twice.
    const done = async () => (await term!.store.audit.list({ limit: 1000 })).filter((a) => a.kind === 'reconcile.done').length;
    const before = await done();
    sim.dropConnections();
    await waitUntil('reconciled again', async () => (await done()) > before);
    await waitReady(term);
    reports.push(term.sessions.reconciliation()!);
    expect(reports[0]).toMatchObject({ clean: true, missedFills: [], externalOrders: [] });
    expect((await term.store.fills.list({ accountId })).length).toBe(sim.executions().length);
  });
});
