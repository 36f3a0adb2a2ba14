// Alpha Vantage as a DataProvider over its REST API (www.alphavantage.co/query): daily and intraday bars, quotes,
// company overview fundamentals, symbol search. The key comes from the Secrets port on every call, so a key entered in
// Settings takes effect at once; it travels only as a query parameter and never appears in an error or a log.
import { z } from 'zod';
import type { Bar, Quote, Timeframe } from '../../../src-shared/domain/types';
import type { Clock } from '../../ports/clock';
import {
  ProviderError, type DataKind, type DataProvider, type FundamentalField, type Fundamentals, type HistoryRequest, type RateLimit, type SymbolMatch,
} from '../../ports/data-provider';
import { newYorkToUtc } from '../new-york-time';
import { getJson, ProviderLifetime } from '../provider-http';

export interface AlphaVantageOptions {
  clock: Clock;
  /** Read on every call (the Secrets port); undefined ⇒ the call fails with reason auth. */
  apiKey: () => Promise<string | undefined>;
  /** Default https://www.alphavantage.co; tests: the fixture server. */
  baseUrl?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** The free plan: 25 requests a day, and no more than 5 a minute. */
export const ALPHA_VANTAGE_FREE_LIMITS: readonly RateLimit[] = [{ requests: 5, perMs: 60_000 }, { requests: 25, perMs: 86_400_000 }];

const DAY = 86400;
const INTRADAY: Partial<Record<Timeframe, string>> = { '1m': '1min', '5m': '5min', '1h': '60min' };
const FIAT = new Set(['USD', 'EUR', 'JPY', 'GBP', 'CHF', 'AUD', 'CAD', 'NZD', 'SEK', 'NOK', 'HKD', 'SGD', 'CNY', 'MXN']);
const CRYPTO = new Set(['BTC', 'ETH', 'SOL', 'XRP', 'ADA', 'DOGE', 'LTC']);

const Ohlcv = z.object({ '1. open': z.string(), '2. high': z.string(), '3. low': z.string(), '4. close': z.string(), '5. volume': z.string().optional() });
const Series = z.record(z.string(), Ohlcv);
const GlobalQuote = z.object({
  '01. symbol': z.string(), '05. price': z.string(), '06. volume': z.string(), '07. latest trading day': z.string(),
});
const ExchangeRate = z.object({
  '5. Exchange Rate': z.string(), '6. Last Refreshed': z.string(), '7. Time Zone': z.string(), '8. Bid Price': z.string(), '9. Ask Price': z.string(),
});
const SearchMatch = z.object({
  '1. symbol': z.string(), '2. name': z.string(), '3. type': z.string(), '4. region': z.string(), '8. currency': z.string(),
});

/** "EURUSD" → ['EUR', 'USD'] for FX and crypto pairs; undefined for anything else. */
function pairOf(symbol: string): { from: string; to: string; crypto: boolean } | undefined {
  const m = /^([A-Z]{3,4})([A-Z]{3})$/.exec(symbol.toUpperCase());
  if (!m) return undefined;
  const [from, to] = [m[1]!, m[2]!];
  if (FIAT.has(from) && FIAT.has(to)) return { from, to, crypto: false };
  if (CRYPTO.has(from) && FIAT.has(to)) return { from, to, crypto: true };
  return undefined;
}

/** A number from Alpha Vantage's strings; "None", "-" and empty are no value. */
function figure(s: unknown): number | null {
  if (typeof s !== 'string' || s === 'None' || s === '-' || s.trim() === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

export function createAlphaVantageProvider(opts: AlphaVantageOptions): DataProvider {
  const baseUrl = (opts.baseUrl ?? 'https://www.alphavantage.co').replace(/\/$/, '');
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const doFetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const lifetime = new ProviderLifetime('alphavantage');

  /** One call; Alpha Vantage answers errors and limits with HTTP 200 and a message field, read here. */
  async function query(params: Record<string, string>, what: string, caller?: AbortSignal): Promise<Record<string, unknown>> {
    const signal = lifetime.signal(caller);
    const key = await opts.apiKey();
    if (!key) throw new ProviderError('alphavantage', 'auth', 'No Alpha Vantage API key: enter one in Settings → Data providers');
    const url = `${baseUrl}/query?${new URLSearchParams({ ...params, apikey: key })}`;
    const { status, body } = await getJson(url, { provider: 'alphavantage', what, fetch: doFetch, timeoutMs, nowMs: opts.clock.now(), signal });
    if (status >= 400) throw new ProviderError('alphavantage', status === 404 ? 'not-found' : 'auth', `${what}: HTTP ${status}`);
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ProviderError('alphavantage', 'bad-data', `${what}: the answer is not a JSON object`);
    const b = body as Record<string, unknown>;
    const notice = [b['Note'], b['Information'], b['Error Message']].find((x): x is string => typeof x === 'string');
    if (notice !== undefined) throw noticeError(notice, what, b['Error Message'] !== undefined, key);
    return b;
  }

  /**
   * Alpha Vantage's 200-with-a-message answers. Their texts overlap (the burst message also says "25 requests per day"
   * and "premium"), so the order of the tests matters. Some texts quote the key: it is scrubbed from every message.
   */
  function noticeError(raw: string, what: string, isError: boolean, key: string): ProviderError {
    const text = raw.split(key).join('…');
    if (/api ?key/i.test(text) && /invalid|missing/i.test(text)) return new ProviderError('alphavantage', 'auth', `${what}: Alpha Vantage rejected the API key`);
    if (/spreading out|burst|call frequency|per minute/i.test(text)) {
      return new ProviderError('alphavantage', 'rate-limited', `${what}: Alpha Vantage's per-minute request limit is reached`, 60_000);
    }
    if (/rate limit is \d+ requests per day|daily rate limit/i.test(text)) {
      // The free plan's day, as far as can be observed, renews at midnight UTC.
      const now = opts.clock.now();
      return new ProviderError('alphavantage', 'rate-limited', `${what}: Alpha Vantage's daily request limit is reached`, Math.ceil((now + 1) / 86_400_000) * 86_400_000 - now);
    }
    if (/premium/i.test(text)) return new ProviderError('alphavantage', 'auth', `${what}: this needs a premium Alpha Vantage plan`);
    if (/rate limit/i.test(text)) return new ProviderError('alphavantage', 'rate-limited', `${what}: Alpha Vantage is rate-limiting`, 60_000);
    if (isError) return new ProviderError('alphavantage', 'not-found', `${what}: Alpha Vantage does not know it (${text.replace(/\(?https?:\S*\)?/g, '').slice(0, 120).trim()})`);
    return new ProviderError('alphavantage', 'unavailable', `${what}: ${text.replace(/https?:\S*/g, '').slice(0, 160).trim()}`);
  }

  function seriesOf(body: Record<string, unknown>, what: string): z.infer<typeof Series> {
    const key = Object.keys(body).find((k) => k.startsWith('Time Series'));
    const parsed = key ? Series.safeParse(body[key]) : undefined;
    if (!parsed?.success) throw new ProviderError('alphavantage', 'bad-data', `${what}: no time series in the answer`);
    return parsed.data;
  }

  function toBars(series: z.infer<typeof Series>, timeOf: (label: string) => number, from: number, to: number, what: string): Bar[] {
    const bars: Bar[] = [];
    for (const [label, row] of Object.entries(series)) {
      const time = timeOf(label);
      const [open, high, low, close] = [figure(row['1. open']), figure(row['2. high']), figure(row['3. low']), figure(row['4. close'])];
      if (!Number.isFinite(time) || open === null || high === null || low === null || close === null) {
        throw new ProviderError('alphavantage', 'bad-data', `${what}: an unreadable row "${label}"`);
      }
      if (time < from || time > to) continue;
      bars.push({ time, open, high, low, close, volume: figure(row['5. volume']) ?? 0 });
    }
    return bars.sort((a, b) => a.time - b.time);
  }

  async function daily(req: HistoryRequest, signal?: AbortSignal): Promise<Bar[]> {
    const what = `daily bars ${req.symbol}`;
    const pair = pairOf(req.symbol);
    const nowSec = opts.clock.now() / 1000;
    // compact = the last 100 trading days (free); full = 20 years (premium on the free plan since 2023).
    const outputsize = req.from >= nowSec - 140 * DAY ? 'compact' : 'full';
    const params: Record<string, string> = pair?.crypto
      ? { function: 'DIGITAL_CURRENCY_DAILY', symbol: pair.from, market: pair.to }
      : pair
        ? { function: 'FX_DAILY', from_symbol: pair.from, to_symbol: pair.to, outputsize }
        : { function: req.adjusted ? 'TIME_SERIES_DAILY_ADJUSTED' : 'TIME_SERIES_DAILY', symbol: req.symbol, outputsize };
    const body = await query(params, what, signal);
    return toBars(seriesOf(body, what), (d) => Date.parse(`${d}T00:00:00Z`) / 1000, req.from, req.to, what);
  }

  async function intraday(req: HistoryRequest, interval: string, signal?: AbortSignal): Promise<Bar[]> {
    const what = `${req.timeframe} bars ${req.symbol}`;
    if (pairOf(req.symbol)) throw new ProviderError('alphavantage', 'auth', `${what}: FX and crypto intraday bars need a premium Alpha Vantage plan`);
    const nowSec = opts.clock.now() / 1000;
    // outputsize=full covers the trailing 30 days in one call; older ranges go month by month.
    const months: (string | undefined)[] = [];
    if (req.from >= nowSec - 29 * DAY) months.push(undefined);
    else {
      const d = new Date(req.from * 1000);
      for (let y = d.getUTCFullYear(), m = d.getUTCMonth(); Date.UTC(y, m, 1) / 1000 <= req.to; m === 11 ? (y++, m = 0) : m++) {
        months.push(`${y}-${String(m + 1).padStart(2, '0')}`);
      }
    }
    const byTime = new Map<number, Bar>();
    for (const month of months) {
      const body = await query({
        function: 'TIME_SERIES_INTRADAY', symbol: req.symbol, interval, outputsize: 'full', adjusted: String(req.adjusted ?? false),
        extended_hours: 'false', ...(month ? { month } : {}),
      }, what, signal);
      // Intraday labels are US/Eastern wall-clock times of the bar's open.
      for (const b of toBars(seriesOf(body, what), newYorkToUtc, req.from, req.to, what)) byTime.set(b.time, b);
    }
    return [...byTime.values()].sort((a, b) => a.time - b.time);
  }

  /** The last US close (16:00 New York) at or before now: when Alpha Vantage's daily figures were true. */
  function lastClose(): number {
    const now = opts.clock.now();
    for (let day = Math.floor(now / 86_400_000); ; day--) {
      const wd = (day + 4) % 7;
      if (wd === 0 || wd === 6) continue;
      const close = newYorkToUtc(`${new Date(day * 86_400_000).toISOString().slice(0, 10)} 16:00`) * 1000;
      if (close <= now) return close;
    }
  }

  return {
    id: 'alphavantage',
    capabilities: new Set<DataKind>(['bars', 'quotes', 'fundamentals', 'search']),
    rateLimits: ALPHA_VANTAGE_FREE_LIMITS,

    history(req, signal) {
      const interval = INTRADAY[req.timeframe];
      return interval ? intraday(req, interval, signal) : daily(req, signal);
    },

    async quote(symbol, signal): Promise<Quote> {
      const what = `quote ${symbol}`;
      const pair = pairOf(symbol);
      if (pair) {
        const body = await query({ function: 'CURRENCY_EXCHANGE_RATE', from_currency: pair.from, to_currency: pair.to }, what, signal);
        const r = ExchangeRate.safeParse(body['Realtime Currency Exchange Rate']);
        if (!r.success) throw new ProviderError('alphavantage', 'bad-data', `${what}: no exchange rate in the answer`);
        const [last, bid, ask] = [figure(r.data['5. Exchange Rate']), figure(r.data['8. Bid Price']), figure(r.data['9. Ask Price'])];
        const time = Date.parse(`${r.data['6. Last Refreshed'].replace(' ', 'T')}Z`);
        if (last === null || !Number.isFinite(time)) throw new ProviderError('alphavantage', 'bad-data', `${what}: unreadable exchange rate`);
        return { symbol, time, last, bid: bid ?? last, ask: ask ?? last, lastSize: 0, source: 'alphavantage' };
      }
      const body = await query({ function: 'GLOBAL_QUOTE', symbol }, what, signal);
      const raw = body['Global Quote'];
      if (raw && typeof raw === 'object' && Object.keys(raw).length === 0) throw new ProviderError('alphavantage', 'not-found', `${what}: Alpha Vantage has no quote for it`);
      const q = GlobalQuote.safeParse(raw);
      const price = q.success ? figure(q.data['05. price']) : null;
      if (!q.success || price === null) throw new ProviderError('alphavantage', 'bad-data', `${what}: no price in the answer`);
      // GLOBAL_QUOTE has no time of day, only the trading day: its close, or now while that day is still trading.
      const close = newYorkToUtc(`${q.data['07. latest trading day']} 16:00`) * 1000;
      return { symbol, time: Math.min(close, opts.clock.now()), last: price, bid: price, ask: price, lastSize: 0, source: 'alphavantage' };
    },

    async fundamentals(symbol, signal): Promise<Fundamentals> {
      const what = `fundamentals ${symbol}`;
      const b = await query({ function: 'OVERVIEW', symbol }, what, signal);
      if (Object.keys(b).length === 0) throw new ProviderError('alphavantage', 'not-found', `${what}: Alpha Vantage has no overview for it`);
      if (typeof b['Symbol'] !== 'string') throw new ProviderError('alphavantage', 'bad-data', `${what}: not a company overview`);
      const fetchedAt = opts.clock.now();
      const quarter = typeof b['LatestQuarter'] === 'string' ? Date.parse(`${b['LatestQuarter']}T00:00:00Z`) : NaN;
      const priceTime = lastClose();
      const figures: Record<FundamentalField, number | null> = {
        marketCap: figure(b['MarketCapitalization']), pe: figure(b['PERatio']) ?? figure(b['TrailingPE']), forwardPe: figure(b['ForwardPE']),
        eps: figure(b['EPS']), revenue: figure(b['RevenueTTM']), pb: figure(b['PriceToBookRatio']), evEbitda: figure(b['EVToEBITDA']),
        roe: figure(b['ReturnOnEquityTTM']), debtToEquity: null, revenueGrowth: figure(b['QuarterlyRevenueGrowthYOY']),
        earningsGrowth: figure(b['QuarterlyEarningsGrowthYOY']), dividendYield: figure(b['DividendYield']),
      };
      const priceBased: FundamentalField[] = ['marketCap', 'pe', 'forwardPe', 'pb', 'evEbitda', 'dividendYield'];
      const asOfs: Partial<Record<FundamentalField, number>> = {};
      for (const [field, value] of Object.entries(figures) as [FundamentalField, number | null][]) {
        if (value === null) continue;
        if (priceBased.includes(field)) asOfs[field] = priceTime;
        else if (Number.isFinite(quarter)) asOfs[field] = quarter;
      }
      const times = Object.values(asOfs);
      return {
        symbol, source: 'alphavantage', asOf: times.length ? Math.min(...times) : priceTime, fetchedAt,
        currency: typeof b['Currency'] === 'string' ? b['Currency'] : null, ...figures, asOfs,
      };
    },

    async search(queryText, signal): Promise<SymbolMatch[]> {
      const q = queryText.trim();
      if (!q) return [];
      const b = await query({ function: 'SYMBOL_SEARCH', keywords: q }, `search "${q}"`, signal);
      const matches = z.array(SearchMatch).safeParse(b['bestMatches']);
      if (!matches.success) throw new ProviderError('alphavantage', 'bad-data', `search "${q}": no matches list in the answer`);
      return matches.data.map((m) => ({ symbol: m['1. symbol'], name: m['2. name'], exchange: m['4. region'], type: m['3. type'].toUpperCase(), source: 'alphavantage' as const }));
    },

    async healthCheck(signal) {
      // The cheapest call that needs a valid key; it costs one request of the daily budget, so the manager should probe rarely.
      await query({ function: 'SYMBOL_SEARCH', keywords: 'IBM' }, 'health check', signal);
    },

    dispose() {
      lifetime.dispose();
    },
  };
}
