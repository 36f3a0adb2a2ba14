// The Polygon provider over real HTTP against the local Polygon fixture server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../ports/clock';
import { collectUnhandledRejections, expectProviderError } from '../../../tests/support/provider-errors';
import { startPolygonFixtureServer, type PolygonFixtureServer } from '../../../tests/support/polygon-fixture-server';
import { fixtureBars } from '../../../tests/support/yahoo-fixture-server';
import { createPolygonProvider, fromPolygonTicker, POLYGON_FREE_LIMITS, toPolygonTicker } from './provider';

const KEY = 'PGFIXTUREKEY_9x8y7z';
const NOW = Date.UTC(2026, 10, 20, 18, 0); // Friday, 13:00 in New York
const nowSec = NOW / 1000;
const DAY = 86400;
const clock = new ManualClock(NOW);
let free: PolygonFixtureServer; // free plan: no snapshots, small pages to exercise next_url
let paid: PolygonFixtureServer;
let key: string | undefined = KEY;
const provider = (server = free, timeoutMs = 10_000) => createPolygonProvider({ clock, baseUrl: server.url, apiKey: async () => key, timeoutMs });

const unhandled = collectUnhandledRejections();

beforeAll(async () => {
  free = await startPolygonFixtureServer({ apiKey: KEY, now: () => clock.now(), pageSize: 500 });
  paid = await startPolygonFixtureServer({ apiKey: KEY, now: () => clock.now(), snapshots: true });
});
afterEach(() => {
  free.fault(null);
  key = KEY;
});
afterAll(async () => {
  await free.close();
  await paid.close();
  expect(await unhandled.stop()).toEqual([]);
});


