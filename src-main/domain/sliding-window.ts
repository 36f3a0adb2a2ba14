// An exact rolling-window limit on an injected time: IB's outgoing message pacing and historical-data pacing, and
// the data providers' request budgets all count events this way.

/** At most `limit` events in any window of `windowMs` (events at t count while now < t + windowMs). */
export class SlidingWindowLimit {
  // Hand-written: a ring of the last `limit` event times is all an exact rolling window needs.
  private readonly times: number[];
  private head = 0;
  private count = 0;

  constructor(readonly limit: number, readonly windowMs: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit must be a positive integer, got ${limit}`);
    if (!(windowMs > 0)) throw new Error(`windowMs must be positive, got ${windowMs}`);
    this.times = new Array<number>(limit).fill(0);
  }

  /**
   * Milliseconds until `cost` more events fit (0 = now), optionally under a lower `limit` (to keep a reserve).
   * Only the last `this.limit` events are remembered, which is all any limit up to it needs.
   */
  waitMs(now: number, limit = this.limit, cost = 1): number {
    if (cost > limit) throw new Error(`cost ${cost} exceeds limit ${limit}`);
    const inside = this.inWindow(now);
    const excess = inside + cost - limit;
    if (excess <= 0) return 0;
    // The events are in time order in the ring; the excess-th oldest one inside the window must leave it first.
    const firstInside = this.count - inside;
    const t = this.times[(this.head + firstInside + excess - 1) % this.limit];
    return Math.max(0, t + this.windowMs - now);
  }

  record(now: number, cost = 1): void {
    for (let i = 0; i < cost; i++) {
      if (this.count < this.limit) {
        this.times[(this.head + this.count) % this.limit] = now;
        this.count++;
      } else {
        this.times[this.head] = now;
        this.head = (this.head + 1) % this.limit;
      }
    }
  }

  /** Events inside the window ending at `now`. */
  inWindow(now: number): number {
    let n = 0;
    for (let i = 0; i < this.count; i++) if (this.times[(this.head + i) % this.limit] > now - this.windowMs) n++;
    return n;
  }
}
