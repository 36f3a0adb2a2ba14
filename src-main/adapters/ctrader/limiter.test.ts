// The rate limiter on virtual time: cTrader's 50 requests a second and 5 historical a second, first come first served.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../ports/clock';
import { ManualTimers } from '../../ports/timers';
import { RateLimiter } from './limiter';

function setup(limit: number, windowMs = 1_000) {
  const clock = new ManualClock(0);
  const timers = new ManualTimers(clock);
  const limiter = new RateLimiter({ limit, windowMs, clock, timers });
  const granted: number[] = [];
  const take = (n: number) => {
    for (let i = 0; i < n; i++) void limiter.acquire().then(() => granted.push(clock.now()));
  };
  return { clock, timers, limiter, granted, take };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('RateLimiter', () => {
  it('grants 50 at once, the 51st only when the first leaves the window', async () => {
    const { timers, granted, take, limiter } = setup(50);
    take(51);
    await settle();
    expect(granted).toHaveLength(50);
    expect(limiter.queued).toBe(1);
    timers.advance(999);
    await settle();
    expect(granted).toHaveLength(50);
    timers.advance(1);
    await settle();
    expect(granted).toHaveLength(51);
    expect(granted[50]).toBe(1_000);
  });

  it('never grants more than the limit in any window (12 historical requests at 5 a second: 0, 1 and 2 s)', async () => {
    const { timers, granted, take } = setup(5);
    take(12);
    await settle();
    for (let i = 0; i < 30; i++) {
      timers.advance(100);
      await settle();
    }
    expect(granted).toHaveLength(12);
    expect(granted).toEqual([0, 0, 0, 0, 0, 1_000, 1_000, 1_000, 1_000, 1_000, 2_000, 2_000]);
    for (const t of granted) expect(granted.filter((x) => x >= t && x < t + 1_000).length).toBeLessThanOrEqual(5);
  });

  it('grants in arrival order, also when some come while others wait', async () => {
    const { timers, limiter, clock } = setup(2);
    const order: string[] = [];
    const ask = (name: string) => void limiter.acquire().then(() => order.push(`${name}@${clock.now()}`));
    ask('a');
    ask('b');
    ask('c');
    await settle();
    timers.advance(500);
    ask('d');
    await settle();
    timers.advance(500);
    await settle();
    timers.advance(1_000);
    await settle();
    expect(order).toEqual(['a@0', 'b@0', 'c@1000', 'd@1000']);
  });

  it('a reset (the connection is gone) fails those waiting and starts a new count', async () => {
    const { limiter, granted, take } = setup(1);
    take(1);
    const waiting = limiter.acquire();
    limiter.reset('disconnected');
    await expect(waiting).rejects.toThrow('disconnected');
    take(1);
    await settle();
    expect(granted).toHaveLength(2);
    expect(limiter.inWindow()).toBe(1);
  });
});
