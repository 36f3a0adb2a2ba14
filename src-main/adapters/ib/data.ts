// The IB data client: contract resolution (cached), streaming quotes within a market-data line budget, paced
// historical bars, symbol search and a health probe, over a connection the connection manager owns. It is the
// DataProvider 'ib' the failover manager composes with Yahoo; IbMarketData (data-market.ts) puts the MarketData face on it.
//
// Line budget: TWS allows a fixed number of simultaneous market data lines (100 by default, more with commissions or
// booster packs). A symbol that finds no free line is refused, with the reason returned and kept in status(); we
// never release another symbol's line to make room (no LRU eviction), because a line someone is watching (a chart,
// a strategy's input, a stop) going quiet is worse than a clear refusal the caller can act on (the failover manager
// serves a refused symbol from Yahoo instead).
import {
  BarSizeSetting,
  EventName,
  MarketDataType,
  SecType,
  WhatToShow,
  type Contract,
  type ContractDescription,
  type ContractDetails,
} from '@stoqey/ib';
import { TIMEFRAME_SECONDS, type Bar, type Quote, type Timeframe } from '../../../src-shared/domain/types';
import { systemClock, type Clock } from '../../ports/clock';
import { ProviderError, type DataKind, type DataProvider, type HistoryRequest, type SymbolMatch } from '../../ports/data-provider';
import { toDisposable, type Disposable } from '../../ports/disposable';
import type { IbClientHandle } from './client-handle';
import {
  contractProfile,
  DEFAULT_IB_ALIASES,
  expiryMs,
  matchType,
  ourSymbol,
  parseIbSymbol,
  queryContract,
  SymbolError,
  type ContractQuery,
  type ResolvedContract,
} from './contracts';
import type { InstrumentProfile } from '../../../src-shared/domain/profile';
import { classifyIbError, connectivityOf, describeIbError, IbRequestError, type IbErrorInfo } from './errors';
import { HistoricalPacer, type PacingOptions, type PacingPriority, type PacingStats } from './pacing';
import { realTimers, type Timers } from '../../ports/timers';
import { rateLimiterOf, SlidingWindowLimit } from './rate-limit';
import { IbRequests } from './requests';
import { Emitter } from '../../../src-shared/common/emitter';

export type IbMarketDataType = 'live' | 'frozen' | 'delayed' | 'delayed-frozen';

export interface IbDataOptions {
  clock?: Clock;
  timers?: Timers;
  /**
   * What TWS sends: 'live' needs a subscription; 'delayed' (IB type 3) streams live data where subscribed and
   * 15–20 minute delayed data elsewhere; the frozen types add the last values while a market is closed.
   */
  marketDataType?: IbMarketDataType;
  /** Simultaneous market data lines we may hold (IB's default allowance is 100). */
  lineBudget?: number;
  aliases?: Readonly<Record<string, ContractQuery>>;
  pacing?: Omit<PacingOptions, 'clock' | 'timers'>;
  /** Contract details, snapshots, search and the health probe. */
  requestTimeoutMs?: number;
  historyTimeoutMs?: number;
}

export type LineState = 'resolving' | 'requested' | 'streaming' | 'error' | 'disconnected';

export interface LineStatus {
  symbol: string;
  state: LineState;
  /** Quote source tag: 'ib' (live), 'ib-delayed', 'ib-frozen', 'ib-delayed-frozen'. */
  source: string;
  /** Why the line is not streaming (IB's error in plain words), or null. */
  error: string | null;
  lastTickAt: number | null;
  /** ms since the last tick, or null before the first. */
  staleMs: number | null;
  subscribers: number;
}

export interface IbDataStatus {
  connected: boolean;
  marketDataType: IbMarketDataType;
  lines: { used: number; budget: number };
  subscriptions: LineStatus[];
  /** Requests sent to TWS and not answered yet (contract details, history, snapshots, search). */
  requestsInFlight: number;
  /** Symbols refused for lack of lines (newest last, at most 50). */
  refused: Array<{ symbol: string; reason: string; at: number }>;
  pacing: PacingStats;
}

/** The newest values of one market data line, sizes included. */
export interface IbTick {
  symbol: string;
  bid: number;
  ask: number;
  last: number;
  bidSize: number;
  askSize: number;
  lastSize: number;
  time: number;
  source: string;
}

// TWS tick types (IB "Available Tick Types"): live and their delayed twins.
const TICK = {
  BID_SIZE: 0, BID: 1, ASK: 2, ASK_SIZE: 3, LAST: 4, LAST_SIZE: 5, CLOSE: 9,
  DELAYED_BID: 66, DELAYED_ASK: 67, DELAYED_LAST: 68, DELAYED_BID_SIZE: 69, DELAYED_ASK_SIZE: 70, DELAYED_LAST_SIZE: 71,
  DELAYED_CLOSE: 75,
} as const;
const DELAYED_TICKS = new Set<number>([66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76]);

