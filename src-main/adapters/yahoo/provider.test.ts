// The Yahoo provider over real HTTP against the local Yahoo fixture server (yahoo-finance2 unmodified in between).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../ports/clock';
import { collectUnhandledRejections, expectProviderError } from '../../../tests/support/provider-errors';
import type { DataProvider } from '../../ports/data-provider';
import { startYahooFixtureServer, type YahooFixtureServer } from '../../../tests/support/yahoo-fixture-server';
import { createYahooProvider } from './provider';

const NOW = Date.UTC(2026, 10, 20, 18, 0); // Friday 20 Nov 2026, 18:00 UTC: US market open
const nowSec = NOW / 1000;
const DAY = 86400;
const clock = new ManualClock(NOW);
let yahoo: YahooFixtureServer;
let provider: DataProvider;
const unhandled = collectUnhandledRejections();

beforeAll(async () => {
  yahoo = await startYahooFixtureServer({
    now: () => clock.now(),
    events: {
      NVDA: {
        splits: [{ time: Date.UTC(2026, 5, 10, 13, 30) / 1000, numerator: 10, denominator: 1 }],
        dividends: [{ time: Date.UTC(2026, 2, 5, 14, 30) / 1000, amount: 0.04 }, { time: Date.UTC(2026, 8, 11, 13, 30) / 1000, amount: 0.01 }],
      },
    },
  });
  // A generous limit on a shared, loaded machine; the hang test uses its own short one.
  provider = createYahooProvider({ clock, fetch: yahoo.fetch, timeoutMs: 10_000 });
});
afterEach(() => yahoo.fault(null));
afterAll(async () => {
  await provider.dispose();
  await yahoo.close();
  expect(await unhandled.stop()).toEqual([]);
});


