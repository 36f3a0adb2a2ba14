// Faults between the cTrader venue and the simulator process: a restart of the simulator with a fill made while it was
// away, a restart of our side, a dropped connection, a stalled link, REQUEST_FREQUENCY_EXCEEDED, an order whose answer
// is lost with the connection, and execution events sent twice.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startCtraderSim, type RunningCtraderSim } from '../support/ctrader-sim-process';
import { openCtraderTerminal, SIM_ARGS, tempDb, waitCtraderReady, waitUntil, type CtraderTerminal } from './harness';

let sim: RunningCtraderSim | undefined;
let term: CtraderTerminal | undefined;

afterEach(async () => {
  await term?.close();
  await sim?.stop();
  term = sim = undefined;
});

async function boot(args: string[] = [], db = tempDb()): Promise<{ sim: RunningCtraderSim; term: CtraderTerminal; stateFile: string }> {
  const stateFile = `${db}.ctrader-sim.json`;
  sim = await startCtraderSim([...SIM_ARGS, '--state', stateFile, ...args]);
  term = openCtraderTerminal(db);
  await term.connect(sim.url);
  await waitCtraderReady(term);
  return { sim, term, stateFile };
}

const orderOf = async (t: CtraderTerminal, id: string) => (await t.store.orders.get(id))!;
const simOrdersWith = async (s: RunningCtraderSim, id: string) => (await s.state()).orders.filter((o) => o.clientOrderId === id);