describe('Polygon provider', () => {
  it('maps tickers and declares the free plan limit', () => {
    expect([toPolygonTicker('EURUSD'), toPolygonTicker('BTCUSD'), toPolygonTicker('US500'), toPolygonTicker('XAUUSD'), toPolygonTicker('AAPL')])
      .toEqual(['C:EURUSD', 'X:BTCUSD', 'I:SPX', 'C:XAUUSD', 'AAPL']);
    expect([fromPolygonTicker('C:EURUSD'), fromPolygonTicker('X:BTCUSD'), fromPolygonTicker('I:SPX')]).toEqual(['EURUSD', 'BTCUSD', 'US500']);
    expect(provider().rateLimits).toEqual([{ requests: 5, perMs: 60_000 }]);
    expect(POLYGON_FREE_LIMITS).toBe(provider().rateLimits);
  });

  it('minute bars across several next_url pages, whole and in order, the key on every page', async () => {
    const from = nowSec - 2 * DAY;
    const bars = await provider().history({ symbol: 'BTCUSD', timeframe: '1m', from, to: nowSec });
    const expected = fixtureBars('BTC-USD', '1m', from, nowSec);
    expect(bars.map((b) => b.time)).toEqual(expected.map((b) => b.time));
    expect(bars[100]).toEqual({ time: expected[100]!.time, open: expected[100]!.open, high: expected[100]!.high, low: expected[100]!.low, close: expected[100]!.close, volume: expected[100]!.volume });
    const pages = free.requests.filter((r) => r.path.startsWith('/v2/aggs/ticker/X:BTCUSD/range/1/minute'));
    expect(pages.length).toBe(Math.ceil(expected.length / 500));
    expect(pages.every((r) => r.params['apiKey'] === KEY)).toBe(true);
    expect(pages.slice(1).every((r) => r.params['cursor'] !== undefined)).toBe(true);
  });

  it('daily stock bars are New York days dated 00:00 UTC; 5m and 1h bars keep their open time', async () => {
    const from = Date.UTC(2026, 9, 1) / 1000;
    const days = await provider().history({ symbol: 'AAPL', timeframe: '1d', from, to: nowSec });
    expect(days.map((b) => b.time)).toEqual(fixtureBars('AAPL', '1d', from, nowSec).map((b) => Math.floor(b.time / DAY) * DAY));
    expect(free.requests.at(-1)!.path).toBe(`/v2/aggs/ticker/AAPL/range/1/day/${(from + 4 * 3600) * 1000}/${nowSec * 1000}`); // midnight New York (EDT) on 1 Oct
    const five = await provider().history({ symbol: 'AAPL', timeframe: '5m', from: nowSec - DAY, to: nowSec });
    expect(five.every((b) => b.time % 300 === 0)).toBe(true);
    expect(five.length).toBe(fixtureBars('AAPL', '5m', nowSec - DAY, nowSec).length);
    const hours = await provider().history({ symbol: 'EURUSD', timeframe: '1h', from: nowSec - 3 * DAY, to: nowSec });
    expect(hours.length).toBe(fixtureBars('EURUSD=X', '60m', nowSec - 3 * DAY, nowSec).length);
    expect(free.requests.at(-1)!.path).toMatch(/^\/v2\/aggs\/ticker\/C:EURUSD\/range\/1\/hour\//);
  });

  it('quotes: the snapshot on a paid plan (nanosecond times), the previous close on the free plan (403 → /prev)', async () => {
    const q = await provider(paid).quote('AAPL');
    expect(q).toMatchObject({ symbol: 'AAPL', source: 'polygon', lastSize: 100, time: NOW - 2000 });
    expect(q.ask - q.bid).toBeCloseTo(0.04, 8);
    const fx = await provider(paid).quote('EURUSD');
    expect(fx).toMatchObject({ symbol: 'EURUSD', time: NOW });
    expect(fx.ask - fx.bid).toBeCloseTo(0.0002, 8);
    expect(paid.requests.at(-1)!.path).toBe('/v2/snapshot/locale/global/markets/forex/tickers/C:EURUSD');

    const prev = await provider(free).quote('AAPL');
    expect(free.requests.slice(-2).map((r) => r.path)).toEqual(['/v2/snapshot/locale/us/markets/stocks/tickers/AAPL', '/v2/aggs/ticker/AAPL/prev']);
    // Thursday's close, 16:00 New York = 21:00 UTC.
    expect(prev).toMatchObject({ symbol: 'AAPL', time: Date.UTC(2026, 10, 19, 21), lastSize: 0 });
    expect(prev.last).toBe(fixtureBars('AAPL', '1d', nowSec - 3 * DAY, Date.UTC(2026, 10, 20) / 1000).at(-1)!.close);
    expect((await expectProviderError(provider(paid).quote('NOSUCH'), KEY)).reason).toBe('not-found');
    expect((await expectProviderError(provider(free).quote('NOSUCH'), KEY)).reason).toBe('not-found');
  });

  it('search maps tickers back to ours', async () => {
    expect(await provider().search!('aap')).toEqual([
      { symbol: 'AAPL', name: 'Apple Inc.', exchange: 'XNAS', type: 'CS', source: 'polygon' },
      { symbol: 'AAPU', name: 'Direxion Daily AAPL Bull 2X Shares', exchange: 'XNAS', type: 'ETF', source: 'polygon' },
    ]);
    expect((await provider().search!('euro')).map((m) => [m.symbol, m.type])).toEqual([['EURUSD', 'FX']]);
  });

  it('splits and dividends within the range', async () => {
    const actions = await provider().corporateActions!('AAPL', Date.UTC(2020, 0, 1) / 1000, Date.UTC(2026, 5, 30) / 1000);
    expect(actions).toEqual([
      { kind: 'split', symbol: 'AAPL', time: Date.UTC(2020, 7, 31) / 1000, ratio: 4 },
      { kind: 'dividend', symbol: 'AAPL', time: Date.UTC(2026, 1, 9) / 1000, amount: 0.26 },
      { kind: 'dividend', symbol: 'AAPL', time: Date.UTC(2026, 4, 11) / 1000, amount: 0.26 },
    ]);
  });

  it('no key → auth without a request; a wrong key → 401 → auth', async () => {
    key = undefined;
    const before = free.count();
    expect((await expectProviderError(provider().quote('AAPL'), KEY)).reason).toBe('auth');
    expect(free.count()).toBe(before);
    key = 'WRONG';
    expect(await expectProviderError(provider().history({ symbol: 'AAPL', timeframe: '1d', from: nowSec - 5 * DAY, to: nowSec }), KEY))
      .toMatchObject({ reason: 'auth', message: expect.stringMatching(/rejected the API key/) });
  });

  it('the 5/min limit → 429 → rate-limited with a minute to wait; recovers after a minute', async () => {
    const limited = await startPolygonFixtureServer({ apiKey: KEY, now: () => clock.now(), perMinute: 5 });
    try {
      const p = provider(limited);
      for (let i = 0; i < 5; i++) await p.search!('aap');
      expect(await expectProviderError(p.search!('aap'), KEY)).toMatchObject({ reason: 'rate-limited', retryAfterMs: 60_000 });
      clock.advance(60_001);
      expect((await p.search!('aap')).length).toBe(2);
    } finally {
      clock.set(NOW);
      await limited.close();
    }
    free.fault({ type: 'status', status: 429, retryAfter: '12' }, 1);
    expect(await expectProviderError(provider().search!('aap'), KEY)).toMatchObject({ reason: 'rate-limited', retryAfterMs: 12_000 });
  });

  it('5xx, garbage, wrong shapes and a hang', async () => {
    free.fault({ type: 'status', status: 502 }, 1);
    expect((await expectProviderError(provider().history({ symbol: 'AAPL', timeframe: '1d', from: nowSec - 5 * DAY, to: nowSec }), KEY)).reason).toBe('unavailable');
    free.fault({ type: 'garbage' });
    expect((await expectProviderError(provider().search!('aap'), KEY)).reason).toBe('bad-data');
    free.fault({ type: 'schema-invalid' });
    for (const call of [() => provider().history({ symbol: 'AAPL', timeframe: '1d', from: nowSec - 5 * DAY, to: nowSec }), () => provider(free).quote('AAPL'), () => provider().corporateActions!('AAPL', 0, nowSec)]) {
      const err = await expectProviderError(call(), KEY);
      expect(err.reason, err.message).toBe('bad-data');
    }
    free.fault({ type: 'hang' });
    expect((await expectProviderError(provider(free, 400).healthCheck(), KEY)).reason).toBe('timeout');
    const closing = provider(free);
    const pending = closing.quote('AAPL');
    await new Promise((r) => setTimeout(r, 50));
    await closing.dispose();
    expect(await expectProviderError(pending, KEY)).toMatchObject({ reason: 'unavailable', message: 'The polygon provider is closed' });
    free.fault(null);
    await expect(provider().healthCheck()).resolves.toBeUndefined();
  });
});