describe('Yahoo provider: data', () => {
  it('daily history: one bar per trading day at 00:00 UTC of the exchange date, matching what Yahoo sent', async () => {
    const from = nowSec - 30 * DAY;
    const bars = await provider.history({ symbol: 'AAPL', timeframe: '1d', from, to: nowSec });
    const sent = yahoo.bars('AAPL', '1d', from, nowSec + 1);
    expect(bars).toHaveLength(sent.length);
    expect(bars.length).toBeGreaterThanOrEqual(20);
    for (const [i, b] of bars.entries()) {
      expect(b.time % DAY).toBe(0);
      expect(b.time).toBe(Math.floor((sent[i]!.time - 5 * 3600) / DAY) * DAY);
      expect(b).toMatchObject({ open: sent[i]!.open, high: sent[i]!.high, low: sent[i]!.low, close: sent[i]!.close, volume: sent[i]!.volume });
      expect([0, 6]).not.toContain(new Date(b.time * 1000).getUTCDay());
    }
    const chartCall = yahoo.requests.findLast((r) => r.endpoint === 'chart')!;
    expect(chartCall.path).toBe('/v8/finance/chart/AAPL');
    expect(chartCall.params).toMatchObject({ interval: '1d', includePrePost: 'false' });
  });

  it('1m history over 20 days is fetched in chunks of at most 7 days and comes back whole, sorted, without duplicates', async () => {
    const before = yahoo.count('chart');
    const from = nowSec - 20 * DAY;
    const bars = await provider.history({ symbol: 'BTCUSD', timeframe: '1m', from, to: nowSec });
    // Three 1m chunks, and one daily request for the splits that raw prices need.
    expect(yahoo.count('chart') - before).toBe(4);
    const calls = yahoo.requests.filter((x) => x.endpoint === 'chart').slice(-4);
    for (const r of calls.slice(0, 3)) {
      expect(r).toMatchObject({ path: '/v8/finance/chart/BTC-USD', params: { interval: '1m' } });
      expect(Number(r.params['period2']) - Number(r.params['period1'])).toBeLessThanOrEqual(7 * DAY);
    }
    expect(calls[3]!.params).toMatchObject({ interval: '1d', events: 'split', period1: String(from) });
    expect(bars).toHaveLength(20 * 24 * 60); // crypto trades around the clock; the minute starting now has not begun
    expect(bars[0]!.time).toBe(from);
    expect(bars.at(-1)!.time).toBe(nowSec - 60);
    for (let i = 1; i < bars.length; i++) expect(bars[i]!.time - bars[i - 1]!.time).toBe(60);
  });

  it('1m history older than Yahoo keeps is clamped to the last 30 days, or refused as not-found when wholly older', async () => {
    const bars = await provider.history({ symbol: 'EURUSD', timeframe: '1m', from: nowSec - 45 * DAY, to: nowSec - 25 * DAY });
    expect(bars.length).toBeGreaterThan(0);
    expect(bars[0]!.time).toBeGreaterThanOrEqual(nowSec - 30 * DAY);
    expect(yahoo.requests.findLast((r) => r.endpoint === 'chart')!.path).toBe('/v8/finance/chart/EURUSD=X');
    const err = await expectProviderError(provider.history({ symbol: 'EURUSD', timeframe: '1m', from: nowSec - 60 * DAY, to: nowSec - 40 * DAY }));
    expect(err.reason).toBe('not-found');
    expect(err.message).toMatch(/1m bars for 30 days only/);
  });

  it('5m and 1h history: session bars only for an equity, inside the requested range', async () => {
    const from = nowSec - 5 * DAY;
    const five = await provider.history({ symbol: 'MSFT', timeframe: '5m', from, to: nowSec });
    expect(five.length).toBe(yahoo.bars('MSFT', '5m', from, nowSec + 1).length);
    expect(five.every((b) => b.time % 300 === 0 && b.time >= from && b.time <= nowSec)).toBe(true);
    expect(five.every((b) => { const s = b.time % DAY; return s >= 14.5 * 3600 && s < 21 * 3600; })).toBe(true);
    const hourly = await provider.history({ symbol: 'US500', timeframe: '1h', from: nowSec - 400 * DAY, to: nowSec });
    expect(yahoo.requests.findLast((r) => r.endpoint === 'chart' && r.params['interval'] === '60m')!.path).toBe('/v8/finance/chart/^GSPC');
    expect(hourly.length).toBeGreaterThan(250 * 6);
    expect(hourly.every((b) => b.time % 3600 === 0 && b.high >= Math.max(b.open, b.close) && b.low <= Math.min(b.open, b.close))).toBe(true);
  });

  it('raw prices undo Yahoo\'s split adjustment before each split (volume too); adjusted prices follow adjclose', async () => {
    const from = Date.UTC(2026, 4, 1) / 1000;
    const to = Date.UTC(2026, 6, 31) / 1000;
    const split = Date.UTC(2026, 5, 10) / 1000; // NVDA 10:1, ex-date 10 June
    const raw = await provider.history({ symbol: 'NVDA', timeframe: '1d', from, to });
    const sent = yahoo.bars('NVDA', '1d', from, to + 1);
    expect(raw).toHaveLength(sent.length);
    for (const [i, b] of raw.entries()) {
      const k = b.time < split ? 10 : 1;
      expect(b.close).toBeCloseTo(sent[i]!.close * k, 9);
      expect(b.open).toBeCloseTo(sent[i]!.open * k, 9);
      expect(b.volume).toBe(Math.round(sent[i]!.volume / k));
    }
    // The window ends before today: one more request fetched the splits since (none here, but it must be asked).
    expect(yahoo.requests.findLast((r) => r.endpoint === 'chart')!.params).toMatchObject({ events: 'split', period1: String(to) });
    const minutes = await provider.history({ symbol: 'NVDA', timeframe: '1h', from: split - 3 * DAY, to: split + 3 * DAY });
    expect(minutes.filter((b) => b.time < split).every((b) => b.close > 5 * yahoo.bars('NVDA', '60m', b.time, b.time + 1)[0]!.close)).toBe(true);
    expect(minutes.filter((b) => b.time >= split).every((b) => b.close === yahoo.bars('NVDA', '60m', b.time, b.time + 1)[0]!.close)).toBe(true);

    const adjusted = await provider.history({ symbol: 'NVDA', timeframe: '1d', from, to, adjusted: true });
    const exDiv = Date.UTC(2026, 8, 11) / 1000; // the 0.01 dividend after the window: every bar is scaled down a little
    expect(exDiv).toBeGreaterThan(to);
    for (const [i, b] of adjusted.entries()) {
      expect(b.close).toBeLessThan(sent[i]!.close);
      expect(b.close).toBeGreaterThan(sent[i]!.close * 0.999);
    }
  });

  it('a quote: our symbol, Yahoo\'s bid/ask/last and its time', async () => {
    const q = await provider.quote('EURUSD');
    expect(q).toMatchObject({ symbol: 'EURUSD', source: 'yahoo', time: NOW, lastSize: 0 });
    expect(q.bid).toBeLessThan(q.ask);
    expect(q.last).toBeGreaterThan(q.bid);
    expect(q.last).toBeLessThan(q.ask);
    const gold = await provider.quote('XAUUSD');
    expect(gold.symbol).toBe('XAUUSD');
    expect(yahoo.requests.findLast((r) => r.endpoint === 'quote')!.params['symbols']).toBe('GC=F');
    // The cookie/crumb handshake happened once and the crumb went along with the quote.
    expect(yahoo.count('cookie')).toBe(1);
    expect(yahoo.count('crumb')).toBe(1);
    expect(yahoo.requests.findLast((r) => r.endpoint === 'quote')!.params['crumb']).toBe('fixtureCrumb123');
  });

  it('fundamentals: every figure, with the quote time or the reported quarter as its as-of date', async () => {
    const f = await provider.fundamentals!('AAPL');
    const quarterEnd = Date.UTC(2026, 8, 30);
    expect(f).toMatchObject({ symbol: 'AAPL', source: 'yahoo', fetchedAt: NOW, currency: 'USD', asOf: quarterEnd, pb: 45.2, evEbitda: 26.1, roe: 1.5191,
      revenue: 416161005568, revenueGrowth: 0.079, earningsGrowth: 0.912, dividendYield: 0.0044 });
    expect(f.debtToEquity).toBeCloseTo(1.52411, 10);
    expect(f.pe! * f.eps!).toBeCloseTo(210, -1);
    expect(f.forwardPe).toBeLessThan(f.pe!);
    expect(f.marketCap).toBeGreaterThan(1e12);
    expect(f.asOfs).toEqual({
      marketCap: NOW, pe: NOW, forwardPe: NOW, pb: NOW, evEbitda: NOW, dividendYield: NOW,
      eps: quarterEnd, revenue: quarterEnd, roe: quarterEnd, debtToEquity: quarterEnd, revenueGrowth: quarterEnd, earningsGrowth: quarterEnd,
    });
    expect(yahoo.requests.findLast((r) => r.endpoint === 'quoteSummary')!.params['modules']).toBe('price,summaryDetail,defaultKeyStatistics,financialData');
  });

  it('profile: sector, industry and country from assetProfile, the asset class from the quote type', async () => {
    expect(await provider.profile!('AAPL')).toEqual({ sector: 'Technology', industry: 'Consumer Electronics', country: 'United States', assetClass: 'Equity' });
    expect(yahoo.requests.findLast((r) => r.endpoint === 'quoteSummary')!.params['modules']).toBe('assetProfile,price');
    // An ETF has no sector at Yahoo: only its asset class comes back.
    expect(await provider.profile!('SPY')).toEqual({ assetClass: 'ETF' });
    expect((await expectProviderError(provider.profile!('NOSUCHCO'))).reason).toBe('not-found');
  });

  it('search maps Yahoo symbols back to ours', async () => {
    const apps = await provider.search!('app');
    expect(apps.map((m) => m.symbol)).toEqual(['AAPL', 'APP']);
    expect(apps[0]).toEqual({ symbol: 'AAPL', name: 'Apple Inc.', exchange: 'NMS', type: 'EQUITY', source: 'yahoo' });
    expect((await provider.search!('eur')).map((m) => m.symbol)).toEqual(['EURUSD']);
    expect((await provider.search!('S&P')).map((m) => m.symbol)).toEqual(['SPY', 'US500']);
    expect(await provider.search!('   ')).toEqual([]);
  });

  it('splits and dividends from the chart events, on their ex-dates', async () => {
    const actions = await provider.corporateActions!('NVDA', Date.UTC(2026, 0, 1) / 1000, Date.UTC(2026, 10, 1) / 1000);
    expect(actions).toEqual([
      { kind: 'dividend', symbol: 'NVDA', time: Date.UTC(2026, 2, 5) / 1000, amount: 0.04 },
      { kind: 'split', symbol: 'NVDA', time: Date.UTC(2026, 5, 10) / 1000, ratio: 10 },
      { kind: 'dividend', symbol: 'NVDA', time: Date.UTC(2026, 8, 11) / 1000, amount: 0.01 },
    ]);
    expect(yahoo.requests.findLast((r) => r.endpoint === 'chart')!.params['events']).toBe('div|split');
    // Outside the range: nothing.
    expect(await provider.corporateActions!('NVDA', Date.UTC(2026, 6, 1) / 1000, Date.UTC(2026, 7, 1) / 1000)).toEqual([]);
  });

  it('health check answers', async () => {
    await expect(provider.healthCheck()).resolves.toBeUndefined();
  });
});

