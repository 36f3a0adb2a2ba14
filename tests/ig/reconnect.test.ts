// Faults between the IG venue and the simulator process: a restart of the simulator with a working order filled while
// it was away, a restart of our side, a 5xx after IG made the deal, a stalled gateway and dropped sockets.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startIgSim, type RunningIgSim } from '../support/ig-sim-process';
import { openIgTerminal, SIM_ARGS, tempDb, waitIgReady, waitUntil, type IgTerminal } from './harness';

let sim: RunningIgSim | undefined;
let term: IgTerminal | undefined;

afterEach(async () => {
  await term?.close();
  await sim?.stop();
  term = sim = undefined;
});

async function boot(args: string[] = [], db = tempDb()): Promise<{ sim: RunningIgSim; term: IgTerminal; stateFile: string }> {
  const stateFile = `${db}.ig-sim.json`;
  sim = await startIgSim([...SIM_ARGS, '--state', stateFile, ...args]);
  term = openIgTerminal(db);
  await term.connect(sim.url);
  await waitIgReady(term);
  return { sim, term, stateFile };
}

const orderOf = async (t: IgTerminal, id: string) => (await t.store.orders.get(id))!;
const EUR = 'CS.D.EURUSD.CFD.IP';

describe('IG venue under faults', () => {
  it('after a restart of the simulator, a working order filled while it was away is booked by the reconciliation before trading resumes', async () => {
    const { sim: first, term, stateFile } = await boot();
    const { trading, session } = term.sessions.active();
    await first.fault({ kind: 'price', epic: EUR, mid: 1.08 });
    await waitUntil('EURUSD at 1.08', () => Math.abs(session.market.lastQuote('EURUSD')!.last - 1.08) < 1e-6);
    const l = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'limit', quantity: 3_000, limitPrice: 1.0775, timeInForce: 'gtc' });
    await waitUntil('acknowledged', async () => (await orderOf(term, l.order.id)).status === 'working');
    const port = first.port;
    await first.stop();
    sim = undefined;
    await waitUntil('the session to notice', () => !session.status().ready);
    // An order placed while IG is away is refused with the reason (nothing is sent blind).
    const m = await trading.placeOrder({ symbol: 'EURUSD', side: 'sell', type: 'market', quantity: 1_000, timeInForce: 'day' });
    expect(m.rejection?.message).toMatch(/^Not connected to IG/);
    // While it is down the market falls through the limit: the restarted server fills it before anyone connects.
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { prices: Record<string, number> };
    saved.prices[EUR] = 1.077;
    writeFileSync(stateFile, JSON.stringify(saved));
    sim = await startIgSim([...SIM_ARGS, '--state', stateFile], port);
    await waitUntil('reconnected and reconciled', () => session.status().ready, 10_000);
    const report = term.sessions.reconciliation()!;
    expect(report.missedFills).toEqual([expect.objectContaining({ orderId: l.order.id, quantity: 3_000, side: 'buy', price: 1.0775 })]);
    expect(report.positionDiffs).toEqual([]);
    expect(await orderOf(term, l.order.id)).toMatchObject({ status: 'filled', filledQuantity: 3_000 });
    expect((await term.store.positions.get(session.accountId, 'EURUSD'))!.quantity).toBe(3_000);
    expect((await sim.state()).deals.map((d) => d.size)).toEqual([0.03]);
  });

  it('after a restart of our side, fills made meanwhile are caught up from the activity history', async () => {
    const db = tempDb();
    const { sim, term: t1 } = await boot([], db);
    const accountId = t1.sessions.active().session.accountId;
    await sim.fault({ kind: 'price', epic: 'CS.D.GBPUSD.CFD.IP', mid: 1.27 });
    await waitUntil('GBPUSD at 1.27', () => Math.abs(t1.sessions.active().session.market.lastQuote('GBPUSD')!.last - 1.27) < 1e-6);
    const l = await t1.sessions.active().trading.placeOrder({ symbol: 'GBPUSD', side: 'sell', type: 'limit', quantity: 2_000, limitPrice: 1.2725, timeInForce: 'gtc' });
    await waitUntil('acknowledged', async () => (await orderOf(t1, l.order.id)).status === 'working');
    await t1.close();
    term = undefined;
    await sim.fault({ kind: 'price', epic: 'CS.D.GBPUSD.CFD.IP', mid: 1.274 });
    term = openIgTerminal(db);
    await term.connect(sim.url);
    await waitIgReady(term);
    expect(term.sessions.active().session.accountId).toBe(accountId);
    expect(term.sessions.reconciliation()!.missedFills).toEqual([expect.objectContaining({ orderId: l.order.id, quantity: 2_000, side: 'sell' })]);
    expect((await term.store.positions.get(accountId, 'GBPUSD'))!.quantity).toBe(-2_000);
  });

  it('a 5xx after IG made the deal: the reconnect finds the deal by its reference and books it once, never sending it again', async () => {
    const { sim, term } = await boot();
    const { trading, session } = term.sessions.active();
    await sim.fault({ kind: '5xx', count: 1, after: true, path: '/positions/otc' });
    const m = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 4_000, timeInForce: 'day' });
    await waitUntil('filled', async () => (await orderOf(term, m.order.id)).status === 'filled', 8_000);
    const fills = await term.store.fills.list({ accountId: session.accountId });
    expect(fills).toHaveLength(1);
    expect((await sim.state()).deals).toHaveLength(1);
    // And a 5xx before IG took it: nothing was dealt, so the reconciliation sends it (once).
    await sim.fault({ kind: '5xx', count: 1, path: '/positions/otc' });
    const n = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 2_000, timeInForce: 'day' });
    await waitUntil('filled after the resend', async () => (await orderOf(term, n.order.id)).status === 'filled', 8_000);
    expect((await sim.state()).deals).toHaveLength(2);
    expect((await term.store.positions.get(session.accountId, 'EURUSD'))!.quantity).toBe(6_000);
  });

  it('dropped sockets and a stalled gateway: the session reconnects (or rides it out) and keeps trading', async () => {
    const { sim, term } = await boot();
    const { trading, session } = term.sessions.active();
    // Longer than two request time limits (a GET is tried twice): the price poll fails and the link is dropped.
    await sim.fault({ kind: 'stall', ms: 7_000 });
    await waitUntil('the stall noticed', () => !session.status().ready, 9_000);
    await waitUntil('ready again', () => session.status().ready, 12_000);
    await sim.fault({ kind: 'drop' });
    const m = await trading.placeOrder({ symbol: 'USDJPY', side: 'sell', type: 'market', quantity: 1_000, timeInForce: 'day' });
    await waitUntil('filled', async () => (await orderOf(term, m.order.id)).status === 'filled', 8_000);
    expect((await term.store.positions.get(session.accountId, 'USDJPY'))!.quantity).toBe(-1_000);
  });
});
