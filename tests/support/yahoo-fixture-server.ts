// A local stand-in for Yahoo Finance: the endpoints yahoo-finance2 calls (cookie, crumb, chart, quote, quoteSummary,
// search, fundamentals-timeseries), schema-valid answers generated from the request, Yahoo's range limits, fault modes and request counting.
//
// Usage:
//   const yahoo = await startYahooFixtureServer({ now: () => clock.now() });
//   const provider = createYahooProvider({ clock, fetch: yahoo.fetch });   // yahoo.fetch sends Yahoo's URLs here
//   yahoo.fault({ type: 'status', status: 429, retryAfter: '7' }, { endpoint: 'chart', times: 1 });
//   yahoo.count('chart'); yahoo.requests; await yahoo.close();
//
// Bars are deterministic: the same symbol, interval and time always give the same bar (a seeded walk on the bar's
// index), so two requests over overlapping ranges agree. Like Yahoo's, they are split-adjusted (the configured splits
// do not show as jumps); adjclose also reflects dividends. Equities and indices trade 14:30–21:00 UTC on weekdays, FX and
// futures on weekdays around the clock, crypto always.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocal } from './local-http';

export type YahooEndpoint = 'cookie' | 'crumb' | 'chart' | 'quote' | 'quoteSummary' | 'search' | 'timeseries' | 'other';

export type YahooFault =
  /** Any HTTP status; 429 and 503 may carry Retry-After (seconds or an HTTP date). */
  | { type: 'status'; status: number; retryAfter?: string; body?: string }
  /** 200 with a body that is not JSON. */
  | { type: 'garbage' }
  /** 200 with JSON of the right envelope but wrong field types (fails yahoo-finance2's schema validation). */
  | { type: 'schema-invalid' }
  /** Accepts the request and never answers (until close). */
  | { type: 'hang' }
  /** Answers correctly after a delay. */
  | { type: 'slow'; ms: number };

export interface FaultOptions {
  /** Only this endpoint; default: every data endpoint (chart, quote, quoteSummary, search), never cookie/crumb. */
  endpoint?: YahooEndpoint;
  /** Only the next N matching requests; default: until cleared with fault(null). */
  times?: number;
}

export interface YahooRequest {
  endpoint: YahooEndpoint;
  /** The Yahoo host the client addressed (query1.finance.yahoo.com...). */
  host: string;
  path: string;
  params: Record<string, string>;
}

export interface SymbolEvents {
  splits?: { time: number; numerator: number; denominator: number }[];
  dividends?: { time: number; amount: number }[];
}

export interface YahooFixtureOptions {
  /** UTC ms; the range limits and quotes are relative to it. Default Date.now. */
  now?: () => number;
  /** Yahoo symbols that do not exist (404 "No data found"); NOSUCH* never exists either. */
  unknownSymbols?: string[];
  /** Splits and dividends by Yahoo symbol (UTC seconds); equities without an entry pay 0.24 quarterly. */
  events?: Record<string, SymbolEvents>;
  /**
   * Overrides the price level (quotes: at now; bars: open at the bar's time, close at its end), e.g. to follow another
   * source's prices for cross-validation tests; undefined falls back to the built-in wave.
   */
  level?: (yahooSymbol: string, timeSec: number, what: 'quote' | 'bar') => number | undefined;
}

export interface YahooFixtureServer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** A fetch that sends any https://*.yahoo.com URL to this server (give it to the provider or yahoo-finance2). */
  readonly fetch: typeof fetch;
  /** Every request in arrival order. */
  readonly requests: readonly YahooRequest[];
  count(endpoint?: YahooEndpoint): number;
  fault(fault: YahooFault | null, opts?: FaultOptions): void;
  /** Multiplies every price served from now on (1 = as generated): a source that diverges from the others. */
  shiftPrices(factor: number): void;
  /** Multiplies the income-statement figures of the quarter ending `periodEnd` (YYYY-MM-DD) from now on: a restatement. */
  restate(periodEnd: string, factor: number): void;
  /** From now on search serves no stories about this Yahoo symbol (an equity nobody writes about). */
  withoutNews(yahooSymbol: string): void;
  /** The bars the server would send, for assertions (same generator). */
  bars(yahooSymbol: string, interval: ChartInterval, period1: number, period2: number): FixtureBar[];
  close(): Promise<void>;
}

export type ChartInterval = '1m' | '5m' | '60m' | '1h' | '1d';
export interface FixtureBar { time: number; open: number; high: number; low: number; close: number; volume: number }