const SOURCE_BY_TYPE: Record<number, string> = { 1: 'ib', 2: 'ib-frozen', 3: 'ib-delayed', 4: 'ib-delayed-frozen' };
const TYPE_CODE: Record<IbMarketDataType, MarketDataType> = {
  live: MarketDataType.REALTIME,
  frozen: MarketDataType.FROZEN,
  delayed: MarketDataType.DELAYED,
  'delayed-frozen': MarketDataType.DELAYED_FROZEN,
};

const BAR_SIZE: Record<Timeframe, BarSizeSetting> = {
  '1m': BarSizeSetting.MINUTES_ONE,
  '5m': BarSizeSetting.MINUTES_FIVE,
  '1h': BarSizeSetting.HOURS_ONE,
  '1d': BarSizeSetting.DAYS_ONE,
};
/**
 * Longest span per request by bar size, within IB's table of valid duration / bar size pairs and under 5000 bars
 * (large answers are slow and time out); longer ranges are split.
 */
const MAX_SPAN_S: Record<Timeframe, number> = { '1m': 3 * 86400, '5m': 7 * 86400, '1h': 30 * 86400, '1d': 20 * 365 * 86400 };

interface Subscriber {
  onQuote(q: Quote): void;
}

interface Line {
  symbol: string;
  reqId: number | null;
  state: LineState;
  error: string | null;
  dataType: number;
  bid: number;
  ask: number;
  last: number;
  close: number;
  bidSize: number;
  askSize: number;
  lastSize: number;
  pendingTrade: boolean;
  lastTickAt: number | null;
  quote: Quote | undefined;
  subscribers: Set<Subscriber>;
}

export class IbDataClient implements DataProvider {
  readonly id = 'ib' as const;
  readonly capabilities: ReadonlySet<DataKind> = new Set<DataKind>(['bars', 'quotes', 'search']);
  readonly pacer: HistoricalPacer;

  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly aliases: Readonly<Record<string, ContractQuery>>;
  private readonly lineBudget: number;
  private readonly requestTimeoutMs: number;
  private readonly historyTimeoutMs: number;
  private marketDataType: IbMarketDataType;

  private readonly contracts = new Map<string, Promise<ResolvedContract>>();
  private readonly resolved = new Map<string, ResolvedContract>();
  private readonly lines = new Map<string, Line>();
  private readonly lineByReqId = new Map<number, Line>();
  private readonly requests: IbRequests;
  private readonly refused: IbDataStatus['refused'] = [];
  private readonly quotes = new Emitter<Quote>();
  private readonly searchGate = new SlidingWindowLimit(1, 1000);
  private snapshotsInFlight = 0;
  /** Whether reqMarketDataType went out on this connection (TWS applies it to the requests after it). */
  private typeSent = false;
  private readonly unhook: Array<() => void> = [];
  private disposed = false;

  constructor(private readonly handle: IbClientHandle, opts: IbDataOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.timers = opts.timers ?? realTimers;
    this.aliases = opts.aliases ?? DEFAULT_IB_ALIASES;
    this.lineBudget = opts.lineBudget ?? 100;
    if (!Number.isInteger(this.lineBudget) || this.lineBudget < 1) throw new Error(`lineBudget must be a positive integer, got ${opts.lineBudget}`);
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 15_000;
    this.historyTimeoutMs = opts.historyTimeoutMs ?? 120_000;
    this.marketDataType = opts.marketDataType ?? 'delayed';
    // Looked up on use: the connection manager may install its limiter after building us.
    const outgoing = {
      capacity: () => rateLimiterOf(handle.api)?.capacity() ?? Infinity,
      delayMs: () => rateLimiterOf(handle.api)?.delayMs() ?? 0,
    };
    this.requests = new IbRequests({ timers: this.timers, isConnected: () => handle.isConnected(), nextReqId: () => handle.nextReqId(), timeoutMs: this.requestTimeoutMs });
    this.pacer = new HistoricalPacer({ ...opts.pacing, clock: this.clock, timers: this.timers, outgoing });
    this.wire();
  }

  // ---- status ----

  status(): IbDataStatus {
    const now = this.clock.now();
    return {
      connected: this.handle.isConnected(),
      marketDataType: this.marketDataType,
      lines: { used: this.linesInUse(), budget: this.lineBudget },
      subscriptions: [...this.lines.values()].map((l) => ({
        symbol: l.symbol,
        state: l.state,
        source: SOURCE_BY_TYPE[l.dataType] ?? 'ib',
        error: l.error,
        lastTickAt: l.lastTickAt,
        staleMs: l.lastTickAt === null ? null : now - l.lastTickAt,
        subscribers: l.subscribers.size,
      })),
      requestsInFlight: this.requests.size,
      refused: [...this.refused],
      pacing: this.pacer.stats(),
    };
  }

