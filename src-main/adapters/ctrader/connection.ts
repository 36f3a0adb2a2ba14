// The cTrader connection manager: one WebSocket carrying JSON frames, authorised as the application and then as the
// trader's account; loads the account's symbols and subscribes to their spots. Requests are matched to answers by
// clientMsgId and pass the rate limiters first. We send a heartbeat every `heartbeatMs`; a link without any frame for
// `silenceTimeoutMs` (cTrader sends heartbeats every 10 s) is dead. The state machine (backoff, refusals, events) is
// venue-kit's; a refused credential or account stops it.
import WebSocket from 'ws';
import { Emitter } from '../../../src-shared/common/emitter';
import type { Logger } from '../../logging';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import type { Timers } from '../../ports/timers';
import { ConnectRefused, VenueConnection, type FailureVerdict, type LinkStatus } from '../venue-kit/connection';
import { ctraderAccountHash, endpointOf, maskCtraderAccount, parseCredentials, type CtraderSettings, type CtraderTimings } from './config';
import { CtraderError, FATAL_CODES } from './errors';
import { RateLimiter } from './limiter';
import { specOf, type CtraderSymbolSpec } from './parsing';
import { HISTORICAL_REQUESTS, parseFrame, PT, type Frame, type Json } from './protocol';

export interface CtraderConnectionOptions {
  settings: CtraderSettings;
  timings: CtraderTimings;
  /** The stored credential ("<client secret>:<access token>"), read on every connect. */
  credentials: () => Promise<string | undefined>;
  clock: Clock;
  logger: Logger;
  timers?: Timers;
  random?: () => number;
  /** Picks the account among those the token sees (the configured one, the one traded before, else the first). */
  chooseAccount: (ids: string[]) => string | null;
}

export type { LinkStatus };

interface Pending {
  resolve: (f: Frame) => void;
  reject: (e: Error) => void;
  cancelTimer: () => void;
}

export class CtraderConnection extends VenueConnection {
  private cancelHeartbeat: (() => void) | undefined;
  private lastFrameAt = 0;
  private ws: WebSocket | null = null;
  private account: string | null = null;
  private moneyDigitsValue = 2;
  private symbolSpecs: CtraderSymbolSpec[] = [];
  private seq = 0;
  private readonly pending = new Map<string, Pending>();
  readonly limiter: RateLimiter;
  readonly historicalLimiter: RateLimiter;
  private readonly frames = new Emitter<Frame>();

  constructor(private readonly o: CtraderConnectionOptions) {
    super({ venue: 'cTrader', backoff: o.timings, clock: o.clock, logger: o.logger, timers: o.timers, random: o.random });
    const windowMs = 1_000 + o.timings.rateMarginMs;
    this.limiter = new RateLimiter({ limit: o.timings.requestsPerSecond, windowMs, clock: o.clock, timers: this.timers });
    this.historicalLimiter = new RateLimiter({ limit: o.timings.historicalPerSecond, windowMs, clock: o.clock, timers: this.timers });
  }

  // --- for the clients (execution, market data, account values) ---

  /** The ctidTraderAccountId, for request payloads only (never logged, never stored). */
  accountNumber(): number {
    if (!this.account) throw new CtraderError('ACCOUNT_NOT_AUTHORIZED', 'no account chosen yet');
    return Number(this.account);
  }

  accountHash(): string | null {
    return this.account ? ctraderAccountHash(this.account) : null;
  }

  specs(): CtraderSymbolSpec[] {
    return this.symbolSpecs;
  }

  moneyDigits(): number {
    return this.moneyDigitsValue;
  }

  /** Every frame cTrader sends (spots, execution events, answers), after its request (if any) got it. */
  onFrame(l: (f: Frame) => void): Disposable {
    return this.frames.on(l);
  }

