// The outgoing message rate stays under TWS's 50 per second during a burst of 500 subscriptions and history requests,
// as the simulator counts it (real clock: the burst takes about 11 s at 45 messages/s). The simulator runs in its own
// process, as TWS does: in ours, a stall of the shared event loop would make it read two seconds' messages at once.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IbDataClient } from '../../src-main/adapters/ib/data';
import { TestIbHandle, until } from './handle';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

interface SimStats {
  connections: number;
  messagesIn: number;
  maxMessagesPerSecond: number;
  pacingViolations: number;
  rateViolations: number;
}

/** The simulator's CLI in a child process: its port, and its stats on demand (the `status` command on stdin). */
async function simProcess(): Promise<{ port: number; stats(): Promise<SimStats>; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../../tools/tws-sim/cli.ts'), '--port', '0', '--tick-ms', '0'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const waiters: Array<(line: string) => boolean> = [];
  lines.on('line', (line) => {
    const i = waiters.findIndex((w) => w(line));
    if (i >= 0) waiters.splice(i, 1);
  });
  const next = (re: RegExp, ms = 20_000) => new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tws-sim: no line matching ${re} within ${ms} ms`)), ms);
    waiters.push((line) => {
      const m = re.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
      return m !== null;
    });
  });
  const port = Number((await next(/listening on [\d.]+:(\d+)/))[1]);
  return {
    port,
    async stats() {
      const reply = next(/^\{"stats"/);
      child.stdin!.write('status\n');
      return (JSON.parse((await reply).input) as { stats: SimStats }).stats;
    },
    stop: () => void child.kill('SIGTERM'),
  };
}

describe('IB outgoing rate', () => {
  it('keeps a burst of 500 subscriptions and requests under 50 messages per second at TWS', async () => {
    const sim = await simProcess();
    cleanup.push(() => sim.stop());
    const port = sim.port;
    const handle = new TestIbHandle(port);
    cleanup.push(() => handle.dispose());
    await handle.connect();
    const client = new IbDataClient(handle, { lineBudget: 1000 });
    cleanup.push(() => client.dispose());
    const inBefore = (await sim.stats()).messagesIn;
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
    const stats = await sim.stats();
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
