// A local stand-in for Alpha Vantage's /query API: TIME_SERIES_DAILY / INTRADAY, FX_DAILY, GLOBAL_QUOTE,
// CURRENCY_EXCHANGE_RATE, OVERVIEW, SYMBOL_SEARCH in their documented JSON shapes, with the free plan's behaviour
// (HTTP 200 with "Information" when over 5/min or 25/day, "premium" answers for full daily history), the key check,
// and fault modes. Bars come from the same deterministic generator as the Yahoo fixture.
//
//   const av = await startAlphaVantageFixtureServer({ apiKey: 'KEY', now: () => clock.now(), limits: { perMinute: 5 } });
//   createAlphaVantageProvider({ clock, baseUrl: av.url, apiKey: async () => 'KEY' });
import { createServer, type ServerResponse } from 'node:http';
import { listenLocal } from './local-http';
import { fixtureBars, type ChartInterval } from './yahoo-fixture-server';

export type AlphaVantageFault =
  | { type: 'status'; status: number; retryAfter?: string }
  | { type: 'garbage' }
  /** 200 with JSON that has the right top-level key but rows of the wrong shape. */
  | { type: 'schema-invalid' }
  | { type: 'hang' }
  /** The old per-minute note ("Note": "...5 calls per minute..."). */
  | { type: 'note' };

export interface AlphaVantageFixtureOptions {
  apiKey: string;
  now?: () => number;
  /** The free plan's limits, counted per UTC minute and day of `now`; omitted: unlimited. */
  limits?: { perMinute?: number; perDay?: number };
  /** Premium key: full daily history and FX intraday allowed. */
  premium?: boolean;
}

export interface AlphaVantageFixtureServer {
  readonly url: string;
  /** Every request's parameters (apikey included, to check it was sent). */
  readonly requests: readonly Record<string, string>[];
  count(fn?: string): number;
  fault(fault: AlphaVantageFault | null, times?: number): void;
  close(): Promise<void>;
}

const DAY = 86400;
const NY = new Intl.DateTimeFormat('sv-SE', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
/** "2026-11-20 13:00:00" in New York for a UTC instant ('sv-SE' formats as ISO-like). */
const nyWall = (t: number) => NY.format(new Date(t * 1000)).replace(',', '');
const date = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);

const COMPANIES: Record<string, { name: string; type: string; region: string; currency: string }> = {
  IBM: { name: 'International Business Machines Corp', type: 'Equity', region: 'United States', currency: 'USD' },
  IBMN: { name: 'iShares iBonds Dec 2026 Term Muni Bond ETF', type: 'ETF', region: 'United States', currency: 'USD' },
  'TSCO.LON': { name: 'Tesco PLC', type: 'Equity', region: 'United Kingdom', currency: 'GBX' },
  AAPL: { name: 'Apple Inc', type: 'Equity', region: 'United States', currency: 'USD' },
};

const row = (b: { open: number; high: number; low: number; close: number; volume: number }, volume = true) => ({
  '1. open': b.open.toFixed(4), '2. high': b.high.toFixed(4), '3. low': b.low.toFixed(4), '4. close': b.close.toFixed(4),
  ...(volume ? { '5. volume': String(b.volume) } : {}),
});

