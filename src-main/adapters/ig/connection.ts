// The IG connection manager: logs in (REST session v2), switches to the chosen account, loads its markets, and polls
// their prices (IG streams prices only over Lightstreamer; see docs/venues.md). Reconnects with exponential backoff and
// jitter; a price poll that gets no answer drops the connection. Refused credentials stop it: retrying cannot help.
import type { ConnectionStatus } from '../../../src-shared/domain/broker';
import { Emitter } from '../../../src-shared/common/emitter';
import type { Logger } from '../../logging';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import { realTimers, type Timers } from '../../ports/timers';
import { igAccountHash, igEndpoint, maskIgAccount, parseIgSecret, type IgSettings, type IgTimings } from './config';
import { IgHttpError, describeIgError } from './errors';
import { marketSpecOf, type IgMarketSpec, type Json } from './parsing';
import { igLogin, IgRest, igSwitchAccount } from './rest';

export interface IgConnectionOptions {
  settings: IgSettings;
  timings: IgTimings;
  /** The secret `<API key>:<password>` from the secrets store (read on every connect and re-login). */
  secret: () => Promise<string | undefined>;
  clock: Clock;
  logger: Logger;
  timers?: Timers;
  random?: () => number;
  /** Picks the account among those the login sees (the configured one, the one traded before, else IG's current). */
  chooseAccount: (ids: string[], current: string) => string | null;
}

export type LinkStatus = Omit<ConnectionStatus, 'queuedOrders' | 'ready'>;
export interface IgPrice { epic: string; bid: number; offer: number; tradeable: boolean }
type Phase = 'idle' | 'connecting' | 'connected' | 'stopped';

class Stop extends Error {}

export class IgConnection implements Disposable {
  private readonly timers: Timers;
  private readonly random: () => number;
  private phase: Phase = 'idle';
  private attempt = 0;
  private nextRetryAt: number | null = null;
  private cancelRetry: (() => void) | undefined;
  private cancelPoll: (() => void) | undefined;
  private message: string | null = null;
  private lastMessageAt: number | null = null;
  private abort: AbortController | null = null;
  private epoch = 0;
  private account: string | null = null;
  private restClient: IgRest | null = null;
  private markets = new Map<string, IgMarketSpec>();
  private readonly connected = new Emitter();
  private readonly disconnected = new Emitter<string>();
  private readonly statusChanged = new Emitter();
  private readonly prices = new Emitter<IgPrice[]>();
  /** Logins made (the tests check that an expired session is renewed, not the connection dropped). */
  logins = 0;

  constructor(private readonly o: IgConnectionOptions) {
    this.timers = o.timers ?? realTimers;
    this.random = o.random ?? Math.random;
  }

  isConnected(): boolean {
    return this.phase === 'connected';
  }

  get rest(): IgRest {
    if (!this.restClient) throw new IgHttpError(0, null, false, 'not connected');
    return this.restClient;
  }

  get signal(): AbortSignal | undefined {
    return this.abort?.signal;
  }

  accountHash(): string | null {
    return this.account ? igAccountHash(this.account) : null;
  }

  /** Markets by epic. */
  specs(): ReadonlyMap<string, IgMarketSpec> {
    return this.markets;
  }

