// The venue keeps to cTrader's limits over a real socket: a burst of bar requests (historical, 5 a second) and of
// orders goes through without one REQUEST_FREQUENCY_EXCEEDED from the simulator, which enforces both limits.
import { afterEach, describe, expect, it } from 'vitest';
import { startCtraderSim, type RunningCtraderSim } from '../support/ctrader-sim-process';
import { openCtraderTerminal, tempDb, waitCtraderReady, waitUntil, type CtraderTerminal } from './harness';

let sim: RunningCtraderSim | undefined;
let term: CtraderTerminal | undefined;

afterEach(async () => {
  await term?.close();
  await sim?.stop();
  term = sim = undefined;
});

describe('cTrader rate limits', () => {
  it('12 bar requests at once and 60 orders in a burst: all answered, none refused for frequency', async () => {
    // Prices that keep moving: the bar requests wait seconds for the historical limit, and a quote must stay fresh.
    sim = await startCtraderSim(['--tick-ms', '100', '--heartbeat-ms', '200']);
    term = openCtraderTerminal(tempDb());
    await term.connect(sim.url);
    await waitCtraderReady(term);
    const { session, trading } = term.sessions.active();
    const bars = await Promise.all(['EURUSD', 'GBPUSD', 'USDJPY', 'XAUUSD', 'US500', 'EURUSD', 'GBPUSD', 'USDJPY', 'XAUUSD', 'US500', 'EURUSD', 'GBPUSD'].map((s) => session.market.history(s, '1m', 5)));
    expect(bars.every((b) => b.length === 5)).toBe(true);
    const placed = await Promise.all([...Array(60).keys()].map(() => trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'limit', quantity: 1_000, limitPrice: 1.0, timeInForce: 'gtc' })));
    expect(placed.flatMap((p) => (p.rejection ? [p.rejection.message] : []))).toEqual([]);
    await waitUntil('every order working', async () => (await term!.store.orders.list({ accountId: session.accountId, limit: 100 })).filter((o) => o.status === 'working').length === 60, 15_000);
    const state = await sim.state() as unknown as { refusedForRate: number; orders: unknown[] };
    expect(state.orders).toHaveLength(60);
    expect(state.refusedForRate).toBe(0);
  });
});
