// A sliding-window rate limiter on injected time: at most `limit` grants in any `windowMs`, first come first served.
// cTrader counts requests per connection (50 a second, 5 a second for historical data); a request over the limit is
// refused with REQUEST_FREQUENCY_EXCEEDED, so we wait our turn instead of sending it.
import type { Clock } from '../../ports/clock';
import type { Timers } from '../../ports/timers';

export class RateLimiter {
  private readonly granted: number[] = [];
  private readonly waiting: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private cancelTimer: (() => void) | undefined;

  constructor(private readonly o: { limit: number; windowMs: number; clock: Clock; timers: Timers }) {}

  /** Resolves when the caller may send; rejected by `reset` (the connection it was for is gone). */
  acquire(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.pump();
    });
  }

  /** Grants in the current window (for tests and the status line). */
  inWindow(): number {
    this.expire();
    return this.granted.length;
  }

  get queued(): number {
    return this.waiting.length;
  }

  private expire(): void {
    const now = this.o.clock.now();
    while (this.granted.length && now - this.granted[0]! >= this.o.windowMs) this.granted.shift();
  }

  private pump(): void {
    this.expire();
    while (this.waiting.length && this.granted.length < this.o.limit) {
      this.granted.push(this.o.clock.now());
      this.waiting.shift()!.resolve();
    }
    if (this.waiting.length && !this.cancelTimer) {
      const wait = this.granted[0]! + this.o.windowMs - this.o.clock.now();
      this.cancelTimer = this.o.timers.after(wait, () => {
        this.cancelTimer = undefined;
        this.pump();
      });
    }
  }

  /** Fails everything waiting (a new connection starts a new count at cTrader). */
  reset(reason: string): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.granted.length = 0;
    for (const w of this.waiting.splice(0)) w.reject(new Error(reason));
  }
}