export async function startAlphaVantageFixtureServer(opts: AlphaVantageFixtureOptions): Promise<AlphaVantageFixtureServer> {
  const now = opts.now ?? Date.now;
  const requests: Record<string, string>[] = [];
  const served: number[] = []; // times (ms) of answered, counted requests
  let active: { fault: AlphaVantageFault; left: number } | null = null;

  const json = (res: ServerResponse, body: unknown, status = 200) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body, null, 4));
  };
  const invalidCall = (res: ServerResponse, fn: string) =>
    json(res, { 'Error Message': `Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for ${fn}.` });

  function answer(res: ServerResponse, p: Record<string, string>): void {
    const fn = p['function'] ?? '';
    const nowSec = Math.floor(now() / 1000);
    const symbol = p['symbol'] ?? '';
    const known = (s: string) => !s.startsWith('NOSUCH') && s !== '';
    switch (fn) {
      case 'TIME_SERIES_DAILY':
      case 'TIME_SERIES_DAILY_ADJUSTED':
      case 'FX_DAILY': {
        const full = p['outputsize'] === 'full';
        if ((full || fn === 'TIME_SERIES_DAILY_ADJUSTED') && !opts.premium) {
          return json(res, { Information: 'Thank you for using Alpha Vantage! This is a premium endpoint. You may subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly unlock all premium endpoints' });
        }
        const sym = fn === 'FX_DAILY' ? `${p['from_symbol']}${p['to_symbol']}=X` : symbol;
        if (!known(sym)) return invalidCall(res, fn);
        let bars = fixtureBars(sym, '1d', nowSec - (full ? 3 * 365 : 160) * DAY, nowSec);
        if (!full) bars = bars.slice(-100);
        const series = Object.fromEntries(bars.reverse().map((b) => [date(b.time), row(b, fn !== 'FX_DAILY')]));
        return json(res, fn === 'FX_DAILY'
          ? { 'Meta Data': { '1. Information': 'Forex Daily Prices (open, high, low, close)', '2. From Symbol': p['from_symbol'], '3. To Symbol': p['to_symbol'], '4. Output Size': full ? 'Full size' : 'Compact', '5. Last Refreshed': nyWall(nowSec), '6. Time Zone': 'UTC' }, 'Time Series FX (Daily)': series }
          : { 'Meta Data': { '1. Information': 'Daily Prices (open, high, low, close) and Volumes', '2. Symbol': symbol, '3. Last Refreshed': date(nowSec), '4. Output Size': full ? 'Full size' : 'Compact', '5. Time Zone': 'US/Eastern' }, 'Time Series (Daily)': series });
      }
      case 'TIME_SERIES_INTRADAY': {
        const interval = p['interval'] ?? '';
        const yahooInterval = ({ '1min': '1m', '5min': '5m', '60min': '60m' } as Record<string, ChartInterval>)[interval];
        if (!known(symbol) || !yahooInterval) return invalidCall(res, fn);
        let from: number;
        let to: number;
        if (p['month']) {
          const [y, m] = p['month'].split('-').map(Number) as [number, number];
          from = Date.UTC(y, m - 1, 1) / 1000;
          to = Math.min(Date.UTC(y, m, 1) / 1000, nowSec);
        } else {
          from = nowSec - (p['outputsize'] === 'full' ? 30 : 2) * DAY;
          to = nowSec;
        }
        let bars = fixtureBars(symbol, yahooInterval, from, to);
        if (p['outputsize'] !== 'full') bars = bars.slice(-100);
        return json(res, {
          'Meta Data': { '1. Information': `Intraday (${interval}) open, high, low, close prices and volume`, '2. Symbol': symbol, '3. Last Refreshed': nyWall(bars.at(-1)?.time ?? nowSec), '4. Interval': interval, '5. Output Size': p['outputsize'] === 'full' ? 'Full size' : 'Compact', '6. Time Zone': 'US/Eastern' },
          [`Time Series (${interval})`]: Object.fromEntries(bars.reverse().map((b) => [nyWall(b.time), row(b)])),
        });
      }
      case 'GLOBAL_QUOTE': {
        if (!known(symbol)) return json(res, { 'Global Quote': {} });
        const day = fixtureBars(symbol, '1d', nowSec - 7 * DAY, nowSec).at(-1)!;
        const prev = fixtureBars(symbol, '1d', nowSec - 8 * DAY, day.time).at(-1)!;
        return json(res, { 'Global Quote': {
          '01. symbol': symbol, '02. open': day.open.toFixed(4), '03. high': day.high.toFixed(4), '04. low': day.low.toFixed(4), '05. price': day.close.toFixed(4),
          '06. volume': String(day.volume), '07. latest trading day': date(day.time), '08. previous close': prev.close.toFixed(4),
          '09. change': (day.close - prev.close).toFixed(4), '10. change percent': `${(((day.close - prev.close) / prev.close) * 100).toFixed(4)}%`,
        } });
      }
      case 'CURRENCY_EXCHANGE_RATE': {
        const [f, t] = [p['from_currency'] ?? '', p['to_currency'] ?? ''];
        if (!known(f)) return invalidCall(res, fn);
        const rate = fixtureBars(`${f}${t}=X`, '1m', nowSec - 7 * DAY, nowSec).at(-1)!.close;
        return json(res, { 'Realtime Currency Exchange Rate': {
          '1. From_Currency Code': f, '2. From_Currency Name': f, '3. To_Currency Code': t, '4. To_Currency Name': t, '5. Exchange Rate': rate.toFixed(5),
          '6. Last Refreshed': new Date(now()).toISOString().slice(0, 19).replace('T', ' '), '7. Time Zone': 'UTC',
          '8. Bid Price': (rate - 0.00005).toFixed(5), '9. Ask Price': (rate + 0.00005).toFixed(5),
        } });
      }
      case 'OVERVIEW': {
        if (!known(symbol)) return json(res, {});
        const c = COMPANIES[symbol] ?? { name: `${symbol} Corp`, type: 'Equity', region: 'United States', currency: 'USD' };
        return json(res, {
          Symbol: symbol, AssetType: 'Common Stock', Name: c.name, Description: 'A fixture company.', CIK: '51143', Exchange: 'NYSE', Currency: c.currency,
          Country: 'USA', Sector: 'TECHNOLOGY', Industry: 'COMPUTER & OFFICE EQUIPMENT', FiscalYearEnd: 'December', LatestQuarter: '2026-09-30',
          MarketCapitalization: '227775635000', EBITDA: '14625000000', PERatio: '36.38', PEGRatio: '3.68', BookValue: '29.13', DividendPerShare: '6.67',
          DividendYield: '0.0272', EPS: '6.77', RevenuePerShareTTM: '68.91', ProfitMargin: '0.0995', OperatingMarginTTM: '0.167', ReturnOnAssetsTTM: '0.0468',
          ReturnOnEquityTTM: '0.234', RevenueTTM: '63879000000', GrossProfitTTM: '35890000000', DilutedEPSTTM: '6.77', QuarterlyEarningsGrowthYOY: '-0.063',
          QuarterlyRevenueGrowthYOY: '0.015', AnalystTargetPrice: '250', TrailingPE: '36.38', ForwardPE: '23.15', PriceToSalesRatioTTM: '3.566',
          PriceToBookRatio: '8.45', EVToRevenue: '4.376', EVToEBITDA: '19.13', Beta: '0.706', '52WeekHigh': '255', '52WeekLow': '162.62',
          '50DayMovingAverage': '224.31', '200DayMovingAverage': '199.7', SharesOutstanding: '924640000', DividendDate: '2026-12-10', ExDividendDate: '2026-11-12',
        });
      }
      case 'SYMBOL_SEARCH': {
        const q = (p['keywords'] ?? '').toLowerCase();
        const hits = Object.entries(COMPANIES).filter(([s, c]) => s.toLowerCase().startsWith(q) || c.name.toLowerCase().includes(q));
        return json(res, { bestMatches: hits.map(([s, c], i) => ({
          '1. symbol': s, '2. name': c.name, '3. type': c.type, '4. region': c.region, '5. marketOpen': '09:30', '6. marketClose': '16:00',
          '7. timezone': 'UTC-04', '8. currency': c.currency, '9. matchScore': (1 - i * 0.1).toFixed(4),
        })) });
      }
      default:
        return json(res, { 'Error Message': 'This API function (' + fn + ') does not exist.' });
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const p = Object.fromEntries(url.searchParams);
    requests.push(p);
    if (url.pathname !== '/query') return json(res, { 'Error Message': 'Not found' }, 404);
    const f = active?.fault;
    if (active && --active.left <= 0) active = null;
    if (f) {
      switch (f.type) {
        case 'status':
          res.writeHead(f.status, { 'content-type': 'text/html', ...(f.retryAfter ? { 'retry-after': f.retryAfter } : {}) });
          return res.end('<html><body>Service Unavailable</body></html>');
        case 'garbage':
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end('{"Meta Data": {"1. Information": truncated');
        case 'schema-invalid':
          return json(res, { 'Meta Data': {}, 'Time Series (Daily)': { '2026-11-20': { open: 1 } }, 'Global Quote': { price: 1 }, bestMatches: 'none', Symbol: 7, 'Realtime Currency Exchange Rate': 'x' });
        case 'hang':
          return;
        case 'note':
          return json(res, { Note: 'Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute and 500 calls per day. Please visit https://www.alphavantage.co/premium/ if you would like to target a higher API call frequency.' });
      }
    }
    if (p['apikey'] !== opts.apiKey) {
      return json(res, { 'Error Message': 'the parameter apikey is invalid or missing. Please claim your free API key on (https://www.alphavantage.co/support/#api-key). It should take less than 20 seconds.' });
    }
    const t = now();
    const perDay = served.filter((s) => Math.floor(s / 86_400_000) === Math.floor(t / 86_400_000)).length;
    const perMinute = served.filter((s) => t - s < 60_000).length;
    if ((opts.limits?.perDay !== undefined && perDay >= opts.limits.perDay) || (opts.limits?.perMinute !== undefined && perMinute >= opts.limits.perMinute)) {
      const daily = opts.limits?.perDay !== undefined && perDay >= opts.limits.perDay;
      return json(res, { Information: daily
        ? `We have detected your API key as ${p['apikey']} and our standard API rate limit is ${opts.limits?.perDay} requests per day. Please subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly remove all daily rate limits.`
        : 'Thank you for using Alpha Vantage! Please consider spreading out your free API requests more sparingly (1 request per second). You may subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to lift the free key rate limit (25 requests per day), raise the per-second burst limit, and instantly unlock all premium endpoints' });
    }
    served.push(t);
    answer(res, p);
  });
  const http = await listenLocal(server);
  return {
    url: http.url,
    requests,
    count: (fn) => (fn ? requests.filter((r) => r['function'] === fn).length : requests.length),
    fault(fault, times = Infinity) {
      active = fault ? { fault, left: times } : null;
    },
    close: http.close,
  };
}
