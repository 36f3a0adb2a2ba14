// Historical-data request scheduler that keeps within IB's pacing rules, so TWS never answers with error 162.
// IB's rules (TWS API docs, "Historical Data Limitations"): a violation is
//   1. an identical request within 15 seconds;
//   2. six or more requests for the same contract, exchange and tick type within two seconds;
//   3. more than 60 requests within any ten-minute period;
// and BID_ASK requests count twice. We stay inside each with a safety margin (TWS measures on arrival, we on send),
// share identical requests (in flight or answered within the last 15 s) instead of repeating them, serve the UI
// before bulk downloads, and if a 162 still comes (another application on the same TWS) pause and retry.
import { systemClock, type Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import { realTimers, type Timers } from '../../ports/timers';
import { SlidingWindowLimit } from './rate-limit';

export type PacingPriority = 'ui' | 'bulk';

export interface PacedRequest<T> {
  /** Identity of the request as TWS sees it (contract, end, duration, bar size, what to show, RTH): equal ⇒ identical. */
  key: string;
  /** Contract + exchange + tick type: the unit of the two-second rule. */
  contractKey: string;
  /** Pacing weight: 2 for BID_ASK, else 1. */
  cost?: number;
  /** Issues the request; rejects with an error `isPacingViolation` recognises if TWS answers 162 pacing. */
  run(signal: AbortSignal): Promise<T>;
}

export interface PacingOptions {
  clock?: Clock;
  timers?: Timers;
  /** Requests per ten minutes (IB: more than 60 is a violation). */
  maxPerTenMinutes?: number;
  /** Requests per contract within two seconds (IB: six or more is a violation, so 5). */
  maxPerContractPerTwoSeconds?: number;
  /** Gap between identical requests (IB: 15 s). */
  identicalGapMs?: number;
  /** Added to every window: TWS counts on arrival, so network jitter could squeeze our spacing. */
  marginMs?: number;
  /** Of the ten-minute budget, this many are kept for UI requests: bulk downloads never take the last slots. */
  uiReserve?: number;
  /** Open requests at once (TWS allows about 50 simultaneous historical requests); bulk leaves 5 of them to the UI. */
  maxInFlight?: number;
  /** First pause after a pacing violation; doubles on each consecutive one, up to ten minutes. */
  violationBackoffMs?: number;
  /** Retries per request after pacing violations before giving up; 6 doubling pauses outlast IB's 10-minute window. */
  maxRetries?: number;
  isPacingViolation?: (err: unknown) => boolean;
  /**
   * The outgoing message limiter: a request is dispatched only when its message would be written at once, so the
   * times we pace by are the times TWS receives (a request stuck behind a burst of subscriptions and then sent
   * together with later ones could otherwise break the two-second rule).
   */
  outgoing?: { capacity(): number; delayMs(): number };
}

export interface PacingStats {
  queued: number;
  inFlight: number;
  /** Requests issued to TWS (retries included). */
  sent: number;
  /** Callers served by a request already queued or in flight. */
  shared: number;
  /** Callers served from a result less than 15 s old. */
  servedRecent: number;
  pacingViolations: number;
  retries: number;
  cancelled: number;
  /** UTC ms until which requests are paused after a violation, or null. */
  pausedUntil: number | null;
}

const TEN_MINUTES = 600_000;
const UI_IN_FLIGHT_RESERVE = 5;
const PRIORITY_RANK: Record<PacingPriority, number> = { ui: 0, bulk: 1 };

interface Caller {
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

interface Entry {
  req: PacedRequest<unknown>;
  priority: PacingPriority;
  callers: Set<Caller>;
  state: 'queued' | 'in-flight';
  attempts: number;
  abort: AbortController;
  /** Queue order: lower first (a retried request keeps its place). */
  seq: number;
}

function defaultIsPacing(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { isPacing?: unknown }).isPacing === true;
}

export class HistoricalPacer implements Disposable {
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly o: Required<Omit<PacingOptions, 'clock' | 'timers' | 'outgoing'>>;
  private readonly outgoing: PacingOptions['outgoing'];
  private readonly global: SlidingWindowLimit;
  private readonly perContract = new Map<string, SlidingWindowLimit>();
  private readonly lastSent = new Map<string, number>();
  private readonly recent = new Map<string, { at: number; value: unknown }>();
  private readonly entries = new Map<string, Entry>();
  private seq = 0;
  private cancelWake: (() => void) | undefined;
  private wakeAt = Infinity;
  private pausedUntil = 0;
  private consecutiveViolations = 0;
  private inFlight = 0;
  private readonly counts = { sent: 0, shared: 0, servedRecent: 0, pacingViolations: 0, retries: 0, cancelled: 0 };
  private disposed = false;

  constructor(opts: PacingOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.timers = opts.timers ?? realTimers;
    this.outgoing = opts.outgoing;
    this.o = {
      maxPerTenMinutes: opts.maxPerTenMinutes ?? 60,
      maxPerContractPerTwoSeconds: opts.maxPerContractPerTwoSeconds ?? 5,
      identicalGapMs: opts.identicalGapMs ?? 15_000,
      marginMs: opts.marginMs ?? 500,
      uiReserve: opts.uiReserve ?? 5,
      maxInFlight: opts.maxInFlight ?? 45,
      violationBackoffMs: opts.violationBackoffMs ?? 15_000,
      maxRetries: opts.maxRetries ?? 6,
      isPacingViolation: opts.isPacingViolation ?? defaultIsPacing,
    };
    if (this.o.uiReserve >= this.o.maxPerTenMinutes) throw new Error('uiReserve must be below maxPerTenMinutes');
    if (this.o.maxInFlight <= UI_IN_FLIGHT_RESERVE) throw new Error(`maxInFlight must be above ${UI_IN_FLIGHT_RESERVE}`);
    this.global = new SlidingWindowLimit(this.o.maxPerTenMinutes, TEN_MINUTES + this.o.marginMs);
  }

  /** Queues a request (or joins an identical one); resolves with its result. Aborting `signal` leaves the queue. */
  schedule<T>(req: PacedRequest<T>, opts: { priority?: PacingPriority; signal?: AbortSignal } = {}): Promise<T> {
    if (this.disposed) return Promise.reject(new Error('the historical data scheduler is closed'));
    const priority = opts.priority ?? 'ui';
    const signal = opts.signal;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const now = this.clock.now();
    const hit = this.recent.get(req.key);
    if (hit && now - hit.at < this.o.identicalGapMs) {
      this.counts.servedRecent++;
      return Promise.resolve(hit.value as T);
    }
    return new Promise<T>((resolve, reject) => {
      const caller: Caller = { resolve: resolve as (v: unknown) => void, reject };
      let entry = this.entries.get(req.key);
      if (entry) {
        this.counts.shared++;
        if (PRIORITY_RANK[priority] < PRIORITY_RANK[entry.priority]) entry.priority = priority;
      } else {
        entry = { req: req as PacedRequest<unknown>, priority, callers: new Set(), state: 'queued', attempts: 0, abort: new AbortController(), seq: this.seq++ };
        this.entries.set(req.key, entry);
      }
      entry.callers.add(caller);
      const e = entry;
      signal?.addEventListener('abort', () => this.leave(e, caller, abortError(signal)), { once: true });
      this.pump();
    });
  }

  stats(): PacingStats {
    let queued = 0;
    for (const e of this.entries.values()) if (e.state === 'queued') queued++;
    return { queued, inFlight: this.inFlight, ...this.counts, pausedUntil: this.pausedUntil > this.clock.now() ? this.pausedUntil : null };
  }

  /** Rejects everything queued and aborts what is in flight. */
  dispose(): void {
    this.disposed = true;
    this.cancelWake?.();
    for (const e of [...this.entries.values()]) {
      this.entries.delete(e.req.key);
      e.abort.abort();
      for (const c of e.callers) c.reject(new Error('the historical data scheduler was closed'));
    }
  }

  private leave(entry: Entry, caller: Caller, reason: unknown): void {
    if (!entry.callers.delete(caller)) return;
    caller.reject(reason);
    if (entry.callers.size > 0) return;
    // Nobody wants it any more: drop it from the queue, or cancel it at TWS.
    this.counts.cancelled++;
    if (this.entries.get(entry.req.key) === entry) this.entries.delete(entry.req.key);
    if (entry.state === 'in-flight') entry.abort.abort();
    this.pump();
  }

  private pump(): void {
    if (this.disposed) return;
    const now = this.clock.now();
    let wake = Infinity;
    if (this.pausedUntil > now) {
      wake = this.pausedUntil;
    } else {
      const queued = [...this.entries.values()]
        .filter((e) => e.state === 'queued')
        .sort((a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || a.seq - b.seq);
      let capacity = this.outgoing ? this.outgoing.capacity() : Infinity;
      for (const e of queued) {
        // A finishing request pumps again.
        if (this.inFlight >= this.o.maxInFlight - (e.priority === 'bulk' ? UI_IN_FLIGHT_RESERVE : 0)) continue;
        const wait = this.waitFor(e, now);
        if (wait > 0) {
          wake = Math.min(wake, now + wait);
          continue;
        }
        if (capacity <= 0) {
          wake = Math.min(wake, now + Math.max(1, this.outgoing?.delayMs() ?? 0));
          break;
        }
        capacity--;
        this.dispatch(e, now);
      }
    }
    this.scheduleWake(wake);
  }

  /** How long `e` must wait under the three rules (0 = it may go now). */
  private waitFor(e: Entry, now: number): number {
    const cost = e.req.cost ?? 1;
    const limit = e.priority === 'ui' ? this.o.maxPerTenMinutes : this.o.maxPerTenMinutes - this.o.uiReserve;
    const globalWait = this.global.waitMs(now, limit, cost);
    const contract = this.perContract.get(e.req.contractKey);
    const contractWait = contract ? contract.waitMs(now, undefined, Math.min(cost, contract.limit)) : 0;
    const last = this.lastSent.get(e.req.key);
    const identicalWait = last === undefined ? 0 : Math.max(0, last + this.o.identicalGapMs + this.o.marginMs - now);
    return Math.max(globalWait, contractWait, identicalWait);
  }

  private dispatch(e: Entry, now: number): void {
    const cost = e.req.cost ?? 1;
    this.global.record(now, cost);
    let contract = this.perContract.get(e.req.contractKey);
    if (!contract) {
      contract = new SlidingWindowLimit(this.o.maxPerContractPerTwoSeconds, 2000 + this.o.marginMs);
      this.perContract.set(e.req.contractKey, contract);
    }
    contract.record(now, Math.min(cost, contract.limit));
    this.lastSent.set(e.req.key, now);
    this.prune(now);
    e.state = 'in-flight';
    e.attempts++;
    this.inFlight++;
    this.counts.sent++;
    let run: Promise<unknown>;
    try {
      run = e.req.run(e.abort.signal);
    } catch (err) {
      run = Promise.reject(err);
    }
    run.then(
      (value) => this.settle(e, () => {
        this.consecutiveViolations = 0;
        this.recent.set(e.req.key, { at: this.clock.now(), value });
        for (const c of e.callers) c.resolve(value);
        this.entries.delete(e.req.key);
      }),
      (err: unknown) => this.settle(e, () => {
        if (this.o.isPacingViolation(err) && !e.abort.signal.aborted) {
          this.counts.pacingViolations++;
          this.consecutiveViolations++;
          const backoff = Math.min(TEN_MINUTES, this.o.violationBackoffMs * 2 ** (this.consecutiveViolations - 1));
          this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + backoff);
          if (e.attempts <= this.o.maxRetries && e.callers.size > 0) {
            this.counts.retries++;
            e.state = 'queued'; // keeps its seq: first in line when the pause ends
            // TWS has seen this request now: the identical-request gap runs from the violation.
            this.lastSent.set(e.req.key, this.clock.now());
            return;
          }
        }
        for (const c of e.callers) c.reject(err);
        this.entries.delete(e.req.key);
      }),
    );
  }

  private settle(e: Entry, fn: () => void): void {
    this.inFlight--;
    // A cancelled request may already have been replaced by a new one with the same key.
    if (this.entries.get(e.req.key) === e) fn();
    this.pump();
  }

  private scheduleWake(at: number): void {
    if (at === this.wakeAt) return;
    this.cancelWake?.();
    this.cancelWake = undefined;
    this.wakeAt = at;
    if (at === Infinity) return;
    this.cancelWake = this.timers.after(at - this.clock.now(), () => {
      this.cancelWake = undefined;
      this.wakeAt = Infinity;
      this.pump();
    });
  }

  private prune(now: number): void {
    const gap = this.o.identicalGapMs + this.o.marginMs;
    for (const [k, t] of this.lastSent) if (now - t >= gap) this.lastSent.delete(k);
    for (const [k, r] of this.recent) if (now - r.at >= this.o.identicalGapMs) this.recent.delete(k);
    for (const [k, w] of this.perContract) if (w.inWindow(now) === 0) this.perContract.delete(k);
  }
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('The request was cancelled', 'AbortError');
}
