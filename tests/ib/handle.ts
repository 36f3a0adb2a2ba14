// Test support: a minimal IbClientHandle over the real @stoqey/ib client (the connection manager's stand-in), with the
// outgoing rate limiter installed as the manager installs it.
import { EventName, IBApi } from '@stoqey/ib';
import type { IbClientHandle } from '../../src-main/adapters/ib/client-handle';
import { installRateLimit, type OutgoingRateLimiter, type RateLimitOptions } from '../../src-main/adapters/ib/rate-limit';
import { toDisposable, type Disposable } from '../../src-main/ports/disposable';

export class TestIbHandle implements IbClientHandle, Disposable {
  readonly api: IBApi;
  readonly limiter: OutgoingRateLimiter;
  private connected = false;
  private reqId = 1_000_000_000;
  private readonly up = new Set<() => void>();
  private readonly down = new Set<(reason: string) => void>();
  /** Every TWS error/info code seen, with its request id (-1 for system messages). */
  readonly codes: Array<{ code: number; reqId: number; text: string }> = [];

  constructor(readonly port: number, readonly clientId = 7, limit: RateLimitOptions = {}) {
    this.api = new IBApi({ host: '127.0.0.1', port });
    this.limiter = installRateLimit(this.api, limit);
    this.api.on(EventName.nextValidId, () => {
      if (this.connected) return;
      this.connected = true;
      for (const l of this.up) l();
    });
    this.api.on(EventName.disconnected, () => {
      if (!this.connected) return;
      this.connected = false;
      for (const l of this.down) l('socket closed');
    });
    this.api.on(EventName.error, (err: Error, code: number, reqId: number) => this.codes.push({ code, reqId, text: err?.message ?? '' }));
    this.api.on(EventName.info, (text: string, code: number) => this.codes.push({ code, reqId: -1, text }));
  }

  /** Connects and resolves once TWS delivered nextValidId. */
  connect(timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no nextValidId within ${timeoutMs} ms`)), timeoutMs);
      const sub = this.onConnected(() => {
        clearTimeout(timer);
        void sub.dispose();
        resolve();
      });
      this.api.connect(this.clientId);
    });
  }

  /** Resolves at the next disconnect. */
  disconnected(timeoutMs = 5000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`still connected after ${timeoutMs} ms`)), timeoutMs);
      const sub = this.onDisconnected((r) => {
        clearTimeout(timer);
        void sub.dispose();
        resolve(r);
      });
    });
  }

  isConnected(): boolean {
    return this.connected;
  }

  onConnected(listener: () => void): Disposable {
    this.up.add(listener);
    return toDisposable(() => void this.up.delete(listener));
  }

  onDisconnected(listener: (reason: string) => void): Disposable {
    this.down.add(listener);
    return toDisposable(() => void this.down.delete(listener));
  }

  nextReqId(): number {
    return ++this.reqId;
  }

  dispose(): void {
    this.limiter.dispose();
    this.api.removeAllListeners();
    this.api.on(EventName.error, () => undefined);
    this.api.disconnect();
  }
}

/** Resolves when `pred()` holds, polling every few ms of real time. */
export async function until(pred: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!pred()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
