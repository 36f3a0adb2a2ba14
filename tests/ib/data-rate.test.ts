// The outgoing message rate stays under TWS's 50 per second during a burst of 500 subscriptions and history requests,
// as the simulator counts it (real clock: the burst takes about 11 s at 45 messages/s).
import { afterEach, describe, expect, it } from 'vitest';
import { TwsSimulator } from '../../tools/tws-sim/simulator';
import { IbDataClient } from '../../src-main/adapters/ib/data';
import { TestIbHandle, until } from './handle';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('IB outgoing rate', () => {
  it('keeps a burst of 500 subscriptions and requests under 50 messages per second at TWS', async () => {
    const sim = new TwsSimulator({ port: 0, tickMs: 0, accountUpdateMs: 0 });
    const port = await sim.start();
    cleanup.push(() => sim.close());
    const handle = new TestIbHandle(port);
    cleanup.push(() => handle.dispose());
    await handle.connect();
    const client = new IbDataClient(handle, { lineBudget: 1000 });
    cleanup.push(() => client.dispose());
    const inBefore = sim.stats.messagesIn;
    // 480 symbols TWS does not know (a contract details request each), 8 it does (details + market data), and 12
    // history requests: every one of them a message in the same instant.
    const fake = Array.from({ length: 480 }, (_, i) => `ZZ${i}`);
    const real = ['AAPL', 'MSFT', 'SPY', 'IBM', 'TSLA', 'NVDA', 'AMZN', 'GOOGL'];
    const subs = [...fake, ...real].map((s) => client.subscribe([s], () => undefined));
    cleanup.push(() => subs.forEach((d) => void d.dispose()));
    const now = Math.floor(Date.now() / 1000);
    const history = real.concat(['EURUSD', 'GBPUSD', 'USDJPY', 'AUDUSD']).map((symbol) =>
      client.history({ symbol, timeframe: '1h', from: now - 5 * 86400, to: now }, undefined, { priority: 'bulk' }));
    await until(() => client.status().subscriptions.every((s) => s.state === 'error' || s.state === 'streaming'), 30_000, 'every line to settle');
    const bars = await Promise.all(history);
    expect(bars.every((b) => b.length > 0)).toBe(true);
    const stats = sim.stats;
    expect(stats.messagesIn - inBefore).toBeGreaterThanOrEqual(500);
    expect(stats.maxMessagesPerSecond).toBeLessThanOrEqual(50);
    expect(stats.rateViolations).toBe(0);
    expect(stats.pacingViolations).toBe(0);
    expect(stats.connections).toBe(1);
    expect(handle.codes.filter((c) => c.code === 100)).toEqual([]);
    expect(handle.limiter.stats().peakPerSecond).toBeLessThanOrEqual(45);
    expect(handle.limiter.stats().peakQueue).toBeGreaterThan(400);
    expect(client.status().subscriptions.filter((s) => s.state === 'streaming').map((s) => s.symbol).sort()).toEqual([...real].sort());
  }, 60_000);
});
