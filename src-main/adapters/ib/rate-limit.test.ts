import { describe, expect, it } from 'vitest';
import { OutgoingRateLimiter, SlidingWindowLimit } from './rate-limit';
import { VirtualTime } from '../../../tests/ib/virtual-time';

describe('SlidingWindowLimit', () => {
  it('allows `limit` events per rolling window and says how long to wait for the next', () => {
    const w = new SlidingWindowLimit(3, 1000);
    w.record(0);
    w.record(100);
    expect(w.waitMs(200)).toBe(0);
    w.record(200);
    expect(w.waitMs(200)).toBe(800); // the event at 0 leaves the window at 1000
    expect(w.waitMs(999)).toBe(1);
    expect(w.waitMs(1000)).toBe(0);
    w.record(1000);
    expect(w.waitMs(1000)).toBe(100);
    expect(w.inWindow(1000)).toBe(3);
    expect(w.inWindow(1150)).toBe(2);
  });

  it('answers for a lower limit (a reserve) and a cost above one', () => {
    const w = new SlidingWindowLimit(5, 1000);
    for (const t of [0, 100, 200, 300]) w.record(t);
    expect(w.waitMs(300)).toBe(0);
    expect(w.waitMs(300, 5, 2)).toBe(700); // two more need the event at 0 gone
    expect(w.waitMs(300, 3)).toBe(800); // under a limit of 3, the events at 0 and 100 must go
    w.record(400, 2);
    expect(w.inWindow(400)).toBe(5);
    expect(w.waitMs(400)).toBe(700);
    expect(() => w.waitMs(400, 5, 6)).toThrow(/exceeds/);
  });

  it('refuses nonsense limits', () => {
    expect(() => new SlidingWindowLimit(0, 1000)).toThrow(/limit/);
    expect(() => new SlidingWindowLimit(5, 0)).toThrow(/windowMs/);
  });
});

describe('OutgoingRateLimiter', () => {
  it('sends a burst of 500 at no more than 45 per rolling second, in order', () => {
    const vt = new VirtualTime();
    const sentAt: number[] = [];
    const order: number[] = [];
    const limiter = new OutgoingRateLimiter((tokens) => {
      sentAt.push(vt.now());
      order.push((tokens as number[][])[0][1]);
      return true;
    }, { clock: vt.clock, timers: vt });
    for (let i = 0; i < 500; i++) limiter.submit([[1 /* REQ_MKT_DATA */, i]]);
    expect(sentAt.length).toBe(45);
    while (vt.runNext());
    expect(sentAt.length).toBe(500);
    expect(order).toEqual([...Array(500).keys()]);
    for (let i = 0; i < sentAt.length; i++) {
      const inSecond = sentAt.filter((t) => t > sentAt[i] - 1000 && t <= sentAt[i]).length;
      expect(inSecond).toBeLessThanOrEqual(45);
    }
    expect(limiter.stats()).toMatchObject({ sent: 500, queued: 0, peakQueue: 500 - 45 + 0, dropped: 0, peakPerSecond: 45 });
    // 500 messages at 45/s need 11 full windows after the first.
    expect(sentAt[499] - sentAt[0]).toBe(11_000);
  });

  it('lets orders and cancels jump ahead of queued data requests', () => {
    const vt = new VirtualTime();
    const ids: number[] = [];
    const limiter = new OutgoingRateLimiter((tokens) => {
      ids.push((tokens as number[][])[0][0]);
      return true;
    }, { clock: vt.clock, timers: vt, perSecond: 2 });
    limiter.submit([[1, 'a']]);
    limiter.submit([[1, 'b']]);
    limiter.submit([[1, 'c']]);
    limiter.submit([[3 /* PLACE_ORDER */, 'order']]);
    limiter.submit([[4 /* CANCEL_ORDER */, 'cancel']]);
    while (vt.runNext());
    expect(ids).toEqual([1, 1, 3, 4, 1]);
  });

  it('drops the queue when cleared (socket closed) and counts what the socket refused', () => {
    const vt = new VirtualTime();
    let open = true;
    const lost: number[] = [];
    const limiter = new OutgoingRateLimiter(() => open, { clock: vt.clock, timers: vt, perSecond: 10, onDropped: (id) => lost.push(id) });
    for (let i = 0; i < 24; i++) limiter.submit([[1, i]]);
    limiter.submit([[3 /* PLACE_ORDER */, 'order']]);
    expect(limiter.stats()).toMatchObject({ sent: 10, queued: 15 });
    limiter.clear();
    expect(limiter.stats()).toMatchObject({ sent: 10, queued: 0, dropped: 15 });
    expect(lost).toEqual([3, ...Array(14).fill(1)]); // the order was first in line, and is reported lost
    expect(vt.pendingCount()).toBe(0);
    open = false;
    vt.advance(1000);
    limiter.submit([[1, 'late']]);
    expect(limiter.stats()).toMatchObject({ sent: 10, dropped: 16 });
    expect(lost.length).toBe(16);
  });

  it('refuses a rate above TWS limit', () => {
    expect(() => new OutgoingRateLimiter(() => true, { perSecond: 60 })).toThrow(/at most 50/);
  });
});
