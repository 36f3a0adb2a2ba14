// The market-data failover manager: composes several DataProviders into the one MarketData the app uses.
// Per instrument it picks the first usable source of the quotes chain (fails over on errors, open circuits and stale
// streams; fails back to a higher-priority source only after it has streamed without a gap for `failbackMs`), polls
// polling sources within their rate limits, serves history from the bars chain, probes every provider's health, and
// cross-checks the primary's prices against the secondary's.
import type { StatementRecord } from '../../../src-shared/domain/fundamentals';
import type { InstrumentProfile } from '../../../src-shared/domain/profile';
import type { NewsItem } from '../../../src-shared/domain/news';
import type { Bar, Instrument, Quote, Timeframe } from '../../../src-shared/domain/types';
import { TIMEFRAME_SECONDS } from '../../../src-shared/domain/types';
import { Emitter } from '../../../src-shared/common/emitter';
import { bucketOf } from '../../../src-shared/domain/candles';
import { compareDailyCloses, comparePrices } from '../../domain/market-data/divergence';
import type { Clock } from '../../ports/clock';
import type { DataProvider, Fundamentals, ProviderId } from '../../ports/data-provider';
import { ProviderError } from '../../ports/data-provider';
import type { Disposable } from '../../ports/disposable';
import type { MarketData } from '../../ports/market-data';
import type { Timers } from '../../ports/timers';
import type { BarCache } from './bar-cache';
import type { ProviderChannel } from './provider-channel';

export type ChainKind = 'quotes' | 'bars' | 'fundamentals';

/** What the manager needs of the instrument catalog (the demo market, later the instrument store). */
export type InstrumentCatalog = Pick<MarketData, 'instruments' | 'instrument' | 'isOpen'>;

export interface ManagerOptions {
  channels: ProviderChannel[];
  /** Provider ids tried in order per kind; the first is the primary. */
  chains: Record<ChainKind, ProviderId[]>;
  catalog: InstrumentCatalog;
  clock: Clock;
  timers: Timers;
  staleMs: number;
  failbackMs: number;
  pollIntervalMs: number;
  healthCheckMs: number;
  crossValidation: { enabled: boolean; threshold: number; intervalMs: number };
  /**
   * The local bar store in front of the bars chain: history is served from it and only the missing ranges are asked of
   * the provider. Never used for the demo market: it generates any history from its seed at once, and its simulated
   * prices must not sit in the store next to real ones (a later real session would take them as cached history).
   */
  barCache?: BarCache;
  /** Informational messages (switches, errors); the app passes its logger. */
  log?: (level: 'info' | 'warn', obj: object, msg: string) => void;
}

export interface SourceStatus {
  id: ProviderId;
  enabled: boolean;
  state: 'healthy' | 'degraded' | 'down';
  circuit: 'closed' | 'open' | 'half-open';
  lastError: { message: string; reason: string; at: number } | null;
  latencyMs: number | null;
  requestsLastHour: number;
  rateLimit: number;
  queued: number;
  lastSuccessAt: number | null;
  streaming: boolean;
  /** Rank in each chain, 1 = primary. */
  roles: { kind: ChainKind; rank: number }[];
}

export interface FeedStatus {
  symbol: string;
  source: ProviderId | null;
  /** True when the source is not the quotes chain's primary. */
  fallback: boolean;
  since: number | null;
  lastQuoteTime: number | null;
  lastQuoteAge: number | null;
  /** No usable source has a fresh quote for an open market. */
  stale: boolean;
  barsSource: ProviderId | null;
  barsAt: number | null;
}

export interface Divergence {
  id: string;
  symbol: string;
  kind: 'quote' | 'daily-bar';
  /** When it was detected, UTC ms. */
  detectedAt: number;
  /** The quote time (UTC ms) or the bar's day (UTC ms of 00:00). */
  at: number;
  primary: { source: ProviderId; price: number };
  secondary: { source: ProviderId; price: number };
  /** Relative difference, |secondary − primary| / primary. */
  diff: number;
  threshold: number;
}

interface StreamState {
  lastAt: number;
  /** Start of the current run of quotes without a gap longer than staleMs. */
  freshSince: number;
}

