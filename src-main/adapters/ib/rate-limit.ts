// Outgoing message pacing for the TWS socket: at most N messages in any rolling second (TWS disconnects above 50/s).
// @stoqey/ib has its own limiter (function-rate-limit, real timers only); we replace it at the same point, the
// controller's `rateLimiter` (called by every encoded request, never by the handshake), to get an injectable clock,
// an exact rolling window, order messages ahead of data requests, and the counts the status shows.
import { EventName, type IBApi } from '@stoqey/ib';
import { systemClock, type Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import { realTimers, type Timers } from '../../ports/timers';
import { SlidingWindowLimit } from '../../domain/sliding-window';

// Timers are the shared port; re-exported because the connection manager imports them from here.
export { realTimers, type Timers };
// The window is pure logic shared with the data providers' budgets; re-exported for the pacing scheduler.
export { SlidingWindowLimit };


export interface RateLimitOptions {
  /** Messages per rolling second; default 45, below TWS's 50 to leave room for clock differences. */
  perSecond?: number;
  clock?: Clock;
  timers?: Timers;
  /**
   * Told of every message that never reached TWS (queued when the socket closed, or refused by a closed socket), with
   * its outgoing message id: the execution client must know that a placeOrder (3) or cancelOrder (4) did not go.
   */
  onDropped?: (messageId: number, tokens: unknown[]) => void;
}

export interface RateLimitStats {
  sent: number;
  queued: number;
  peakQueue: number;
  /** Messages dropped because the socket closed before they could go (TWS forgets a dropped client's requests). */
  dropped: number;
  /** The most messages sent in any rolling second so far. */
  peakPerSecond: number;
}

/** TWS outgoing message ids that jump the queue: an order must not wait behind hundreds of data requests. */
const URGENT_MESSAGE_IDS = new Set([3 /* PLACE_ORDER */, 4 /* CANCEL_ORDER */, 58 /* REQ_GLOBAL_CANCEL */]);

/** A FIFO (with an urgent lane) that lets messages through at most `perSecond` per rolling second. */
export class OutgoingRateLimiter implements Disposable {
  private readonly window: SlidingWindowLimit;
  private readonly peakWindow: SlidingWindowLimit;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly urgent: unknown[][] = [];
  private readonly normal: unknown[][] = [];
  private cancelTimer: (() => void) | undefined;
  private sent = 0;
  private dropped = 0;
  private peakQueue = 0;
  private peakPerSecond = 0;
  private disposed = false;
  private readonly onDropped: RateLimitOptions['onDropped'];

  /** `send` returns false when the message could not go (socket closed): it is counted as dropped. */
  constructor(private readonly send: (tokens: unknown[]) => boolean, opts: RateLimitOptions = {}) {
    const perSecond = opts.perSecond ?? 45;
    if (perSecond > 50) throw new Error(`perSecond must be at most 50 (TWS's limit), got ${perSecond}`);
    this.window = new SlidingWindowLimit(perSecond, 1000);
    // Measures the real peak independently of the limit (a ring of 51 is enough to see a breach of 50).
    this.peakWindow = new SlidingWindowLimit(51, 1000);
    this.clock = opts.clock ?? systemClock;
    this.timers = opts.timers ?? realTimers;
    this.onDropped = opts.onDropped;
  }

  submit(tokens: unknown[]): void {
    if (this.disposed) return;
    (URGENT_MESSAGE_IDS.has(messageId(tokens)) ? this.urgent : this.normal).push(tokens);
    this.peakQueue = Math.max(this.peakQueue, this.queued());
    this.drain();
  }

  /** Drops everything queued (the socket closed: TWS will not remember these requests anyway). */
  clear(): void {
    const lost = [...this.urgent, ...this.normal];
    this.dropped += lost.length;
    this.urgent.length = 0;
    this.normal.length = 0;
    for (const t of lost) this.onDropped?.(messageId(t), t);
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  /** Messages that would go out at once if submitted now (0 while anything is queued). */
  capacity(): number {
    if (this.queued() > 0) return 0;
    const now = this.clock.now();
    return this.window.limit - this.window.inWindow(now);
  }

  /** ms until capacity() is positive again (an estimate while a queue drains). */
  delayMs(): number {
    const now = this.clock.now();
    const q = this.queued();
    if (q === 0) return this.window.waitMs(now);
    return Math.max(this.window.waitMs(now), Math.ceil((q / this.window.limit) * 1000));
  }

  stats(): RateLimitStats {
    return { sent: this.sent, queued: this.queued(), peakQueue: this.peakQueue, dropped: this.dropped, peakPerSecond: this.peakPerSecond };
  }

  dispose(): void {
    this.clear();
    this.disposed = true;
  }

  private queued(): number {
    return this.urgent.length + this.normal.length;
  }

  private drain(): void {
    if (this.cancelTimer) return; // a wake-up is already scheduled
    while (this.queued() > 0) {
      const now = this.clock.now();
      const wait = this.window.waitMs(now);
      if (wait > 0) {
        this.cancelTimer = this.timers.after(wait, () => {
          this.cancelTimer = undefined;
          this.drain();
        });
        return;
      }
      const tokens = (this.urgent.length > 0 ? this.urgent : this.normal).shift()!;
      this.window.record(now);
      this.peakWindow.record(now);
      this.peakPerSecond = Math.max(this.peakPerSecond, this.peakWindow.inWindow(now));
      if (this.send(tokens)) this.sent++;
      else {
        this.dropped++;
        this.onDropped?.(messageId(tokens), tokens);
      }
    }
  }
}

/** The first token of a (possibly nested) token array: the outgoing message id. */
function messageId(tokens: unknown[]): number {
  let t: unknown = tokens;
  while (Array.isArray(t)) t = t[0];
  return typeof t === 'number' ? t : Number(t);
}

/** The private parts of @stoqey/ib 1.6's Controller we rely on. */
interface ControllerInternals {
  rateLimiter: (tokens: unknown[]) => void;
  socket: { send(tokens: unknown[]): void };
  readonly connected: boolean;
}

const limiters = new WeakMap<IBApi, OutgoingRateLimiter>();

/** The limiter installed on `api`, if any (the historical pacer sends only when a request would go out at once). */
export function rateLimiterOf(api: IBApi): OutgoingRateLimiter | undefined {
  return limiters.get(api);
}

/**
 * Puts a limiter on `api`'s outgoing path (call once, before connecting). Queued messages are dropped on disconnect;
 * the clients re-issue their requests on reconnect.
 */
export function installRateLimit(api: IBApi, opts: RateLimitOptions = {}): OutgoingRateLimiter {
  const controller = (api as unknown as { controller?: Partial<ControllerInternals> }).controller;
  if (!controller || typeof controller.rateLimiter !== 'function' || typeof controller.socket?.send !== 'function') {
    throw new Error('installRateLimit: this @stoqey/ib version has no controller.rateLimiter/socket.send (written for 1.6)');
  }
  const c = controller as ControllerInternals;
  const limiter = new OutgoingRateLimiter((tokens) => {
    if (!c.connected) return false;
    c.socket.send(tokens);
    return true;
  }, opts);
  c.rateLimiter = (tokens) => limiter.submit(tokens);
  limiters.set(api, limiter);
  const onDisconnected = (): void => limiter.clear();
  api.on(EventName.disconnected, onDisconnected);
  const dispose = limiter.dispose.bind(limiter);
  limiter.dispose = () => {
    api.off(EventName.disconnected, onDisconnected);
    limiters.delete(api);
    dispose();
  };
  return limiter;
}