  status(): LinkStatus {
    return this.linkStatus({
      broker: 'ctrader', mode: this.o.settings.environment === 'live' ? 'live' : 'paper', endpoint: endpointOf(this.o.settings).replace(/^wss?:\/\//, ''),
      accountLabel: this.account ? maskCtraderAccount(this.account) : null,
    });
  }

  /**
   * Sends a request once the rate limiters allow it and resolves with the first frame echoing its clientMsgId (an
   * error frame rejects). REQUEST_FREQUENCY_EXCEEDED means cTrader did not carry it out: it is sent again after a pause.
   */
  async request(payloadType: number, payload: Json, o: { clientMsgId?: string; epoch?: number } = {}): Promise<Frame> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.requestOnce(payloadType, payload, o);
      } catch (err) {
        if (!(err instanceof CtraderError) || err.code !== 'REQUEST_FREQUENCY_EXCEEDED' || attempt >= this.o.timings.rateRetries) throw err;
        this.o.logger.warn({ payloadType }, 'cTrader: request frequency exceeded; waiting before sending again');
        await new Promise<void>((resolve) => this.timers.after(this.o.timings.rateRetryMs, resolve));
      }
    }
  }

  private async requestOnce(payloadType: number, payload: Json, o: { clientMsgId?: string; epoch?: number }): Promise<Frame> {
    const epoch = o.epoch ?? this.epoch;
    // The historical turn first: a general grant is then taken right before the request goes out (taken before a
    // wait of seconds for the historical limit, it would have aged out of our window while cTrader still counts it).
    if (HISTORICAL_REQUESTS.has(payloadType)) await this.historicalLimiter.acquire();
    await this.limiter.acquire();
    const ws = this.ws;
    if (epoch !== this.epoch || !ws || ws.readyState !== WebSocket.OPEN) throw new CtraderError('CANT_ROUTE_REQUEST', 'not connected');
    const clientMsgId = o.clientMsgId ?? `qc-${++this.seq}`;
    return new Promise<Frame>((resolve, reject) => {
      const cancelTimer = this.timers.after(this.o.timings.requestTimeoutMs, () => {
        this.pending.delete(clientMsgId);
        reject(new CtraderError('NO_ANSWER', `no answer in ${this.o.timings.requestTimeoutMs} ms`, true));
      });
      this.pending.set(clientMsgId, { resolve, reject, cancelTimer });
      ws.send(JSON.stringify({ clientMsgId, payloadType, payload }));
    });
  }

  // --- lifecycle ---

  private open(url: string, epoch: number): Promise<WebSocket> {
    return new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, { handshakeTimeout: this.o.timings.requestTimeoutMs });
      let opened = false;
      ws.once('open', () => {
        opened = true;
        resolve(ws);
      });
      // After the open, an error is followed by 'close', which drops the link.
      ws.on('error', (err) => {
        if (!opened) reject(new CtraderError('NO_ANSWER', err.message));
      });
      ws.on('message', (data) => {
        if (epoch !== this.epoch) return;
        this.onMessage(String(data));
      });
      ws.on('close', () => {
        if (epoch === this.epoch) this.drop('cTrader closed the connection');
      });
    });
  }

  private onMessage(text: string): void {
    const f = parseFrame(text);
    if (!f) return;
    const now = this.o.clock.now();
    this.lastFrameAt = now;
    this.lastMessageAt = now;
    if (f.payloadType === PT.HEARTBEAT_EVENT) return;
    const waiting = f.clientMsgId ? this.pending.get(f.clientMsgId) : undefined;
    if (waiting) {
      this.pending.delete(f.clientMsgId!);
      waiting.cancelTimer();
      if (f.payloadType === PT.OA_ERROR_RES || f.payloadType === PT.ERROR_RES || f.payloadType === PT.ORDER_ERROR_EVENT) {
        waiting.reject(new CtraderError(String(f.payload?.['errorCode'] ?? 'UNKNOWN_ERROR'), String(f.payload?.['description'] ?? '')));
      } else waiting.resolve(f);
    }
    this.frames.emit(f);
  }

  protected async establish(epoch: number): Promise<void> {
    const creds = parseCredentials(await this.o.credentials());
    if (!creds) throw new ConnectRefused('No cTrader credentials: save "<client secret>:<access token>" in Settings → Connections (kept in the secrets store, never in config.yaml)');
    if (!this.o.settings.client_id) throw new ConnectRefused('No cTrader client id: set the Open API application\'s client id in Settings → Connections');
    const ws = await this.open(endpointOf(this.o.settings), epoch);
    if (epoch !== this.epoch) {
      ws.terminate();
      return;
    }
    this.ws = ws;
    this.lastFrameAt = this.o.clock.now();
    this.beat(epoch);
    const req = (pt: number, payload: Json) => this.request(pt, payload, { epoch });
    await req(PT.APPLICATION_AUTH_REQ, { clientId: this.o.settings.client_id, clientSecret: creds.clientSecret });
    const accounts = (await req(PT.GET_ACCOUNTS_BY_ACCESS_TOKEN_REQ, { accessToken: creds.accessToken })).payload?.['ctidTraderAccount'] as { ctidTraderAccountId: number; isLive?: boolean }[] | undefined;
    const live = this.o.settings.environment === 'live';
    const ids = (accounts ?? []).filter((a) => !!a.isLive === live).map((a) => String(a.ctidTraderAccountId));
    const chosen = this.o.chooseAccount(ids);
    if (!chosen) throw new ConnectRefused(`The cTrader access token does not give access to the ${live ? 'live' : 'demo'} account configured for this connection (or one traded before): check the account id in Settings → Connections`);
    this.account = chosen;
    const ctidTraderAccountId = Number(chosen);
    await req(PT.ACCOUNT_AUTH_REQ, { ctidTraderAccountId, accessToken: creds.accessToken });
    const trader = (await req(PT.TRADER_REQ, { ctidTraderAccountId })).payload?.['trader'] as Json | undefined;
    this.moneyDigitsValue = Number(trader?.['moneyDigits'] ?? 2);
    const light = ((await req(PT.SYMBOLS_LIST_REQ, { ctidTraderAccountId })).payload?.['symbol'] as Json[] | undefined ?? []).filter((s) => s['enabled'] !== false);
    const wanted = this.o.settings.symbols.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
    const picked = (wanted.length ? light.filter((s) => wanted.includes(String(s['symbolName']).toUpperCase())) : light).slice(0, this.o.timings.maxSymbols);
    const full = picked.length
      ? ((await req(PT.SYMBOL_BY_ID_REQ, { ctidTraderAccountId, symbolId: picked.map((s) => Number(s['symbolId'])) })).payload?.['symbol'] as Json[] | undefined ?? [])
      : [];
    const leverage = Number(trader?.['leverageInCents'] ?? 3000) / 100;
    this.symbolSpecs = full.flatMap((s) => {
      const lightSymbol = picked.find((l) => Number(l['symbolId']) === Number(s['symbolId']));
      return lightSymbol ? [specOf(lightSymbol, s, leverage)] : [];
    });
    if (epoch !== this.epoch) return;
    if (this.symbolSpecs.length) await req(PT.SUBSCRIBE_SPOTS_REQ, { ctidTraderAccountId, symbolId: this.symbolSpecs.map((s) => s.symbolId), subscribeToSpotTimestamp: true });
  }

  protected override afterConnect(epoch: number): void {
    this.watchSilence(epoch, this.o.timings.watchdogTickMs, (now) => {
      const silent = now - this.lastFrameAt;
      return silent > this.o.timings.silenceTimeoutMs ? `no message from cTrader for ${Math.round(silent / 1000)} s` : null;
    });
    this.o.logger.info({ endpoint: this.status().endpoint, symbols: this.symbolSpecs.length }, 'cTrader: connected');
  }

  protected judge(err: unknown): FailureVerdict {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof CtraderError && FATAL_CODES.has(err.code)) return { refused: true, message, log: { code: err.code } };
    return { refused: false, message };
  }

  private beat(epoch: number): void {
    this.cancelHeartbeat?.();
    const tick = () => {
      if (epoch !== this.epoch || !this.ws || this.ws.readyState !== WebSocket.OPEN) return;
      // Heartbeats are not requests: they do not count against the limit.
      this.ws.send(JSON.stringify({ payloadType: PT.HEARTBEAT_EVENT, payload: {} }));
      this.cancelHeartbeat = this.timers.after(this.o.timings.heartbeatMs, tick);
    };
    this.cancelHeartbeat = this.timers.after(this.o.timings.heartbeatMs, tick);
  }

  protected teardown(reason: string): void {
    const ws = this.ws;
    this.ws = null;
    ws?.removeAllListeners('message');
    ws?.terminate();
    this.cancelHeartbeat?.();
    this.limiter.reset(reason);
    this.historicalLimiter.reset(reason);
    for (const [id, p] of this.pending) {
      p.cancelTimer();
      p.reject(new CtraderError('NO_ANSWER', reason, true));
      this.pending.delete(id);
    }
  }

  override dispose(): void {
    super.dispose();
    this.frames.clear();
  }
}