interface Feed {
  source: ProviderId | null;
  since: number | null;
  /** The current source's last quote (never another source's: see `quotes`). */
  last: Quote | undefined;
  nextPollAt: number;
  polling: boolean;
  nextCheckAt: number;
  nextBarsCheckAt: number;
  barsSource: ProviderId | null;
  barsAt: number | null;
}

const MAX_DIVERGENCES = 200;
/** Extra history span asked of providers so weekends and holidays still leave `limit` bars. */
const HISTORY_PAD_SECONDS = 5 * 86_400;
const SESSION_SPAN: Record<Instrument['session'], number> = { 'us-equity': 6.5, 'fx-24x5': 1.5, 'cfd-23x5': 1.6, 'crypto-24x7': 1.05 };

export class MarketDataManager implements MarketData {
  readonly name = 'failover';
  private readonly channels = new Map<ProviderId, ProviderChannel>();
  private readonly streams = new Map<string, StreamState>(); // `${provider}|${symbol}`
  private readonly feeds = new Map<string, Feed>();
  /**
   * The last quote of each source per instrument (`${provider}|${symbol}`) and when it arrived (UTC ms). Quotes belong
   * to their source: when an instrument changes source it shows the new source's last quote, or none, never the old
   * one's; a source that leaves (IB disconnects) takes its quotes with it.
   */
  private readonly quotes = new Map<string, { quote: Quote; receivedAt: number }>();
  private readonly quoteEvents = new Emitter<Quote>();
  private readonly updates = new Emitter<'sources' | 'feeds'>();
  private readonly subscriptions = new Map<ProviderId, Disposable>();
  private chains: Record<ChainKind, ProviderId[]>;
  private readonly cancels = new Map<string, () => void>();
  private readonly channelOffs = new Map<ProviderId, () => void>();
  private divergenceList: Divergence[] = [];
  private divergenceSeq = 0;
  private started = false;
  private startedAt = 0;
  private disposed = false;
  private sourcesDirty = false;
  private feedsDirty = false;

  constructor(private readonly o: ManagerOptions) {
    this.chains = o.chains;
    for (const c of o.channels) {
      this.channels.set(c.id, c);
      this.channelOffs.set(c.id, c.onChange(() => (this.sourcesDirty = true)));
    }
    for (const i of o.catalog.instruments()) this.feeds.set(i.symbol, this.emptyFeed());
  }

  private emptyFeed(): Feed {
    return { source: null, since: null, last: undefined, nextPollAt: 0, polling: false, nextCheckAt: 0, nextBarsCheckAt: 0, barsSource: null, barsAt: null };
  }

  private now(): number {
    return this.o.clock.now();
  }

  private chain(kind: ChainKind): ProviderChannel[] {
    return this.chains[kind].flatMap((id) => this.channels.get(id) ?? []);
  }

  // ---- MarketData ----

  instruments(): Instrument[] {
    return this.o.catalog.instruments();
  }
  instrument(symbol: string): Instrument | undefined {
    return this.o.catalog.instrument(symbol);
  }
  isOpen(symbol: string, time: number): boolean {
    return this.o.catalog.isOpen(symbol, time);
  }
  lastQuote(symbol: string): Quote | undefined {
    return this.feeds.get(symbol)?.last;
  }

  /**
   * The current source's last quote if it is a price to act on now: while the market is open it must have arrived
   * within `stale_after` (a streaming source) or within two poll periods (a polling one); while the market is closed the
   * last price stands, as the close is the reference for orders queued for the next open.
   */
  freshQuote(symbol: string): Quote | undefined {
    const feed = this.feeds.get(symbol);
    const c = feed?.source ? this.channels.get(feed.source) : undefined;
    if (!feed?.last || !c) return undefined;
    const now = this.now();
    if (!this.isOpen(symbol, now)) return feed.last;
    const received = this.quotes.get(`${c.id}|${symbol}`)?.receivedAt ?? -Infinity;
    const maxAge = c.provider.subscribe ? this.o.staleMs : Math.max(this.o.staleMs, 2 * this.pollPeriod(c));
    return now - received <= maxAge ? feed.last : undefined;
  }
  onQuote(listener: (q: Quote) => void): Disposable {
    return this.quoteEvents.on(listener);
  }

