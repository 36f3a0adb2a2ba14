// The OANDA connection manager: finds the account, loads its instruments, and keeps the two v20 streams open (pricing
// and transactions). Reconnects with exponential backoff and jitter; a stream without a line (OANDA sends a HEARTBEAT
// every 5 s) for `silenceTimeoutMs` counts as dead. A refused token or account stops it: retrying cannot help.
import type { ConnectionStatus } from '../../../src-shared/domain/broker';
import { Emitter } from '../../../src-shared/common/emitter';
import type { Logger } from '../../logging';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import { realTimers, type Timers } from '../../ports/timers';
import { endpoints, maskOandaAccount, oandaAccountHash, type OandaSettings, type OandaTimings } from './config';
import { OandaHttpError, describeOandaError } from './errors';
import { specOf, type OandaInstrumentSpec } from './parsing';
import { OandaRest, type Json } from './rest';

export interface OandaConnectionOptions {
  settings: OandaSettings;
  timings: OandaTimings;
  /** The API token from the secrets store (read on every connect, so a new token takes effect at the next attempt). */
  token: () => Promise<string | undefined>;
  clock: Clock;
  logger: Logger;
  timers?: Timers;
  random?: () => number;
  /** Picks the account among those the token sees (the configured one, the one traded before, else the first). */
  chooseAccount: (ids: string[]) => string | null;
}

export type LinkStatus = Omit<ConnectionStatus, 'queuedOrders' | 'ready'>;
type Phase = 'idle' | 'connecting' | 'connected' | 'stopped';

class Stop extends Error {}

export class OandaConnection implements Disposable {
  private readonly timers: Timers;
  private readonly random: () => number;
  private phase: Phase = 'idle';
  private attempt = 0;
  private nextRetryAt: number | null = null;
  private cancelRetry: (() => void) | undefined;
  private cancelWatchdog: (() => void) | undefined;
  private message: string | null = null;
  private lastMessageAt: number | null = null;
  private readonly lastLine = { pricing: 0, transactions: 0 };
  private abort: AbortController | null = null;
  private epoch = 0;
  private account: string | null = null;
  private restClient: OandaRest | null = null;
  private instrumentSpecs: OandaInstrumentSpec[] = [];
  private readonly connected = new Emitter();
  private readonly disconnected = new Emitter<string>();
  private readonly statusChanged = new Emitter();
  private readonly prices = new Emitter<Json>();
  private readonly transactions = new Emitter<Json>();

  constructor(private readonly o: OandaConnectionOptions) {
    this.timers = o.timers ?? realTimers;
    this.random = o.random ?? Math.random;
  }

  // --- for the clients (execution, market data, account values) ---

  isConnected(): boolean {
    return this.phase === 'connected';
  }

  /** The REST client of the current connection, with the connection's abort signal. */
  get rest(): OandaRest {
    if (!this.restClient) throw new OandaHttpError(0, null, 'not connected', null, false);
    return this.restClient;
  }

  get signal(): AbortSignal | undefined {
    return this.abort?.signal;
  }

  /** The v20 account id, for request paths only (never logged, never stored). */
  accountPath(): string {
    if (!this.account) throw new OandaHttpError(0, null, 'no account chosen yet', null, false);
    return `/v3/accounts/${this.account}`;
  }

  accountHash(): string | null {
    return this.account ? oandaAccountHash(this.account) : null;
  }

