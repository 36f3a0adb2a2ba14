// A local stand-in for Polygon.io's REST API: /v2/aggs (with next_url paging), /v2/aggs/.../prev, /v2/snapshot,
// /v3/reference/tickers, /v3/reference/splits and /dividends, /v1/marketstatus/now — in their documented JSON shapes,
// with the key check (401), plan entitlements (403 NOT_AUTHORIZED for snapshots on a free key), the 5/min limit (429),
// and fault modes. Bars come from the Yahoo fixture's deterministic generator.
//
//   const polygon = await startPolygonFixtureServer({ apiKey: 'KEY', now: () => clock.now(), perMinute: 5 });
//   createPolygonProvider({ clock, baseUrl: polygon.url, apiKey: async () => 'KEY' });
import { createServer, type ServerResponse } from 'node:http';
import { listenLocal } from './local-http';
import { fixtureBars, type ChartInterval } from './yahoo-fixture-server';

export type PolygonFault =
  | { type: 'status'; status: number; retryAfter?: string }
  | { type: 'garbage' }
  | { type: 'schema-invalid' }
  | { type: 'hang' };

export interface PolygonFixtureOptions {
  apiKey: string;
  now?: () => number;
  /** Requests per minute before 429 (the free plan: 5); omitted: unlimited. */
  perMinute?: number;
  /** Snapshots allowed (a paid plan); default false, as on the free plan. */
  snapshots?: boolean;
  /** Results per aggregates page before a next_url (Polygon's limit is 50,000; small values exercise paging). */
  pageSize?: number;
}

export interface PolygonFixtureServer {
  readonly url: string;
  readonly requests: readonly { path: string; params: Record<string, string> }[];
  count(pathPrefix?: string): number;
  fault(fault: PolygonFault | null, times?: number): void;
  close(): Promise<void>;
}

const DAY = 86400;
const TICKERS = [
  { ticker: 'AAPL', name: 'Apple Inc.', market: 'stocks', primary_exchange: 'XNAS', type: 'CS' },
  { ticker: 'AAPU', name: 'Direxion Daily AAPL Bull 2X Shares', market: 'stocks', primary_exchange: 'XNAS', type: 'ETF' },
  { ticker: 'C:EURUSD', name: 'Euro - United States Dollar', market: 'fx', type: undefined },
  { ticker: 'X:BTCUSD', name: 'Bitcoin - United States Dollar', market: 'crypto', type: undefined },
  { ticker: 'I:SPX', name: 'Standard & Poor\'s 500', market: 'indices', type: 'INDEX' },
];
const SPLITS: Record<string, { execution_date: string; split_from: number; split_to: number }[]> = {
  AAPL: [{ execution_date: '2020-08-31', split_from: 1, split_to: 4 }, { execution_date: '2014-06-09', split_from: 1, split_to: 7 }],
};
const DIVIDENDS: Record<string, { ex_dividend_date: string; cash_amount: number }[]> = {
  AAPL: ['2026-02-09', '2026-05-11', '2026-08-11', '2026-11-10'].map((d) => ({ ex_dividend_date: d, cash_amount: 0.26 })),
};

/** Our generator's symbol for a Polygon ticker (FX and crypto in Yahoo's spelling, so they trade like FX and crypto). */
const generatorSymbol = (ticker: string) => (ticker.startsWith('C:') ? `${ticker.slice(2)}=X` : ticker.startsWith('X:') ? `${ticker.slice(2, 5)}-${ticker.slice(5)}` : ticker.startsWith('I:') ? '^GSPC' : ticker);

