// IG's REST client against the simulator in-process over real HTTP: its per-minute allowance is honoured by queueing
// (on a manual clock: the sixth request of a minute waits for the minute to pass).
import { afterEach, describe, expect, it } from 'vitest';
import { IgSimulator } from '../../../tools/ig-sim/server';
import { ManualClock } from '../../ports/clock';
import { ManualTimers } from '../../ports/timers';
import { igLogin, IgRest } from './rest';

let sim: IgSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('IG REST client', () => {
  it("holds requests beyond IG's allowance until the minute has passed (on a manual clock), instead of sending them to be refused", async () => {
    sim = new IgSimulator({ apiKey: 'k', identifier: 'u', password: 'p', tickMs: 0, nonTradingPerMinute: 0 });
    const base = `http://127.0.0.1:${await sim.start()}`;
    const { tokens } = await igLogin(base, 'k', 'u', 'p', 3_000);
    const clock = new ManualClock(1_000_000);
    const timers = new ManualTimers(clock);
    const rest = new IgRest({
      base, apiKey: 'k', timers, now: () => clock.now(), timeoutMs: 3_000, maxRetryAfterMs: 60_000, allowanceBackoffMs: 60_000,
      nonTradingPerMinute: 5, tradingPerMinute: 100, relogin: () => Promise.reject(new Error('no re-login expected')),
    }, tokens);
    const answered: number[] = [];
    const all = Array.from({ length: 7 }, (_, i) => rest.request('GET', '/accounts', 1).then(() => answered.push(i)));
    await waitFor(() => answered.length === 5);
    await new Promise((r) => setTimeout(r, 100));
    expect(answered).toHaveLength(5);
    expect(timers.size).toBe(2); // two requests wait for the window
    expect(sim.requests.filter((r) => r === 'GET /accounts')).toHaveLength(5);
    timers.advance(60_001);
    await Promise.all(all);
    expect(answered).toHaveLength(7);
    expect(sim.requests.filter((r) => r === 'GET /accounts')).toHaveLength(7);
  });
});

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
}