  specs(): OandaInstrumentSpec[] {
    return this.instrumentSpecs;
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

  onPrice(l: (p: Json) => void): Disposable {
    return this.prices.on(l);
  }

  onTransaction(l: (t: Json) => void): Disposable {
    return this.transactions.on(l);
  }

  status(): LinkStatus {
    const state = this.phase === 'connected' ? 'connected' : this.phase === 'connecting' ? 'connecting' : 'disconnected';
    const { rest } = endpoints(this.o.settings);
    return {
      broker: 'oanda', state, mode: this.o.settings.environment === 'live' ? 'live' : 'paper', endpoint: rest.replace(/^https?:\/\//, ''), clientId: null,
      accountLabel: this.account ? maskOandaAccount(this.account) : null, serverVersion: null, message: this.message, lastMessageAt: this.lastMessageAt,
      nextRetryAt: this.nextRetryAt, dataFarms: [],
    };
  }

  /** Something went wrong on this connection (a failed reconciliation, a broken stream): drop it and reconnect. */
  reset(reason: string): void {
    this.drop(reason);
  }

  // --- lifecycle ---

  start(): void {
    if (this.phase !== 'idle' || this.cancelRetry) return;
    void this.connect();
  }

  private changed(): void {
    this.statusChanged.emit();
  }

  private async connect(): Promise<void> {
    const epoch = ++this.epoch;
    this.phase = 'connecting';
    this.nextRetryAt = null;
    this.cancelRetry = undefined;
    const abort = new AbortController();
    this.abort = abort;
    this.changed();
    try {
      const token = await this.o.token();
      if (!token) throw new Stop('No OANDA API token: add it in Settings → Connections (it is kept in the secrets store, never in config.yaml)');
      const { rest, stream } = endpoints(this.o.settings);
      const client = new OandaRest({
        rest, stream, token, timers: this.timers, timeoutMs: this.o.timings.requestTimeoutMs, maxRetryAfterMs: this.o.timings.maxRetryAfterMs,
        onAnswer: () => {
          this.lastMessageAt = this.o.clock.now();
        },
      });
      const accounts = await client.request<{ accounts: { id: string }[] }>('GET', '/v3/accounts', undefined, abort.signal);
      const chosen = this.o.chooseAccount(accounts.accounts.map((a) => a.id));
      if (!chosen) throw new Stop('The OANDA token does not give access to the account configured for this connection (or one traded before): check the account id in Settings → Connections');
      this.account = chosen;
      const inst = await client.request<{ instruments: Json[] }>('GET', `/v3/accounts/${chosen}/instruments`, undefined, abort.signal);
      this.instrumentSpecs = inst.instruments.map(specOf);
      if (epoch !== this.epoch) return;
      this.restClient = client;
      // Both streams open before "connected": a transaction made while we reconcile arrives on the stream, not in a gap.
      const names = this.instrumentSpecs.map((s) => s.oandaName).join(',');
      await Promise.all([
        this.openStream(epoch, client, 'transactions', `/v3/accounts/${chosen}/transactions/stream`, (m) => this.transactions.emit(m)),
        this.openStream(epoch, client, 'pricing', `/v3/accounts/${chosen}/pricing/stream?instruments=${encodeURIComponent(names)}&snapshot=true`, (m) => this.prices.emit(m)),
      ]);
      if (epoch !== this.epoch) return;
      this.phase = 'connected';
      this.attempt = 0;
      this.message = null;
      this.watch(epoch);
      this.o.logger.info({ endpoint: this.status().endpoint, instruments: this.instrumentSpecs.length }, 'OANDA: connected');
      this.changed();
      this.connected.emit();
    } catch (err) {
      if (epoch !== this.epoch) return;
      abort.abort(new Error('connect failed'));
      if (err instanceof Stop || (err instanceof OandaHttpError && (err.status === 401 || err.status === 403))) {
        this.phase = 'stopped';
        this.message = err.message;
        this.o.logger.warn({ status: err instanceof OandaHttpError ? err.status : null }, 'OANDA: connection refused; not retrying');
        this.changed();
        return;
      }
      this.message = err instanceof OandaHttpError ? err.message : describeOandaError(0, null, (err as Error).message);
      this.scheduleRetry();
    }
  }

  /** Resolves once the stream answered 200 (its lines then flow to `emit`); its end or failure drops the connection. */
  private openStream(epoch: number, client: OandaRest, kind: 'pricing' | 'transactions', path: string, emit: (m: Json) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let open = false;
      const signal = this.abort!.signal;
      this.lastLine[kind] = this.o.clock.now();
      // A stream that answers but never sends a line (stalled) must not hold the connect forever.
      const cancelOpenTimer = this.timers.after(this.o.timings.silenceTimeoutMs, () => {
        if (!open) reject(new OandaHttpError(0, null, `the ${kind} stream sent nothing`, null, false));
      });
      client.stream(path, (m) => {
        if (epoch !== this.epoch) return;
        const now = this.o.clock.now();
        this.lastLine[kind] = now;
        this.lastMessageAt = now;
        if (!open) {
          open = true;
          cancelOpenTimer();
          resolve();
        }
        if (m['type'] !== 'HEARTBEAT') emit(m);
      }, signal).then(
        () => {
          if (!open) reject(new OandaHttpError(0, null, `the ${kind} stream closed at once`, null, false));
          else if (epoch === this.epoch) this.drop(`the ${kind} stream ended`);
        },
        (err: unknown) => {
          if (!open) reject(err as Error);
          else if (epoch === this.epoch) this.drop(`the ${kind} stream failed: ${(err as Error).message}`);
        },
      );
    });
  }

  private watch(epoch: number): void {
    this.cancelWatchdog?.();
    const tick = () => {
      if (epoch !== this.epoch || this.phase !== 'connected') return;
      const now = this.o.clock.now();
      const silent = (['pricing', 'transactions'] as const).find((k) => now - this.lastLine[k] > this.o.timings.silenceTimeoutMs);
      if (silent) return this.drop(`no message on the ${silent} stream for ${Math.round((now - this.lastLine[silent]) / 1000)} s`);
      this.cancelWatchdog = this.timers.after(this.o.timings.watchdogTickMs, tick);
    };
    this.cancelWatchdog = this.timers.after(this.o.timings.watchdogTickMs, tick);
  }

  private drop(reason: string): void {
    if (this.phase === 'stopped' || this.phase === 'idle') return;
    const wasConnected = this.phase === 'connected';
    this.epoch++;
    this.abort?.abort(new Error(reason));
    this.abort = null;
    this.restClient = null;
    this.cancelWatchdog?.();
    this.message = `Connection to OANDA lost (${reason}); reconnecting`;
    this.o.logger.warn({ reason }, 'OANDA: connection lost');
    if (wasConnected) this.disconnected.emit(reason);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    this.phase = 'idle';
    const { reconnectInitialMs, reconnectMaxMs, reconnectJitter } = this.o.timings;
    const base = Math.min(reconnectMaxMs, reconnectInitialMs * 2 ** this.attempt);
    const delay = Math.max(0, base * (1 + reconnectJitter * (2 * this.random() - 1)));
    this.attempt++;
    this.nextRetryAt = this.o.clock.now() + delay;
    this.cancelRetry = this.timers.after(delay, () => void this.connect());
    this.changed();
  }

  dispose(): void {
    this.phase = 'stopped';
    this.epoch++;
    this.abort?.abort(new Error('disposed'));
    this.cancelRetry?.();
    this.cancelWatchdog?.();
    this.connected.clear();
    this.disconnected.clear();
    this.statusChanged.clear();
    this.prices.clear();
    this.transactions.clear();
  }
}