export async function startPolygonFixtureServer(opts: PolygonFixtureOptions): Promise<PolygonFixtureServer> {
  const now = opts.now ?? Date.now;
  const requests: { path: string; params: Record<string, string> }[] = [];
  const served: number[] = [];
  let active: { fault: PolygonFault; left: number } | null = null;
  let requestSeq = 0;
  const rid = () => `fixture-${++requestSeq}`;

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const known = (ticker: string) => !ticker.includes('NOSUCH');

  function aggs(res: ServerResponse, ticker: string, mult: number, span: string, fromMs: number, toMs: number, p: Record<string, string>): void {
    const interval = ({ '1minute': '1m', '5minute': '5m', '1hour': '60m', '1day': '1d' } as Record<string, ChartInterval>)[`${mult}${span}`];
    if (!interval) return json(res, 400, { status: 'ERROR', request_id: rid(), error: `unsupported range ${mult}/${span}` });
    const sym = generatorSymbol(ticker);
    let bars = known(ticker) ? fixtureBars(sym, interval, Math.floor(fromMs / 1000), Math.min(Math.floor(toMs / 1000) + 1, Math.floor(now() / 1000))) : [];
    // Polygon's stock days start at midnight New York; the generator opens them at 14:30 UTC.
    if (interval === '1d' && !/^[CX]:/.test(ticker)) bars = bars.map((b) => ({ ...b, time: b.time - 14.5 * 3600 + 5 * 3600 }));
    const offset = Number(p['cursor'] ?? 0);
    const size = opts.pageSize ?? 50_000;
    const page = bars.slice(offset, offset + size);
    const next = offset + size < bars.length ? `https://api.polygon.io/v2/aggs/ticker/${ticker}/range/${mult}/${span}/${fromMs}/${toMs}?cursor=${offset + size}&adjusted=${p['adjusted'] ?? 'true'}&sort=asc&limit=${size}` : undefined;
    json(res, 200, {
      ticker, queryCount: bars.length, resultsCount: page.length, adjusted: p['adjusted'] !== 'false', status: 'DELAYED', request_id: rid(), count: page.length,
      ...(page.length ? { results: page.map((b) => ({ v: b.volume, vw: Number(((b.high + b.low + b.close) / 3).toFixed(4)), o: b.open, c: b.close, h: b.high, l: b.low, t: b.time * 1000, n: Math.round(b.volume / 100) })) } : {}),
      ...(next ? { next_url: next } : {}),
    });
  }

  function route(res: ServerResponse, path: string, p: Record<string, string>): void {
    let m: RegExpExecArray | null;
    const nowSec = Math.floor(now() / 1000);
    if ((m = /^\/v2\/aggs\/ticker\/([^/]+)\/range\/(\d+)\/(minute|hour|day)\/(\d+)\/(\d+)$/.exec(path))) {
      return aggs(res, decodeURIComponent(m[1]!), Number(m[2]), m[3]!, Number(m[4]), Number(m[5]), p);
    }
    if ((m = /^\/v2\/aggs\/ticker\/([^/]+)\/prev$/.exec(path))) {
      const ticker = decodeURIComponent(m[1]!);
      if (!known(ticker)) return json(res, 200, { ticker, queryCount: 0, resultsCount: 0, adjusted: false, status: 'OK', request_id: rid() });
      // The last complete New York day before today.
      const bars = fixtureBars(generatorSymbol(ticker), '1d', nowSec - 10 * DAY, Math.floor(nowSec / DAY) * DAY);
      const b = bars.at(-1)!;
      const t = /^[CX]:/.test(ticker) ? b.time * 1000 : (b.time - 14.5 * 3600 + 5 * 3600) * 1000;
      return json(res, 200, { ticker, queryCount: 1, resultsCount: 1, adjusted: false, status: 'OK', request_id: rid(), results: [{ T: ticker, v: b.volume, vw: b.close, o: b.open, c: b.close, h: b.high, l: b.low, t, n: 1000 }] });
    }
    if ((m = /^\/v2\/snapshot\/locale\/(us\/markets\/stocks|global\/markets\/forex|global\/markets\/crypto)\/tickers\/([^/]+)$/.exec(path))) {
      if (!opts.snapshots) return json(res, 403, { status: 'NOT_AUTHORIZED', request_id: rid(), message: 'You are not entitled to this data. Please upgrade your plan at https://polygon.io/pricing' });
      const ticker = decodeURIComponent(m[2]!);
      if (!known(ticker)) return json(res, 404, { status: 'NOT_FOUND', request_id: rid(), message: 'Ticker not found.' });
      const last = fixtureBars(generatorSymbol(ticker), '1m', nowSec - 4 * DAY, nowSec).at(-1)!;
      const ns = now() * 1e6;
      const fx = !m[1]!.startsWith('us');
      return json(res, 200, { status: 'OK', request_id: rid(), ticker: {
        ticker, todaysChangePerc: 0.5, todaysChange: 1.1, updated: ns,
        day: { o: last.open, h: last.high, l: last.low, c: last.close, v: 1e6, vw: last.close },
        lastQuote: fx ? { a: last.close + 0.0001, b: last.close - 0.0001, t: now(), x: 48 } : { P: last.close + 0.02, S: 2, p: last.close - 0.02, s: 3, t: ns },
        ...(fx ? {} : { lastTrade: { c: [14, 41], i: '71675577320245', p: last.close, s: 100, t: ns - 2e9, x: 4 } }),
        min: { av: 1e6, t: now() - 60_000, n: 10, o: last.open, h: last.high, l: last.low, c: last.close, v: 500, vw: last.close },
        prevDay: { o: last.open, h: last.high, l: last.low, c: last.open, v: 9e6, vw: last.open },
      } });
    }
    if (path === '/v3/reference/tickers') {
      const q = (p['search'] ?? '').toLowerCase();
      const results = TICKERS.filter((t) => t.ticker.toLowerCase().replace(/^[cxi]:/, '').startsWith(q) || t.name.toLowerCase().includes(q)).map((t) => ({
        ticker: t.ticker, name: t.name, market: t.market, locale: t.market === 'stocks' ? 'us' : 'global', ...(t.primary_exchange ? { primary_exchange: t.primary_exchange } : {}),
        ...(t.type ? { type: t.type } : {}), active: true, currency_name: 'usd', last_updated_utc: '2026-11-20T00:00:00Z',
      }));
      return json(res, 200, { results, status: 'OK', request_id: rid(), count: results.length });
    }
    if (path === '/v3/reference/splits' || path === '/v3/reference/dividends') {
      const ticker = p['ticker'] ?? '';
      const isSplit = path.endsWith('splits');
      const field = isSplit ? 'execution_date' : 'ex_dividend_date';
      const all: Record<string, unknown>[] = (isSplit ? SPLITS[ticker] : DIVIDENDS[ticker]) ?? [];
      const results = all.filter((r) => (!p[`${field}.gte`] || String(r[field]) >= p[`${field}.gte`]!) && (!p[`${field}.lte`] || String(r[field]) <= p[`${field}.lte`]!))
        .map((r, i) => ({ ...r, id: `E${i}`, ticker, ...(isSplit ? {} : { currency: 'USD', declaration_date: r[field], dividend_type: 'CD', frequency: 4, pay_date: r[field], record_date: r[field] }) }));
      return json(res, 200, { results, status: 'OK', request_id: rid() });
    }
    if (path === '/v1/marketstatus/now') {
      return json(res, 200, { afterHours: false, currencies: { crypto: 'open', fx: 'open' }, earlyHours: false, exchanges: { nasdaq: 'open', nyse: 'open', otc: 'open' }, market: 'open', serverTime: new Date(now()).toISOString() });
    }
    json(res, 404, { status: 'NOT_FOUND', request_id: rid(), message: 'Not found' });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const params = Object.fromEntries(url.searchParams);
    requests.push({ path: url.pathname, params });
    const f = active?.fault;
    if (active && --active.left <= 0) active = null;
    if (f) {
      switch (f.type) {
        case 'status':
          res.writeHead(f.status, { 'content-type': 'application/json', ...(f.retryAfter ? { 'retry-after': f.retryAfter } : {}) });
          return res.end(JSON.stringify({ status: 'ERROR', request_id: rid(), error: `fixture status ${f.status}` }));
        case 'garbage':
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end('{"results": [ {"o": 1, ');
        case 'schema-invalid':
          return json(res, 200, { status: 'OK', results: [{ o: 'one', t: 'today' }], ticker: 'not an object' });
        case 'hang':
          return;
      }
    }
    if (!params['apiKey']) return json(res, 401, { status: 'ERROR', request_id: rid(), error: 'API Key was not provided' });
    if (params['apiKey'] !== opts.apiKey) return json(res, 401, { status: 'ERROR', request_id: rid(), error: 'Unknown API Key' });
    const t = now();
    if (opts.perMinute !== undefined && served.filter((s) => t - s < 60_000).length >= opts.perMinute) {
      return json(res, 429, { status: 'ERROR', request_id: rid(), error: "You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue. https://polygon.io/pricing" });
    }
    served.push(t);
    route(res, url.pathname, params);
  });
  const http = await listenLocal(server);
  const base = http.url;
  return {
    url: base,
    requests,
    count: (prefix) => (prefix ? requests.filter((r) => r.path.startsWith(prefix)).length : requests.length),
    fault(fault, times = Infinity) {
      active = fault ? { fault, left: times } : null;
    },
    close: http.close,
  };
}