export const FIXTURE_CRUMB = 'fixtureCrumb123';
const COOKIE = 'A3=d=AQABBfixture&S=AQAAAfixture';
const DAY = 86400;
const STEP: Record<ChartInterval, number> = { '1m': 60, '5m': 300, '60m': 3600, '1h': 3600, '1d': DAY };
/** How far back Yahoo serves each interval, and the longest single request (seconds). */
const LIMITS: Partial<Record<ChartInterval, { back: number; span?: number }>> = {
  '1m': { back: 30 * DAY, span: 8 * DAY }, '5m': { back: 60 * DAY }, '60m': { back: 730 * DAY }, '1h': { back: 730 * DAY },
};

/** Instruments search can find; anything else is synthesised as an equity by the generators. */
const CATALOGUE: { symbol: string; name: string; type: string; exchange: string }[] = [
  { symbol: 'AAPL', name: 'Apple Inc.', type: 'EQUITY', exchange: 'NMS' },
  { symbol: 'AMZN', name: 'Amazon.com, Inc.', type: 'EQUITY', exchange: 'NMS' },
  { symbol: 'MSFT', name: 'Microsoft Corporation', type: 'EQUITY', exchange: 'NMS' },
  { symbol: 'APP', name: 'AppLovin Corporation', type: 'EQUITY', exchange: 'NMS' },
  { symbol: 'SPY', name: 'SPDR S&P 500 ETF Trust', type: 'ETF', exchange: 'PCX' },
  { symbol: 'EURUSD=X', name: 'EUR/USD', type: 'CURRENCY', exchange: 'CCY' },
  { symbol: 'BTC-USD', name: 'Bitcoin USD', type: 'CRYPTOCURRENCY', exchange: 'CCC' },
  { symbol: '^GSPC', name: 'S&P 500', type: 'INDEX', exchange: 'SNP' },
  { symbol: 'GC=F', name: 'Gold Dec 26', type: 'FUTURE', exchange: 'CMX' },
];

/** Asset profiles (sector, industry, country) of the catalogue's equities; other equities get one by their hash. */
export const FIXTURE_PROFILES: Record<string, { sector: string; industry: string; country: string }> = {
  AAPL: { sector: 'Technology', industry: 'Consumer Electronics', country: 'United States' },
  MSFT: { sector: 'Technology', industry: 'Software - Infrastructure', country: 'United States' },
  AMZN: { sector: 'Consumer Cyclical', industry: 'Internet Retail', country: 'United States' },
  APP: { sector: 'Technology', industry: 'Software - Application', country: 'United States' },
};
const HASHED_PROFILES = [
  { sector: 'Healthcare', industry: 'Drug Manufacturers - General', country: 'Switzerland' },
  { sector: 'Financial Services', industry: 'Banks - Diversified', country: 'United Kingdom' },
  { sector: 'Energy', industry: 'Oil & Gas Integrated', country: 'Canada' },
];

/**
 * Headlines the search endpoint serves for an equity, newest first ({n}: its short name): some good news, some bad,
 * a neutral one, a negated one and an uncertain one, for the sentiment scores to tell apart.
 */
export const FIXTURE_HEADLINES: readonly { title: string; publisher: string }[] = [
  { title: '{n} beats estimates as record revenue lifts shares', publisher: 'Reuters' },
  { title: '{n} shares fall after analyst downgrade', publisher: 'Bloomberg' },
  { title: '{n} to present at investor conference next week', publisher: 'Business Wire' },
  { title: '{n} cuts guidance, citing uncertainty over demand', publisher: 'MarketWatch' },
  { title: '{n} does not expect a slowdown, CEO says', publisher: 'CNBC' },
  { title: '{n} raises dividend and announces buyback', publisher: "Investor's Business Daily" },
];

/** The short name headlines use: "Apple" for "Apple Inc.". */
const shortName = (y: string) => (CATALOGUE.find((c) => c.symbol === y)?.name ?? y).replace(/,? (Inc\.|Corporation|Corp\.|plc)$/i, '').replace(/\.com$/, '');

/** Yahoo's display names per quoteType (yahoo-finance2 validates them). */
const TYPE_DISP: Record<string, string> = { EQUITY: 'Equity', ETF: 'ETF', INDEX: 'Index', CURRENCY: 'Currency', CRYPTOCURRENCY: 'Cryptocurrency', FUTURE: 'Futures' };

