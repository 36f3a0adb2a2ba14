// Polygon.io as a DataProvider over its REST API: aggregates (bars), snapshot quotes (previous close on plans without
// snapshots), ticker search, splits and dividends. The key is read from the Secrets port per call and sent as the
// apiKey query parameter; it never appears in errors or logs.
import { z } from 'zod';
import type { Bar, Quote, Timeframe } from '../../../src-shared/domain/types';
import type { Clock } from '../../ports/clock';
import { ProviderError, type CorporateAction, type DataKind, type DataProvider, type HistoryRequest, type RateLimit, type SymbolMatch } from '../../ports/data-provider';
import { newYorkDate, newYorkToUtc } from '../new-york-time';
import { getJson, ProviderLifetime, redactUrls } from '../provider-http';

export interface PolygonOptions {
  clock: Clock;
  /** Read on every call (the Secrets port); undefined ⇒ the call fails with reason auth. */
  apiKey: () => Promise<string | undefined>;
  /** Default https://api.polygon.io; tests: the fixture server. */
  baseUrl?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** The free ("Basic") plan: 5 requests a minute. */
export const POLYGON_FREE_LIMITS: readonly RateLimit[] = [{ requests: 5, perMs: 60_000 }];

const DAY = 86400;
const SPAN: Record<Timeframe, [number, string]> = { '1m': [1, 'minute'], '5m': [5, 'minute'], '1h': [1, 'hour'], '1d': [1, 'day'] };
const FIAT = new Set(['USD', 'EUR', 'JPY', 'GBP', 'CHF', 'AUD', 'CAD', 'NZD', 'SEK', 'NOK', 'HKD', 'SGD', 'CNH', 'MXN', 'XAU', 'XAG']);
const CRYPTO = new Set(['BTC', 'ETH', 'SOL', 'XRP', 'ADA', 'DOGE', 'LTC', 'AVAX', 'LINK']);
const INDICES: Record<string, string> = { US500: 'I:SPX', US100: 'I:NDX', US30: 'I:DJI', VIX: 'I:VIX' };
const INDICES_BACK = Object.fromEntries(Object.entries(INDICES).map(([a, b]) => [b, a]));

export function toPolygonTicker(symbol: string): string {
  const s = symbol.toUpperCase();
  if (INDICES[s]) return INDICES[s];
  const m = /^([A-Z]{3,4})([A-Z]{3})$/.exec(s);
  if (m && FIAT.has(m[1]!) && FIAT.has(m[2]!)) return `C:${s}`;
  if (m && CRYPTO.has(m[1]!) && FIAT.has(m[2]!)) return `X:${s}`;
  return s;
}

export function fromPolygonTicker(ticker: string): string {
  return INDICES_BACK[ticker] ?? ticker.replace(/^[CX]:/, '');
}

const Agg = z.object({ o: z.number(), h: z.number(), l: z.number(), c: z.number(), v: z.number().nonnegative().optional(), t: z.number().int() });
const Aggs = z.object({ status: z.string(), results: z.array(Agg).optional(), next_url: z.string().optional() });
const Snapshot = z.object({
  ticker: z.object({
    updated: z.number().optional(),
    lastTrade: z.object({ p: z.number(), s: z.number().optional(), t: z.number() }).optional(),
    lastQuote: z.object({ p: z.number().optional(), P: z.number().optional(), b: z.number().optional(), a: z.number().optional(), t: z.number() }).optional(),
    day: z.object({ c: z.number() }).optional(),
  }),
});
const Tickers = z.object({
  results: z.array(z.object({ ticker: z.string(), name: z.string(), market: z.string(), primary_exchange: z.string().optional(), type: z.string().optional() })).optional(),
});
const Splits = z.object({ results: z.array(z.object({ execution_date: z.string(), split_from: z.number().positive(), split_to: z.number().positive() })).optional(), next_url: z.string().optional() });
const Dividends = z.object({ results: z.array(z.object({ ex_dividend_date: z.string(), cash_amount: z.number() })).optional(), next_url: z.string().optional() });

/** Tickers go into paths as Polygon writes them ("X:BTCUSD"), anything else escaped. */
const pathTicker = (ticker: string) => encodeURIComponent(ticker).replace(/%3A/g, ':');

/** Polygon stamps nanoseconds on snapshot ticks, milliseconds elsewhere. */
const toMs = (t: number) => (t > 1e17 ? Math.floor(t / 1e6) : t > 1e14 ? Math.floor(t / 1e3) : t);

export function createPolygonProvider(opts: PolygonOptions): DataProvider {
  const baseUrl = (opts.baseUrl ?? 'https://api.polygon.io').replace(/\/$/, '');
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const doFetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const lifetime = new ProviderLifetime('polygon');

  /** One GET of a path, or of a next_url (absolute, without the key); 401/403/404 bodies are read for their message. */
  async function get<T>(pathOrUrl: string, params: Record<string, string>, schema: z.ZodType<T>, what: string, caller?: AbortSignal): Promise<T> {
    const signal = lifetime.signal(caller);
    const key = await opts.apiKey();
    if (!key) throw new ProviderError('polygon', 'auth', 'No Polygon API key: enter one in Settings → Data providers');
    const url = new URL(pathOrUrl.startsWith('http') ? pathOrUrl : `${baseUrl}${pathOrUrl}`);
    if (pathOrUrl.startsWith('http')) {
      // next_url points at Polygon's host; keep the configured origin (the same API behind a proxy, or the fixture).
      const origin = new URL(baseUrl);
      url.protocol = origin.protocol;
      url.host = origin.host;
    }
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    url.searchParams.set('apiKey', key);
    const { status, body } = await getJson(url.toString(), { provider: 'polygon', what, fetch: doFetch, timeoutMs, nowMs: opts.clock.now(), signal })
      .catch((err: unknown) => {
        // The free plan's limit is per minute and Polygon sends no Retry-After: a minute is the honest wait.
        if (err instanceof ProviderError && err.reason === 'rate-limited' && err.retryAfterMs === undefined) throw new ProviderError('polygon', 'rate-limited', err.message, 60_000);
        throw err;
      });
    if (status >= 400) {
      const b = (body ?? {}) as { message?: unknown; error?: unknown };
      const text = typeof b.message === 'string' ? b.message : typeof b.error === 'string' ? b.error : `HTTP ${status}`;
      const reason = status === 404 ? 'not-found' : 'auth';
      throw new ProviderError('polygon', reason, `${what}: ${status === 401 ? 'Polygon rejected the API key' : redactUrls(text).split(key).join('…').slice(0, 160)}`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ProviderError('polygon', 'bad-data', `${what}: unexpected answer${issue ? ` at ${issue.path.join('.') || '/'} (${issue.message})` : ''}`);
    }
    return parsed.data;
  }

  /** Follows next_url pages (Polygon paginates aggregates and reference lists). */
  async function pages<T extends { next_url?: string }>(path: string, params: Record<string, string>, schema: z.ZodType<T>, what: string, signal?: AbortSignal): Promise<T[]> {
    const out: T[] = [];
    let page = await get(path, params, schema, what, signal);
    out.push(page);
    // A bound on pages: a server that always answers with a next_url must not loop for ever.
    for (let i = 0; page.next_url && i < 1000; i++) {
      page = await get(page.next_url, {}, schema, what, signal);
      out.push(page);
    }
    return out;
  }

  const provider: DataProvider = {
    id: 'polygon',
    capabilities: new Set<DataKind>(['bars', 'quotes', 'search', 'corporate-actions']),
    rateLimits: POLYGON_FREE_LIMITS,

    async history(req: HistoryRequest, signal?: AbortSignal): Promise<Bar[]> {
      const ticker = toPolygonTicker(req.symbol);
      const [mult, span] = SPAN[req.timeframe];
      const what = `${req.timeframe} bars ${req.symbol}`;
      // Stock days are New York days; FX and crypto days are UTC days.
      const nyDays = !/^[CX]:/.test(ticker);
      const from = req.timeframe === '1d' && nyDays ? newYorkToUtc(new Date(req.from * 1000).toISOString().slice(0, 10)) : req.from;
      const path = `/v2/aggs/ticker/${pathTicker(ticker)}/range/${mult}/${span}/${from * 1000}/${req.to * 1000}`;
      const all = await pages(path, { adjusted: String(req.adjusted ?? false), sort: 'asc', limit: '50000' }, Aggs, what, signal);
      const byTime = new Map<number, Bar>();
      for (const page of all) {
        for (const a of page.results ?? []) {
          const t = Math.floor(a.t / 1000);
          const time = req.timeframe === '1d' ? (nyDays ? newYorkDate(t) : Math.floor(t / DAY) * DAY) : t;
          if (time < req.from || time > req.to) continue;
          if (![a.o, a.h, a.l, a.c].every((x) => Number.isFinite(x) && x > 0)) throw new ProviderError('polygon', 'bad-data', `${what}: a bar with a non-positive price at ${t}`);
          byTime.set(time, { time, open: a.o, high: a.h, low: a.l, close: a.c, volume: a.v ?? 0 });
        }
      }
      return [...byTime.values()].sort((a, b) => a.time - b.time);
    },

    async quote(symbol: string, signal?: AbortSignal): Promise<Quote> {
      const ticker = toPolygonTicker(symbol);
      const what = `quote ${symbol}`;
      const market = ticker.startsWith('C:') ? 'global/markets/forex' : ticker.startsWith('X:') ? 'global/markets/crypto' : 'us/markets/stocks';
      try {
        const s = (await get(`/v2/snapshot/locale/${market}/tickers/${pathTicker(ticker)}`, {}, Snapshot, what, signal)).ticker;
        const bid = s.lastQuote?.p ?? s.lastQuote?.b;
        const ask = s.lastQuote?.P ?? s.lastQuote?.a;
        const last = s.lastTrade?.p ?? (bid !== undefined && ask !== undefined ? (bid + ask) / 2 : s.day?.c);
        if (last === undefined || !(last > 0)) throw new ProviderError('polygon', 'bad-data', `${what}: the snapshot has no price`);
        const time = toMs(s.lastTrade?.t ?? s.lastQuote?.t ?? s.updated ?? opts.clock.now());
        return { symbol, time, last, bid: bid && bid > 0 ? bid : last, ask: ask && ask > 0 ? ask : last, lastSize: s.lastTrade?.s ?? 0, source: 'polygon' };
      } catch (err) {
        // Snapshots are not in the free plan (403): the previous day's close is what it offers, stamped at that close.
        if (!(err instanceof ProviderError) || err.reason !== 'auth' || /rejected the API key|No Polygon API key/.test(err.message)) throw err;
      }
      const prev = await get(`/v2/aggs/ticker/${pathTicker(ticker)}/prev`, { adjusted: 'false' }, Aggs, what, signal);
      const bar = prev.results?.[0];
      if (!bar) throw new ProviderError('polygon', 'not-found', `${what}: Polygon has no previous close for it`);
      const close = /^[CX]:/.test(ticker) ? bar.t + 86_400_000 : newYorkToUtc(`${new Date(newYorkDate(bar.t / 1000) * 1000).toISOString().slice(0, 10)} 16:00`) * 1000;
      return { symbol, time: Math.min(close, opts.clock.now()), last: bar.c, bid: bar.c, ask: bar.c, lastSize: 0, source: 'polygon' };
    },

    async search(query: string, signal?: AbortSignal): Promise<SymbolMatch[]> {
      const q = query.trim();
      if (!q) return [];
      const r = await get('/v3/reference/tickers', { search: q, active: 'true', limit: '20' }, Tickers, `search "${q}"`, signal);
      return (r.results ?? []).map((t) => ({
        symbol: fromPolygonTicker(t.ticker), name: t.name, exchange: t.primary_exchange ?? t.market, type: (t.type ?? t.market).toUpperCase(), source: 'polygon' as const,
      }));
    },

    async corporateActions(symbol: string, from: number, to: number, signal?: AbortSignal): Promise<CorporateAction[]> {
      const ticker = toPolygonTicker(symbol);
      const day = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);
      const [splits, dividends] = [
        await pages('/v3/reference/splits', { ticker, 'execution_date.gte': day(from), 'execution_date.lte': day(to), limit: '1000' }, Splits, `splits ${symbol}`, signal),
        await pages('/v3/reference/dividends', { ticker, 'ex_dividend_date.gte': day(from), 'ex_dividend_date.lte': day(to), limit: '1000' }, Dividends, `dividends ${symbol}`, signal),
      ];
      const date = (s: string) => Date.parse(`${s}T00:00:00Z`) / 1000;
      const actions: CorporateAction[] = [
        ...splits.flatMap((p) => p.results ?? []).map((s) => ({ kind: 'split' as const, symbol, time: date(s.execution_date), ratio: s.split_to / s.split_from })),
        ...dividends.flatMap((p) => p.results ?? []).filter((d) => d.cash_amount > 0).map((d) => ({ kind: 'dividend' as const, symbol, time: date(d.ex_dividend_date), amount: d.cash_amount })),
      ];
      return actions.sort((a, b) => a.time - b.time || a.kind.localeCompare(b.kind));
    },

    async healthCheck(signal?: AbortSignal): Promise<void> {
      await get('/v1/marketstatus/now', {}, z.object({ market: z.string() }), 'health check', signal);
    },

    dispose() {
      lifetime.dispose();
    },
  };
  return provider;
}
