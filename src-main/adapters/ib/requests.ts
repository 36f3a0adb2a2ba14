// One way to ask TWS something and wait for its answer, used by the data and the execution clients: a request id, a
// timeout on the injected timers (so tests run it on virtual time), cancellation by AbortSignal, and failure of every
// request in flight when the connection goes.
import { ProviderError } from '../../ports/data-provider';
import type { Timers } from '../../ports/timers';

interface InFlight {
  fail(err: Error): void;
  /** Ends the request with its empty answer (HMDS "query returned no data"), when it has one. */
  empty?(): void;
}

export interface OneShotOptions<T> {
  timeoutMs?: number;
  /** Tells TWS to stop (cancelHistoricalData...) on abort or timeout. */
  cancel?: (reqId: number) => void;
  /** The answer when TWS says there is no data. */
  emptyValue?: T;
}

export interface IbRequestHost {
  timers: Timers;
  isConnected(): boolean;
  nextReqId(): number;
  /** Default timeout of a request. */
  timeoutMs: number;
}

export class IbRequests {
  private readonly inFlight = new Map<number, InFlight>();

  constructor(private readonly host: IbRequestHost) {}

  get size(): number {
    return this.inFlight.size;
  }

  /** Fails the request `reqId` (an error TWS sent for it). */
  fail(reqId: number, err: Error): void {
    this.inFlight.get(reqId)?.fail(err);
  }

  /** Ends `reqId` with its empty answer; false when the request has none (or is not in flight). */
  empty(reqId: number): boolean {
    const shot = this.inFlight.get(reqId);
    if (!shot?.empty) return false;
    shot.empty();
    return true;
  }

  has(reqId: number): boolean {
    return this.inFlight.has(reqId);
  }

  failAll(err: Error): void {
    for (const [, s] of [...this.inFlight]) s.fail(err);
  }

  /**
   * Sends a request (`start` hooks its listeners, sends it and returns their cleanup) and resolves with what it passes
   * to `done`; rejects on timeout, abort (with the signal's reason) or when failed.
   */
  oneShot<T>(what: string, signal: AbortSignal | undefined, start: (reqId: number, done: (v: T) => void) => () => void, opts: OneShotOptions<T> = {}): Promise<T> {
    const { timeoutMs = this.host.timeoutMs, cancel } = opts;
    if (signal?.aborted) return Promise.reject(new ProviderError('ib', 'timeout', `${what} cancelled`));
    if (!this.host.isConnected()) return Promise.reject(new ProviderError('ib', 'unavailable', `${what}: not connected to TWS`));
    const reqId = this.host.nextReqId();
    return new Promise<T>((resolve, reject) => {
      let cleanup: () => void = () => undefined;
      let settled = false;
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        this.inFlight.delete(reqId);
        cancelTimer();
        signal?.removeEventListener('abort', onAbort);
        cleanup();
        fn();
      };
      const onAbort = (): void => {
        if (this.host.isConnected()) cancel?.(reqId);
        finish(() => reject(signal?.reason instanceof Error ? signal.reason : new DOMException(`${what} cancelled`, 'AbortError')));
      };
      const cancelTimer = this.host.timers.after(timeoutMs, () => {
        if (this.host.isConnected()) cancel?.(reqId);
        finish(() => reject(new ProviderError('ib', 'timeout', `${what}: no answer from TWS within ${Math.round(timeoutMs / 1000)} s`)));
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      const shot: InFlight = { fail: (err) => finish(() => reject(err)) };
      if ('emptyValue' in opts) shot.empty = () => finish(() => resolve(opts.emptyValue as T));
      this.inFlight.set(reqId, shot);
      try {
        cleanup = start(reqId, (v) => finish(() => resolve(v)));
      } catch (e) {
        finish(() => reject(e));
      }
    });
  }

  /** Resolves once `ready()` holds, checked whenever `poke` is called (e.g. on each commission report), or after
   * `timeoutMs` either way; rejects on abort. No polling: the caller knows when the answer may have changed. */
  until(ready: () => boolean, timeoutMs: number, signal: AbortSignal | undefined): { promise: Promise<void>; poke: () => void } {
    let poke: () => void = () => undefined;
    const promise = new Promise<void>((resolve, reject) => {
      let cancelTimer: () => void = () => undefined;
      const done = (fn: () => void) => {
        poke = () => undefined;
        cancelTimer();
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const onAbort = () => done(() => reject(signal?.reason instanceof Error ? signal.reason : new DOMException('cancelled', 'AbortError')));
      if (signal?.aborted) return onAbort();
      if (ready()) return resolve();
      cancelTimer = this.host.timers.after(timeoutMs, () => done(resolve));
      signal?.addEventListener('abort', onAbort, { once: true });
      poke = () => {
        if (ready()) done(resolve);
      };
    });
    return { promise, poke: () => poke() };
  }
}
