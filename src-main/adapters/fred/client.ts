// FRED (Federal Reserve Bank of St. Louis) as a MacroSource over its REST API: fred/series (what a series is) and
// fred/series/observations (its values), file_type=json. The key comes from the Secrets port on every call, travels only
// as the api_key query parameter, and never appears in an error or a log. Requests are paced to FRED's published limit
// (120 a minute) on the injected clock and timers; FRED's own 429 is still read, in case another client shares the key.
import { z } from 'zod';
import type { MacroObservation, MacroSeriesInfo } from '../../../src-shared/api/macro';
import { SlidingWindowLimit } from '../../domain/sliding-window';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import { MacroSourceError, type MacroSource } from '../../ports/macro';
import { realTimers, type Timers } from '../../ports/timers';
import { deadline, parseRetryAfter, redactUrls } from '../provider-http';

export interface FredOptions {
  clock: Clock;
  timers?: Timers;
  /** Read on every call (the Secrets port); undefined ⇒ the call fails with reason auth. */
  apiKey: () => Promise<string | undefined>;
  /** Default https://api.stlouisfed.org; tests: the fixture server. */
  baseUrl?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Requests in any rolling minute; default FRED's published 120. */
  perMinute?: number;
}

export const FRED_PER_MINUTE = 120;
/** FRED answers 429 without Retry-After; its window is a minute. */
const RATE_LIMITED_WAIT_MS = 60_000;

const SeriesInfoJson = z.object({
  seriess: z.array(z.object({
    id: z.string(),
    title: z.string(),
    units: z.string(),
    units_short: z.string().default(''),
    frequency: z.string(),
    seasonal_adjustment_short: z.string().default(''),
    last_updated: z.string(),
  })).min(1),
});
const ObservationsJson = z.object({
  count: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  observations: z.array(z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), value: z.string() })),
});
const ErrorJson = z.object({ error_code: z.number(), error_message: z.string() });

/** FRED's page size for observations is at most 100,000: one page covers every series but the longest daily ones. */
const PAGE = 100_000;

export interface FredClient extends MacroSource, Disposable {}

