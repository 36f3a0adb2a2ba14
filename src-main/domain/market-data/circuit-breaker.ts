// Circuit breaker of one data provider: closed (calls flow), open (calls skipped, the next provider serves), half-open
// (one probe decides). Fed by request outcomes, timeouts and health checks.

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long it stays open before a probe is allowed, ms. */
  openMs: number;
}

export class CircuitBreaker {
  private stateValue: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probing = false;

  constructor(private readonly opts: CircuitOptions) {}

  /** The state at `now` (open turns half-open once its time is up). */
  state(now: number): CircuitState {
    if (this.stateValue === 'open' && now - this.openedAt >= this.opts.openMs) {
      this.stateValue = 'half-open';
      this.probing = false;
    }
    return this.stateValue;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Whether a call may go now; in half-open only one probe at a time. */
  allow(now: number): boolean {
    const s = this.state(now);
    if (s === 'closed') return true;
    if (s === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  /** Gives back a probe slot that was not used (the call never reached the provider). */
  release(): void {
    this.probing = false;
  }

  success(): void {
    this.failures = 0;
    this.probing = false;
    this.stateValue = 'closed';
  }

  failure(now: number): void {
    this.failures++;
    this.probing = false;
    const s = this.state(now);
    if (s === 'half-open' || (s === 'closed' && this.failures >= this.opts.failureThreshold)) {
      this.stateValue = 'open';
      this.openedAt = now;
    }
  }

  /** UTC ms when an open circuit allows a probe; null otherwise. */
  retryAt(now: number): number | null {
    return this.state(now) === 'open' ? this.openedAt + this.opts.openMs : null;
  }
}
