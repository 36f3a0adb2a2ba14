// A local stand-in for FRED's REST API (api.stlouisfed.org): /fred/series and /fred/series/observations with
// file_type=json, in FRED's documented shapes: the key check (HTTP 400 with FRED's error JSON), unknown series (400),
// a per-minute limit (429), missing values as ".", realtime_start/realtime_end echoed as FRED does. The series are
// deterministic: GDP (quarterly), CPIAUCSL, UNRATE, FEDFUNDS (monthly) and DGS10 (business days, "." on holidays).
//
//   const fred = await startFredFixtureServer({ apiKey: 'abcdefghijklmnopqrstuvwxyz012345', now: () => clock.now() });
//   createFredClient({ clock, baseUrl: fred.url, apiKey: async () => KEY });
import { createServer, type ServerResponse } from 'node:http';
import { listenLocal } from './local-http';

export interface FredFixtureOptions {
  apiKey: string;
  /** "Today" for the series' last observations and realtime dates; default Date.now. */
  now?: () => number;
  /** Requests per minute before 429; omitted: unlimited. */
  perMinute?: number;
}

export interface FredFixtureServer {
  readonly url: string;
  readonly requests: readonly { path: string; params: Record<string, string> }[];
  count(path?: string): number;
  close(): Promise<void>;
}

interface FixtureSeries {
  id: string;
  title: string;
  units: string;
  units_short: string;
  frequency: string;
  frequency_short: string;
  seasonal_adjustment: string;
  seasonal_adjustment_short: string;
  /** Months between observations; 0 = business days. */
  stepMonths: number;
  value: (i: number) => number;
}

export const FRED_FIXTURE_SERIES: readonly FixtureSeries[] = [
  { id: 'GDP', title: 'Gross Domestic Product', units: 'Billions of Dollars', units_short: 'Bil. of $', frequency: 'Quarterly', frequency_short: 'Q', seasonal_adjustment: 'Seasonally Adjusted Annual Rate', seasonal_adjustment_short: 'SAAR', stepMonths: 3, value: (i) => 10000 * 1.012 ** i },
  { id: 'CPIAUCSL', title: 'Consumer Price Index for All Urban Consumers: All Items in U.S. City Average', units: 'Index 1982-1984=100', units_short: 'Index 1982-1984=100', frequency: 'Monthly', frequency_short: 'M', seasonal_adjustment: 'Seasonally Adjusted', seasonal_adjustment_short: 'SA', stepMonths: 1, value: (i) => 170 * 1.0022 ** i },
  { id: 'UNRATE', title: 'Unemployment Rate', units: 'Percent', units_short: '%', frequency: 'Monthly', frequency_short: 'M', seasonal_adjustment: 'Seasonally Adjusted', seasonal_adjustment_short: 'SA', stepMonths: 1, value: (i) => 4.5 + 1.5 * Math.sin(i / 20) },
  { id: 'FEDFUNDS', title: 'Federal Funds Effective Rate', units: 'Percent', units_short: '%', frequency: 'Monthly', frequency_short: 'M', seasonal_adjustment: 'Not Seasonally Adjusted', seasonal_adjustment_short: 'NSA', stepMonths: 1, value: (i) => Math.max(0.08, 2.5 + 2.4 * Math.sin(i / 30)) },
  { id: 'DGS10', title: 'Market Yield on U.S. Treasury Securities at 10-Year Constant Maturity, Quoted on an Investment Basis', units: 'Percent', units_short: '%', frequency: 'Daily', frequency_short: 'D', seasonal_adjustment: 'Not Seasonally Adjusted', seasonal_adjustment_short: 'NSA', stepMonths: 0, value: (i) => 3 + Math.sin(i / 90) + 0.2 * Math.sin(i / 7) },
];

/** The first observation of every fixture series. */
export const FRED_FIXTURE_START = '2000-01-01';
const DAY_MS = 86_400_000;

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Holidays of the daily series (FRED sends "." for them): New Year's Day, Independence Day, Christmas. */
const isHoliday = (d: Date) => {
  const md = `${d.getUTCMonth() + 1}-${d.getUTCDate()}`;
  return md === '1-1' || md === '7-4' || md === '12-25';
};

