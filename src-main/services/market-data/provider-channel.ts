// One data provider behind its guards: a rate limit that queues (within a bound), a timeout per request, retries with
// backoff on retryable errors, and a circuit breaker fed by outcomes and health checks. Also keeps what the Data
// sources view shows: last error, latency, last success, requests in the last hour.
import { Emitter } from '../../../src-shared/common/emitter';
import { backoffDelay, type BackoffOptions } from '../../domain/market-data/backoff';
import { CircuitBreaker, type CircuitOptions, type CircuitState } from '../../domain/market-data/circuit-breaker';
import { RateLimit } from '../../domain/market-data/rate-limit';
import type { Clock } from '../../ports/clock';
import { ProviderError, type DataProvider } from '../../ports/data-provider';
import type { Timers } from '../../ports/timers';

export interface ChannelOptions {
  enabled: boolean;
  /** Requests per rolling hour, 0 = unlimited. */
  perHour: number;
  /** Requests that may wait for the rate limit; beyond that a request fails at once. */
  queueLimit: number;
  timeoutMs: number;
  /** Retries after the first attempt. */
  retries: number;
  circuit: CircuitOptions;
  backoff: BackoffOptions;
  clock: Clock;
  timers: Timers;
  /** [0, 1) for the jitter; injectable so tests are deterministic. */
  random: () => number;
}

export interface ChannelError {
  message: string;
  reason: ProviderError['reason'];
  at: number;
}

/** Our own queue is full: the provider was never asked, so its circuit is not charged. */
export class QueueFullError extends ProviderError {}

const RETRYABLE = new Set<ProviderError['reason']>(['rate-limited', 'timeout', 'unavailable', 'bad-data']);

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

export class ProviderChannel {
  readonly limit: RateLimit;
  readonly breaker: CircuitBreaker;
  lastError: ChannelError | null = null;
  lastSuccessAt: number | null = null;
  /** Duration of the last successful request, ms. */
  latencyMs: number | null = null;
  /** Start of the current run of successes (null after a failure): the fail-back hysteresis reads it. */
  healthySince: number | null = null;
  private readonly queue: Waiter[] = [];
  private cancelPump: (() => void) | undefined;
  private readonly inflight = new Set<AbortController>();
  private readonly changes = new Emitter();
  private disposed = false;

  constructor(readonly provider: DataProvider, readonly opts: ChannelOptions) {
    // The configured hourly budget, and whatever the provider publishes on top (never more than either allows).
    this.limit = new RateLimit({ perHour: opts.perHour, windows: provider.rateLimits }, opts.clock.now());
    this.breaker = new CircuitBreaker(opts.circuit);
  }

  get id() {
    return this.provider.id;
  }
  get enabled(): boolean {
    return this.opts.enabled;
  }
  get queued(): number {
    return this.queue.length;
  }
  circuit(): CircuitState {
    return this.breaker.state(this.opts.clock.now());
  }
  /** Calls may go (closed, or half-open with no probe running). */
  available(): boolean {
    const s = this.circuit();
    return this.enabled && s !== 'open';
  }
  requestsLastHour(): number {
    return this.limit.usedLastHour(this.opts.clock.now());
  }

  /** Called after every change worth showing (outcome, circuit). */
  onChange(listener: () => void): () => void {
    const subscription = this.changes.on(listener);
    return () => subscription.dispose();
  }
  private changed(): void {
    this.changes.emit();
  }

