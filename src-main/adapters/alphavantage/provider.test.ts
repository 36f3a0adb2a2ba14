// The Alpha Vantage provider over real HTTP against the local Alpha Vantage fixture server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../ports/clock';
import { collectUnhandledRejections, expectProviderError } from '../../../tests/support/provider-errors';
import { startAlphaVantageFixtureServer, type AlphaVantageFixtureServer } from '../../../tests/support/alphavantage-fixture-server';
import { fixtureBars } from '../../../tests/support/yahoo-fixture-server';
import { ALPHA_VANTAGE_FREE_LIMITS, createAlphaVantageProvider } from './provider';

const KEY = 'AVFIXTUREKEY42';
const NOW = Date.UTC(2026, 10, 20, 18, 0); // Friday, 13:00 in New York (EST)
const nowSec = NOW / 1000;
const DAY = 86400;
const clock = new ManualClock(NOW);
let av: AlphaVantageFixtureServer;
let key: string | undefined = KEY;
// A generous limit on a shared, loaded machine; the hang test uses a short one.
const provider = (timeoutMs = 10_000) => createAlphaVantageProvider({ clock, baseUrl: av.url, apiKey: async () => key, timeoutMs });

const unhandled = collectUnhandledRejections();

beforeAll(async () => {
  av = await startAlphaVantageFixtureServer({ apiKey: KEY, now: () => clock.now() });
});
afterEach(() => {
  av.fault(null);
  key = KEY;
});
afterAll(async () => {
  await av.close();
  expect(await unhandled.stop()).toEqual([]);
});


