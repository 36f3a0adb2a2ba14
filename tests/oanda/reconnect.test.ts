// Faults between the OANDA venue and the simulator process: a restart of the simulator with a fill made while it was
// away, a restart of our side, dropped connections, a stalled stream, 429 with Retry-After, and 5xx answers to an order.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startOandaSim, type RunningOandaSim } from '../support/oanda-sim-process';
import { openOandaTerminal, SIM_ARGS, tempDb, waitOandaReady, waitUntil, type OandaTerminal } from './harness';

let sim: RunningOandaSim | undefined;
let term: OandaTerminal | undefined;

afterEach(async () => {
  await term?.close();
  await sim?.stop();
  term = sim = undefined;
});

async function boot(args: string[] = [], db = tempDb()): Promise<{ sim: RunningOandaSim; term: OandaTerminal; stateFile: string }> {
  const stateFile = `${db}.oanda-sim.json`;
  sim = await startOandaSim([...SIM_ARGS, '--state', stateFile, ...args]);
  term = openOandaTerminal(db);
  await term.connect(sim.url);
  await waitOandaReady(term);
  return { sim, term, stateFile };
}

const orderOf = async (t: OandaTerminal, id: string) => (await t.store.orders.get(id))!;
const simOrdersWith = async (s: RunningOandaSim, id: string) => (await s.state()).orders.filter((o) => (o['clientExtensions'] as { id?: string } | undefined)?.id === id);

describe('OANDA venue under faults', () => {
  it('after a restart of the simulator, a fill made while it was away is booked by the reconciliation before trading resumes', async () => {
    const { sim: first, term, stateFile } = await boot();
    const { trading, session } = term.sessions.active();
    await first.fault({ kind: 'price', instrument: 'EUR_USD', mid: 1.08 });
    const l = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'limit', quantity: 3_000, limitPrice: 1.07, timeInForce: 'gtc' });
    await waitUntil('acknowledged', async () => (await orderOf(term, l.order.id)).status === 'working');
    const port = first.port;
    await first.stop();
    sim = undefined;
    await waitUntil('the session to notice', () => !session.status().ready);
    // While it is down the market falls through the limit: the restarted server fills it before anyone connects.
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { prices: Record<string, number> };
    saved.prices['EUR_USD'] = 1.065;
    writeFileSync(stateFile, JSON.stringify(saved));
    sim = await startOandaSim([...SIM_ARGS, '--state', stateFile], port);
    await waitUntil('reconnected and reconciled', () => session.status().ready, 10_000);
    const report = term.sessions.reconciliation()!;
    expect(report.missedFills).toEqual([expect.objectContaining({ orderId: l.order.id, quantity: 3_000, side: 'buy' })]);
    expect(report.positionDiffs).toEqual([]);
    expect(await orderOf(term, l.order.id)).toMatchObject({ status: 'filled', filledQuantity: 3_000 });
    expect((await term.store.positions.get(session.accountId, 'EURUSD'))!.quantity).toBe(3_000);
  });

  it('after a restart of our side, fills made meanwhile are caught up from the last transaction handled', async () => {
    const db = tempDb();
    const { sim, term: t1 } = await boot([], db);
    const accountId = t1.sessions.active().session.accountId;
    await sim.fault({ kind: 'price', instrument: 'GBP_USD', mid: 1.27 });
    const l = await t1.sessions.active().trading.placeOrder({ symbol: 'GBPUSD', side: 'sell', type: 'limit', quantity: 2_000, limitPrice: 1.28, timeInForce: 'gtc' });
    await waitUntil('acknowledged', async () => (await orderOf(t1, l.order.id)).status === 'working');
    await t1.close();
    term = undefined;
    await sim.fault({ kind: 'price', instrument: 'GBP_USD', mid: 1.285 });
    term = openOandaTerminal(db);
    await term.connect(sim.url);
    await waitOandaReady(term);
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
    expect(refused.rejection?.message).toMatch(/^Not connected to OANDA \(Connection to OANDA lost \(the (pricing|transactions) stream failed/);
    await waitUntil('connected again', () => session.status().ready, 10_000);
    const m = await trading.placeOrder({ symbol: 'XAUUSD', side: 'buy', type: 'market', quantity: 2, timeInForce: 'day' });
    await waitUntil('the order to fill', async () => (await orderOf(term, m.order.id)).status === 'filled', 10_000);
    expect(await simOrdersWith(sim, m.order.id)).toHaveLength(1);
    expect(await simOrdersWith(sim, refused.order.id)).toHaveLength(0);
  });

  it('a stalled stream (no line, no heartbeat) is found by the watchdog and the connection rebuilt', async () => {
    const { sim, term } = await boot();
    const { session } = term.sessions.active();
    await sim.fault({ kind: 'stall', ms: 2_500 });
    await waitUntil('the stall noticed', () => /no message on the/.test(session.status().message ?? ''), 5_000);
    await waitUntil('connected again', () => session.status().ready, 10_000);
  });

  it('429 with Retry-After is waited out: the order goes through once', async () => {
    const { sim, term } = await boot();
    const { trading } = term.sessions.active();
    await sim.fault({ kind: '429', count: 2, retryAfter: 1, path: '/orders' });
    const m = await trading.placeOrder({ symbol: 'EURUSD', side: 'sell', type: 'market', quantity: 1_000, timeInForce: 'day' });
    await waitUntil('the fill', async () => (await orderOf(term, m.order.id)).status === 'filled', 10_000);
    expect(await simOrdersWith(sim, m.order.id)).toHaveLength(1);
    expect(term.sessions.active().session.status().ready).toBe(true);
  });

  it('a 5xx after OANDA took the order: the reconciliation finds it filled; nothing is sent twice', async () => {
    const { sim, term } = await boot();
    const { trading, session } = term.sessions.active();
    await sim.fault({ kind: '5xx', count: 1, after: true, path: '/orders' });
    const m = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 1_500, timeInForce: 'day' });
    await waitUntil('the fill', async () => (await orderOf(term, m.order.id)).status === 'filled', 10_000);
    expect(await simOrdersWith(sim, m.order.id)).toHaveLength(1);
    expect((await term.store.fills.list({ accountId: session.accountId })).length).toBe(1);
  });

  it('a 5xx before OANDA took the order: the reconciliation sends it again, once', async () => {
    const { sim, term } = await boot();
    const { trading, session } = term.sessions.active();
    await sim.fault({ kind: '5xx', count: 1, path: '/orders' });
    const l = await trading.placeOrder({ symbol: 'USDJPY', side: 'buy', type: 'limit', quantity: 100, limitPrice: 140, timeInForce: 'gtc' });
    await waitUntil('acknowledged after the resend', async () => (await orderOf(term, l.order.id)).status === 'working', 10_000);
    expect(await simOrdersWith(sim, l.order.id)).toHaveLength(1);
    expect(session.status().ready).toBe(true);
  });
});