  /** Bars from the first provider of the bars chain that answers; the answer's source is kept in the feeds view. */
  async history(symbol: string, timeframe: Timeframe, limit = 2000): Promise<Bar[]> {
    const inst = this.instrument(symbol);
    if (!inst) throw new Error(`Unknown symbol ${symbol}`);
    const to = Math.floor(this.now() / 1000);
    const from = to - Math.ceil(limit * TIMEFRAME_SECONDS[timeframe] * SESSION_SPAN[inst.session]) - HISTORY_PAD_SECONDS;
    const errors: string[] = [];
    for (const c of this.chain('bars')) {
      if (!c.available() || !c.provider.capabilities.has('bars')) continue;
      try {
        const bars = this.o.barCache && c.id !== 'demo'
          ? await this.cachedHistory(this.o.barCache, c, symbol, timeframe, from, to)
          : await c.call(`history ${symbol} ${timeframe}`, (signal) => c.provider.history({ symbol, timeframe, from, to }, signal));
        const feed = this.feeds.get(symbol);
        if (feed) {
          feed.barsSource = c.id;
          feed.barsAt = this.now();
          this.feedsDirty = true;
        }
        return bars.length > limit ? bars.slice(bars.length - limit) : bars;
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
      }
    }
    throw new ProviderError(this.chains.bars[0] ?? 'demo', 'unavailable', errors.length ? `No source could serve ${symbol} ${timeframe} bars: ${errors.join('; ')}` : `No data source is available for ${symbol} bars`);
  }