  /** ms since the symbol's last tick; null when it has none (not subscribed or nothing yet). */
  staleness(symbol: string): number | null {
    const l = this.lines.get(this.key(symbol));
    return l?.lastTickAt == null ? null : this.clock.now() - l.lastTickAt;
  }

  lastTick(symbol: string): IbTick | undefined {
    const l = this.lines.get(this.key(symbol));
    if (!l || l.lastTickAt === null) return undefined;
    return { symbol: l.symbol, bid: l.bid, ask: l.ask, last: l.last, bidSize: l.bidSize, askSize: l.askSize, lastSize: l.lastSize, time: l.lastTickAt, source: SOURCE_BY_TYPE[l.dataType] ?? 'ib' };
  }

  lastQuote(symbol: string): Quote | undefined {
    return this.lines.get(this.key(symbol))?.quote;
  }

  /** Every quote of every line. */
  onQuote(listener: (q: Quote) => void): Disposable {
    return this.quotes.on(listener);
  }

  /** Switches live/delayed for every line (TWS applies it to new requests, so the lines are requested again). */
  setMarketDataType(type: IbMarketDataType): void {
    this.marketDataType = type;
    if (this.handle.isConnected()) this.requestAllLines(true);
  }

  // ---- contracts ----

  /** The IB contract for our symbol (cached); throws ProviderError not-found for unknown or malformed symbols. */
  resolve(symbol: string, signal?: AbortSignal): Promise<ResolvedContract> {
    const key = this.key(symbol);
    let p = this.contracts.get(key);
    if (!p) {
      p = this.fetchContract(key, signal);
      this.contracts.set(key, p);
      // A failure is not cached: the symbol may exist after a reconnect or a typo fix.
      p.then((r) => this.resolved.set(key, r), () => this.contracts.delete(key));
    }
    return p;
  }

  resolvedContract(symbol: string): ResolvedContract | undefined {
    return this.resolved.get(this.key(symbol));
  }

  private async fetchContract(symbol: string, signal?: AbortSignal): Promise<ResolvedContract> {
    let query: ContractQuery;
    try {
      query = parseIbSymbol(symbol, this.aliases);
    } catch (e) {
      throw new ProviderError('ib', 'not-found', e instanceof SymbolError ? e.message : String(e));
    }
    const details = await this.requests.oneShot<ContractDetails[]>('contract details', signal, (reqId, done) => {
      const found: ContractDetails[] = [];
      const onDetails = (id: number, d: ContractDetails): void => {
        if (id === reqId) found.push(d);
      };
      const onEnd = (id: number): void => {
        if (id === reqId) done(found);
      };
      this.handle.api.on(EventName.contractDetails, onDetails);
      this.handle.api.on(EventName.contractDetailsEnd, onEnd);
      this.handle.api.reqContractDetails(reqId, queryContract(query));
      return () => {
        this.handle.api.off(EventName.contractDetails, onDetails);
        this.handle.api.off(EventName.contractDetailsEnd, onEnd);
      };
    });
    const d = pickContract(details, query, this.clock.now());
    if (!d) throw new ProviderError('ib', 'not-found', `IB has no contract for ${symbol}`);
    if (!d.ambiguousOk) {
      throw new ProviderError('ib', 'not-found', `${symbol} is ambiguous at IB (${details.length} contracts): add the exchange, e.g. ${query.symbol}@NASDAQ`);
    }
    const c = d.details.contract;
    const exchange = query.secType === SecType.STK || query.secType === SecType.CFD ? query.exchange || c.exchange || 'SMART' : c.exchange || query.exchange;
    return {
      symbol,
      conId: c.conId ?? 0,
      secType: (c.secType ?? query.secType) as SecType,
      contract: { conId: c.conId, exchange, symbol: c.symbol, secType: c.secType, currency: c.currency },
      longName: d.details.longName ?? '',
      minTick: d.details.minTick ?? 0,
      currency: c.currency ?? query.currency,
      exchange,
      primaryExch: c.primaryExch ?? '',
      timeZoneId: d.details.timeZoneId ?? '',
      tradingHours: d.details.tradingHours ?? '',
      liquidHours: d.details.liquidHours ?? '',
      industry: d.details.industry ?? '',
      category: d.details.category ?? '',
      stockType: d.details.stockType ?? '',
    };
  }

  /** Sector, industry and asset class from the contract details (cached with the contract). */
  async profile(symbol: string, signal?: AbortSignal): Promise<InstrumentProfile> {
    return contractProfile(await this.resolve(symbol, signal));
  }

  // ---- streaming quotes ----