export function createFredClient(opts: FredOptions): FredClient {
  const baseUrl = (opts.baseUrl ?? 'https://api.stlouisfed.org').replace(/\/$/, '');
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const timers = opts.timers ?? realTimers;
  const doFetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const window = new SlidingWindowLimit(opts.perMinute ?? FRED_PER_MINUTE, 60_000);
  const closed = new AbortController();
  // Callers wait their turn in order: a request that waited is not overtaken by one that arrived later.
  let queue: Promise<void> = Promise.resolve();

  function turn(signal: AbortSignal): Promise<void> {
    const mine = queue.then(() => new Promise<void>((resolve, reject) => {
      const go = () => {
        if (signal.aborted) return reject(signal.reason);
        const wait = window.waitMs(opts.clock.now());
        if (wait === 0) {
          window.record(opts.clock.now());
          return resolve();
        }
        const onAbort = () => {
          cancel();
          reject(signal.reason);
        };
        // The listener leaves with the timer: the client's own signal lives as long as the client.
        const cancel = timers.after(wait, () => {
          signal.removeEventListener('abort', onAbort);
          go();
        });
        signal.addEventListener('abort', onAbort, { once: true });
      };
      go();
    }));
    queue = mine.catch(() => undefined);
    return mine;
  }

  async function get(path: string, params: Record<string, string>, what: string, caller?: AbortSignal): Promise<unknown> {
    if (closed.signal.aborted) throw new MacroSourceError('unavailable', 'The FRED client is closed');
    const signal = caller ? AbortSignal.any([caller, closed.signal]) : closed.signal;
    const key = await opts.apiKey();
    if (!key) throw new MacroSourceError('auth', 'No FRED API key: enter one in Settings → Data providers (free at fredaccount.stlouisfed.org)');
    await turn(signal);
    const url = `${baseUrl}/fred/${path}?${new URLSearchParams({ ...params, api_key: key, file_type: 'json' })}`;
    const d = deadline(timeoutMs, signal);
    let status: number;
    let body: unknown;
    let retryAfter: string | null;
    try {
      const res = await doFetch(url, { signal: d.signal, headers: { accept: 'application/json' } });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      const text = await res.text();
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    } catch (err) {
      if (caller?.aborted) throw caller.reason;
      if (d.timedOut()) throw new MacroSourceError('timeout', `${what}: FRED did not answer within ${timeoutMs} ms`);
      const message = err instanceof Error ? (err.cause instanceof Error ? `${err.message} (${err.cause.message})` : err.message) : String(err);
      throw new MacroSourceError('unavailable', `${what}: ${redactUrls(message).split(key).join('…')}`);
    } finally {
      d.dispose();
    }
    if (status >= 400) throw errorOf(status, body, retryAfter, what, key);
    if (body === undefined) throw new MacroSourceError('bad-data', `${what}: FRED's answer is not JSON`);
    return body;
  }

  /** FRED's errors: HTTP 400 with {error_code, error_message} for a bad key or an unknown series, 429 over the limit. */
  function errorOf(status: number, body: unknown, retryAfter: string | null, what: string, key: string): MacroSourceError {
    const parsed = ErrorJson.safeParse(body);
    const text = parsed.success ? redactUrls(parsed.data.error_message).split(key).join('…').replace(/\s+/g, ' ').replace(/ ?Read https?:\S+.*$/, '').trim() : '';
    if (status === 429) {
      return new MacroSourceError('rate-limited', `${what}: FRED's request limit is reached`, parseRetryAfter(retryAfter, opts.clock.now()) ?? RATE_LIMITED_WAIT_MS);
    }
    if (/api_key/i.test(text) || status === 401 || status === 403) return new MacroSourceError('auth', `${what}: FRED refused the API key${text ? ` (${text})` : ''}`);
    if (/does not exist/i.test(text) || status === 404) return new MacroSourceError('not-found', `${what}: FRED has no such series`);
    if (status === 400) return new MacroSourceError('bad-data', `${what}: FRED refused the request${text ? ` (${text})` : ''}`);
    return new MacroSourceError('unavailable', `${what}: FRED answered HTTP ${status}${text ? ` (${text})` : ''}`);
  }

  return {
    async info(seriesId, signal) {
      const what = `series ${seriesId}`;
      const r = SeriesInfoJson.safeParse(await get('series', { series_id: seriesId }, what, signal));
      if (!r.success) throw new MacroSourceError('bad-data', `${what}: FRED's answer is not a series description`);
      const s = r.data.seriess[0]!;
      return {
        id: s.id, title: s.title, units: s.units, unitsShort: s.units_short, frequency: s.frequency,
        seasonalAdjustment: s.seasonal_adjustment_short, lastUpdated: s.last_updated,
      } satisfies MacroSeriesInfo;
    },

    async observations(seriesId, o = {}) {
      const what = `observations ${seriesId}`;
      const out: MacroObservation[] = [];
      for (let offset = 0; ; offset += PAGE) {
        const params: Record<string, string> = { series_id: seriesId, sort_order: 'asc', limit: String(PAGE), offset: String(offset) };
        if (o.from) params['observation_start'] = o.from;
        const r = ObservationsJson.safeParse(await get('series/observations', params, what, o.signal));
        if (!r.success) throw new MacroSourceError('bad-data', `${what}: FRED's answer is not a list of observations`);
        for (const ob of r.data.observations) {
          // FRED writes a missing value as "." (a holiday in a daily series, a period not yet published).
          const value = ob.value === '.' ? null : Number(ob.value);
          if (value !== null && !Number.isFinite(value)) throw new MacroSourceError('bad-data', `${what}: an unreadable value "${ob.value.slice(0, 20)}" on ${ob.date}`);
          out.push({ date: ob.date, value });
        }
        if (r.data.observations.length < PAGE || offset + PAGE >= r.data.count) return out;
      }
    },

    dispose() {
      closed.abort(new MacroSourceError('unavailable', 'The FRED client is closed'));
    },
  };
}