  /** Stored bars of [from, to] after asking the channel (rate limit, retries, circuit) for the missing ranges only. */
  private async cachedHistory(cache: BarCache, c: ProviderChannel, symbol: string, timeframe: Timeframe, from: number, to: number): Promise<Bar[]> {
    // A range the source does not keep (Yahoo's minute bars go back 30 days) is an empty answer for that range, which
    // the cache then does not ask again; the source is skipped only when the store ends up with nothing at all.
    let notFound: unknown;
    const history = async (req: Parameters<DataProvider['history']>[0]): Promise<Bar[]> => {
      try {
        return await c.call(`history ${symbol} ${timeframe}`, (signal) => c.provider.history(req, signal));
      } catch (err) {
        if (!(err instanceof ProviderError) || err.reason !== 'not-found') throw err;
        notFound = err;
        return [];
      }
    };
    const via: DataProvider = Object.create(c.provider, { history: { value: history } });
    // From the start of the first bucket: a bar stamped inside it (Yahoo's daily bars at the open) is then read back too.
    from = bucketOf(timeframe, from);
    const report = await cache.fill(via, { symbol, timeframe, from, to });
    if (report.rejected.length) this.o.log?.('warn', { symbol, timeframe, source: c.id, rejected: report.rejected.length }, 'provider bars rejected by validation');
    const { bars } = await cache.read({ symbol, timeframe, from, to });
    if (bars.length === 0 && notFound) throw notFound;
    return bars;
  }

  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    this.startedAt = this.now();
    for (const c of this.chain('quotes')) this.subscribe(c);
    this.loop('supervise', Math.max(100, Math.min(1000, this.o.staleMs / 4)), () => this.supervise());
    this.loop('health', this.o.healthCheckMs, () => {
      this.checkHealth().catch((err: unknown) => this.o.log?.('warn', { err: err instanceof Error ? err.message : String(err) }, 'health check round failed'));
    }, true);
  }

  private subscribe(c: ProviderChannel): void {
    if (!c.enabled || !c.provider.subscribe || this.subscriptions.has(c.id)) return;
    this.subscriptions.set(c.id, c.provider.subscribe([...this.feeds.keys()], (q) => this.onProviderQuote(c.id, q)));
  }

  /** The providers the manager holds, in the order they were added. */
  providers(): DataProvider[] {
    return [...this.channels.values()].map((c) => c.provider);
  }

  /**
   * Adds a provider at run time (the IB data client once a session connects) with the chains that now apply; a
   * provider with the same id is replaced. Instruments move to it by the usual rules (fail-back hysteresis included).
   */
  attach(channel: ProviderChannel, chains: Record<ChainKind, ProviderId[]>): void {
    this.detach(channel.id, chains);
    this.channels.set(channel.id, channel);
    this.channelOffs.set(channel.id, channel.onChange(() => (this.sourcesDirty = true)));
    if (this.started && this.chain('quotes').includes(channel)) this.subscribe(channel);
    this.sourcesDirty = true;
  }

  /** Removes a provider (a session ended); its instruments fail over at the next supervisor tick. */
  detach(id: ProviderId, chains: Record<ChainKind, ProviderId[]>): void {
    this.chains = chains;
    const c = this.channels.get(id);
    if (c) {
      this.disposeSubscription(id, this.subscriptions.get(id));
      this.subscriptions.delete(id);
      this.channelOffs.get(id)?.();
      this.channelOffs.delete(id);
      this.channels.delete(id);
      c.dispose();
      for (const key of [...this.streams.keys()]) if (key.startsWith(`${id}|`)) this.streams.delete(key);
      for (const key of [...this.quotes.keys()]) if (key.startsWith(`${id}|`)) this.quotes.delete(key);
      // At once, not at the next supervisor tick: a snapshot taken right after the switch must not show its quotes.
      for (const [symbol, feed] of this.feeds) {
        if (feed.source !== id) continue;
        this.evaluate(symbol, feed);
        if (feed.source === id) {
          feed.source = null;
          feed.since = null;
          feed.last = undefined;
          this.feedsDirty = true;
        }
      }
      this.flush();
    }
    this.sourcesDirty = true;
  }

  /** Fundamentals from the first provider of the fundamentals chain that has them. */
  async fundamentals(symbol: string): Promise<Fundamentals> {
    const errors: string[] = [];
    for (const c of this.chain('fundamentals')) {
      const fn = c.provider.fundamentals?.bind(c.provider);
      if (!fn || !c.available()) continue;
      try {
        return await c.call(`fundamentals ${symbol}`, (signal) => fn(symbol, signal));
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
      }
    }
    throw new ProviderError(this.chains.fundamentals[0] ?? 'yahoo', 'unavailable', errors.length ? `No source could serve ${symbol} fundamentals: ${errors.join('; ')}` : `No data source is available for ${symbol} fundamentals`);
  }

  /** Statement history (issue 16) from the first provider of the fundamentals chain that has it. */
  async statements(symbol: string): Promise<StatementRecord[]> {
    const errors: string[] = [];
    for (const c of this.chain('fundamentals')) {
      const fn = c.provider.statements?.bind(c.provider);
      if (!fn || !c.available()) continue;
      try {
        return await c.call(`statements ${symbol}`, (signal) => fn(symbol, signal));
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
      }
    }
    throw new ProviderError(this.chains.fundamentals[0] ?? 'yahoo', 'unavailable', errors.length ? `No source could serve ${symbol} statements: ${errors.join('; ')}` : `No data source has statements of ${symbol}`);
  }

  /**
   * Instrument profiles from every running provider that has them (IB contract details, Yahoo's asset profile), each
   * with its source: the caller merges them by precedence. A source that fails is left out with its reason.
   */
  async profiles(symbol: string): Promise<{ profiles: { source: ProviderId; profile: InstrumentProfile }[]; errors: string[] }> {
    const errors: string[] = [];
    const found = await Promise.all([...this.channels.values()].map(async (c) => {
      const fn = c.provider.profile?.bind(c.provider);
      if (!fn || !c.available()) return [];
      try {
        return [{ source: c.id, profile: await c.call(`profile ${symbol}`, (signal) => fn(symbol, signal)) }];
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
        return [];
      }
    }));
    return { profiles: found.flat(), errors };
  }

  /** Headlines from the first running provider that has news (Yahoo); none is an error naming why. */
  async news(symbol: string, count: number): Promise<{ source: ProviderId; items: NewsItem[] }> {
    const errors: string[] = [];
    for (const c of this.channels.values()) {
      const fn = c.provider.news?.bind(c.provider);
      if (!fn || !c.available()) continue;
      try {
        return { source: c.id, items: await c.call(`news ${symbol}`, (signal) => fn(symbol, count, signal)) };
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
      }
    }
    throw new ProviderError('yahoo', 'unavailable', errors.length ? `No source could serve ${symbol} news: ${errors.join('; ')}` : `No running data source has news (Yahoo is off or unreachable)`);
  }

  /** Ends a provider's quote subscription; a failure to end it is logged, never left as a stray rejection. */
  private disposeSubscription(id: ProviderId, sub: Disposable | undefined): void {
    if (!sub) return;
    Promise.resolve()
      .then(() => sub.dispose())
      .catch((err: unknown) => this.o.log?.('warn', { provider: id, err: err instanceof Error ? err.message : String(err) }, 'quote subscription did not close cleanly'));
  }

  /**
   * Runs `fn` every `ms` on the injected timers (first run now when `immediately`). A throwing tick is logged and the
   * loop goes on: a timer callback that throws would end the process.
   */
  private loop(name: string, ms: number, fn: () => void, immediately = false): void {
    const run = () => {
      if (this.disposed) return;
      try {
        fn();
      } catch (err) {
        this.o.log?.('warn', { loop: name, err: err instanceof Error ? err.message : String(err) }, 'market-data background step failed');
      }
      this.cancels.set(name, this.o.timers.after(ms, run));
    };
    if (immediately) run();
    else this.cancels.set(name, this.o.timers.after(ms, run));
  }

  /**
   * A snapshot quote for every instrument that has none yet, from its current source: closed markets stream nothing,
   * yet their last price values positions. Best effort: a failing source leaves the instrument without a quote.
   */
  async prime(): Promise<void> {
    await Promise.all([...this.feeds].map(async ([symbol, feed]) => {
      this.evaluate(symbol, feed);
      const c = feed.source ? this.channels.get(feed.source) : undefined;
      if (!c || feed.last) return;
      await this.snapshot(symbol, feed, c);
    }));
    this.flush();
  }

  /** One snapshot quote from `c` for an instrument it feeds without a quote yet (best effort, never rejects). */
  private async snapshot(symbol: string, feed: Feed, c: ProviderChannel): Promise<void> {
    if (!c.provider.capabilities.has('quotes')) return;
    try {
      const q = await c.call(`quote ${symbol}`, (signal) => c.provider.quote(symbol, signal));
      if (this.disposed || this.channels.get(c.id) !== c) return; // the source left meanwhile
      this.remember(c.id, q);
      if (feed.source === c.id && !feed.last) this.publish(feed, q, c.id);
    } catch {
      // Shown as the source's last error; the stream or the next poll fills the gap.
    }
  }

  // ---- quotes ----

  private onProviderQuote(id: ProviderId, q: Quote): void {
    if (this.disposed) return;
    const now = this.now();
    const key = `${id}|${q.symbol}`;
    const s = this.streams.get(key);
    if (!s || now - s.lastAt > this.o.staleMs) this.streams.set(key, { lastAt: now, freshSince: now });
    else s.lastAt = now;
    const c = this.channels.get(id);
    if (c && (c.lastSuccessAt === null || now - c.lastSuccessAt >= 1000)) c.recordSuccess();
    else if (c) c.lastSuccessAt = now;
    const feed = this.feeds.get(q.symbol);
    if (!feed) return;
    this.remember(id, q);
    if (feed.source === null) this.evaluate(q.symbol, feed);
    if (feed.source === id) this.publish(feed, q, id);
  }

  /** The provider's own tag is kept when it refines ours ('ib-delayed'); anything else is tagged with the provider. */
  private tagged(q: Quote, id: ProviderId): Quote {
    return q.source === id || q.source.startsWith(`${id}-`) ? q : { ...q, source: id };
  }

  private remember(id: ProviderId, q: Quote): void {
    if (this.channels.has(id)) this.quotes.set(`${id}|${q.symbol}`, { quote: this.tagged(q, id), receivedAt: this.now() });
  }

  private publish(feed: Feed, q: Quote, id: ProviderId): void {
    const quote = this.tagged(q, id);
    feed.last = quote;
    this.quoteEvents.emit(quote);
  }

  /** A streaming source is fresh for an instrument when it quoted it recently (or the market is closed). */
  private fresh(c: ProviderChannel, symbol: string, now: number): boolean {
    if (!c.provider.subscribe) return true;
    const s = this.streams.get(`${c.id}|${symbol}`);
    if (s && now - s.lastAt <= this.o.staleMs) return true;
    if (!this.isOpen(symbol, now)) return true;
    // Grace after start: a stream that has not quoted yet is not stale before staleMs.
    return !s && now - this.startedAt <= this.o.staleMs;
  }

  private usable(c: ProviderChannel, symbol: string, now: number): boolean {
    return c.available() && this.fresh(c, symbol, now);
  }

  /** Has `c` been fit long enough to take an instrument back (the hysteresis of fail-back)? */
  private stable(c: ProviderChannel, symbol: string, now: number): boolean {
    if (c.circuit() !== 'closed') return false;
    if (c.provider.subscribe) {
      const s = this.streams.get(`${c.id}|${symbol}`);
      if (s) return now - s.lastAt <= this.o.staleMs && now - s.freshSince >= this.o.failbackMs;
      return !this.isOpen(symbol, now) && c.healthySince !== null && now - c.healthySince >= this.o.failbackMs;
    }
    return c.healthySince !== null && now - c.healthySince >= this.o.failbackMs;
  }

  /** Picks the instrument's source: fail over at once when the current one is unusable, fail back after hysteresis. */
  private evaluate(symbol: string, feed: Feed): void {
    const now = this.now();
    const chain = this.chain('quotes').filter((c) => c.provider.capabilities.has('quotes'));
    const cur = feed.source === null ? chain.length : chain.findIndex((c) => c.id === feed.source);
    let target: ProviderChannel | undefined;
    for (let i = 0; i < chain.length; i++) {
      const c = chain[i]!;
      if (i < cur) {
        if (this.usable(c, symbol, now) && (feed.source === null || this.stable(c, symbol, now))) {
          target = c;
          break;
        }
      } else if (this.usable(c, symbol, now)) {
        target = c;
        break;
      }
    }
    if (!target || target.id === feed.source) return;
    const from = feed.source;
    feed.source = target.id;
    feed.since = now;
    feed.nextPollAt = now;
    // The new source's last quote, or none until it quotes: the old source's price must not stand under the new tag.
    const own = this.quotes.get(`${target.id}|${symbol}`)?.quote;
    feed.last = undefined;
    if (own) this.publish(feed, own, target.id);
    else if (from !== null && this.started) {
      this.snapshot(symbol, feed, target).catch((err: unknown) => this.o.log?.('warn', { symbol, err: err instanceof Error ? err.message : String(err) }, 'snapshot quote failed'));
    }
    this.feedsDirty = true;
    this.sourcesDirty = true;
    if (from !== null) this.o.log?.('info', { symbol, from, to: target.id }, chain.indexOf(target) > cur ? 'data failover' : 'data fail-back');
  }

  /** Poll period per instrument for a polling source, stretched so polls use at most half its hourly budget. */
  private pollPeriod(c: ProviderChannel): number {
    if (c.limit.perHour === 0) return this.o.pollIntervalMs;
    let polled = 0;
    for (const f of this.feeds.values()) if (f.source === c.id) polled++;
    return Math.max(this.o.pollIntervalMs, Math.ceil((Math.max(1, polled) * 3_600_000) / (c.limit.perHour * 0.5)));
  }

  private poll(symbol: string, feed: Feed, c: ProviderChannel): void {
    feed.polling = true;
    feed.nextPollAt = this.now() + this.pollPeriod(c);
    c.call(`quote ${symbol}`, (signal) => c.provider.quote(symbol, signal))
      .then((q) => {
        const now = this.now();
        if (this.disposed || this.channels.get(c.id) !== c) return; // the source left meanwhile
        this.streams.set(`${c.id}|${symbol}`, { lastAt: now, freshSince: this.streams.get(`${c.id}|${symbol}`)?.freshSince ?? now });
        this.remember(c.id, q);
        if (feed.source === c.id) this.publish(feed, q, c.id);
      })
      .catch((err: unknown) => this.o.log?.('warn', { symbol, provider: c.id, err: err instanceof Error ? err.message : String(err) }, 'quote poll failed'))
      .finally(() => (feed.polling = false));
  }

  /** The supervisor tick: sources per instrument, due polls, due cross-checks, half-open probes, change events. */
  private supervise(): void {
    const now = this.now();
    for (const [symbol, feed] of this.feeds) {
      this.evaluate(symbol, feed);
      const c = feed.source ? this.channels.get(feed.source) : undefined;
      if (c && !c.provider.subscribe && !feed.polling && now >= feed.nextPollAt && c.available()) this.poll(symbol, feed, c);
      if (this.o.crossValidation.enabled && now >= feed.nextCheckAt) {
        feed.nextCheckAt = now + this.o.crossValidation.intervalMs;
        // A failed cross-check is the secondary's failure (its channel records it in lastError, shown on Data sources).
        if (feed.last) {
          this.crossValidate(symbol, { bars: now >= feed.nextBarsCheckAt })
            .catch((err: unknown) => this.o.log?.('info', { symbol, err: err instanceof Error ? err.message : String(err) }, 'cross-check skipped'));
        }
      }
    }
    for (const c of this.channels.values()) {
      if (c.enabled && c.circuit() === 'half-open') c.healthCheck().catch((err: unknown) => this.o.log?.('warn', { provider: c.id, err: err instanceof Error ? err.message : String(err) }, 'half-open probe failed'));
    }
    this.flush();
  }

  private async checkHealth(): Promise<void> {
    await Promise.all([...this.channels.values()].map((c) => c.healthCheck()));
    this.sourcesDirty = true;
    this.flush();
  }

  private flush(): void {
    if (this.sourcesDirty) {
      this.sourcesDirty = false;
      this.updates.emit('sources');
    }
    if (this.feedsDirty) {
      this.feedsDirty = false;
      this.updates.emit('feeds');
    }
  }

  /** Called when the sources or the feeds view changed (at most once per supervisor tick each). */
  onUpdate(listener: (what: 'sources' | 'feeds') => void): Disposable {
    return this.updates.on(listener);
  }

  // ---- cross-validation ----

  /**
   * Compares the primary's price with the secondary's: the last quote, and (when `bars`) the daily closes of the last
   * ten days. Runs only while the primary feeds the instrument; returns the divergences found.
   */
  async crossValidate(symbol: string, opts: { bars?: boolean } = {}): Promise<Divergence[]> {
    const [primary, secondary] = this.chain('quotes');
    const feed = this.feeds.get(symbol);
    if (!primary || !secondary || !feed || feed.source !== primary.id || !secondary.available()) return [];
    const threshold = this.o.crossValidation.threshold;
    const found: Divergence[] = [];
    const mine = feed.last;
    if (mine && secondary.provider.capabilities.has('quotes')) {
      const theirs = await secondary.call(`quote ${symbol} (cross-check)`, (signal) => secondary.provider.quote(symbol, signal));
      const check = comparePrices(mine.last, theirs.last, threshold);
      // The quote flag says how things stand now: replaced by each check, cleared when the sources agree again.
      this.divergenceList = this.divergenceList.filter((x) => !(x.symbol === symbol && x.kind === 'quote'));
      if (check?.diverges) found.push(this.addDivergence({ symbol, kind: 'quote', at: theirs.time, primary: { source: primary.id, price: mine.last }, secondary: { source: secondary.id, price: theirs.last }, diff: check.diff }));
    }
    if (opts.bars && primary.provider.capabilities.has('bars') && secondary.provider.capabilities.has('bars')) {
      feed.nextBarsCheckAt = this.now() + 3_600_000;
      const to = Math.floor(this.now() / 1000);
      const req = { symbol, timeframe: '1d' as const, from: to - 10 * 86_400, to };
      const [a, b] = await Promise.all([
        primary.call(`history ${symbol} 1d (cross-check)`, (signal) => primary.provider.history(req, signal)),
        secondary.call(`history ${symbol} 1d (cross-check)`, (signal) => secondary.provider.history(req, signal)),
      ]);
      // Today's bar is still forming at one source or the other: only closed days are compared.
      const today = Math.floor(to / 86_400);
      const closed = (bars: Bar[]) => bars.filter((x) => Math.floor(x.time / 86_400) < today);
      for (const d of compareDailyCloses(closed(a), closed(b), threshold)) {
        found.push(this.addDivergence({ symbol, kind: 'daily-bar', at: d.day * 86_400_000, primary: { source: primary.id, price: d.primary }, secondary: { source: secondary.id, price: d.secondary }, diff: d.diff }));
      }
    }
    return found;
  }

  private addDivergence(d: Omit<Divergence, 'id' | 'detectedAt' | 'threshold'>): Divergence {
    // One flag per instrument, kind and day (quote flags are replaced above): a repeated check updates it.
    this.divergenceList = this.divergenceList.filter((x) => !(x.symbol === d.symbol && x.kind === d.kind && x.at === d.at));
    const full: Divergence = { ...d, id: `dv-${++this.divergenceSeq}`, detectedAt: this.now(), threshold: this.o.crossValidation.threshold };
    this.divergenceList.unshift(full);
    if (this.divergenceList.length > MAX_DIVERGENCES) this.divergenceList.length = MAX_DIVERGENCES;
    this.o.log?.('warn', { symbol: d.symbol, kind: d.kind, primary: d.primary, secondary: d.secondary, diff: d.diff }, 'price divergence between data sources');
    return full;
  }

  divergences(): Divergence[] {
    return this.divergenceList.slice();
  }

  // ---- views ----

  sources(): SourceStatus[] {
    const now = this.now();
    return [...this.channels.values()].map((c) => {
      const circuit = c.circuit();
      const streaming = c.provider.subscribe !== undefined;
      const staleFeeds = streaming && c.enabled && this.chain('quotes').includes(c) && [...this.feeds.keys()].some((s) => !this.fresh(c, s, now));
      const state: SourceStatus['state'] = !c.enabled || circuit === 'open' ? 'down'
        : circuit === 'half-open' || c.breaker.consecutiveFailures > 0 || staleFeeds ? 'degraded' : 'healthy';
      const roles = (['quotes', 'bars', 'fundamentals'] as const).flatMap((kind) => {
        const rank = this.chains[kind].indexOf(c.id);
        return rank === -1 ? [] : [{ kind, rank: rank + 1 }];
      });
      return {
        id: c.id, enabled: c.enabled, state, circuit, lastError: c.lastError, latencyMs: c.latencyMs, requestsLastHour: c.requestsLastHour(),
        rateLimit: c.limit.perHour, queued: c.queued, lastSuccessAt: c.lastSuccessAt, streaming, roles,
      };
    });
  }

  feedsView(): FeedStatus[] {
    const now = this.now();
    const primary = this.chains.quotes[0];
    return [...this.feeds].map(([symbol, f]) => {
      const c = f.source ? this.channels.get(f.source) : undefined;
      return {
        symbol, source: f.source, fallback: f.source !== null && f.source !== primary, since: f.since,
        lastQuoteTime: f.last?.time ?? null, lastQuoteAge: f.last ? Math.max(0, now - f.last.time) : null,
        stale: !c || !this.usable(c, symbol, now), barsSource: f.barsSource, barsAt: f.barsAt,
      };
    });
  }

  /** When each source's newest quote arrived (UTC ms), for the health report's "age of the last quote". */
  lastQuoteReceived(): Map<ProviderId, number> {
    const out = new Map<ProviderId, number>();
    for (const [key, q] of this.quotes) {
      const id = key.slice(0, key.indexOf('|')) as ProviderId;
      if (q.receivedAt > (out.get(id) ?? -Infinity)) out.set(id, q.receivedAt);
    }
    return out;
  }

  feed(symbol: string): FeedStatus | undefined {
    return this.feedsView().find((f) => f.symbol === symbol);
  }

  dispose(): void {
    this.disposed = true;
    for (const c of this.cancels.values()) c();
    this.cancels.clear();
    for (const [id, sub] of this.subscriptions) this.disposeSubscription(id, sub);
    this.subscriptions.clear();
    for (const off of this.channelOffs.values()) off();
    this.channelOffs.clear();
    for (const c of this.channels.values()) c.dispose();
    this.quoteEvents.clear();
    this.updates.clear();
  }
}
