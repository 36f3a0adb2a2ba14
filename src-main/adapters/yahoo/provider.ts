// Yahoo Finance as a DataProvider through yahoo-finance2: history (with Yahoo's range limits), quotes, fundamentals,
// search and corporate actions; every failure becomes a ProviderError the failover manager can act on.
import YahooFinance from 'yahoo-finance2';
import { ExtendedCookieJar } from 'yahoo-finance2/lib/cookieJar';
import { getCrumbClear } from 'yahoo-finance2/lib/getCrumb';
import type { ChartResultArray } from 'yahoo-finance2/modules/chart';
import type { Bar, Quote, Timeframe } from '../../../src-shared/domain/types';
import type { Logger } from '../../logging';
import type { Clock } from '../../ports/clock';
import {
  ProviderError, type CorporateAction, type DataKind, type DataProvider, type Fundamentals, type HistoryRequest, type SymbolMatch,
} from '../../ports/data-provider';
import { deadline, parseRetryAfter, ProviderLifetime, statusReason, toProviderError } from '../provider-http';
import { chartSplits, chartToActions, chartToBars, timeSeriesToStatements, toFundamentals, toProfile, toQuote, type YahooSplit, type YahooTimeSeriesRow } from './parsing';
import type { StatementRecord } from '../../../src-shared/domain/fundamentals';
import type { InstrumentProfile } from '../../../src-shared/domain/profile';
import { fromYahooSymbol, toYahooSymbol } from './symbols';
import type { NewsItem } from '../../../src-shared/domain/news';

export interface YahooProviderOptions {
  clock: Clock;
  /** Production: omitted (the global fetch). Tests: the fixture server's fetch. */
  fetch?: typeof fetch;
  /** Per call, including the cookie/crumb handshake; default 15 s. */
  timeoutMs?: number;
  logger?: Logger;
}

const DAY = 86400;
const INTERVAL: Record<Timeframe, '1m' | '5m' | '60m' | '1d'> = { '1m': '1m', '5m': '5m', '1h': '60m', '1d': '1d' };

/**
 * What Yahoo serves per interval: how far back (seconds before now) and the longest single request. Yahoo refuses
 * (HTTP 422) anything outside; we stay a margin inside so a request built a moment ago is not refused at the edge.
 */
export const YAHOO_RANGE_LIMITS: Record<Timeframe, { backSeconds: number | null; spanSeconds: number | null }> = {
  '1m': { backSeconds: 30 * DAY, spanSeconds: 7 * DAY },
  '5m': { backSeconds: 60 * DAY, spanSeconds: null },
  '1h': { backSeconds: 730 * DAY, spanSeconds: null },
  '1d': { backSeconds: null, spanSeconds: null },
};
const EDGE_MARGIN = 3600;

type Client = InstanceType<typeof YahooFinance>;

/** What the last HTTP response of one call said, since yahoo-finance2's errors drop the status and headers. */
interface Probe {
  status?: number;
  retryAfter?: string | null;
}

