// The connection manager on an injected clock and timers with its default timings: the backoff schedule, and a silent
// TWS detected and reported within a minute of (virtual) time. The sockets are real; only time is simulated.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_IB_TIMINGS, ibSessionConfig } from '../../src-main/adapters/ib/config';
import { IbConnection } from '../../src-main/adapters/ib/connection';
import type { Timers } from '../../src-main/adapters/ib/rate-limit';
import { IbSettings } from '../../src-shared/api/contract';
import { createLogger } from '../../src-main/logging';
import { ManualClock } from '../../src-main/ports/clock';
import type { TwsSimulator } from '../../tools/tws-sim/simulator';
import { startSim, waitUntil } from './harness';

/** Timers that fire only when the test advances the clock. */
class ManualTimers implements Timers {
  private pending: { at: number; fn: () => void; cancelled: boolean }[] = [];
  readonly scheduled: number[] = [];
  constructor(private readonly clock: ManualClock) {}
  after(ms: number, fn: () => void): () => void {
    const t = { at: this.clock.now() + ms, fn, cancelled: false };
    this.pending.push(t);
    this.scheduled.push(ms);
    return () => void (t.cancelled = true);
  }
  /** Moves time forward, firing what falls due, in time order. */
  advance(ms: number): void {
    const end = this.clock.now() + ms;
    for (;;) {
      const due = this.pending.filter((t) => !t.cancelled && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.pending = this.pending.filter((t) => t !== due);
      this.clock.set(Math.max(this.clock.now(), due.at));
      due.fn();
    }
    this.clock.set(end);
  }
}

let conn: IbConnection | undefined;
let sim: TwsSimulator | undefined;

afterEach(async () => {
  await conn?.dispose();
  await sim?.close();
  conn = sim = undefined;
});

function open(port: number, clock: ManualClock, timers: ManualTimers): IbConnection {
  const settings = IbSettings.parse({ port, clientId: 5 });
  return new IbConnection({ config: ibSessionConfig(settings), clock, timers, random: () => 0.5, logger: createLogger({ level: 'silent' }) });
}

describe('IB connection on an injected clock (default timings)', () => {
  it('backs off exponentially from 1 s to the 60 s cap while TWS is not there', async () => {
    sim = await startSim();
    const port = sim.port;
    await sim.close(); // nothing listens on the port now
    sim = undefined;
    const clock = new ManualClock(Date.UTC(2026, 10, 25, 12));
    const timers = new ManualTimers(clock);
    conn = open(port, clock, timers);
    const retries: number[] = [];
    let lastRetryAt: number | null = null;
    conn.onStatusChange(() => {
      const s = conn!.status();
      if (s.nextRetryAt !== null && s.nextRetryAt !== lastRetryAt) retries.push(s.nextRetryAt - clock.now());
      lastRetryAt = s.nextRetryAt;
    });
    conn.start();
    for (let i = 0; i < 8; i++) {
      await waitUntil(`refused attempt ${i + 1}`, () => retries.length > i);
      timers.advance(retries[i]!);
    }
    // random() = 0.5 ⇒ no jitter: the plain doubling, capped.
    expect(retries).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    expect(conn.status()).toMatchObject({ state: 'connecting' });
  });

  it('a silent TWS: heartbeat after 10 s, reported and dropped within 35 s, well under a minute', async () => {
    sim = await startSim();
    const clock = new ManualClock(Date.UTC(2026, 10, 25, 12));
    const timers = new ManualTimers(clock);
    conn = open(sim.port, clock, timers);
    conn.start();
    await waitUntil('connected', () => conn!.isConnected());
    sim.silent(true);
    const silentFrom = clock.now();
    let reportedAt: number | null = null;
    // The heartbeat is reqCurrentTime on the real client; count the calls.
    let heartbeats = 0;
    const reqCurrentTime = conn.api.reqCurrentTime.bind(conn.api);
    conn.api.reqCurrentTime = () => {
      heartbeats++;
      return reqCurrentTime();
    };
    while (reportedAt === null && clock.now() - silentFrom < 120_000) {
      timers.advance(DEFAULT_IB_TIMINGS.watchdogTickMs);
      await new Promise((r) => setTimeout(r, 2)); // let the heartbeat reach the simulator
      if (/stopped answering/.test(conn.status().message ?? '')) reportedAt = clock.now();
    }
    expect(reportedAt).not.toBeNull();
    const detectedMs = reportedAt! - silentFrom;
    expect(detectedMs).toBeGreaterThanOrEqual(DEFAULT_IB_TIMINGS.silenceTimeoutMs);
    expect(detectedMs).toBeLessThanOrEqual(DEFAULT_IB_TIMINGS.silenceTimeoutMs + DEFAULT_IB_TIMINGS.watchdogTickMs);
    expect(detectedMs).toBeLessThan(60_000);
    expect(heartbeats).toBe(1); // one heartbeat after 10 s, unanswered
    expect(conn.status().state).toBe('disconnected');
  });
});
