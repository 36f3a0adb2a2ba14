// The OANDA connection: finds the account, loads its instruments, and keeps the two v20 streams open (pricing and
// transactions). The state machine (backoff, refusals, events) is venue-kit's; a stream without a line (OANDA sends a
// HEARTBEAT every 5 s) for `silenceTimeoutMs` counts as dead. A refused token or account stops it.
import { Emitter } from '../../../src-shared/common/emitter';
import type { Logger } from '../../logging';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import type { Timers } from '../../ports/timers';
import { ConnectRefused, VenueConnection, type FailureVerdict, type LinkStatus } from '../venue-kit/connection';
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

export type { LinkStatus };

export class OandaConnection extends VenueConnection {
  private readonly lastLine = { pricing: 0, transactions: 0 };
  private abort: AbortController | null = null;
  private account: string | null = null;
  private restClient: OandaRest | null = null;
  private instrumentSpecs: OandaInstrumentSpec[] = [];
  private readonly prices = new Emitter<Json>();
  private readonly transactions = new Emitter<Json>();

  constructor(private readonly o: OandaConnectionOptions) {
    super({ venue: 'OANDA', backoff: o.timings, clock: o.clock, logger: o.logger, timers: o.timers, random: o.random });
  }

  // --- for the clients (execution, market data, account values) ---

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

  onPrice(l: (p: Json) => void): Disposable {
    return this.prices.on(l);
  }

  onTransaction(l: (t: Json) => void): Disposable {
    return this.transactions.on(l);
  }

  status(): LinkStatus {
    const { rest } = endpoints(this.o.settings);
    return this.linkStatus({
      broker: 'oanda', mode: this.o.settings.environment === 'live' ? 'live' : 'paper', endpoint: rest.replace(/^https?:\/\//, ''),
      accountLabel: this.account ? maskOandaAccount(this.account) : null,
    });
  }

  // --- lifecycle ---

  protected async establish(epoch: number): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    const token = await this.o.token();
    if (!token) throw new ConnectRefused('No OANDA API token: add it in Settings → Connections (it is kept in the secrets store, never in config.yaml)');
    const { rest, stream } = endpoints(this.o.settings);
    const client = new OandaRest({
      rest, stream, token, timers: this.timers, timeoutMs: this.o.timings.requestTimeoutMs, maxRetryAfterMs: this.o.timings.maxRetryAfterMs,
      onAnswer: () => this.heard(),
    });
    const accounts = await client.request<{ accounts: { id: string }[] }>('GET', '/v3/accounts', undefined, abort.signal);
    const chosen = this.o.chooseAccount(accounts.accounts.map((a) => a.id));
    if (!chosen) throw new ConnectRefused('The OANDA token does not give access to the account configured for this connection (or one traded before): check the account id in Settings → Connections');
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
  }

  protected override afterConnect(epoch: number): void {
    // A stream without a line (OANDA sends a heartbeat every 5 s) for `silenceTimeoutMs` is dead.
    this.watchSilence(epoch, this.o.timings.watchdogTickMs, (now) => {
      const silent = (['pricing', 'transactions'] as const).find((k) => now - this.lastLine[k] > this.o.timings.silenceTimeoutMs);
      return silent ? `no message on the ${silent} stream for ${Math.round((now - this.lastLine[silent]) / 1000)} s` : null;
    });
    this.o.logger.info({ endpoint: this.status().endpoint, instruments: this.instrumentSpecs.length }, 'OANDA: connected');
  }

  protected judge(err: unknown): FailureVerdict {
    if (err instanceof OandaHttpError && (err.status === 401 || err.status === 403)) return { refused: true, message: err.message, log: { status: err.status } };
    return { refused: false, message: err instanceof OandaHttpError ? err.message : describeOandaError(0, null, (err as Error).message) };
  }

  protected teardown(reason: string): void {
    this.abort?.abort(new Error(reason));
    this.abort = null;
    this.restClient = null;
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

  override dispose(): void {
    super.dispose();
    this.prices.clear();
    this.transactions.clear();
  }
}