  /**
   * Streams quotes of `symbols` to `onQuote` (the DataProvider face). Symbols beyond the free lines are refused, with
   * the reason in status().refused; the others stream. The failover manager sees no IB quotes for a refused symbol
   * and serves it from its next source.
   */
  subscribe(symbols: string[], onQuote: (q: Quote) => void): Disposable {
    return this.trySubscribe(symbols, onQuote).subscription;
  }

  /**
   * Like subscribe, and says which symbols got a line. Lines are shared: a symbol already streaming costs nothing;
   * each other symbol takes a free line, in the order given, until none is left.
   */
  trySubscribe(symbols: string[], onQuote: (q: Quote) => void): { subscription: Disposable; accepted: string[]; refused: Array<{ symbol: string; reason: string }> } {
    const keys = [...new Set(symbols.map((s) => this.key(s)))];
    const sub: Subscriber = { onQuote };
    const accepted: string[] = [];
    const refused: Array<{ symbol: string; reason: string }> = [];
    let free = this.lineBudget - this.linesInUse();
    for (const k of keys) {
      let line = this.lines.get(k);
      const needsLine = !line || line.state === 'error';
      if (needsLine && free <= 0) {
        const reason = `market data line budget full: ${this.lineBudget} of ${this.lineBudget} lines in use; unsubscribe a symbol, or raise the budget if your IB account has more lines`;
        this.noteRefused(k, reason);
        refused.push({ symbol: k, reason });
        continue;
      }
      if (needsLine) free--;
      if (!line) {
        line = newLine(k);
        this.lines.set(k, line);
      }
      line.subscribers.add(sub);
      accepted.push(k);
      if (line.state === 'error' || (line.reqId === null && line.state !== 'resolving')) void this.requestLine(line);
      if (line.quote) onQuote(line.quote);
    }
    let done = false;
    const subscription = toDisposable(() => {
      if (done) return;
      done = true;
      for (const k of accepted) {
        const line = this.lines.get(k);
        if (!line) continue;
        line.subscribers.delete(sub);
        if (line.subscribers.size === 0) this.releaseLine(line);
      }
    });
    return { subscription, accepted, refused };
  }

  private linesInUse(): number {
    let n = this.snapshotsInFlight;
    for (const l of this.lines.values()) if (l.state !== 'error') n++;
    return n;
  }

  private noteRefused(symbol: string, reason: string): void {
    this.refused.push({ symbol, reason, at: this.clock.now() });
    if (this.refused.length > 50) this.refused.shift();
  }

  private async requestLine(line: Line): Promise<void> {
    if (!this.handle.isConnected()) {
      line.state = 'disconnected'; // the connect path requests it
      return;
    }
    line.state = 'resolving';
    line.error = null;
    let r: ResolvedContract;
    try {
      r = await this.resolve(line.symbol);
    } catch (e) {
      if (this.lines.get(line.symbol) === line) this.failLine(line, e instanceof Error ? e.message : String(e));
      return;
    }
    // Released, or the connection dropped while resolving: the (re)connect path requests it again.
    if (this.lines.get(line.symbol) !== line || line.subscribers.size === 0) return;
    if (!this.handle.isConnected()) {
      line.state = 'disconnected';
      return;
    }
    this.cancelLineRequest(line);
    const reqId = this.handle.nextReqId();
    line.reqId = reqId;
    line.state = 'requested';
    line.dataType = 1; // until TWS says otherwise (marketDataType callback, delayed tick types, 10167)
    this.lineByReqId.set(reqId, line);
    this.ensureMarketDataType();
    this.handle.api.reqMktData(reqId, r.contract, '', false, false);
  }

  private cancelLineRequest(line: Line): void {
    if (line.reqId === null) return;
    this.lineByReqId.delete(line.reqId);
    if (this.handle.isConnected()) this.handle.api.cancelMktData(line.reqId);
    line.reqId = null;
  }

  private releaseLine(line: Line): void {
    this.cancelLineRequest(line);
    this.lines.delete(line.symbol);
  }

  private failLine(line: Line, message: string): void {
    this.cancelLineRequest(line);
    line.state = 'error';
    line.error = message;
  }

  /** After a (re)connect or 1101: TWS has forgotten every request, so issue them all again with new ids. */
  private requestAllLines(cancelOld = false): void {
    this.typeSent = false;
    this.ensureMarketDataType();
    for (const line of this.lines.values()) {
      if (line.reqId !== null) {
        // After a reconnect or 1101 TWS has dropped them already; on a type switch they still run and hold lines.
        if (cancelOld) this.handle.api.cancelMktData(line.reqId);
        this.lineByReqId.delete(line.reqId);
        line.reqId = null;
      }
      if (line.subscribers.size > 0 && line.state !== 'resolving') void this.requestLine(line);
    }
  }