/** The series' observations up to `today` (a monthly or quarterly value appears a month after its period ends). */
export function fixtureObservations(s: FixtureSeries, today: number): { date: string; value: string }[] {
  const out: { date: string; value: string }[] = [];
  const start = Date.parse(`${FRED_FIXTURE_START}T00:00:00Z`);
  if (s.stepMonths === 0) {
    for (let t = start, i = 0; t < today - DAY_MS; t += DAY_MS) {
      const d = new Date(t);
      if (d.getUTCDay() === 0 || d.getUTCDay() === 6) continue;
      out.push({ date: iso(t), value: isHoliday(d) ? '.' : s.value(i).toFixed(2) });
      i++;
    }
    return out;
  }
  for (let i = 0; ; i++) {
    const d = new Date(start);
    d.setUTCMonth(d.getUTCMonth() + i * s.stepMonths);
    const published = new Date(d);
    published.setUTCMonth(published.getUTCMonth() + s.stepMonths + 1);
    if (published.getTime() > today) break;
    out.push({ date: iso(d.getTime()), value: s.value(i).toFixed(s.id === 'GDP' ? 3 : 2) });
  }
  return out;
}

export async function startFredFixtureServer(opts: FredFixtureOptions): Promise<FredFixtureServer> {
  const now = opts.now ?? Date.now;
  const requests: { path: string; params: Record<string, string> }[] = [];
  const served: number[] = [];

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, status: number, message: string) => json(res, status, { error_code: status, error_message: message });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const params = Object.fromEntries(url.searchParams);
    requests.push({ path: url.pathname, params });
    const t = now();
    if (opts.perMinute !== undefined) {
      while (served.length && served[0]! <= t - 60_000) served.shift();
      if (served.length >= opts.perMinute) return fail(res, 429, 'Too Many Requests.  Exceeded Rate Limit');
      served.push(t);
    }
    if (url.pathname !== '/fred/series' && url.pathname !== '/fred/series/observations') return fail(res, 404, 'Not Found');
    // FRED's own texts and order of checks: the key first, then the parameters.
    const key = params['api_key'];
    if (!key) return fail(res, 400, 'Bad Request.  Variable api_key is not set.  Read https://fred.stlouisfed.org/docs/api/api_key.html for more information.');
    if (!/^[a-z0-9]{32}$/.test(key)) return fail(res, 400, 'Bad Request.  Variable api_key is not a 32 character alpha-numeric lower-case string.  Read https://fred.stlouisfed.org/docs/api/api_key.html for more information.');
    if (key !== opts.apiKey) return fail(res, 400, 'Bad Request.  The value for variable api_key is not registered.  Read https://fred.stlouisfed.org/docs/api/api_key.html for more information.');
    if (params['file_type'] !== 'json') return fail(res, 400, 'Bad Request.  This fixture speaks file_type=json only.');
    const s = FRED_FIXTURE_SERIES.find((x) => x.id === (params['series_id'] ?? '').toUpperCase());
    if (!s) return fail(res, 400, 'Bad Request.  The series does not exist.');
    const today = iso(t);
    const realtime = { realtime_start: params['realtime_start'] ?? today, realtime_end: params['realtime_end'] ?? today };
    const all = fixtureObservations(s, t);
    if (url.pathname === '/fred/series') {
      const { stepMonths: _s, value: _v, ...info } = s;
      return json(res, 200, {
        ...realtime,
        seriess: [{ ...realtime, ...info, observation_start: all[0]?.date ?? FRED_FIXTURE_START, observation_end: all.at(-1)?.date ?? FRED_FIXTURE_START, last_updated: `${today} 07:51:04-06`, popularity: 90, notes: `${s.title} (fixture).` }],
      });
    }
    const start = params['observation_start'] ?? '1776-07-04';
    const end = params['observation_end'] ?? '9999-12-31';
    const limit = Number(params['limit'] ?? 100_000);
    const offset = Number(params['offset'] ?? 0);
    let rows = all.filter((o) => o.date >= start && o.date <= end);
    if (params['sort_order'] === 'desc') rows = rows.reverse();
    json(res, 200, {
      ...realtime, observation_start: start, observation_end: end, units: params['units'] ?? 'lin', output_type: 1, file_type: 'json',
      order_by: 'observation_date', sort_order: params['sort_order'] ?? 'asc', count: rows.length, offset, limit,
      observations: rows.slice(offset, offset + limit).map((o) => ({ ...realtime, date: o.date, value: o.value })),
    });
  });
  const http = await listenLocal(server);
  return {
    url: http.url,
    requests,
    count: (path) => requests.filter((r) => !path || r.path === path).length,
    close: () => http.close(),
  };
}
