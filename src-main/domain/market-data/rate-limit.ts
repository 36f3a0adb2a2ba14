// Request budget of one data provider: a token bucket that smooths bursts, capped by exact rolling windows (the
// configured requests per hour, plus any limits the provider publishes, such as Alpha Vantage's 5/minute and 25/day).
// Hand-written: the bucket is a few lines of arithmetic on an injected time, which no timer-bound library offers, and a
// rolling window (a ring of the last N request times) is what makes "never more than N in any window" exact.

import { SlidingWindowLimit } from '../sliding-window';

const HOUR_MS = 3_600_000;

export interface RateLimitOptions {
  /** Requests allowed in any rolling hour; 0 = no hourly limit (and no bucket). */
  perHour: number;
  /** Bucket size: requests that may go at once after a quiet spell. Default: one minute's worth (at least 1). */
  burst?: number;
  /** Further exact windows, e.g. a provider's published limits. */
  windows?: readonly { requests: number; perMs: number }[];
}

export class RateLimit {
  readonly perHour: number;
  readonly burst: number;
  private tokens: number;
  private refilledAt: number;
  private readonly hour: SlidingWindowLimit | undefined;
  private readonly windows: SlidingWindowLimit[];

  constructor(opts: RateLimitOptions, now: number) {
    if (!Number.isInteger(opts.perHour) || opts.perHour < 0) throw new Error(`perHour must be a non-negative integer, got ${opts.perHour}`);
    for (const w of opts.windows ?? []) {
      if (!Number.isInteger(w.requests) || w.requests < 1 || !(w.perMs > 0)) throw new Error(`a rate window needs a positive integer of requests and a positive period, got ${w.requests}/${w.perMs} ms`);
    }
    this.perHour = opts.perHour;
    this.burst = opts.burst ?? Math.max(1, Math.ceil(opts.perHour / 60));
    this.tokens = this.burst;
    this.refilledAt = now;
    this.hour = opts.perHour > 0 ? new SlidingWindowLimit(opts.perHour, HOUR_MS) : undefined;
    this.windows = (opts.windows ?? []).map((w) => new SlidingWindowLimit(w.requests, w.perMs));
  }

  /** No limit at all: neither an hourly budget nor a published window. */
  get unlimited(): boolean {
    return !this.hour && this.windows.length === 0;
  }

  private refill(now: number): void {
    if (now > this.refilledAt) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) * this.perHour) / HOUR_MS);
      this.refilledAt = now;
    }
  }

  /** Milliseconds until one more request is allowed (0 = now). */
  waitMs(now: number): number {
    let wait = 0;
    if (this.hour) {
      this.refill(now);
      if (this.tokens < 1) wait = Math.ceil(((1 - this.tokens) * HOUR_MS) / this.perHour);
      wait = Math.max(wait, this.hour.waitMs(now));
    }
    for (const w of this.windows) wait = Math.max(wait, w.waitMs(now));
    return wait;
  }

  /** Takes a request if allowed now; returns whether it did. */
  tryTake(now: number): boolean {
    if (this.waitMs(now) > 0) return false;
    if (this.hour) {
      this.tokens -= 1;
      this.hour.record(now);
    }
    for (const w of this.windows) w.record(now);
    return true;
  }

  /** Requests taken in the hour ending at `now` (counted only under an hourly limit). */
  usedLastHour(now: number): number {
    return this.hour?.inWindow(now) ?? 0;
  }
}