describe('Yahoo provider: failures become ProviderErrors', () => {
  const day = { symbol: 'AAPL', timeframe: '1d' as const, from: nowSec - 10 * DAY, to: nowSec };

  it('HTTP 429 → rate-limited, with Retry-After when sent (seconds or a date)', async () => {
    yahoo.fault({ type: 'status', status: 429, retryAfter: '7' }, { times: 1 });
    let err = await expectProviderError(provider.history(day));
    expect(err).toMatchObject({ provider: 'yahoo', reason: 'rate-limited', retryAfterMs: 7000 });
    yahoo.fault({ type: 'status', status: 429, retryAfter: new Date(NOW + 90_000).toUTCString() }, { times: 1 });
    err = await expectProviderError(provider.quote('AAPL'));
    expect(err).toMatchObject({ reason: 'rate-limited', retryAfterMs: 90_000 });
    yahoo.fault({ type: 'status', status: 429 }, { times: 1 });
    err = await expectProviderError(provider.fundamentals!('AAPL'));
    expect(err.reason).toBe('rate-limited');
    expect(err.retryAfterMs).toBeUndefined();
    // The fault was used up: the next call works.
    expect((await provider.history(day)).length).toBeGreaterThan(0);
  });

  it('HTTP 500 and 503 → unavailable', async () => {
    yahoo.fault({ type: 'status', status: 500 });
    expect((await expectProviderError(provider.history(day))).reason).toBe('unavailable');
    expect((await expectProviderError(provider.quote('AAPL'))).reason).toBe('unavailable');
    expect((await expectProviderError(provider.search!('app'))).reason).toBe('unavailable');
    yahoo.fault({ type: 'status', status: 503, retryAfter: '30' });
    expect(await expectProviderError(provider.fundamentals!('MSFT'))).toMatchObject({ reason: 'unavailable', retryAfterMs: 30_000 });
  });

  it('garbage and schema-invalid answers → bad-data, on every endpoint', async () => {
    for (const type of ['garbage', 'schema-invalid'] as const) {
      yahoo.fault({ type });
      const calls = [() => provider.history(day), () => provider.quote('AAPL'), () => provider.fundamentals!('AAPL'), () => provider.search!('app'), () => provider.corporateActions!('AAPL', day.from, day.to)];
      for (const call of calls) {
        const err = await expectProviderError(call());
        expect(err.reason, `${type}: ${err.message}`).toBe('bad-data');
      }
    }
  });

  it('a hang → timeout after the configured time, and the provider still works afterwards', async () => {
    const impatient = createYahooProvider({ clock, fetch: yahoo.fetch, timeoutMs: 400 });
    yahoo.fault({ type: 'hang' }, { endpoint: 'chart' });
    const t0 = Date.now();
    const err = await expectProviderError(impatient.history(day));
    expect(err.reason).toBe('timeout');
    expect(err.message).toMatch(/did not answer within 400 ms/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
    yahoo.fault(null);
    expect((await impatient.history(day)).length).toBeGreaterThan(0);
    await impatient.dispose();
  });

  it('a slow answer inside the time limit is fine; a caller abort passes through as the caller\'s reason', async () => {
    yahoo.fault({ type: 'slow', ms: 150 }, { times: 1 });
    expect((await provider.quote('MSFT')).symbol).toBe('MSFT');
    yahoo.fault({ type: 'hang' });
    const controller = new AbortController();
    const pending = provider.quote('MSFT', controller.signal);
    setTimeout(() => controller.abort(new Error('user closed the chart')), 50);
    await expect(pending).rejects.toThrow('user closed the chart');
  });

  it('dispose aborts a request in flight with unavailable, and refuses new ones', async () => {
    const short = createYahooProvider({ clock, fetch: yahoo.fetch });
    yahoo.fault({ type: 'hang' });
    const pending = short.history(day);
    await new Promise((r) => setTimeout(r, 50));
    await short.dispose();
    expect(await expectProviderError(pending)).toMatchObject({ reason: 'unavailable', message: 'The yahoo provider is closed' });
    expect((await expectProviderError(short.quote('AAPL'))).reason).toBe('unavailable');
  });

  it('an unknown symbol → not-found on history, quote and fundamentals', async () => {
    expect((await expectProviderError(provider.history({ ...day, symbol: 'NOSUCHCO' }))).reason).toBe('not-found');
    expect((await expectProviderError(provider.quote('NOSUCHCO'))).reason).toBe('not-found');
    expect((await expectProviderError(provider.fundamentals!('NOSUCHCO'))).reason).toBe('not-found');
  });

  it('a rejected crumb starts a new session once; a server that is gone → unavailable', async () => {
    await provider.quote('AAPL'); // a session exists
    const cookies = yahoo.count('cookie');
    yahoo.fault({ type: 'status', status: 401, body: '{"finance":{"result":null,"error":{"code":"Unauthorized","description":"Invalid Crumb"}}}' }, { endpoint: 'quote', times: 1 });
    expect((await provider.quote('AAPL')).symbol).toBe('AAPL');
    expect(yahoo.count('cookie')).toBe(cookies + 1);
    expect(yahoo.requests.slice(-4).map((r) => r.endpoint)).toEqual(['quote', 'cookie', 'crumb', 'quote']);

    const gone = await startYahooFixtureServer({ now: () => clock.now() });
    const lonely = createYahooProvider({ clock, fetch: gone.fetch, timeoutMs: 2000 });
    await gone.close();
    const err = await expectProviderError(lonely.history(day));
    expect(err.reason).toBe('unavailable');
    await lonely.dispose();
  });
});
