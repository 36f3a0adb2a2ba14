// Orders through the TradingService to the TWS simulator over TCP (real @stoqey/ib client), booked in a SQLite file.
import { afterEach, describe, expect, it } from 'vitest';
import { dec } from '../../src-main/domain/money';
import type { TwsSimulator } from '../../tools/tws-sim/simulator';
import { openTerminal, startSim, tempDb, waitReady, waitUntil, type Terminal } from './harness';

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
});