function quoteType(y: string): string {
  if (y.endsWith('=X')) return 'CURRENCY';
  if (y.endsWith('=F')) return 'FUTURE';
  if (y.startsWith('^')) return 'INDEX';
  if (/^[A-Z0-9]+-(USD|EUR|USDT|GBP)$/.test(y)) return 'CRYPTOCURRENCY';
  return CATALOGUE.find((c) => c.symbol === y)?.type ?? 'EQUITY';
}

/** FNV-1a: a stable seed per string. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** A deterministic value in [0, 1) from a seed and an index (no state: any bar can be computed alone). */
function unit(seed: number, i: number): number {
  let x = (seed ^ Math.imul(i, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return ((x ^ (x >>> 16)) >>> 0) / 2 ** 32;
}

function basePrice(y: string): number {
  const t = quoteType(y);
  if (t === 'CURRENCY') return 1.1;
  if (t === 'CRYPTOCURRENCY') return 90000;
  if (t === 'INDEX') return 6500;
  if (t === 'FUTURE') return 4000;
  return 50 + (hash(y) % 400);
}

function trades(y: string, t: number, interval: ChartInterval): boolean {
  const type = quoteType(y);
  if (type === 'CRYPTOCURRENCY') return true;
  const dow = new Date(t * 1000).getUTCDay();
  if (dow === 0 || dow === 6) return false;
  if (type === 'CURRENCY' || type === 'FUTURE' || interval === '1d') return true;
  const sec = t % DAY;
  return sec >= 14.5 * 3600 && sec < 21 * 3600;
}

/** Price level at a time: a smooth deterministic wave plus noise, so nearby bars are close to each other. */
function level(y: string, t: number): number {
  const seed = hash(y);
  const days = t / DAY;
  const wave = 0.08 * Math.sin(days / 37 + (seed % 100)) + 0.04 * Math.sin(days / 5.3 + (seed % 7)) + 0.01 * Math.sin(days * 24 / 3.1);
  return basePrice(y) * (1 + wave);
}

function round(x: number, y: string): number {
  const dp = quoteType(y) === 'CURRENCY' ? 5 : 2;
  return Number(x.toFixed(dp));
}

export function fixtureBars(y: string, interval: ChartInterval, period1: number, period2: number, lv: (y: string, t: number) => number = level): FixtureBar[] {
  const step = STEP[interval];
  const out: FixtureBar[] = [];
  const seed = hash(`${y}|${interval}`);
  // Daily bars open at the session open (14:30 UTC for US equities), as Yahoo stamps them.
  const dailyOffset = interval === '1d' && ['EQUITY', 'ETF', 'INDEX'].includes(quoteType(y)) ? 14.5 * 3600 : 0;
  for (let t = Math.ceil((period1 - dailyOffset) / step) * step + dailyOffset; t < period2; t += step) {
    if (!trades(y, t - dailyOffset, interval)) continue;
    const i = Math.floor(t / step);
    const open = lv(y, t);
    const close = lv(y, t + step) * (1 + (unit(seed, i) - 0.5) * 0.002);
    const high = Math.max(open, close) * (1 + unit(seed, i + 1e6) * 0.003);
    const low = Math.min(open, close) * (1 - unit(seed, i + 2e6) * 0.003);
    const volume = quoteType(y) === 'CURRENCY' ? 0 : Math.round(1000 + unit(seed, i + 3e6) * 100000 * (step / 60));
    out.push({ time: t, open: round(open, y), high: round(high, y), low: round(low, y), close: round(close, y), volume });
  }
  return out;
}

function defaultEvents(y: string, period1: number, period2: number): SymbolEvents {
  if (quoteType(y) !== 'EQUITY') return {};
  const dividends: { time: number; amount: number }[] = [];
  const first = new Date(period1 * 1000);
  for (let year = first.getUTCFullYear(); year <= new Date(period2 * 1000).getUTCFullYear(); year++) {
    for (const month of [1, 4, 7, 10]) dividends.push({ time: Date.UTC(year, month, 10, 14, 30) / 1000, amount: 0.24 });
  }
  return { dividends };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function yahooError(res: ServerResponse, status: number, envelope: string, code: string, description: string): void {
  json(res, status, { [envelope]: { result: null, error: { code, description } } });
}

function classify(path: string): YahooEndpoint {
  if (path.startsWith('/quote/')) return 'cookie';
  if (path === '/v1/test/getcrumb') return 'crumb';
  if (path.startsWith('/v8/finance/chart/')) return 'chart';
  if (path === '/v7/finance/quote') return 'quote';
  if (path.startsWith('/v10/finance/quoteSummary/')) return 'quoteSummary';
  if (path === '/v1/finance/search') return 'search';
  if (path.startsWith('/ws/fundamentals-timeseries/v1/finance/timeseries/')) return 'timeseries';
  return 'other';
}

export async function startYahooFixtureServer(opts: YahooFixtureOptions = {}): Promise<YahooFixtureServer> {
  const now = opts.now ?? Date.now;
  const unknown = new Set(opts.unknownSymbols ?? []);
  const requests: YahooRequest[] = [];
  let active: { fault: YahooFault; endpoint?: YahooEndpoint; left: number } | null = null;
  let factor = 1;
  const priceAt = (y: string, t: number, what: 'quote' | 'bar') => (opts.level?.(y, t, what) ?? level(y, t)) * factor;
  const barLevel = (y: string, t: number) => priceAt(y, t, 'bar');

  const exists = (y: string) => !unknown.has(y) && !y.startsWith('NOSUCH');

  function takeFault(endpoint: YahooEndpoint): YahooFault | null {
    if (!active) return null;
    const matches = active.endpoint ? active.endpoint === endpoint : ['chart', 'quote', 'quoteSummary', 'search'].includes(endpoint);
    if (!matches) return null;
    const f = active.fault;
    if (--active.left <= 0) active = null;
    return f;
  }

  function authorised(req: IncomingMessage, params: Record<string, string>): boolean {
    return (req.headers.cookie ?? '').includes('A3=') && params['crumb'] === FIXTURE_CRUMB;
  }

  function chart(res: ServerResponse, y: string, p: Record<string, string>): void {
    if (!exists(y)) return yahooError(res, 404, 'chart', 'Not Found', 'No data found, symbol may be delisted');
    const interval = (p['interval'] ?? '1d') as ChartInterval;
    if (!STEP[interval]) return yahooError(res, 400, 'chart', 'Bad Request', `Invalid input - interval=${interval} is not supported.`);
    const nowSec = Math.floor(now() / 1000);
    const period1 = Number(p['period1']);
    const period2 = Math.min(Number(p['period2'] ?? nowSec), nowSec);
    if (!Number.isFinite(period1)) return yahooError(res, 400, 'chart', 'Bad Request', 'Invalid input - period1 missing');
    const limit = LIMITS[interval];
    if (limit && (period1 < nowSec - limit.back || (limit.span !== undefined && period2 - period1 > limit.span))) {
      return yahooError(res, 422, 'chart', 'Unprocessable Entity',
        `${interval} data not available for startTime=${period1} and endTime=${period2}. The requested range must be within the last ${limit.back / DAY} days.`);
    }
    const bars = fixtureBars(y, interval, period1, period2, barLevel);
    const type = quoteType(y);
    const gmtoffset = ['EQUITY', 'ETF', 'INDEX'].includes(type) ? -18000 : 0;
    const tz = gmtoffset ? 'America/New_York' : 'UTC';
    const period = (start: number, end: number) => ({ timezone: gmtoffset ? 'EST' : 'UTC', start, end, gmtoffset });
    const dayStart = Math.floor(nowSec / DAY) * DAY;
    const last = bars.at(-1);
    const events: Record<string, unknown> = {};
    const wanted = p['events'] ?? '';
    const ev = opts.events?.[y] ?? defaultEvents(y, period1, period2);
    const within = (t: number) => t >= period1 && t <= period2;
    if (wanted.includes('div') && ev.dividends?.some((d) => within(d.time))) {
      events['dividends'] = Object.fromEntries(ev.dividends.filter((d) => within(d.time)).map((d) => [String(d.time), { amount: d.amount, date: d.time }]));
    }
    if (wanted.includes('split') && ev.splits?.some((s) => within(s.time))) {
      events['splits'] = Object.fromEntries(ev.splits.filter((s) => within(s.time)).map((s) => [String(s.time), {
        date: s.time, numerator: s.numerator, denominator: s.denominator, splitRatio: `${s.numerator}:${s.denominator}`,
      }]));
    }
    const result = {
      meta: {
        currency: type === 'CURRENCY' ? y.slice(3, 6) : 'USD', symbol: y, exchangeName: type === 'CRYPTOCURRENCY' ? 'CCC' : 'NMS',
        fullExchangeName: 'NasdaqGS', instrumentType: type, firstTradeDate: 345479400, regularMarketTime: nowSec, hasPrePostMarketData: true,
        gmtoffset, timezone: gmtoffset ? 'EST' : 'UTC', exchangeTimezoneName: tz, regularMarketPrice: last?.close ?? basePrice(y),
        chartPreviousClose: bars[0]?.open ?? basePrice(y), priceHint: 2,
        currentTradingPeriod: {
          pre: period(dayStart + 9 * 3600, dayStart + 14.5 * 3600), regular: period(dayStart + 14.5 * 3600, dayStart + 21 * 3600),
          post: period(dayStart + 21 * 3600, dayStart + 25 * 3600),
        },
        dataGranularity: interval, range: '', validRanges: ['1d', '5d', '1mo', '3mo', '6mo', '1y', '2y', '5y', '10y', 'ytd', 'max'],
      },
      ...(bars.length ? { timestamp: bars.map((b) => b.time) } : {}),
      ...(Object.keys(events).length ? { events } : {}),
      indicators: bars.length
        ? {
            quote: [{ open: bars.map((b) => b.open), high: bars.map((b) => b.high), low: bars.map((b) => b.low), close: bars.map((b) => b.close), volume: bars.map((b) => b.volume) }],
            ...(interval === '1d' ? { adjclose: [{ adjclose: bars.map((b) => Number((b.close * dividendFactor(y, b.time)).toFixed(6))) }] } : {}),
          }
        : { quote: [{}] },
    };
    json(res, 200, { chart: { result: [result], error: null } });
  }

  /**
   * Yahoo's adjclose: the (split-adjusted) close scaled by (1 − dividend / previous close) for every later dividend.
   * OHLC stay split-adjusted only, as Yahoo sends them (the generator's series is that continuous, split-adjusted one).
   */
  function dividendFactor(y: string, t: number): number {
    const nowSec = Math.floor(now() / 1000);
    const divs = (opts.events?.[y] ?? defaultEvents(y, t, nowSec)).dividends ?? [];
    let f = 1;
    for (const d of divs) if (d.time > t && d.time <= nowSec) f *= 1 - d.amount / level(y, d.time - DAY);
    return f;
  }

  function quoteOf(y: string) {
    const nowSec = Math.floor(now() / 1000);
    const type = quoteType(y);
    const price = round(priceAt(y, nowSec, 'quote'), y);
    const spread = type === 'CURRENCY' ? 0.0001 : price * 0.0002;
    const known = CATALOGUE.find((c) => c.symbol === y);
    return {
      language: 'en-US', region: 'US', quoteType: type, typeDisp: TYPE_DISP[type] ?? type, quoteSourceName: 'Nasdaq Real Time Price',
      triggerable: true, customPriceAlertConfidence: 'HIGH', currency: type === 'CURRENCY' ? y.slice(3, 6) : 'USD',
      marketState: 'REGULAR', tradeable: false, cryptoTradeable: type === 'CRYPTOCURRENCY', exchange: known?.exchange ?? 'NMS',
      shortName: known?.name ?? `${y} Fixture Inc.`, longName: known?.name ?? `${y} Fixture Incorporated`,
      exchangeTimezoneName: 'America/New_York', exchangeTimezoneShortName: 'EST', gmtOffSetMilliseconds: -18000000, market: 'us_market',
      esgPopulated: false, sourceInterval: 15, exchangeDataDelayedBy: 0, fullExchangeName: 'NasdaqGS', symbol: y, priceHint: 2,
      regularMarketPrice: price, regularMarketTime: nowSec, regularMarketChange: 0.5, regularMarketChangePercent: 0.3,
      regularMarketDayHigh: round(price * 1.01, y), regularMarketDayLow: round(price * 0.99, y), regularMarketVolume: 1234567,
      regularMarketPreviousClose: round(price * 0.997, y), regularMarketOpen: round(price * 0.998, y),
      bid: round(price - spread / 2, y), ask: round(price + spread / 2, y), bidSize: 3, askSize: 4,
      ...(type === 'FUTURE' ? { contractSymbol: false, underlyingExchangeSymbol: 'GC.CMX', expireDate: 1798675200, expireIsoDate: '2026-12-29T00:00:00Z' } : {}),
    };
  }

  function quote(res: ServerResponse, p: Record<string, string>): void {
    const symbols = (p['symbols'] ?? '').split(',').filter(Boolean);
    // Yahoo leaves unknown symbols out of the result rather than failing.
    json(res, 200, { quoteResponse: { result: symbols.filter(exists).map(quoteOf), error: null } });
  }

  function quoteSummary(res: ServerResponse, y: string, p: Record<string, string>): void {
    if (!exists(y)) return yahooError(res, 404, 'quoteSummary', 'Not Found', 'Quote not found for symbol: ' + y);
    const modules = (p['modules'] ?? 'price,summaryDetail').split(',');
    const q = quoteOf(y);
    const seed = hash(y);
    const nowSec = Math.floor(now() / 1000);
    // The last quarter end before now, and the fiscal year end before that.
    const d = new Date(nowSec * 1000);
    const qEndMonth = Math.floor(d.getUTCMonth() / 3) * 3; // first month of this quarter
    const mostRecentQuarter = Date.UTC(d.getUTCFullYear(), qEndMonth, 0) / 1000; // day 0 = last day of the previous month
    const lastFiscalYearEnd = Date.UTC(d.getUTCFullYear() - 1, 8, 30) / 1000;
    const eps = Number((2 + (seed % 500) / 100).toFixed(2));
    const all: Record<string, unknown> = {
      price: {
        maxAge: 1, priceHint: 2, quoteType: q.quoteType, symbol: y, underlyingSymbol: null, shortName: q.shortName, longName: q.longName,
        lastMarket: null, fromCurrency: null, currency: q.currency, regularMarketPrice: q.regularMarketPrice, regularMarketTime: nowSec,
        exchangeName: 'NasdaqGS', marketState: 'REGULAR', marketCap: Math.round(q.regularMarketPrice * 15e9),
      },
      summaryDetail: {
        maxAge: 1, priceHint: 2, currency: q.currency, algorithm: null, tradeable: false, fromCurrency: null, lastMarket: null,
        trailingPE: Number((q.regularMarketPrice / eps).toFixed(4)), forwardPE: Number((q.regularMarketPrice / (eps * 1.1)).toFixed(4)),
        marketCap: Math.round(q.regularMarketPrice * 15e9), dividendYield: 0.0044, dividendRate: 1.04, previousClose: q.regularMarketPreviousClose,
      },
      defaultKeyStatistics: {
        maxAge: 1, priceHint: 2, category: null, fundFamily: null, legalType: null, lastSplitFactor: '4:1', lastSplitDate: 1598832000,
        trailingEps: eps, forwardEps: Number((eps * 1.1).toFixed(2)), priceToBook: 45.2, enterpriseToEbitda: 26.1,
        mostRecentQuarter, lastFiscalYearEnd, sharesOutstanding: 15e9,
      },
      financialData: {
        maxAge: 86400, recommendationKey: 'buy', financialCurrency: 'USD', currentPrice: q.regularMarketPrice, totalRevenue: 416161005568,
        returnOnEquity: 1.5191, debtToEquity: 152.411, revenueGrowth: 0.079, earningsGrowth: 0.912,
      },
    };
    if (q.quoteType === 'EQUITY') {
      const prof = FIXTURE_PROFILES[y] ?? HASHED_PROFILES[seed % HASHED_PROFILES.length]!;
      // Yahoo sends both the plain and the display name (sectorDisp); summaryProfile is the shorter module.
      const common = { maxAge: 86400, country: prof.country, industry: prof.industry, industryDisp: prof.industry, sector: prof.sector, sectorDisp: prof.sector, companyOfficers: [] };
      all['assetProfile'] = { ...common, fullTimeEmployees: 1000 + (seed % 100_000), longBusinessSummary: `${q.longName} (fixture).` };
      all['summaryProfile'] = common;
    }
    const result = Object.fromEntries(modules.filter((m) => m in all).map((m) => [m, all[m]]));
    json(res, 200, { quoteSummary: { result: [result], error: null } });
  }

  const restated = new Map<string, number>();
  const newsless = new Set<string>();

  /**
   * fundamentals-timeseries (yahoo-finance2's fundamentalsTimeSeries): one result per requested type, `meta`, then
   * `timestamp`, then the values under the type's name (yahoo-finance2 reads the third key), period ends at 00:00 UTC.
   * Quarters: the last 12 calendar quarters ended before now; years: the last 4 December year ends. Types without data
   * here come back with `meta` only, as Yahoo sends them. Figures are deterministic per symbol and period.
   */
  function timeseries(res: ServerResponse, y: string, p: Record<string, string>): void {
    if (!exists(y)) return json(res, 200, { timeseries: { result: [], error: null } });
    const types = (p['type'] ?? '').split(',').filter(Boolean);
    const period1 = Number(p['period1'] ?? 0);
    const period2 = Math.min(Number(p['period2'] ?? Infinity), Math.floor(now() / 1000));
    const seed = hash(y);
    const d = new Date(now());
    const ends = (annual: boolean) => {
      const out: string[] = [];
      for (let k = annual ? 4 : 12; k >= 1; k--) {
        const end = annual ? Date.UTC(d.getUTCFullYear() - k + 1, 0, 0) : Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3 - 3 * (k - 1), 0);
        if (end / 1000 >= period1 && end / 1000 <= period2) out.push(new Date(end).toISOString().slice(0, 10));
      }
      return out;
    };
    const scale = 1e9 * (1 + (seed % 50));
    const figures = (end: string, annual: boolean, index: number): Record<string, number> => {
      const n = annual ? 4 : 1;
      const r = (restated.get(end) ?? 1);
      const revenue = Math.round(scale * n * (1 + 0.02 * index) * r);
      const netIncome = Math.round(revenue * 0.12);
      const shares = 5e8 + (seed % 1000) * 1e6;
      return {
        TotalRevenue: revenue, GrossProfit: Math.round(revenue * 0.4), EBITDA: Math.round(revenue * 0.25), NetIncome: netIncome,
        DilutedEPS: Number((netIncome / shares).toFixed(2)), StockholdersEquity: Math.round(scale * 8), TotalDebt: Math.round(scale * 3),
        CashAndCashEquivalents: Math.round(scale * 1.5), OrdinarySharesNumber: shares,
      };
    };
    const result = types.map((type) => {
      const prefix = /^(quarterly|annual|trailing)/.exec(type)?.[1] ?? '';
      const name = type.slice(prefix.length);
      const periods = prefix === 'trailing' ? [] : ends(prefix === 'annual');
      const rows = periods.map((end, i) => ({ end, value: figures(end, prefix === 'annual', i)[name] })).filter((r) => r.value !== undefined);
      if (rows.length === 0) return { meta: { symbol: [y], type: [type] } };
      return {
        meta: { symbol: [y], type: [type] },
        timestamp: rows.map((r) => Date.parse(`${r.end}T00:00:00Z`) / 1000),
        [type]: rows.map((r) => ({
          dataId: 20100, asOfDate: r.end, periodType: prefix === 'annual' ? '12M' : '3M', currencyCode: 'USD',
          reportedValue: { raw: r.value, fmt: String(r.value) },
        })),
      };
    });
    json(res, 200, { timeseries: { result, error: null } });
  }

  function search(res: ServerResponse, p: Record<string, string>): void {
    const q = (p['q'] ?? '').trim().toLowerCase();
    const hits = q ? CATALOGUE.filter((c) => c.symbol.toLowerCase().startsWith(q) || c.name.toLowerCase().includes(q)) : [];
    const count = Number(p['quotesCount'] ?? 6);
    const y = (p['q'] ?? '').trim().toUpperCase();
    const nowSec = Math.floor(now() / 1000);
    // News about an equity, an hour apart; Yahoo's JSON has publish times in seconds and a thumbnail per story.
    const news = y && quoteType(y) === 'EQUITY' && !newsless.has(y)
      ? FIXTURE_HEADLINES.slice(0, Number(p['newsCount'] ?? 8)).map((h, i) => ({
        uuid: `${hash(y).toString(16)}-${i}`, title: h.title.replace('{n}', shortName(y)), publisher: h.publisher,
        link: `https://finance.yahoo.com/news/${y.toLowerCase()}-story-${i}.html`, providerPublishTime: nowSec - 3600 * (i + 1), type: 'STORY',
        thumbnail: { resolutions: [{ url: `https://s.yimg.com/fixture/${i}.jpg`, width: 140, height: 140, tag: '140x140' }] },
        relatedTickers: [y, ...(i === 0 ? ['SPY'] : [])],
      }))
      : [];
    json(res, 200, {
      explains: [], count: hits.length, nav: [], lists: [], researchReports: [], news,
      quotes: hits.slice(0, count).map((c, i) => ({
        exchange: c.exchange, shortname: c.name, longname: c.name, quoteType: c.type, symbol: c.symbol, index: 'quotes',
        score: 20000 - i, typeDisp: TYPE_DISP[c.type] ?? c.type, isYahooFinance: true,
      })),
      totalTime: 12, timeTakenForQuotes: 4, timeTakenForNews: news.length ? 3 : 0, timeTakenForAlgowatchlist: 0, timeTakenForPredefinedScreener: 0,
      timeTakenForCrunchbase: 0, timeTakenForNav: 0, timeTakenForResearchReports: 0, timeTakenForScreenerField: 0,
      timeTakenForCulturalAssets: 0, timeTakenForSearchLists: 0,
    });
  }

  function invalid(res: ServerResponse, endpoint: YahooEndpoint): void {
    // Right envelope, wrong types: what a silent upstream format change looks like.
    if (endpoint === 'chart') return json(res, 200, { chart: { result: [{ meta: { symbol: 42, currency: null }, timestamp: 'yesterday', indicators: { quote: [{ open: 'x' }] } }], error: null } });
    if (endpoint === 'quote') return json(res, 200, { quoteResponse: { result: [{ symbol: 7, quoteType: 'EQUITY', regularMarketPrice: 'cheap' }], error: null } });
    if (endpoint === 'quoteSummary') return json(res, 200, { quoteSummary: { result: [{ summaryDetail: { maxAge: 'old', trailingPE: 'high' } }], error: null } });
    return json(res, 200, { quotes: 'none', count: 'many' });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const endpoint = classify(url.pathname);
    const params = Object.fromEntries(url.searchParams);
    requests.push({ endpoint, host: String(req.headers['x-yahoo-host'] ?? req.headers.host ?? ''), path: url.pathname, params });

    const respond = () => {
      switch (endpoint) {
        case 'cookie':
          res.writeHead(200, {
            'content-type': 'text/html', 'set-cookie': `${COOKIE}; Expires=${new Date(now() + 365 * DAY * 1000).toUTCString()}; Max-Age=31557600; Domain=.yahoo.com; Path=/; Secure; SameSite=None`,
          });
          return res.end('<html><body>fixture quote page</body></html>');
        case 'crumb':
          if (!(req.headers.cookie ?? '').includes('A3=')) {
            res.writeHead(403, { 'content-type': 'text/plain' });
            return res.end('');
          }
          res.writeHead(200, { 'content-type': 'text/plain' });
          return res.end(FIXTURE_CRUMB);
        case 'chart':
          return chart(res, decodeURIComponent(url.pathname.slice('/v8/finance/chart/'.length)), params);
        case 'quote':
          if (!authorised(req, params)) return yahooError(res, 401, 'finance', 'Unauthorized', 'Invalid Crumb');
          return quote(res, params);
        case 'quoteSummary':
          if (!authorised(req, params)) return yahooError(res, 401, 'finance', 'Unauthorized', 'Invalid Crumb');
          return quoteSummary(res, decodeURIComponent(url.pathname.slice('/v10/finance/quoteSummary/'.length)), params);
        case 'search':
          return search(res, params);
        case 'timeseries':
          return timeseries(res, decodeURIComponent(url.pathname.slice('/ws/fundamentals-timeseries/v1/finance/timeseries/'.length)), params);
        default:
          return yahooError(res, 404, 'finance', 'Not Found', `No route ${url.pathname}`);
      }
    };

    const fault = takeFault(endpoint);
    if (!fault) return respond();
    switch (fault.type) {
      case 'status':
        res.writeHead(fault.status, { 'content-type': 'text/html', ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}) });
        return res.end(fault.body ?? (fault.status === 429 ? 'Too Many Requests' : 'Internal Server Error'));
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('<html>{"chart": oops, this is not JSON');
      case 'schema-invalid':
        return invalid(res, endpoint);
      case 'hang':
        return; // the socket stays open until the client gives up or close() destroys it
      case 'slow':
        setTimeout(respond, fault.ms).unref();
        return;
    }
  });
  const http = await listenLocal(server);
  const base = http.url;

  const redirect: typeof fetch = (input, init) => {
    const target = new URL(input instanceof Request ? input.url : String(input));
    if (!/(^|\.)yahoo\.com$/.test(target.hostname)) return Promise.reject(new TypeError(`fixture fetch: refusing a non-Yahoo URL ${target.hostname}`));
    const headers = new Headers(init?.headers);
    headers.set('x-yahoo-host', target.host);
    return fetch(`${base}${target.pathname}${target.search}`, { ...init, headers });
  };

  return {
    url: base,
    fetch: redirect,
    requests,
    count: (endpoint) => (endpoint ? requests.filter((r) => r.endpoint === endpoint).length : requests.length),
    fault(fault, o = {}) {
      active = fault ? { fault, endpoint: o.endpoint, left: o.times ?? Infinity } : null;
    },
    shiftPrices(f) {
      factor = f;
    },
    restate(periodEnd, f) {
      restated.set(periodEnd, f);
    },
    withoutNews(y) {
      newsless.add(y);
    },
    bars: (y, interval, p1, p2) => fixtureBars(y, interval, p1, Math.min(p2, Math.floor(now() / 1000)), barLevel),
    close: http.close,
  };
}
