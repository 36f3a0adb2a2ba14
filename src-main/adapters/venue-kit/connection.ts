// The connection state machine every CFD venue shares (OANDA, cTrader, IG, MT5): idle → connecting → connected, a drop
// back to idle with a reconnect after an exponential backoff with jitter, and `stopped` when the venue refused us
// (retrying a refused credential cannot help). The venue subclass only opens its wire (`establish`), closes it
// (`teardown`) and says which failures are refusals; the execution client listens to `onConnected` to reconcile
// before any order.
import type { ConnectionStatus } from '../../../src-shared/domain/broker';
import { Emitter } from '../../../src-shared/common/emitter';
import type { Logger } from '../../logging';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import { realTimers, type Timers } from '../../ports/timers';

export type LinkStatus = Omit<ConnectionStatus, 'queuedOrders' | 'ready'>;
export type LinkPhase = 'idle' | 'connecting' | 'connected' | 'stopped';

export interface Backoff {
  /** First reconnect delay; doubles on every failed attempt up to `reconnectMaxMs`, with ± `reconnectJitter` spread. */
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  reconnectJitter: number;
}

/** Thrown by `establish` when retrying cannot help (no credentials, no such account): the link stops with its words. */
export class ConnectRefused extends Error {}

/** What a failed connect means: a refusal stops the link; anything else is retried after the backoff. */
export interface FailureVerdict {
  refused: boolean;
  message: string;
  /** Extra log fields (a status or error code; never a secret or an account id). */
  log?: Record<string, unknown>;
}

export interface VenueConnectionOptions {
  /** The venue's name in words, as the user reads it ("OANDA", "MetaTrader 5"). */
  venue: string;
  backoff: Backoff;
  clock: Clock;
  logger: Logger;
  timers?: Timers;
  random?: () => number;
}

/** The delay before reconnect attempt `attempt` (0-based): doubling from the initial delay, capped, with jitter. */
export function backoffDelay(b: Backoff, attempt: number, random: () => number): number {
  const base = Math.min(b.reconnectMaxMs, b.reconnectInitialMs * 2 ** attempt);
  return Math.max(0, base * (1 + b.reconnectJitter * (2 * random() - 1)));
}

export abstract class VenueConnection implements Disposable {
  protected readonly timers: Timers;
  protected readonly random: () => number;
  protected phase: LinkPhase = 'idle';
  protected epoch = 0;
  protected message: string | null = null;
  protected lastMessageAt: number | null = null;
  private attempt = 0;
  private nextRetryAt: number | null = null;
  private cancelRetry: (() => void) | undefined;
  private cancelWatchdog: (() => void) | undefined;
  private readonly connected = new Emitter();
  private readonly disconnected = new Emitter<string>();
  private readonly statusChanged = new Emitter();

  constructor(private readonly link: VenueConnectionOptions) {
    this.timers = link.timers ?? realTimers;
    this.random = link.random ?? Math.random;
  }

  /** Opens the wire and loads what the clients need; returns once the link can carry requests. */
  protected abstract establish(epoch: number): Promise<void>;
  /** Closes the wire of the current (or failed) attempt and everything tied to it. */
  protected abstract teardown(reason: string): void;
  /** Says whether a failed connect was a refusal (stop) or a transient failure (retry), and in which words. */
  protected abstract judge(err: unknown): FailureVerdict;
  /** Called once connected, before the status change and `onConnected` (start polls, watchdogs, log the link). */
  protected afterConnect(_epoch: number): void {}

  isConnected(): boolean {
    return this.phase === 'connected';
  }

  /** The connection epoch: it changes on every connect and drop, so answers of an older link are recognised. */
  get currentEpoch(): number {
    return this.epoch;
  }

  onConnected(l: () => void): Disposable {
    return this.connected.on(l);
  }

  onDisconnected(l: (reason: string) => void): Disposable {
    return this.disconnected.on(l);
  }

  onStatusChange(l: () => void): Disposable {
    return this.statusChanged.on(l);
  }

  /** The status fields the state machine owns; the venue adds its own (broker, mode, endpoint, account label). */
  protected linkStatus(venue: Pick<LinkStatus, 'broker' | 'mode' | 'endpoint' | 'accountLabel'>): LinkStatus {
    const state = this.phase === 'connected' ? 'connected' : this.phase === 'connecting' ? 'connecting' : 'disconnected';
    return {
      ...venue, state, clientId: null, serverVersion: null, message: this.message, lastMessageAt: this.lastMessageAt, nextRetryAt: this.nextRetryAt, dataFarms: [],
    };
  }

  /** Something went wrong on this connection (a failed reconciliation, an order without a clear answer): reconnect. */
  reset(reason: string): void {
    this.drop(reason);
  }

  start(): void {
    if (this.phase !== 'idle' || this.cancelRetry) return;
    void this.connect();
  }

  protected changed(): void {
    this.statusChanged.emit();
  }

  /** A message arrived from the venue: the status shows when the link last spoke. */
  protected heard(): void {
    this.lastMessageAt = this.link.clock.now();
  }

  private async connect(): Promise<void> {
    const epoch = ++this.epoch;
    this.phase = 'connecting';
    this.nextRetryAt = null;
    this.cancelRetry = undefined;
    this.changed();
    try {
      await this.establish(epoch);
      if (epoch !== this.epoch) return;
      this.phase = 'connected';
      this.attempt = 0;
      this.message = null;
      this.afterConnect(epoch);
      this.changed();
      this.connected.emit();
    } catch (err) {
      if (epoch !== this.epoch) return;
      this.teardown('connect failed');
      this.cancelWatchdog?.();
      const verdict = err instanceof ConnectRefused ? { refused: true, message: err.message } : this.judge(err);
      this.message = verdict.message;
      if (verdict.refused) {
        this.phase = 'stopped';
        this.link.logger.warn({ ...verdict.log }, `${this.link.venue}: connection refused; not retrying`);
        this.changed();
        return;
      }
      this.scheduleRetry();
    }
  }

  /**
   * Looks every `tickMs` whether the link went silent: `silence(now)` returns the reason to drop it, or null. Stops
   * by itself at the next drop.
   */
  protected watchSilence(epoch: number, tickMs: number, silence: (now: number) => string | null): void {
    this.cancelWatchdog?.();
    const tick = () => {
      if (epoch !== this.epoch || this.phase !== 'connected') return;
      const reason = silence(this.link.clock.now());
      if (reason) return this.drop(reason);
      this.cancelWatchdog = this.timers.after(tickMs, tick);
    };
    this.cancelWatchdog = this.timers.after(tickMs, tick);
  }

  protected drop(reason: string): void {
    if (this.phase === 'stopped' || this.phase === 'idle') return;
    const wasConnected = this.phase === 'connected';
    this.epoch++;
    this.cancelWatchdog?.();
    this.teardown(reason);
    this.message = `Connection to ${this.link.venue} lost (${reason}); reconnecting`;
    this.link.logger.warn({ reason }, `${this.link.venue}: connection lost`);
    if (wasConnected) this.disconnected.emit(reason);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    this.phase = 'idle';
    const delay = backoffDelay(this.link.backoff, this.attempt, this.random);
    this.attempt++;
    this.nextRetryAt = this.link.clock.now() + delay;
    this.cancelRetry = this.timers.after(delay, () => void this.connect());
    this.changed();
  }

  dispose(): void {
    this.phase = 'stopped';
    this.epoch++;
    this.cancelRetry?.();
    this.cancelWatchdog?.();
    this.teardown('disposed');
    this.connected.clear();
    this.disconnected.clear();
    this.statusChanged.clear();
  }
}
