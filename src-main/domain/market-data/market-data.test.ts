import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';
import { CircuitBreaker } from './circuit-breaker';
import { compareDailyCloses, comparePrices } from './divergence';
import { RateLimit } from './rate-limit';

const HOUR = 3_600_000;

describe('RateLimit', () => {
  it('lets a burst through, then one request per refill interval', () => {
    const r = new RateLimit({ perHour: 2000 }, 0);
    expect(r.burst).toBe(34);
    let taken = 0;
    while (r.tryTake(0)) taken++;
    expect(taken).toBe(34);
    expect(r.waitMs(0)).toBe(1800); // 3600 s / 2000
    expect(r.tryTake(1799)).toBe(false);
    expect(r.tryTake(1800)).toBe(true);
  });

  it('never allows more than perHour in any rolling hour, even with a bucket as large as the limit', () => {
    const r = new RateLimit({ perHour: 100, burst: 100 }, 0);
    const times: number[] = [];
    for (let t = 0; t < 3 * HOUR; t += 1000) while (r.tryTake(t)) times.push(t);
    for (let i = 0; i < times.length; i++) {
      const inHour = times.filter((x) => x > times[i]! - HOUR && x <= times[i]!).length;
      expect(inHour).toBeLessThanOrEqual(100);
    }
    expect(times.length).toBeGreaterThanOrEqual(300);
    expect(r.usedLastHour(3 * HOUR)).toBeLessThanOrEqual(100);
  });

  it('also keeps published windows (5 per minute, 25 per day) exactly', () => {
    const r = new RateLimit({ perHour: 0, windows: [{ requests: 5, perMs: 60_000 }, { requests: 25, perMs: 86_400_000 }] }, 0);
    const times: number[] = [];
    for (let t = 0; t < 86_400_000; t += 1000) if (r.tryTake(t)) times.push(t);
    expect(times).toHaveLength(25);
    expect(times.slice(0, 6)).toEqual([0, 1000, 2000, 3000, 4000, 60_000]);
    expect(r.waitMs(86_400_000)).toBe(0); // the first of the 25 left the day window
  });

  it('is unlimited with perHour 0', () => {
    const r = new RateLimit({ perHour: 0 }, 0);
    for (let i = 0; i < 10_000; i++) expect(r.tryTake(0)).toBe(true);
  });
});

describe('CircuitBreaker', () => {
  it('opens after the threshold, lets one probe through when half-open, closes on success, reopens on failure', () => {
    const c = new CircuitBreaker({ failureThreshold: 3, openMs: 30_000 });
    c.failure(0);
    c.failure(1);
    expect(c.state(2)).toBe('closed');
    c.failure(2);
    expect(c.state(3)).toBe('open');
    expect(c.allow(10_000)).toBe(false);
    expect(c.retryAt(10_000)).toBe(30_002);
    expect(c.state(30_002)).toBe('half-open');
    expect(c.allow(30_002)).toBe(true);
    expect(c.allow(30_003)).toBe(false); // one probe at a time
    c.failure(30_004);
    expect(c.state(30_005)).toBe('open');
    expect(c.allow(60_004)).toBe(true);
    c.success();
    expect(c.state(60_005)).toBe('closed');
    expect(c.consecutiveFailures).toBe(0);
  });
});

describe('backoffDelay', () => {
  it('doubles up to the cap, with jitter between half and the full delay, and honours Retry-After', () => {
    const o = { baseMs: 500, maxMs: 8000 };
    expect(backoffDelay(1, o, () => 0)).toBe(250);
    expect(backoffDelay(1, o, () => 0.999999)).toBe(500);
    expect(backoffDelay(3, o, () => 0.5)).toBe(1500);
    expect(backoffDelay(10, o, () => 1)).toBe(8000);
    expect(backoffDelay(1, o, () => 0, 5000)).toBe(5000);
  });
});

describe('cross-validation', () => {
  it('flags a relative difference beyond the threshold and not below it', () => {
    expect(comparePrices(100, 101.9, 0.02)?.diverges).toBe(false);
    expect(comparePrices(100, 102.1, 0.02)?.diverges).toBe(true);
    expect(comparePrices(100, 97.9, 0.02)?.diff).toBeCloseTo(0.021, 6);
    expect(comparePrices(0, 1, 0.02)).toBeUndefined();
    expect(comparePrices(1, Number.NaN, 0.02)).toBeUndefined();
  });

  it('compares daily closes on the days both sources have', () => {
    const day = 86_400;
    const p = [{ time: 0, close: 100 }, { time: day, close: 100 }, { time: 2 * day, close: 100 }];
    const s = [{ time: day + 3600, close: 110 }, { time: 2 * day, close: 100.5 }, { time: 5 * day, close: 1 }];
    expect(compareDailyCloses(p, s, 0.02)).toEqual([{ day: 1, primary: 100, secondary: 110, diff: expect.closeTo(0.1, 9) }]);
  });
});