  specBySymbol(symbol: string): IgMarketSpec | undefined {
    for (const m of this.markets.values()) if (m.symbol === symbol) return m;
    return undefined;
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

  onPrices(l: (p: IgPrice[]) => void): Disposable {
    return this.prices.on(l);
  }

  status(): LinkStatus {
    const state = this.phase === 'connected' ? 'connected' : this.phase === 'connecting' ? 'connecting' : 'disconnected';
    return {
      broker: 'ig', state, mode: this.o.settings.environment === 'live' ? 'live' : 'paper', endpoint: igEndpoint(this.o.settings).replace(/^https?:\/\//, ''), clientId: null,
      accountLabel: this.account ? maskIgAccount(this.account) : null, serverVersion: null, message: this.message, lastMessageAt: this.lastMessageAt,
      nextRetryAt: this.nextRetryAt, dataFarms: [],
    };
  }

  /** Something went wrong on this connection (a deal without a clear answer, a failed reconciliation): reconnect. */
  reset(reason: string): void {
    this.drop(reason);
  }

  start(): void {
    if (this.phase !== 'idle' || this.cancelRetry) return;
    void this.connect();
  }

  private changed(): void {
    this.statusChanged.emit();
  }

  private async credentials(): Promise<{ apiKey: string; password: string }> {
    const c = parseIgSecret(await this.o.secret());
    if (!c) throw new Stop('No IG API key and password: add them in Settings → Connections as "<API key>:<password>" (kept in the secrets store, never in config.yaml)');
    if (!this.o.settings.identifier) throw new Stop('No IG identifier (user name): set it in Settings → Connections');
    return c;
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
      const { apiKey } = await this.credentials();
      const base = igEndpoint(this.o.settings);
      const { timings } = this.o;
      const login = async () => {
        const c = await this.credentials();
        const r = await igLogin(base, c.apiKey, this.o.settings.identifier, c.password, timings.requestTimeoutMs, abort.signal);
        this.logins++;
        return r;
      };
      const first = await login();
      const accounts = ((first.body['accounts'] as { accountId: string }[] | undefined) ?? []).map((a) => a.accountId);
      const current = String(first.body['currentAccountId'] ?? accounts[0] ?? '');
      const chosen = this.o.chooseAccount(accounts.length ? accounts : [current], current);
      if (!chosen) throw new Stop('The IG login does not give access to the account configured for this connection (or one traded before): check the account id in Settings → Connections');
      const client = new IgRest({
        base, apiKey, timers: this.timers, now: () => this.o.clock.now(), timeoutMs: timings.requestTimeoutMs, maxRetryAfterMs: timings.maxRetryAfterMs,
        allowanceBackoffMs: timings.allowanceBackoffMs, nonTradingPerMinute: timings.nonTradingPerMinute, tradingPerMinute: timings.tradingPerMinute,
        onAnswer: () => {
          this.lastMessageAt = this.o.clock.now();
        },
        // A new login lands on the preferred account: switch again when that is not ours.
        relogin: async () => {
          const again = await login();
          if (String(again.body['currentAccountId']) !== chosen) await igSwitchAccount(base, apiKey, again.tokens, chosen, timings.requestTimeoutMs, abort.signal);
          this.o.logger.info('IG: session renewed');
          return again.tokens;
        },
      }, first.tokens);
      if (current !== chosen) await igSwitchAccount(base, apiKey, first.tokens, chosen, timings.requestTimeoutMs, abort.signal);
      this.account = chosen;
      const details = await client.request<{ marketDetails: Json[] }>('GET', `/markets?epics=${encodeURIComponent(this.o.settings.epics.join(','))}`, 2, undefined, abort.signal);
      this.markets = new Map(details.marketDetails.map((m) => {
        const s = marketSpecOf(m);
        return [s.epic, s];
      }));
      if (epoch !== this.epoch) return;
      this.restClient = client;
      this.emitPrices(details.marketDetails);
      this.phase = 'connected';
      this.attempt = 0;
      this.message = null;
      this.o.logger.info({ endpoint: this.status().endpoint, markets: this.markets.size }, 'IG: connected');
      this.changed();
      this.schedulePoll(epoch);
      this.connected.emit();
    } catch (err) {
      if (epoch !== this.epoch) return;
      abort.abort(new Error('connect failed'));
      const refused = err instanceof IgHttpError && (err.errorCode?.startsWith('error.security.') ?? false) && err.errorCode !== 'error.security.client-token-invalid';
      if (err instanceof Stop || refused) {
        this.phase = 'stopped';
        this.message = err.message;
        this.o.logger.warn({ code: err instanceof IgHttpError ? err.errorCode : null }, 'IG: login refused; not retrying');
        this.changed();
        return;
      }
      this.message = err instanceof IgHttpError ? err.message : describeIgError(0, null, (err as Error).message);
      this.scheduleRetry();
    }
  }

  private emitPrices(details: Json[]): void {
    const list: IgPrice[] = [];
    for (const m of details) {
      const snap = m['snapshot'] as Json | undefined;
      const epic = String((m['instrument'] as Json | undefined)?.['epic'] ?? '');
      const bid = Number(snap?.['bid']);
      const offer = Number(snap?.['offer']);
      if (epic && bid > 0 && offer > 0) list.push({ epic, bid, offer, tradeable: snap?.['marketStatus'] === 'TRADEABLE' });
    }
    if (list.length) this.prices.emit(list);
  }

  private schedulePoll(epoch: number): void {
    this.cancelPoll = this.timers.after(this.o.timings.pricePollMs, () => {
      if (epoch !== this.epoch || this.phase !== 'connected') return;
      this.rest.request<{ marketDetails: Json[] }>('GET', `/markets?epics=${encodeURIComponent([...this.markets.keys()].join(','))}`, 2, undefined, this.signal).then((res) => {
        if (epoch !== this.epoch) return;
        this.emitPrices(res.marketDetails);
        this.schedulePoll(epoch);
      }, (err: unknown) => {
        if (epoch !== this.epoch) return;
        // No answer (or a broken session) on the price poll: the link is gone. Reconnect, then reconcile.
        this.drop(`the price poll failed: ${(err as Error).message}`);
      });
    });
  }

  private drop(reason: string): void {
    if (this.phase === 'stopped' || this.phase === 'idle') return;
    const wasConnected = this.phase === 'connected';
    this.epoch++;
    this.abort?.abort(new Error(reason));
    this.abort = null;
    this.restClient = null;
    this.cancelPoll?.();
    this.message = `Connection to IG lost (${reason}); reconnecting`;
    this.o.logger.warn({ reason }, 'IG: connection lost');
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
    this.cancelPoll?.();
    this.connected.clear();
    this.disconnected.clear();
    this.statusChanged.clear();
    this.prices.clear();
  }
}
