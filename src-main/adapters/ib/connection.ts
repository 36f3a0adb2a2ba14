// The IB connection manager: one IBApi kept connected to TWS / IB Gateway. Reconnects with exponential backoff and
// jitter, watches for silence (heartbeats), retries another client id on error 326, and tracks TWS's own link to IB
// (1100/1101/1102) and its data farms (2103–2106), which only ever degrade market data, never the order channel.
import { EventName, IBApi } from '@stoqey/ib';
import type { ConnectionStatus } from '../../../src-shared/domain/broker';
import { Emitter } from '../../../src-shared/common/emitter';
import type { Logger } from '../../logging';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import type { IbClientHandle } from './client-handle';
import { maskAccount, type IbSessionConfig } from './config';
import { classifyIbError, connectivityOf, dataFarmOf, describeIbError } from './errors';
import { installRateLimit, realTimers, type OutgoingRateLimiter, type Timers } from './rate-limit';

export interface IbConnectionOptions {
  config: IbSessionConfig;
  clock: Clock;
  logger: Logger;
  timers?: Timers;
  /** For the reconnect jitter; seeded in tests. */
  random?: () => number;
  /** Picks the managed account to trade from those TWS reports (default: the configured one, else the first). */
  chooseAccount?: (accounts: string[]) => string | null;
}

/** The part of ConnectionStatus the connection knows (the execution client adds queuedOrders and ready). */
export type LinkStatus = Omit<ConnectionStatus, 'queuedOrders' | 'ready'>;

/** closing: we gave up on a connected socket (silence) and wait for its close event before reconnecting. */
type Phase = 'idle' | 'connecting' | 'connected' | 'closing' | 'stopped';

/** Request ids start high so they never collide with order ids (TWS reports both through the same id field). */
const FIRST_REQ_ID = 1_000_000_000;
const CLIENT_ID_RETRY_MS = 100;

export class IbConnection implements IbClientHandle, Disposable {
  readonly api: IBApi;
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly limiter: OutgoingRateLimiter;
  private phase: Phase = 'idle';
  private clientId: number;
  private clientIdTries = 0;
  private attempt = 0;
  private nextRetryAt: number | null = null;
  private cancelRetry: (() => void) | undefined;
  private cancelHandshake: (() => void) | undefined;
  private cancelWatchdog: (() => void) | undefined;
  private lastMessageAt: number | null = null;
  private heartbeatSentAt: number | null = null;
  private message: string | null = null;
  /** TWS's own link to IB servers (1100 lost … 1101/1102 restored). */
  private ibLinkDown = false;
  private readonly farms = new Map<string, boolean>();
  private serverVersion: number | null = null;
  private account: string | null = null;
  private firstValidId = 0;
  private reqId = FIRST_REQ_ID;
  private readonly connected = new Emitter();
  private readonly disconnected = new Emitter<string>();
  private readonly statusChanged = new Emitter();
  private readonly restored = new Emitter<boolean>();

  constructor(private readonly o: IbConnectionOptions) {
    const { settings } = o.config;
    this.timers = o.timers ?? realTimers;
    this.random = o.random ?? Math.random;
    this.clientId = settings.clientId;
    this.api = new IBApi({ host: settings.host, port: settings.port });
    this.limiter = installRateLimit(this.api, { clock: o.clock, timers: this.timers });
    this.api.on(EventName.received, () => {
      this.lastMessageAt = this.o.clock.now();
      this.heartbeatSentAt = null;
    });
    this.api.on(EventName.server, (version: number) => {
      this.serverVersion = version;
    });
    this.api.on(EventName.managedAccounts, (list: string) => {
      const accounts = list.split(',').map((a) => a.trim()).filter(Boolean);
      this.account = (o.chooseAccount ?? ((a) => (settings.account ? (a.includes(settings.account) ? settings.account : null) : a[0] ?? null)))(accounts);
      if (this.account === null) {
        // Trading another account than the one configured (or traded before) would mix two accounts' books.
        this.message = 'TWS is logged into a different account than the one configured for this connection: log into that account, or change the account in Settings → Connections';
        this.phase = 'stopped';
        this.changed();
        this.api.disconnect();
      }
    });
    this.api.on(EventName.nextValidId, (id: number) => this.onNextValidId(id));
    this.api.on(EventName.disconnected, () => this.onSocketClosed());
    this.api.on(EventName.error, (err: Error, code: number) => this.onError(err, code));
    // @stoqey/ib reports codes 2100–2999 (farms, warnings) as `info`, not `error`.
    this.api.on(EventName.info, (message: string, code: number) => this.onError(new Error(message), code));
  }