  private ensureMarketDataType(): void {
    if (this.typeSent || !this.handle.isConnected()) return;
    this.handle.api.reqMarketDataType(TYPE_CODE[this.marketDataType]);
    this.typeSent = true;
  }

  private onTickPrice(reqId: number, field: number, value: number): void {
    const line = this.lineByReqId.get(reqId);
    if (!line || !(value > 0)) return; // -1 / 0: no value (market closed, no data)
    if (DELAYED_TICKS.has(field) && line.dataType === 1) line.dataType = 3;
    switch (field) {
      case TICK.BID:
      case TICK.DELAYED_BID:
        line.bid = value;
        break;
      case TICK.ASK:
      case TICK.DELAYED_ASK:
        line.ask = value;
        break;
      case TICK.LAST:
      case TICK.DELAYED_LAST:
        line.last = value;
        // The trade's size follows at once as a tickSize; wait for it so the quote carries it.
        line.pendingTrade = true;
        queueMicrotask(() => {
          if (line.pendingTrade) this.emit(line, 0);
        });
        this.touch(line);
        return;
      case TICK.CLOSE:
      case TICK.DELAYED_CLOSE:
        line.close = value;
        break;
      default:
        return;
    }
    this.touch(line);
    this.emit(line, 0);
  }

  private onTickSize(reqId: number, field: number | undefined, value: number | undefined): void {
    const line = this.lineByReqId.get(reqId);
    if (!line || value === undefined || !(value >= 0)) return;
    switch (field) {
      case TICK.BID_SIZE:
      case TICK.DELAYED_BID_SIZE:
        line.bidSize = value;
        break;
      case TICK.ASK_SIZE:
      case TICK.DELAYED_ASK_SIZE:
        line.askSize = value;
        break;
      case TICK.LAST_SIZE:
      case TICK.DELAYED_LAST_SIZE:
        line.lastSize = value;
        if (line.pendingTrade) this.emit(line, value);
        break;
      default:
        return;
    }
    this.touch(line);
  }

  private touch(line: Line): void {
    line.lastTickAt = this.clock.now();
    if (line.state === 'requested') line.state = 'streaming';
  }

  /** Emits a quote once both sides are known; a trade-less update carries lastSize 0. */
  private emit(line: Line, tradeSize: number): void {
    line.pendingTrade = false;
    if (!(line.bid > 0) || !(line.ask > 0)) return;
    const last = line.last > 0 ? line.last : line.close > 0 ? line.close : (line.bid + line.ask) / 2;
    const q: Quote = {
      symbol: line.symbol,
      time: this.clock.now(),
      bid: line.bid,
      ask: line.ask,
      last,
      lastSize: tradeSize,
      source: SOURCE_BY_TYPE[line.dataType] ?? 'ib',
    };
    line.quote = q;
    for (const s of line.subscribers) s.onQuote(q);
    this.quotes.emit(q);
  }

  // ---- snapshot quote ----

  async quote(symbol: string, signal?: AbortSignal): Promise<Quote> {
    const key = this.key(symbol);
    const line = this.lines.get(key);
    if (line?.quote && line.state === 'streaming') return line.quote;
    this.requireConnected();
    const r = await this.resolve(key, signal);
    if (this.linesInUse() >= this.lineBudget) {
      const reason = `market data line budget full (${this.lineBudget} lines): no line free for a snapshot`;
      this.noteRefused(key, reason);
      throw new ProviderError('ib', 'unavailable', `${key}: ${reason}`);
    }
    this.snapshotsInFlight++;
    try {
      const snap = newLine(key);
      return await this.requests.oneShot<Quote>('snapshot quote', signal, (reqId, done) => {
        snap.reqId = reqId;
        snap.state = 'requested';
        const finish = (): void => {
          const q = snapshotQuote(snap, this.clock.now());
          if (q) done(q);
          else throw new ProviderError('ib', 'unavailable', `IB sent no bid/ask for ${key} (market closed and no frozen data?)`);
        };
        const onPrice = (id: number, field: number, value: number): void => {
          if (id !== reqId || !(value > 0)) return;
          if (DELAYED_TICKS.has(field)) snap.dataType = 3;
          if (field === TICK.BID || field === TICK.DELAYED_BID) snap.bid = value;
          else if (field === TICK.ASK || field === TICK.DELAYED_ASK) snap.ask = value;
          else if (field === TICK.LAST || field === TICK.DELAYED_LAST) snap.last = value;
          else if (field === TICK.CLOSE || field === TICK.DELAYED_CLOSE) snap.close = value;
        };
        const onType = (id: number, type: number): void => {
          if (id === reqId) snap.dataType = type;
        };
        const onEnd = (id: number): void => {
          if (id !== reqId) return;
          try {
            finish();
          } catch (e) {
            this.requests.fail(reqId, e as Error);
          }
        };
        const api = this.handle.api;
        api.on(EventName.tickPrice, onPrice);
        api.on(EventName.marketDataType, onType);
        api.on(EventName.tickSnapshotEnd, onEnd);
        this.ensureMarketDataType();
        api.reqMktData(reqId, r.contract, '', true, false);
        return () => {
          api.off(EventName.tickPrice, onPrice);
          api.off(EventName.marketDataType, onType);
          api.off(EventName.tickSnapshotEnd, onEnd);
        };
      });
    } finally {
      this.snapshotsInFlight--;
    }
  }

