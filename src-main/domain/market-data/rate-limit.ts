// Request budget of one data provider: a token bucket that smooths bursts, capped by an exact rolling hour.
// Hand-written: the bucket is a few lines of arithmetic on an injected time, which no timer-bound library offers, and the
// rolling window (a ring of the last `perHour` request times) is what makes "never more than N in any hour" exact.

const HOUR_MS = 3_600_000;

export interface RateLimitOptions {
  /** Requests allowed in any rolling hour; 0 = unlimited. */
  perHour: number;
  /** Bucket size: requests that may go at once after a quiet spell. Default: one minute's worth (at least 1). */
  burst?: number;
}

export class RateLimit {
  readonly perHour: number;
  readonly burst: number;
  private tokens: number;
  private refilledAt: number;
  private readonly times: number[];
  private head = 0;
  private count = 0;

  constructor(opts: RateLimitOptions, now: number) {
    if (!Number.isInteger(opts.perHour) || opts.perHour < 0) throw new Error(`perHour must be a non-negative integer, got ${opts.perHour}`);
    this.perHour = opts.perHour;
    this.burst = opts.burst ?? Math.max(1, Math.ceil(opts.perHour / 60));
    this.tokens = this.burst;
    this.refilledAt = now;
    this.times = new Array<number>(opts.perHour).fill(0);
  }

  get unlimited(): boolean {
    return this.perHour === 0;
  }

  private refill(now: number): void {
    if (now > this.refilledAt) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) * this.perHour) / HOUR_MS);
      this.refilledAt = now;
    }
  }

  /** Milliseconds until one more request is allowed (0 = now). */
  waitMs(now: number): number {
    if (this.unlimited) return 0;
    this.refill(now);
    const bucket = this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * HOUR_MS) / this.perHour);
    const window = this.count < this.perHour ? 0 : Math.max(0, this.times[this.head]! + HOUR_MS - now);
    return Math.max(bucket, window);
  }

  /** Takes a request if allowed now; returns whether it did. */
  tryTake(now: number): boolean {
    if (this.waitMs(now) > 0) return false;
    this.record(now);
    return true;
  }

  private record(now: number): void {
    if (this.unlimited) return;
    this.tokens -= 1;
    if (this.count < this.perHour) {
      this.times[(this.head + this.count) % this.perHour] = now;
      this.count++;
    } else {
      this.times[this.head] = now;
      this.head = (this.head + 1) % this.perHour;
    }
  }

  /** Requests taken in the hour ending at `now` (unlimited limiters do not count). */
  usedLastHour(now: number): number {
    let n = 0;
    for (let i = 0; i < this.count; i++) if (this.times[(this.head + i) % this.perHour]! > now - HOUR_MS) n++;
    return n;
  }
}