  // --- IbClientHandle ---
  isConnected(): boolean {
    return this.phase === 'connected';
  }

  onConnected(listener: () => void): Disposable {
    return this.connected.on(listener);
  }

  onDisconnected(listener: (reason: string) => void): Disposable {
    return this.disconnected.on(listener);
  }

  nextReqId(): number {
    return ++this.reqId;
  }

  /** TWS regained its link to IB (1101: market data must be requested again; 1102: kept). */
  onRestored(listener: (dataLost: boolean) => void): Disposable {
    return this.restored.on(listener);
  }

  onStatusChange(listener: () => void): Disposable {
    return this.statusChanged.on(listener);
  }

  /** The nextValidId TWS announced on this connection. */
  validIdFromTws(): number {
    return this.firstValidId;
  }

  /** The managed account traded on this connection (never log it). */
  accountCode(): string | null {
    return this.account;
  }

  currentClientId(): number {
    return this.clientId;
  }

  /** TWS can take orders: socket up and TWS linked to IB. */
  orderChannelUp(): boolean {
    return this.phase === 'connected' && !this.ibLinkDown;
  }

  status(): LinkStatus {
    const { settings } = this.o.config;
    const farmsDown = [...this.farms.values()].some((ok) => !ok);
    const state: LinkStatus['state'] = this.phase === 'connected'
      ? (this.ibLinkDown || farmsDown ? 'degraded' : 'connected')
      : this.phase === 'connecting' ? 'connecting' : 'disconnected';
    return {
      broker: 'ib', state, mode: settings.mode, endpoint: `${settings.host}:${settings.port}`, clientId: this.clientId,
      accountLabel: this.account ? maskAccount(this.account) : null, serverVersion: this.serverVersion, message: this.message,
      lastMessageAt: this.lastMessageAt, nextRetryAt: this.nextRetryAt, dataFarms: [...this.farms].map(([name, ok]) => ({ name, ok })),
    };
  }

  /** Begins connecting (and keeps the connection up until dispose). */
  start(): void {
    if (this.phase !== 'idle') return;
    this.connectNow();
    this.scheduleWatchdog();
  }

  private changed(): void {
    this.statusChanged.emit();
  }

  private connectNow(): void {
    if (this.phase === 'stopped') return;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    this.nextRetryAt = null;
    this.phase = 'connecting';
    this.firstValidId = 0;
    this.changed();
    this.o.logger.info({ endpoint: `${this.o.config.settings.host}:${this.o.config.settings.port}`, clientId: this.clientId, attempt: this.attempt }, 'IB: connecting');
    this.cancelHandshake = this.timers.after(this.o.config.timings.requestTimeoutMs, () => {
      this.cancelHandshake = undefined;
      if (this.phase !== 'connecting') return;
      this.message = 'TWS / IB Gateway did not complete the API handshake in time (is "Enable ActiveX and Socket Clients" on, and this host trusted?)';
      this.drop();
    });
    this.api.connect(this.clientId);
  }

  private onNextValidId(id: number): void {
    if (this.phase !== 'connecting') return; // later reqIds answers
    this.cancelHandshake?.();
    this.cancelHandshake = undefined;
    this.phase = 'connected';
    this.firstValidId = id;
    this.attempt = 0;
    this.clientIdTries = 0;
    this.message = null;
    this.ibLinkDown = false;
    this.lastMessageAt = this.o.clock.now();
    this.heartbeatSentAt = null;
    this.o.logger.info({ clientId: this.clientId, serverVersion: this.serverVersion }, 'IB: connected');
    this.changed();
    this.connected.emit();
  }

  private onError(err: Error, code: number): void {
    const info = classifyIbError(code, err?.message ?? '');
    const farm = dataFarmOf(code, info.twsText);
    if (farm) {
      this.farms.set(farm.name, farm.ok);
      this.changed();
      return;
    }
    const link = connectivityOf(code);
    if (link) {
      this.ibLinkDown = link === 'lost';
      this.message = link === 'lost' ? info.message : null;
      this.o.logger.warn({ code }, `IB: ${info.message}`);
      this.changed();
      if (link !== 'lost') this.restored.emit(link === 'restored-data-lost');
      return;
    }
    if (code === 326) {
      // Client id in use: try the next ids, then stop with a clear message (retrying the same id cannot succeed).
      const { clientIdAttempts } = this.o.config.timings;
      if (this.clientIdTries < clientIdAttempts) {
        this.clientIdTries++;
        const previous = this.clientId;
        this.clientId = this.o.config.settings.clientId + this.clientIdTries;
        this.message = `Client id ${previous} is in use by another application; trying client id ${this.clientId}`;
        this.attempt = 0;
      } else {
        this.message = `Client ids ${this.o.config.settings.clientId}–${this.clientId} are all in use by other applications: choose another client id in Settings → Connections`;
        this.phase = 'stopped';
      }
      this.o.logger.warn({ code }, `IB: ${this.message}`);
      this.changed();
      this.api.disconnect();
      return;
    }
    if (info.class === 'connection' && info.action === 'reconnect') {
      this.message = describeIbError(info);
      this.changed();
    }
  }

