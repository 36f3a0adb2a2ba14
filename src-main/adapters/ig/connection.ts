// The IG connection manager: logs in (REST session v2), switches to the chosen account, loads its markets, and polls
// their prices (IG streams prices only over Lightstreamer; see docs/venues.md). The state machine (backoff, refusals,
// events) is venue-kit's; a price poll that gets no answer drops the connection. Refused credentials stop it.
import { Emitter } from '../../../src-shared/common/emitter';
import type { Logger } from '../../logging';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import type { Timers } from '../../ports/timers';
import { ConnectRefused, VenueConnection, type FailureVerdict, type LinkStatus } from '../venue-kit/connection';
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

export type { LinkStatus };
export interface IgPrice { epic: string; bid: number; offer: number; tradeable: boolean }

export class IgConnection extends VenueConnection {
  private cancelPoll: (() => void) | undefined;
  private abort: AbortController | null = null;
  private account: string | null = null;
  /** The account's currency from the login (`currencyIsoCode`): what IG books funding and P&L in. */
  private currency: string | null = null;
  private restClient: IgRest | null = null;
  private markets = new Map<string, IgMarketSpec>();
  private readonly prices = new Emitter<IgPrice[]>();
  /** Logins made (the tests check that an expired session is renewed, not the connection dropped). */
  logins = 0;

  constructor(private readonly o: IgConnectionOptions) {
    super({ venue: 'IG', backoff: o.timings, clock: o.clock, logger: o.logger, timers: o.timers, random: o.random });
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

  /** The account's currency as the login gave it (null before the first login). */
  accountCurrency(): string | null {
    return this.currency;
  }

  /** Markets by epic. */
  specs(): ReadonlyMap<string, IgMarketSpec> {
    return this.markets;
  }

  specBySymbol(symbol: string): IgMarketSpec | undefined {
    for (const m of this.markets.values()) if (m.symbol === symbol) return m;
    return undefined;
  }

  onPrices(l: (p: IgPrice[]) => void): Disposable {
    return this.prices.on(l);
  }

  status(): LinkStatus {
    return this.linkStatus({
      broker: 'ig', mode: this.o.settings.environment === 'live' ? 'live' : 'paper', endpoint: igEndpoint(this.o.settings).replace(/^https?:\/\//, ''),
      accountLabel: this.account ? maskIgAccount(this.account) : null,
    });
  }

  private async credentials(): Promise<{ apiKey: string; password: string }> {
    const c = parseIgSecret(await this.o.secret());
    if (!c) throw new ConnectRefused('No IG API key and password: add them in Settings → Connections as "<API key>:<password>" (kept in the secrets store, never in config.yaml)');
    if (!this.o.settings.identifier) throw new ConnectRefused('No IG identifier (user name): set it in Settings → Connections');
    return c;
  }

  protected async establish(epoch: number): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
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
    if (!chosen) throw new ConnectRefused('The IG login does not give access to the account configured for this connection (or one traded before): check the account id in Settings → Connections');
    const client = new IgRest({
      base, apiKey, timers: this.timers, now: () => this.o.clock.now(), timeoutMs: timings.requestTimeoutMs, maxRetryAfterMs: timings.maxRetryAfterMs,
      allowanceBackoffMs: timings.allowanceBackoffMs, nonTradingPerMinute: timings.nonTradingPerMinute, tradingPerMinute: timings.tradingPerMinute,
      onAnswer: () => this.heard(),
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
    this.currency = typeof first.body['currencyIsoCode'] === 'string' ? first.body['currencyIsoCode'] : null;
    const details = await client.request<{ marketDetails: Json[] }>('GET', `/markets?epics=${encodeURIComponent(this.o.settings.epics.join(','))}`, 2, undefined, abort.signal);
    this.markets = new Map(details.marketDetails.map((m) => {
      const s = marketSpecOf(m);
      return [s.epic, s];
    }));
    if (epoch !== this.epoch) return;
    this.restClient = client;
    this.emitPrices(details.marketDetails);
  }

  protected override afterConnect(epoch: number): void {
    this.o.logger.info({ endpoint: this.status().endpoint, markets: this.markets.size }, 'IG: connected');
    this.schedulePoll(epoch);
  }

  protected judge(err: unknown): FailureVerdict {
    const refused = err instanceof IgHttpError && (err.errorCode?.startsWith('error.security.') ?? false) && err.errorCode !== 'error.security.client-token-invalid';
    if (refused) return { refused: true, message: err.message, log: { code: err.errorCode } };
    return { refused: false, message: err instanceof IgHttpError ? err.message : describeIgError(0, null, (err as Error).message) };
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

  protected teardown(reason: string): void {
    this.abort?.abort(new Error(reason));
    this.abort = null;
    this.restClient = null;
    this.cancelPoll?.();
  }

  override dispose(): void {
    super.dispose();
    this.prices.clear();
  }
}
