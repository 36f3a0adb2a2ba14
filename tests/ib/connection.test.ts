// The connection manager against the TWS simulator: silence, client id in use, TWS↔IB link loss, data farms, restarts.
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../../src-shared/api/contract';
import { DEFAULT_IB_TIMINGS } from '../../src-main/adapters/ib/config';
import type { TwsSimulator } from '../../tools/tws-sim/simulator';
import { FAST_TIMINGS, openTerminal, startSim, tempDb, waitReady, waitUntil, type Terminal } from './harness';

let sim: TwsSimulator | undefined;
let term: Terminal | undefined;

afterEach(async () => {
  await term?.close();
  await sim?.close();
  term = sim = undefined;
});

function record(t: Terminal): ConnectionStatus[] {
  const seen: ConnectionStatus[] = [];
  t.sessions.active().session.onStatus((s) => seen.push(s));
  return seen;
}

describe('IB connection manager', () => {
  it('documents a default that detects a silent server within 60 s', () => {
    // Worst case: the last message just after a watchdog look, then silenceTimeout plus one tick.
    expect(DEFAULT_IB_TIMINGS.silenceTimeoutMs + DEFAULT_IB_TIMINGS.watchdogTickMs).toBeLessThanOrEqual(60_000);
    expect(DEFAULT_IB_TIMINGS.heartbeatMs).toBeLessThan(DEFAULT_IB_TIMINGS.silenceTimeoutMs);
  });

  it('a connected but silent server is detected (heartbeat unanswered), reported, and the session reconnects', async () => {
    sim = await startSim();
    term = openTerminal(tempDb(), sim.port);
    await term.connect();
    await waitReady(term);
    const seen = record(term);
    const before = sim.stats.totalConnections;
    sim.silent(true);
    const start = Date.now();
    await waitUntil('the silence to be reported', () => seen.some((s) => s.state !== 'connected' && /stopped answering/.test(s.message ?? '')), 5_000);
    const detectedMs = Date.now() - start;
    expect(detectedMs).toBeLessThan(FAST_TIMINGS.silenceTimeoutMs! + 4 * FAST_TIMINGS.watchdogTickMs!);
    expect(seen.find((s) => /stopped answering/.test(s.message ?? ''))!.ready).toBe(false);
    sim.silent(false);
    await waitReady(term);
    expect(sim.stats.totalConnections).toBeGreaterThan(before);
    expect(term.sessions.status()).toMatchObject({ state: 'connected', ready: true, message: null });
  });

  it('error 326 (client id in use) retries with the next client id', async () => {
    sim = await startSim();
    sim.clientIdInUse(7);
    term = openTerminal(tempDb(), sim.port);
    await term.connect();
    await waitReady(term);
    expect(term.sessions.status().clientId).toBe(8);
  });

  it('error 326 on every client id tried ends in a clear message and no retry storm', async () => {
    sim = await startSim();
    for (const id of [7, 8, 9]) sim.clientIdInUse(id);
    term = openTerminal(tempDb(), sim.port);
    await expect(term.connect()).rejects.toThrow(/Client ids 7–9 are all in use by other applications: choose another client id/);
    const connections = sim.stats.totalConnections;
    await new Promise((r) => setTimeout(r, 150));
    expect(sim.stats.totalConnections).toBe(connections);
  });

  it('data farm warnings (2103/2105) degrade the status but never close the order channel', async () => {
    sim = await startSim();
    term = openTerminal(tempDb(), sim.port);
    await term.connect();
    await waitReady(term);
    sim.dataFarm('usfarm', false);
    await waitUntil('degraded', () => term!.sessions.status().state === 'degraded');
    expect(term.sessions.status()).toMatchObject({ ready: true, dataFarms: expect.arrayContaining([{ name: 'usfarm', ok: false }]) });
    const { trading } = term.sessions.active();
    const r = await trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'market', quantity: 1, timeInForce: 'day' });
    expect(r.rejection).toBeNull();
    await waitUntil('the fill', async () => (await term!.store.orders.get(r.order.id))!.status === 'filled');
    sim.dataFarm('usfarm', true);
    await waitUntil('connected', () => term!.sessions.status().state === 'connected');
  });

  it('1100 holds new orders with a clear reason; 1101 reconciles again and resubscribes market data', async () => {
    sim = await startSim();
    term = openTerminal(tempDb(), sim.port);
    await term.connect();
    await waitReady(term);
    const { trading, session } = term.sessions.active();
    sim.connectivityLost();
    await waitUntil('degraded', () => term!.sessions.status().state === 'degraded');
    const held = await trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'market', quantity: 1, timeInForce: 'day' });
    expect(held.rejection?.message).toMatch(/TWS has lost its connection to IB servers/);
    expect(sim.allOrders()).toHaveLength(0);
    const reports = (await term.store.audit.list({ limit: 500 })).filter((a) => a.kind === 'reconcile.done').length;
    sim.connectivityRestored(true);
    await waitUntil('reconciled again', async () => (await term!.store.audit.list({ limit: 500 })).filter((a) => a.kind === 'reconcile.done').length > reports);
    await waitReady(term);
    const before = session.market.lastQuote('AAPL')!;
    sim.setQuote('AAPL', { bid: before.bid + 1, ask: before.ask + 1, last: before.last + 1 });
    await waitUntil('a fresh quote after resubscribing', () => session.market.lastQuote('AAPL')!.last === before.last + 1);
  });

  it('reconnects with backoff after TWS restarts, and the status says when it will retry', async () => {
    sim = await startSim({ restartPauseMs: 150 });
    term = openTerminal(tempDb(), sim.port);
    await term.connect();
    await waitReady(term);
    const seen = record(term);
    await sim.restart();
    await waitReady(term);
    const down = seen.filter((s) => s.state === 'disconnected');
    expect(down.length).toBeGreaterThan(0);
    expect(down.some((s) => s.nextRetryAt !== null && s.message !== null)).toBe(true);
    // Several failed attempts while the listener was closed: the delays grow.
    const retries = [...new Set(down.map((s) => s.nextRetryAt).filter((t): t is number => t !== null))];
    expect(retries.length).toBeGreaterThan(1);
  });
});