describe('cTrader venue under faults', () => {
  it('after a restart of the simulator, a fill made while it was away is booked by the reconciliation before trading resumes', async () => {
    const { sim: first, term, stateFile } = await boot();
    const { trading, session } = term.sessions.active();
    await first.fault({ kind: 'price', symbol: 'EURUSD', mid: 1.08 });
    const l = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'limit', quantity: 3_000, limitPrice: 1.07, timeInForce: 'gtc' });
    await waitUntil('acknowledged', async () => (await orderOf(term, l.order.id)).status === 'working');
    const port = first.port;
    await first.stop();
    sim = undefined;
    await waitUntil('the session to notice', () => !session.status().ready);
    // While it is down the market falls through the limit: the restarted server fills it before anyone connects.
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { prices: Record<string, number> };
    saved.prices['1'] = 1.065;
    writeFileSync(stateFile, JSON.stringify(saved));
    sim = await startCtraderSim([...SIM_ARGS, '--state', stateFile], port);
    await waitUntil('reconnected and reconciled', () => session.status().ready, 10_000);
    const report = term.sessions.reconciliation()!;
    expect(report.missedFills).toEqual([expect.objectContaining({ orderId: l.order.id, quantity: 3_000, side: 'buy' })]);
    expect(report.positionDiffs).toEqual([]);
    expect(await orderOf(term, l.order.id)).toMatchObject({ status: 'filled', filledQuantity: 3_000 });
    expect((await term.store.positions.get(session.accountId, 'EURUSD'))!.quantity).toBe(3_000);
    expect((await term.store.fills.list({ accountId: session.accountId })).length).toBe(1);
  });

  it('after a restart of our side, fills made meanwhile are caught up from the deals since the last one handled', async () => {
    const db = tempDb();
    const { sim, term: t1 } = await boot([], db);
    const accountId = t1.sessions.active().session.accountId;
    await sim.fault({ kind: 'price', symbol: 'GBPUSD', mid: 1.27 });
    const l = await t1.sessions.active().trading.placeOrder({ symbol: 'GBPUSD', side: 'sell', type: 'limit', quantity: 2_000, limitPrice: 1.28, timeInForce: 'gtc' });
    await waitUntil('acknowledged', async () => (await orderOf(t1, l.order.id)).status === 'working');
    await t1.close();
    term = undefined;
    await sim.fault({ kind: 'price', symbol: 'GBPUSD', mid: 1.285 });
    term = openCtraderTerminal(db);
    await term.connect(sim.url);
    await waitCtraderReady(term);
    expect(term.sessions.active().session.accountId).toBe(accountId);
    expect(term.sessions.reconciliation()!.missedFills).toEqual([expect.objectContaining({ orderId: l.order.id, quantity: 2_000, side: 'sell' })]);
    expect((await term.store.positions.get(accountId, 'GBPUSD'))!.quantity).toBe(-2_000);
  });

  it('a dropped connection is reconnected and reconciled; an order while it is down is refused in words, one after goes once', async () => {
    const { sim, term } = await boot();
    const { trading, session } = term.sessions.active();
    await sim.fault({ kind: 'drop' });
    await waitUntil('the drop noticed', () => !session.status().ready);
    const refused = await trading.placeOrder({ symbol: 'XAUUSD', side: 'buy', type: 'market', quantity: 2, timeInForce: 'day' });
    expect(refused.rejection?.message).toMatch(/^Not connected to cTrader/);
    await waitUntil('connected again', () => session.status().ready, 10_000);
    const m = await trading.placeOrder({ symbol: 'XAUUSD', side: 'buy', type: 'market', quantity: 2, timeInForce: 'day' });
    await waitUntil('the order to fill', async () => (await orderOf(term, m.order.id)).status === 'filled', 10_000);
    expect(await simOrdersWith(sim, m.order.id)).toHaveLength(1);
    expect(await simOrdersWith(sim, refused.order.id)).toHaveLength(0);
  });

  it('a stalled link (no spot, no heartbeat) is found by the watchdog and the connection rebuilt', async () => {
    const { sim, term } = await boot();
    const { session } = term.sessions.active();
    await sim.fault({ kind: 'stall', ms: 2_500 });
    await waitUntil('the stall noticed', () => /no message from cTrader/.test(session.status().message ?? ''), 5_000);
    await waitUntil('connected again', () => session.status().ready, 10_000);
  });

  it('REQUEST_FREQUENCY_EXCEEDED is waited out: the order goes through once', async () => {
    const { sim, term } = await boot();
    const { trading } = term.sessions.active();
    await sim.fault({ kind: 'ratelimit', count: 2 });
    const m = await trading.placeOrder({ symbol: 'EURUSD', side: 'sell', type: 'market', quantity: 1_000, timeInForce: 'day' });
    await waitUntil('the fill', async () => (await orderOf(term, m.order.id)).status === 'filled', 10_000);
    expect(await simOrdersWith(sim, m.order.id)).toHaveLength(1);
    expect(term.sessions.active().session.status().ready).toBe(true);
  });

  it('an order carried out whose answer is lost with the connection: the reconciliation finds it filled; nothing is sent twice', async () => {
    const { sim, term } = await boot();
    const { trading, session } = term.sessions.active();
    await sim.fault({ kind: 'drop-on-order' });
    const m = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 2_000, timeInForce: 'day' });
    await waitUntil('the fill', async () => (await orderOf(term, m.order.id)).status === 'filled', 10_000);
    expect(await simOrdersWith(sim, m.order.id)).toHaveLength(1);
    expect((await term.store.fills.list({ accountId: session.accountId })).length).toBe(1);
    expect(term.sessions.reconciliation()!.missedFills).toEqual([expect.objectContaining({ orderId: m.order.id, quantity: 2_000 })]);
  });

  it('execution events sent twice are booked once', async () => {
    const { sim, term } = await boot();
    const { trading, session } = term.sessions.active();
    await sim.fault({ kind: 'duplicate', count: 20 });
    const a = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 1_000, timeInForce: 'day' });
    const b = await trading.placeOrder({ symbol: 'XAUUSD', side: 'sell', type: 'market', quantity: 3, timeInForce: 'day' });
    await waitUntil('both filled', async () => (await orderOf(term, a.order.id)).status === 'filled' && (await orderOf(term, b.order.id)).status === 'filled');
    expect((await term.store.fills.list({ accountId: session.accountId })).length).toBe(2);
    expect((await term.store.positions.get(session.accountId, 'XAUUSD'))!.quantity).toBe(-3);
  });
});