  // ---- history ----

  /** Bars oldest first, split into requests IB accepts and paced so TWS never answers 162. */
  async history(req: HistoryRequest, signal?: AbortSignal, opts: { priority?: PacingPriority } = {}): Promise<Bar[]> {
    if (!(req.to >= req.from)) throw new ProviderError('ib', 'bad-data', `history: to (${req.to}) is before from (${req.from})`);
    this.requireConnected();
    const r = await this.resolve(req.symbol, signal);
    const bar = TIMEFRAME_SECONDS[req.timeframe];
    const span = MAX_SPAN_S[req.timeframe];
    const whatToShow = whatToShowFor(r.secType, req.adjusted === true);
    const useRth = r.secType === SecType.STK ? 1 : 0;
    const chunks: Array<[number, number]> = [];
    for (let end = req.to; end >= req.from; end -= span) chunks.push([Math.max(req.from, end - span + bar), end]);
    const parts = await Promise.all(
      chunks.map(([from, to]) => {
        // ADJUSTED_LAST only works up to now (IB requires an empty end date for it).
        const end = whatToShow === WhatToShow.ADJUSTED_LAST ? '' : twsUtc(to + bar);
        const duration = durationFor(to - from + bar);
        const key = [r.conId, end, duration, BAR_SIZE[req.timeframe], whatToShow, useRth].join('|');
        return this.pacer.schedule(
          {
            key,
            contractKey: `${r.conId}|${r.exchange}|${whatToShow}`,
            cost: whatToShow === WhatToShow.BID_ASK ? 2 : 1,
            run: (sig) => this.requestBars(r, end, duration, BAR_SIZE[req.timeframe], whatToShow, useRth, sig),
          },
          { priority: opts.priority ?? 'ui', signal },
        );
      }),
    ).catch((e: unknown) => {
      throw toProviderError(e);
    });
    const seen = new Set<number>();
    const out: Bar[] = [];
    for (const part of parts.reverse()) {
      for (const b of part) {
        if (b.time < req.from || b.time > req.to || seen.has(b.time)) continue;
        seen.add(b.time);
        out.push({ ...b });
      }
    }
    return out.sort((a, b) => a.time - b.time);
  }

  private requestBars(r: ResolvedContract, end: string, duration: string, barSize: BarSizeSetting, whatToShow: WhatToShow, useRth: number, signal: AbortSignal): Promise<Bar[]> {
    return this.requests.oneShot<Bar[]>('historical data', signal, (reqId, done) => {
      const bars: Bar[] = [];
      const onBar = (id: number, time: string, open: number, high: number, low: number, close: number, volume: number): void => {
        if (id !== reqId) return;
        if (time.startsWith('finished')) {
          done(bars);
          return;
        }
        const t = parseBarTime(time);
        if (Number.isFinite(t)) bars.push({ time: t, open, high, low, close, volume: volume > 0 ? volume : 0 });
      };
      this.handle.api.on(EventName.historicalData, onBar);
      this.handle.api.reqHistoricalData(reqId, r.contract, end, duration, barSize, whatToShow, useRth, 2, false);
      return () => this.handle.api.off(EventName.historicalData, onBar);
    }, { timeoutMs: this.historyTimeoutMs, cancel: (reqId) => this.handle.api.cancelHistoricalData(reqId), emptyValue: [] });
  }

  // ---- search and health ----

  async search(query: string, signal?: AbortSignal): Promise<SymbolMatch[]> {
    const pattern = query.trim();
    if (!pattern) return [];
    this.requireConnected();
    // IB allows one reqMatchingSymbols per second.
    const wait = this.searchGate.waitMs(this.clock.now());
    if (wait > 0) await new Promise<void>((res) => this.timers.after(wait, res));
    this.searchGate.record(this.clock.now());
    const found = await this.requests.oneShot<ContractDescription[]>('symbol search', signal, (reqId, done) => {
      const onSamples = (id: number, list: ContractDescription[]): void => {
        if (id === reqId) done(list);
      };
      this.handle.api.on(EventName.symbolSamples, onSamples);
      this.handle.api.reqMatchingSymbols(reqId, pattern);
      return () => this.handle.api.off(EventName.symbolSamples, onSamples);
    }).catch((e: unknown) => {
      throw toProviderError(e);
    });
    // IB lists a company once per listing (AAPL on NASDAQ in USD, on MEXI in MXN...): keep what our symbols can
    // address (USD stocks and CFDs, FX pairs, futures), once each, in IB's order of relevance.
    const out: SymbolMatch[] = [];
    const seen = new Set<string>();
    for (const d of found) {
      const c = d.contract as Contract | undefined;
      if (!c?.symbol || !addressable(c)) continue;
      const symbol = ourSymbol(c);
      if (seen.has(symbol)) continue;
      seen.add(symbol);
      out.push({ symbol, name: c.description || c.symbol, exchange: c.primaryExch || c.exchange || '', type: matchType(c.secType), source: 'ib' });
    }
    return out;
  }