export function createYahooProvider(opts: YahooProviderOptions): DataProvider {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const baseFetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const log = opts.logger;
  const yfLogger = {
    info: () => undefined,
    debug: () => undefined,
    dir: () => undefined,
    warn: (...args: unknown[]) => log?.warn({ yahoo: args.map(String).join(' ') }, 'yahoo-finance2 warning'),
    error: (...args: unknown[]) => log?.debug({ yahoo: args.map(String).join(' ') }, 'yahoo-finance2 error'),
  };
  // Our own cookie jar: the library's default jar is one object shared by every instance.
  const cookieJar = new ExtendedCookieJar();
  const client: Client = new YahooFinance({
    fetch: baseFetch, cookieJar, logger: yfLogger, suppressNotices: ['yahooSurvey', 'ripHistorical'], versionCheck: false,
    validation: { logErrors: false, logOptionsErrors: false },
  });
  const lifetime = new ProviderLifetime('yahoo');

  async function call<T>(what: string, caller: AbortSignal | undefined, run: (yf: Client, moduleOptions: { fetch: typeof fetch }) => Promise<T>): Promise<T> {
    const signal = lifetime.signal(caller);
    for (let attempt = 0; ; attempt++) {
      const d = deadline(timeoutMs, signal);
      const probe: Probe = {};
      const fetchWithProbe: typeof fetch = async (input, init) => {
        const res = await baseFetch(input, { ...init, signal: d.signal });
        probe.status = res.status;
        probe.retryAfter = res.headers.get('retry-after');
        return res;
      };
      try {
        return await run(client, { fetch: fetchWithProbe });
      } catch (err) {
        const mapped = mapError(err, probe, d, signal, what);
        // Yahoo occasionally rejects a crumb it issued, and yahoo-finance2 caches the crumb process-wide (another
        // instance's crumb can be handed to us): clear it and the cookies, and start a new session once.
        if (attempt === 0 && probe.status === 401) {
          await getCrumbClear(cookieJar);
          continue;
        }
        throw mapped;
      } finally {
        d.dispose();
      }
    }
  }

  function mapError(err: unknown, probe: Probe, d: ReturnType<typeof deadline>, signal: AbortSignal | undefined, what: string): unknown {
    if (signal?.aborted) return signal.reason;
    if (d.timedOut()) return new ProviderError('yahoo', 'timeout', `${what}: Yahoo did not answer within ${timeoutMs} ms`);
    const name = err instanceof Error ? err.name : '';
    const message = err instanceof Error ? err.message : String(err);
    if (probe.status !== undefined && probe.status >= 400) {
      const reason = probe.status === 401 || probe.status === 403 ? 'unavailable' : probe.status === 422 ? 'not-found' : statusReason(probe.status);
      const retryAfterMs = parseRetryAfter(probe.retryAfter, opts.clock.now());
      const detail = reason === 'rate-limited' ? 'Yahoo is rate-limiting requests' : probe.status === 401 ? 'Yahoo refused the session (invalid crumb)' : `Yahoo answered HTTP ${probe.status}`;
      return new ProviderError('yahoo', reason, `${what}: ${detail}${short(message)}`, retryAfterMs);
    }
    if (name === 'FailedYahooValidationError') {
      const first = (err as { errors?: { instancePath?: string; message?: string }[] }).errors?.[0];
      return new ProviderError('yahoo', 'bad-data', `${what}: Yahoo's answer failed validation${first ? ` at ${first.instancePath || '/'} (${first.message})` : ''}`);
    }
    if (/not parsable|Unexpected result|Unexpected token|JSON/i.test(message)) {
      return new ProviderError('yahoo', 'bad-data', `${what}: Yahoo's answer is not the expected JSON`);
    }
    if (/No data found|Not Found|delisted/i.test(message)) return new ProviderError('yahoo', 'not-found', `${what}: ${message}`);
    return toProviderError('yahoo', err, d, signal, what);
  }

  async function chart(symbol: string, interval: string, period1: number, period2: number, events: '' | 'split' | 'div|split', signal?: AbortSignal): Promise<ChartResultArray> {
    const y = toYahooSymbol(symbol);
    return call(`chart ${symbol} ${interval}`, signal, (yf, moduleOptions) => yf.chart(y, {
      period1, period2, interval: INTERVAL[interval as Timeframe] ?? '1d', includePrePost: false, events, return: 'array',
    }, moduleOptions));
  }

  const provider: DataProvider = {
    id: 'yahoo',
    capabilities: new Set<DataKind>(['bars', 'quotes', 'fundamentals', 'search', 'corporate-actions']),
    // Yahoo publishes no limit; it answers 429 when pushed, which the failover manager handles.
    rateLimits: [],

    async history(req: HistoryRequest, signal?: AbortSignal): Promise<Bar[]> {
      const nowSec = Math.floor(opts.clock.now() / 1000);
      const limit = YAHOO_RANGE_LIMITS[req.timeframe];
      let from = req.from;
      const to = Math.min(req.to, nowSec);
      if (limit.backSeconds !== null) from = Math.max(from, nowSec - limit.backSeconds + EDGE_MARGIN);
      if (from > to) {
        throw new ProviderError('yahoo', 'not-found', `Yahoo keeps ${req.timeframe} bars for ${limit.backSeconds! / DAY} days only; ${req.symbol} ${new Date(req.to * 1000).toISOString()} is older`);
      }
      const span = limit.spanSeconds ?? Infinity;
      const raw = !req.adjusted;
      const daily = req.timeframe === '1d';
      const charts: ChartResultArray[] = [];
      // period2 is exclusive at Yahoo; ours is inclusive.
      for (let start = from; start <= to; start += span) {
        charts.push(await chart(req.symbol, req.timeframe, start, Math.min(start + span, to + 1), raw && daily ? 'split' : '', signal));
      }
      // Raw prices need every split from the first bar to today (Yahoo adjusts all history for them). Daily charts
      // carry the splits of their own window; the rest, and intraday ranges, come from one daily events request.
      const splits = new Map<number, YahooSplit>();
      const eventsFrom = daily ? to : from;
      const more = raw && (!daily || to < nowSec - DAY) ? [await chart(req.symbol, '1d', eventsFrom, nowSec, 'split', signal)] : [];
      for (const c of [...(daily ? charts : []), ...more]) for (const s of chartSplits(c)) splits.set(s.time, s);
      const byTime = new Map<number, Bar>();
      for (const c of charts) {
        for (const b of chartToBars(c, req.timeframe, !raw, [...splits.values()])) if (b.time >= req.from && b.time <= req.to) byTime.set(b.time, b);
      }
      return [...byTime.values()].sort((a, b) => a.time - b.time);
    },

    async quote(symbol: string, signal?: AbortSignal): Promise<Quote> {
      const y = toYahooSymbol(symbol);
      const q = await call(`quote ${symbol}`, signal, (yf, moduleOptions) => yf.quote(y, {}, moduleOptions));
      if (!q) throw new ProviderError('yahoo', 'not-found', `Yahoo has no quote for ${symbol} (${y})`);
      const quote = toQuote(q, symbol, opts.clock.now());
      if (!quote) throw new ProviderError('yahoo', 'bad-data', `Yahoo's quote for ${symbol} has no price`);
      return quote;
    },

    async fundamentals(symbol: string, signal?: AbortSignal): Promise<Fundamentals> {
      const y = toYahooSymbol(symbol);
      const r = await call(`fundamentals ${symbol}`, signal, (yf, moduleOptions) =>
        yf.quoteSummary(y, { modules: ['price', 'summaryDetail', 'defaultKeyStatistics', 'financialData'] }, moduleOptions));
      return toFundamentals(r, symbol, opts.clock.now());
    },

    async statements(symbol: string, signal?: AbortSignal): Promise<StatementRecord[]> {
      const y = toYahooSymbol(symbol);
      // The quoteSummary statement modules come back nearly empty since 2024; the time series has the history. Two
      // modules per period kind (financials, balance sheet) keep each URL short: 'all' lists ~400 types in it.
      const now = opts.clock.now();
      const series = async (type: 'quarterly' | 'annual', module: 'financials' | 'balance-sheet') =>
        (await call(`statements ${symbol} ${type} ${module}`, signal, (yf, moduleOptions) => yf.fundamentalsTimeSeries(y, {
          period1: new Date(now - (type === 'annual' ? 10 : 6) * 366 * DAY * 1000), period2: new Date(now), type, module,
        }, moduleOptions))) as unknown as YahooTimeSeriesRow[];
      const out: StatementRecord[] = [];
      for (const type of ['quarterly', 'annual'] as const) {
        const rows = [...(await series(type, 'financials')), ...(await series(type, 'balance-sheet'))];
        out.push(...timeSeriesToStatements(rows, symbol, type === 'quarterly' ? 'quarter' : 'annual'));
      }
      if (out.length === 0) throw new ProviderError('yahoo', 'not-found', `Yahoo has no statements for ${symbol} (${y})`);
      return out;
    },

    async profile(symbol: string, signal?: AbortSignal): Promise<InstrumentProfile> {
      const y = toYahooSymbol(symbol);
      const r = await call(`profile ${symbol}`, signal, (yf, moduleOptions) =>
        yf.quoteSummary(y, { modules: ['assetProfile', 'price'] }, moduleOptions));
      return toProfile(r);
    },

    async search(query: string, signal?: AbortSignal): Promise<SymbolMatch[]> {
      const q = query.trim();
      if (!q) return [];
      const r = await call(`search "${q}"`, signal, (yf, moduleOptions) => yf.search(q, { quotesCount: 10, newsCount: 0 }, moduleOptions));
      const matches: SymbolMatch[] = [];
      for (const hit of r.quotes) {
        if (!('isYahooFinance' in hit) || !hit.isYahooFinance) continue;
        const h = hit as { symbol: string; longname?: string; shortname?: string; exchange: string; quoteType?: string };
        matches.push({ symbol: fromYahooSymbol(h.symbol), name: h.longname ?? h.shortname ?? h.symbol, exchange: h.exchange, type: h.quoteType ?? 'UNKNOWN', source: 'yahoo' });
      }
      return matches;
    },

    async news(symbol: string, count: number, signal?: AbortSignal): Promise<NewsItem[]> {
      const y = toYahooSymbol(symbol);
      // Yahoo's news comes with its search: quotes are not needed, only the headlines about the symbol.
      const r = await call(`news ${symbol}`, signal, (yf, moduleOptions) => yf.search(y, { quotesCount: 0, newsCount: count }, moduleOptions));
      return r.news
        .map((n) => ({
          id: n.uuid, title: n.title, publisher: n.publisher, link: n.link, time: n.providerPublishTime.getTime(),
          relatedTickers: (n.relatedTickers ?? []).map(fromYahooSymbol),
        }))
        .sort((a, b) => b.time - a.time)
        .slice(0, count);
    },

    async corporateActions(symbol: string, from: number, to: number, signal?: AbortSignal): Promise<CorporateAction[]> {
      const c = await chart(symbol, '1d', from, to + 1, 'div|split', signal);
      return chartToActions(c, symbol).filter((a) => a.time >= Math.floor(from / DAY) * DAY && a.time <= to);
    },

    async healthCheck(signal?: AbortSignal): Promise<void> {
      const nowSec = Math.floor(opts.clock.now() / 1000);
      await chart('US500', '1d', nowSec - 7 * DAY, nowSec, '', signal);
    },

    dispose() {
      lifetime.dispose();
    },
  };
  return provider;
}

function short(message: string): string {
  const m = message.replace(/\s+/g, ' ').trim();
  if (!m || /^<|Too Many Requests|Internal Server Error/i.test(m)) return '';
  return ` (${m.length > 160 ? `${m.slice(0, 160)}…` : m})`;
}