describe('Alpha Vantage provider', () => {
  it('declares the free plan limits', () => {
    expect(provider().rateLimits).toBe(ALPHA_VANTAGE_FREE_LIMITS);
    expect(ALPHA_VANTAGE_FREE_LIMITS).toEqual([{ requests: 5, perMs: 60_000 }, { requests: 25, perMs: 86_400_000 }]);
  });

  it('daily bars (compact) in order, dated 00:00 UTC, with the key sent', async () => {
    const from = nowSec - 60 * DAY;
    const bars = await provider().history({ symbol: 'IBM', timeframe: '1d', from, to: nowSec });
    const sent = fixtureBars('IBM', '1d', nowSec - 160 * DAY, nowSec).filter((b) => Math.floor(b.time / DAY) * DAY >= from);
    expect(bars.length).toBe(sent.length);
    expect(bars.length).toBeGreaterThan(40);
    expect(bars.map((b) => b.time)).toEqual(sent.map((b) => Math.floor(b.time / DAY) * DAY));
    expect(bars[5]).toEqual({ time: Math.floor(sent[5]!.time / DAY) * DAY, open: sent[5]!.open, high: sent[5]!.high, low: sent[5]!.low, close: sent[5]!.close, volume: sent[5]!.volume });
    expect(av.requests.at(-1)).toMatchObject({ function: 'TIME_SERIES_DAILY', symbol: 'IBM', outputsize: 'compact', apikey: KEY });
  });

  it('intraday bars: New York wall-clock labels become UTC bar opens (EST and EDT), month by month for older ranges', async () => {
    const recent = await provider().history({ symbol: 'IBM', timeframe: '5m', from: nowSec - 3 * DAY, to: nowSec });
    expect(recent.length).toBe(fixtureBars('IBM', '5m', nowSec - 3 * DAY, nowSec).length);
    expect(recent[0]!.time % 300).toBe(0);
    // Session bars are 14:30–21:00 UTC in the generator: the conversion must land there exactly.
    expect(recent.every((b) => b.time % DAY >= 14.5 * 3600 && b.time % DAY < 21 * 3600)).toBe(true);
    expect(av.requests.at(-1)).toMatchObject({ function: 'TIME_SERIES_INTRADAY', interval: '5min', outputsize: 'full' });
    expect(av.requests.at(-1)!['month']).toBeUndefined();

    // July (EDT) and August: two month calls; times equal the generator's.
    const before = av.count('TIME_SERIES_INTRADAY');
    const from = Date.UTC(2026, 6, 20) / 1000;
    const to = Date.UTC(2026, 7, 10) / 1000;
    const hourly = await provider().history({ symbol: 'IBM', timeframe: '1h', from, to });
    expect(av.count('TIME_SERIES_INTRADAY') - before).toBe(2);
    expect(av.requests.slice(-2).map((r) => r['month'])).toEqual(['2026-07', '2026-08']);
    expect(hourly.map((b) => b.time)).toEqual(fixtureBars('IBM', '60m', from, to + 1).map((b) => b.time));
  });

  it('full daily history or adjusted prices on a free key → auth (premium), FX intraday likewise', async () => {
    const err = await expectProviderError(provider().history({ symbol: 'IBM', timeframe: '1d', from: nowSec - 800 * DAY, to: nowSec }), KEY);
    expect(err).toMatchObject({ reason: 'auth', message: expect.stringMatching(/premium/) });
    expect((await expectProviderError(provider().history({ symbol: 'IBM', timeframe: '1d', from: nowSec - 10 * DAY, to: nowSec, adjusted: true }), KEY)).reason).toBe('auth');
    expect((await expectProviderError(provider().history({ symbol: 'EURUSD', timeframe: '5m', from: nowSec - DAY, to: nowSec }), KEY)).reason).toBe('auth');
  });

  it('FX daily bars and FX quotes with bid/ask', async () => {
    const bars = await provider().history({ symbol: 'EURUSD', timeframe: '1d', from: nowSec - 20 * DAY, to: nowSec });
    expect(bars.length).toBeGreaterThan(10);
    expect(bars.every((b) => b.volume === 0 && b.open > 0.5 && b.open < 2)).toBe(true);
    expect(av.requests.at(-1)).toMatchObject({ function: 'FX_DAILY', from_symbol: 'EUR', to_symbol: 'USD' });
    const q = await provider().quote('EURUSD');
    expect(q).toMatchObject({ symbol: 'EURUSD', source: 'alphavantage', time: NOW });
    expect(q.ask - q.bid).toBeCloseTo(0.0001, 8);
  });

  it('a stock quote from GLOBAL_QUOTE: the last price, stamped no later than now', async () => {
    const q = await provider().quote('IBM');
    const day = fixtureBars('IBM', '1d', nowSec - 7 * DAY, nowSec).at(-1)!;
    expect(q).toEqual({ symbol: 'IBM', time: NOW, last: day.close, bid: day.close, ask: day.close, lastSize: 0, source: 'alphavantage' });
    clock.set(Date.UTC(2026, 10, 21, 12)); // Saturday: Friday's close at 16:00 New York = 21:00 UTC
    try {
      expect((await provider().quote('IBM')).time).toBe(Date.UTC(2026, 10, 20, 21));
    } finally {
      clock.set(NOW);
    }
    expect((await expectProviderError(provider().quote('NOSUCH'), KEY)).reason).toBe('not-found');
  });

  it('fundamentals from OVERVIEW with as-of dates (last close for price ratios, the latest quarter for statements)', async () => {
    const f = await provider().fundamentals!('IBM');
    const lastClose = Date.UTC(2026, 10, 19, 21); // Thursday 16:00 New York: Friday's close is still ahead at 13:00
    const quarter = Date.UTC(2026, 8, 30);
    expect(f).toMatchObject({
      symbol: 'IBM', source: 'alphavantage', currency: 'USD', fetchedAt: NOW, asOf: quarter, marketCap: 227775635000, pe: 36.38, forwardPe: 23.15,
      eps: 6.77, revenue: 63879000000, pb: 8.45, evEbitda: 19.13, roe: 0.234, debtToEquity: null, revenueGrowth: 0.015, earningsGrowth: -0.063, dividendYield: 0.0272,
    });
    expect(f.asOfs).toMatchObject({ pe: lastClose, marketCap: lastClose, eps: quarter, roe: quarter });
    expect(f.asOfs).not.toHaveProperty('debtToEquity');
    expect((await expectProviderError(provider().fundamentals!('NOSUCH'), KEY)).reason).toBe('not-found');
  });

  it('search', async () => {
    const hits = await provider().search!('ibm');
    expect(hits).toEqual([
      { symbol: 'IBM', name: 'International Business Machines Corp', exchange: 'United States', type: 'EQUITY', source: 'alphavantage' },
      { symbol: 'IBMN', name: 'iShares iBonds Dec 2026 Term Muni Bond ETF', exchange: 'United States', type: 'ETF', source: 'alphavantage' },
    ]);
    expect(await provider().search!('zzzz')).toEqual([]);
  });

  it('no key, or a wrong key → auth, without a request for the missing one', async () => {
    key = undefined;
    const before = av.count();
    expect(await expectProviderError(provider().quote('IBM'), KEY)).toMatchObject({ reason: 'auth', message: expect.stringMatching(/No Alpha Vantage API key/) });
    expect(av.count()).toBe(before);
    key = 'WRONGKEY';
    expect(await expectProviderError(provider().quote('IBM'), KEY)).toMatchObject({ reason: 'auth', message: expect.stringMatching(/rejected the API key/) });
  });

  it('HTTP 200 rate-limit answers → rate-limited: per minute (Note), per day (Information, quoting the key) until midnight UTC', async () => {
    av.fault({ type: 'note' }, 1);
    expect(await expectProviderError(provider().quote('IBM'), KEY)).toMatchObject({ reason: 'rate-limited', retryAfterMs: 60_000 });

    const limited = await startAlphaVantageFixtureServer({ apiKey: KEY, now: () => clock.now(), limits: { perMinute: 5, perDay: 7 } });
    try {
      const p = createAlphaVantageProvider({ clock, baseUrl: limited.url, apiKey: async () => KEY });
      for (let i = 0; i < 5; i++) await p.quote('IBM');
      const burst = await expectProviderError(p.quote('IBM'), KEY);
      expect(burst).toMatchObject({ reason: 'rate-limited', retryAfterMs: 60_000 });
      clock.advance(61_000);
      await p.quote('IBM');
      await p.quote('IBM');
      const daily = await expectProviderError(p.quote('IBM'), KEY);
      expect(daily).toMatchObject({ reason: 'rate-limited', message: expect.stringMatching(/daily/) });
      expect(daily.retryAfterMs).toBe(Date.UTC(2026, 10, 21) - clock.now());
    } finally {
      clock.set(NOW);
      await limited.close();
    }
  });

  it('HTTP errors, garbage, wrong shapes and a hang', async () => {
    av.fault({ type: 'status', status: 503, retryAfter: '20' }, 1);
    expect(await expectProviderError(provider().quote('IBM'), KEY)).toMatchObject({ reason: 'unavailable', retryAfterMs: 20_000 });
    av.fault({ type: 'status', status: 429 }, 1);
    expect((await expectProviderError(provider().quote('IBM'), KEY)).reason).toBe('rate-limited');
    av.fault({ type: 'garbage' });
    expect((await expectProviderError(provider().quote('IBM'), KEY)).reason).toBe('bad-data');
    av.fault({ type: 'schema-invalid' });
    for (const call of [() => provider().quote('IBM'), () => provider().quote('EURUSD'), () => provider().history({ symbol: 'IBM', timeframe: '1d', from: nowSec - 5 * DAY, to: nowSec }),
      () => provider().search!('ibm'), () => provider().fundamentals!('IBM')]) {
      expect((await expectProviderError(call(), KEY)).reason).toBe('bad-data');
    }
    av.fault({ type: 'hang' });
    expect((await expectProviderError(provider(400).quote('IBM'), KEY)).reason).toBe('timeout');
    const closing = provider();
    const pending = closing.quote('IBM');
    await new Promise((r) => setTimeout(r, 50));
    await closing.dispose();
    expect(await expectProviderError(pending, KEY)).toMatchObject({ reason: 'unavailable', message: 'The alphavantage provider is closed' });
    av.fault(null);
    await expect(provider().healthCheck()).resolves.toBeUndefined();
  });
});