  async healthCheck(signal?: AbortSignal): Promise<void> {
    this.requireConnected();
    await this.requests.oneShot<number>('health check (current time)', signal, (_reqId, done) => {
      const onTime = (t: number): void => done(t);
      this.handle.api.once(EventName.currentTime, onTime);
      this.handle.api.reqCurrentTime();
      return () => this.handle.api.off(EventName.currentTime, onTime);
    }).catch((e: unknown) => {
      throw toProviderError(e);
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pacer.dispose();
    for (const line of [...this.lines.values()]) this.releaseLine(line);
    this.requests.failAll(new ProviderError('ib', 'unavailable', 'the IB data client was closed'));
    for (const u of this.unhook) u();
  }

  // ---- plumbing ----

  private key(symbol: string): string {
    return symbol.trim().toUpperCase();
  }

  private requireConnected(): void {
    if (!this.handle.isConnected()) throw new ProviderError('ib', 'unavailable', 'not connected to TWS / IB Gateway');
  }

  /**
   * One request/answer exchange with TWS under a fresh request id: `start` registers listeners, sends the request and
   * returns their removal; errors for the id, a timeout, an abort or a disconnect end it.
   */
  private wire(): void {
    const api = this.handle.api;
    // One typed hook-up for all events (IBApi's overloads do not accept a union of event names).
    const on = <A extends unknown[]>(event: EventName, fn: (...args: A) => void): void => {
      api.on(event as never, fn as never);
      this.unhook.push(() => api.off(event as never, fn as never));
    };
    on(EventName.tickPrice, (reqId: number, field: number, value: number) => this.onTickPrice(reqId, field, value));
    on(EventName.tickSize, (reqId: number, field: number | undefined, value: number | undefined) => this.onTickSize(reqId, field, value));
    on(EventName.marketDataType, (reqId: number, type: number) => {
      const line = this.lineByReqId.get(reqId);
      if (line) line.dataType = type;
    });
    on(EventName.error, (err: Error, code: number, reqId: number) => this.onError(code, err?.message ?? '', reqId));
    on(EventName.info, (message: string, code: number) => this.onError(code, message, -1));
    const c1 = this.handle.onConnected(() => this.requestAllLines());
    const c2 = this.handle.onDisconnected((reason) => this.onDisconnected(reason));
    this.unhook.push(() => void c1.dispose(), () => void c2.dispose());
  }

  private onError(code: number, text: string, reqId: number): void {
    const info = classifyIbError(code, text);
    if (reqId === -1 || reqId === undefined) {
      // Only 1101 concerns us: 1102 kept the data; 1100 is followed by one of the two.
      if (connectivityOf(code) === 'restored-data-lost') this.requestAllLines();
      return;
    }
    const line = this.lineByReqId.get(reqId);
    if (line) return this.onLineError(line, info);
    if (!this.requests.has(reqId) || info.severity === 'info' || info.action === 'none') return;
    // HMDS "no data" for a period is an empty answer, not a failure.
    if (info.class === 'request' && info.code === 162 && this.requests.empty(reqId)) return;
    this.requests.fail(reqId, info.class === 'pacing' ? new IbRequestError(info, reqId) : toProviderError(new IbRequestError(info, reqId)));
  }

  private onLineError(line: Line, info: IbErrorInfo): void {
    if (info.code === 10167) {
      // Not subscribed, showing delayed data: the line keeps streaming, tagged delayed.
      line.dataType = 3;
      return;
    }
    if (info.severity === 'info' || info.action === 'none') return;
    this.failLine(line, describeIbError(info));
  }

  private onDisconnected(reason: string): void {
    this.typeSent = false;
    for (const line of this.lines.values()) {
      if (line.reqId !== null) this.lineByReqId.delete(line.reqId);
      line.reqId = null;
      if (line.state !== 'error') line.state = 'disconnected';
    }
    this.requests.failAll(new ProviderError('ib', 'unavailable', `connection to TWS lost (${reason})`));
  }
}

/** Whether parseIbSymbol can name this contract (search results outside it would resolve to another listing). */
function addressable(c: Contract): boolean {
  switch (c.secType) {
    case SecType.STK:
    case SecType.CFD:
      return (c.currency ?? 'USD') === 'USD';
    case SecType.CASH:
    case SecType.FUT:
      return true;
    default:
      return false;
  }
}

function newLine(symbol: string): Line {
  return {
    symbol, reqId: null, state: 'disconnected', error: null, dataType: 1, bid: NaN, ask: NaN, last: NaN, close: NaN,
    bidSize: NaN, askSize: NaN, lastSize: 0, pendingTrade: false, lastTickAt: null, quote: undefined, subscribers: new Set(),
  };
}

function snapshotQuote(l: Line, now: number): Quote | undefined {
  const last = l.last > 0 ? l.last : l.close;
  const bid = l.bid > 0 ? l.bid : last;
  const ask = l.ask > 0 ? l.ask : last;
  if (!(bid > 0) || !(ask > 0)) return undefined;
  return { symbol: l.symbol, time: now, bid, ask, last: last > 0 ? last : (bid + ask) / 2, lastSize: 0, source: SOURCE_BY_TYPE[l.dataType] ?? 'ib' };
}

/** The unique contract a query designates: the front future for a root, else the single match. */
function pickContract(list: ContractDetails[], q: ContractQuery, now: number): { details: ContractDetails; ambiguousOk: boolean } | undefined {
  if (list.length === 0) return undefined;
  if (q.secType === SecType.FUT && q.frontMonth) {
    const live = list
      .map((d) => ({ d, exp: expiryMs(d.contract.lastTradeDateOrContractMonth ?? d.contract.lastTradeDate) }))
      .filter((x) => Number.isFinite(x.exp) && x.exp > now)
      .sort((a, b) => a.exp - b.exp);
    return live.length > 0 ? { details: live[0].d, ambiguousOk: true } : undefined;
  }
  if (list.length === 1) return { details: list[0], ambiguousOk: true };
  // Several listings: prefer the one on the asked primary exchange, or the only one routed via SMART.
  const byPrimary = q.primaryExch ? list.filter((d) => d.contract.primaryExch === q.primaryExch) : [];
  if (byPrimary.length === 1) return { details: byPrimary[0], ambiguousOk: true };
  const smart = list.filter((d) => d.contract.exchange === 'SMART');
  if (smart.length === 1) return { details: smart[0], ambiguousOk: true };
  return { details: list[0], ambiguousOk: false };
}

function whatToShowFor(secType: SecType, adjusted: boolean): WhatToShow {
  if (secType === SecType.STK) return adjusted ? WhatToShow.ADJUSTED_LAST : WhatToShow.TRADES;
  if (secType === SecType.FUT || secType === SecType.CRYPTO) return WhatToShow.TRADES;
  // FX, CFDs, metals: IB has no trades for these, only quotes.
  return WhatToShow.MIDPOINT;
}

/** An IB duration string covering `seconds`: seconds up to a day, then days, then years. */
export function durationFor(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s <= 86400) return `${s} S`;
  const days = Math.ceil(s / 86400);
  if (days <= 365) return `${days} D`;
  return `${Math.ceil(days / 365)} Y`;
}

/** UTC seconds as TWS's UTC end date "yyyymmdd-hh:mm:ss". */
export function twsUtc(seconds: number): string {
  const d = new Date(seconds * 1000).toISOString();
  return `${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}-${d.slice(11, 19)}`;
}

/** A bar time as TWS sends it (formatDate 2): epoch seconds, "yyyymmdd" for daily bars, or "yyyymmdd hh:mm:ss[ zone]". */
export function parseBarTime(s: string): number {
  const t = s.trim();
  if (/^\d{9,}$/.test(t)) return Number(t);
  const m = /^(\d{4})(\d{2})(\d{2})(?:[ -]+(\d{2}):(\d{2}):(\d{2}))?/.exec(t);
  if (!m) return NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)) / 1000;
}

/** Any failure as the ProviderError the failover manager understands. */
export function toProviderError(e: unknown): ProviderError {
  if (e instanceof ProviderError) return e;
  if (e instanceof IbRequestError) {
    const i = e.info;
    const reason: ProviderError['reason'] =
      i.class === 'pacing' ? 'rate-limited'
        : i.class === 'connection' ? 'unavailable'
          : i.class === 'market-data-permission' ? 'auth'
            : i.code === 200 ? 'not-found'
              : 'unavailable';
    return new ProviderError('ib', reason, e.message, i.class === 'pacing' ? 15_000 : undefined);
  }
  if (e instanceof DOMException && e.name === 'AbortError') return new ProviderError('ib', 'timeout', 'cancelled');
  return new ProviderError('ib', 'unavailable', e instanceof Error ? e.message : String(e));
}