  /** Closes the socket (also one still opening); its close event schedules the reconnect. */
  private drop(): void {
    this.api.disconnect();
  }

  private onSocketClosed(): void {
    this.cancelHandshake?.();
    this.cancelHandshake = undefined;
    clearStaleCommands(this.api);
    this.limiter.clear();
    const was = this.phase;
    if (was === 'stopped') {
      this.changed();
      return;
    }
    if (was === 'idle') return;
    this.phase = 'idle';
    if (was === 'closing') {
      // The disconnect was reported when the silence was detected.
    } else if (was === 'connected') {
      const reason = this.message ?? 'The connection to TWS / IB Gateway was closed';
      this.message = reason;
      this.o.logger.warn('IB: disconnected');
      this.disconnected.emit(reason);
    } else if (!this.message) {
      this.message = `Cannot reach TWS / IB Gateway at ${this.o.config.settings.host}:${this.o.config.settings.port}`;
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.cancelRetry || (this.phase as Phase) === 'stopped') return;
    const t = this.o.config.timings;
    // A 326 retry with a new client id goes almost at once (after the old socket's last events); otherwise exponential
    // backoff with jitter.
    const base = this.clientIdTries > 0 && this.attempt === 0 ? CLIENT_ID_RETRY_MS : Math.min(t.reconnectMaxMs, t.reconnectInitialMs * 2 ** this.attempt);
    const delay = Math.max(0, Math.round(base * (1 + t.reconnectJitter * (2 * this.random() - 1))));
    this.attempt++;
    this.nextRetryAt = this.o.clock.now() + delay;
    this.changed();
    this.cancelRetry = this.timers.after(delay, () => {
      this.cancelRetry = undefined;
      this.connectNow();
    });
  }

  private scheduleWatchdog(): void {
    const t = this.o.config.timings;
    this.cancelWatchdog = this.timers.after(t.watchdogTickMs, () => {
      this.cancelWatchdog = undefined;
      if (this.phase === 'stopped') return;
      this.checkSilence();
      this.scheduleWatchdog();
    });
  }

  /** A connected socket that says nothing is treated as down: heartbeat first, then drop and reconnect. */
  private checkSilence(): void {
    if (this.phase !== 'connected' || this.lastMessageAt === null) return;
    const t = this.o.config.timings;
    const now = this.o.clock.now();
    const silent = now - this.lastMessageAt;
    if (silent >= t.silenceTimeoutMs) {
      // Down from this moment: nothing more is sent on this socket, even before its close event arrives.
      this.message = `TWS / IB Gateway stopped answering (nothing received for ${(silent / 1000).toFixed(1)} s); reconnecting`;
      this.o.logger.warn('IB: silent connection, reconnecting');
      this.phase = 'closing';
      this.disconnected.emit(this.message);
      this.changed();
      this.api.disconnect();
      return;
    }
    if (silent >= t.heartbeatMs && this.heartbeatSentAt === null) {
      this.heartbeatSentAt = now;
      this.api.reqCurrentTime();
    }
  }

  async dispose(): Promise<void> {
    this.phase = 'stopped';
    this.cancelRetry?.();
    this.cancelHandshake?.();
    this.cancelWatchdog?.();
    this.connected.clear();
    this.disconnected.clear();
    this.restored.clear();
    this.limiter.dispose();
    if (this.api.isConnected) this.api.disconnect();
    this.statusChanged.clear();
  }
}

/** @stoqey/ib queues requests made while disconnected and sends them after the next handshake; a request of the old
 * session must never reach the new one (an order would be sent before reconciliation could look for it). */
function clearStaleCommands(api: IBApi): void {
  const commands = (api as unknown as { controller?: { commands?: { _commands?: unknown[]; _commandsCurrent?: unknown[] } } }).controller?.commands;
  if (commands?._commands) commands._commands.length = 0;
  if (commands?._commandsCurrent) commands._commandsCurrent.length = 0;
}