  /** Waits for the rate limit (FIFO); throws rate-limited at once when the queue is full. */
  private acquire(): Promise<void> {
    const now = this.opts.clock.now();
    if (this.queue.length === 0 && this.limit.tryTake(now)) return Promise.resolve();
    if (this.queue.length >= this.opts.queueLimit) {
      return Promise.reject(new QueueFullError(this.id, 'rate-limited', `${this.id}: rate limit of ${this.opts.perHour}/hour reached and ${this.queue.length} requests already waiting`));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ resolve, reject });
      this.armPump();
    });
  }

  private armPump(): void {
    if (this.cancelPump || this.queue.length === 0) return;
    const wait = this.limit.waitMs(this.opts.clock.now());
    this.cancelPump = this.opts.timers.after(wait, () => {
      this.cancelPump = undefined;
      const now = this.opts.clock.now();
      while (this.queue.length > 0 && this.limit.tryTake(now)) this.queue.shift()!.resolve();
      this.armPump();
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.opts.timers.after(ms, resolve));
  }

  /** One attempt: rate limit, then the request raced against the timeout. */
  private async attempt<T>(what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    await this.acquire();
    if (this.disposed) throw new ProviderError(this.id, 'unavailable', `${this.id}: closed`);
    const ac = new AbortController();
    this.inflight.add(ac);
    const started = this.opts.clock.now();
    let cancelTimer: (() => void) | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        cancelTimer = this.opts.timers.after(this.opts.timeoutMs, () => {
          reject(new ProviderError(this.id, 'timeout', `${this.id}: ${what} timed out after ${this.opts.timeoutMs} ms`));
          ac.abort();
        });
      });
      const result = await Promise.race([fn(ac.signal), timeout]);
      this.latencyMs = this.opts.clock.now() - started;
      return result;
    } finally {
      cancelTimer?.();
      this.inflight.delete(ac);
    }
  }

  private toProviderError(err: unknown): ProviderError {
    if (err instanceof ProviderError) return err;
    const message = err instanceof Error ? err.message : String(err);
    return new ProviderError(this.id, 'unavailable', `${this.id}: ${message}`);
  }

  recordSuccess(): void {
    const now = this.opts.clock.now();
    this.breaker.success();
    this.lastSuccessAt = now;
    this.healthySince ??= now;
    this.changed();
  }

  recordFailure(err: ProviderError): void {
    const now = this.opts.clock.now();
    this.breaker.failure(now);
    this.lastError = { message: err.message, reason: err.reason, at: now };
    this.healthySince = null;
    this.changed();
  }

  /**
   * A request with every guard. Retryable failures are retried with backoff while the circuit allows; the final error
   * is a ProviderError naming the provider, the request and the attempts.
   */
  async call<T>(what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const attempts = this.opts.retries + 1;
    let last: ProviderError | undefined;
    for (let i = 1; i <= attempts; i++) {
      if (!this.enabled) throw new ProviderError(this.id, 'unavailable', `${this.id} is disabled in config.yaml`);
      if (!this.breaker.allow(this.opts.clock.now())) {
        throw last
          ? this.final(what, last, i - 1)
          : new ProviderError(this.id, 'unavailable', `${this.id}: circuit open after ${this.breaker.consecutiveFailures} failures (last: ${this.lastError?.message ?? 'unknown'})`);
      }
      try {
        const result = await this.attempt(what, fn);
        this.recordSuccess();
        return result;
      } catch (err) {
        last = this.toProviderError(err);
        if (err instanceof QueueFullError) {
          this.breaker.release();
          throw err;
        }
        if (last.reason === 'not-found') {
          // The source answered: it does not know this symbol. That says nothing against its health; counted as a
          // failure, a strategy waiting on a symbol IB lacks would open IB's circuit for every instrument.
          this.recordSuccess();
          throw this.final(what, last, i);
        }
        this.recordFailure(last);
        if (!RETRYABLE.has(last.reason) || i === attempts || this.disposed) throw this.final(what, last, i);
        await this.sleep(backoffDelay(i, this.opts.backoff, this.opts.random, last.retryAfterMs));
      }
    }
    throw this.final(what, last!, attempts);
  }

  private final(what: string, err: ProviderError, attempts: number): ProviderError {
    return new ProviderError(this.id, err.reason, `${this.id}: ${what} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${err.message}`, err.retryAfterMs);
  }

  /** The periodic probe; skipped while the circuit is open (the half-open probe is the next one allowed). */
  async healthCheck(): Promise<boolean | undefined> {
    if (!this.enabled || !this.breaker.allow(this.opts.clock.now())) return undefined;
    try {
      await this.attempt('health check', (signal) => this.provider.healthCheck(signal));
      this.recordSuccess();
      return true;
    } catch (err) {
      if (err instanceof QueueFullError) {
        this.breaker.release(); // a busy queue says nothing about health
        return undefined;
      }
      this.recordFailure(this.toProviderError(err));
      return false;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.cancelPump?.();
    for (const w of this.queue.splice(0)) w.reject(new ProviderError(this.id, 'unavailable', `${this.id}: closed`));
    for (const ac of this.inflight) ac.abort();
    this.changes.clear();
  }
}
