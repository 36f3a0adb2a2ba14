// data.fundamentals through the real app on a SQLite file, Yahoo (the local fixture server) first and Alpha Vantage
// (its fixture, keyed through settings.apiKeys) behind it: stored with their as-of dates, served from the store within
// maxAge without a request, refreshed when older, failures reported per symbol, kept across a restart.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { openPostgresStore } from '../../src-main/adapters/postgres/store';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';
import { createLogger } from '../../src-main/logging';
import { ManualClock } from '../../src-main/ports/clock';
import type { FundamentalsEntry } from '../../src-shared/api/contract';
import { startAlphaVantageFixtureServer, type AlphaVantageFixtureServer } from '../support/alphavantage-fixture-server';
import { startPgCluster, type PgCluster } from '../support/pg-cluster';
import { startYahooFixtureServer, type YahooFixtureServer } from '../support/yahoo-fixture-server';

const HOUR = 3_600_000;
const clock = new ManualClock(Date.UTC(2026, 0, 7, 15));
let yahoo: YahooFixtureServer;
let av: AlphaVantageFixtureServer;
let dataDir: string;
let app: App;
let cluster: PgCluster | undefined;

const start = () => createApp({ dataDir, transport: 'web', clock, logger: createLogger({ dir: join(dataDir, 'logs') }) });
async function fundamentals(symbols: string[], maxAgeHours?: number): Promise<FundamentalsEntry[]> {
  const r = await app.dispatch('data.fundamentals', { symbols, maxAgeHours });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.result as FundamentalsEntry[];
}
const summaries = () => yahoo.count('quoteSummary');

beforeAll(async () => {
  yahoo = await startYahooFixtureServer({ now: () => clock.now() });
  av = await startAlphaVantageFixtureServer({ apiKey: 'AVTESTKEY', now: () => clock.now() });
  dataDir = mkdtempSync(join(tmpdir(), 'qc-fundamentals-'));
  writeFileSync(join(dataDir, 'config.yaml'), `
data_providers:
  yahoo: { endpoint: "${yahoo.url}", rate_limit: 2000, timeout: 5, retry_attempts: 0 }
  alphavantage: { enabled: true, endpoint: "${av.url}", rate_limit: 2000, timeout: 5, retry_attempts: 0 }
api_strategy:
  primary_data: yahoo
  circuit_breaker: { failure_threshold: 50, open_for: 1 }
  priority: { quotes: [yahoo, demo], bars: [yahoo, demo], fundamentals: [yahoo, alphavantage] }
`);
  app = await start();
  expect(await app.dispatch('settings.apiKeys.set', { provider: 'alphavantage', key: 'AVTESTKEY' })).toMatchObject({ ok: true });
});

afterAll(async () => {
  await app?.dispose();
  await yahoo?.close();
  await av?.close();
  await cluster?.stop();
});

describe('data.fundamentals', () => {
  it('fetches through Yahoo and stores with as-of dates; an unknown symbol fails alone', async () => {
    const list = await fundamentals(['AAPL', 'msft', 'NOSUCH1']);
    expect(list.map((e) => [e.symbol, e.status])).toEqual([['AAPL', 'fetched'], ['MSFT', 'fetched'], ['NOSUCH1', 'failed']]);
    const aapl = list[0]!;
    expect(aapl).toMatchObject({ source: 'yahoo', fetchedAt: clock.now(), error: null });
    expect(aapl.asOf).toBeLessThanOrEqual(clock.now());
    expect(Object.keys(aapl.asOfs).length).toBeGreaterThan(0);
    expect(aapl.asOf).toBe(Math.min(...Object.values(aapl.asOfs)));
    expect(aapl.figures?.marketCap).toBeGreaterThan(0);
    expect(list[2]).toMatchObject({ source: null, figures: null, error: expect.stringMatching(/NOSUCH1/) });

    const store = openSqliteStore({ file: join(dataDir, 'quant.db') });
    try {
      const stored = await store.fundamentals.get(['AAPL', 'MSFT', 'NOSUCH1']);
      expect(stored.map((f) => f.symbol).sort()).toEqual(['AAPL', 'MSFT']);
      expect(stored.find((f) => f.symbol === 'AAPL')).toMatchObject({ source: 'yahoo', asOf: aapl.asOf, fetchedAt: aapl.fetchedAt, asOfs: aapl.asOfs, marketCap: aapl.figures!.marketCap });
    } finally {
      await store.dispose();
    }
  });

  it('within maxAge the store answers without a request; older entries are refreshed', async () => {
    const before = summaries();
    clock.advance(5 * HOUR);
    const cached = await fundamentals(['AAPL', 'MSFT'], 24);
    expect(cached.map((e) => e.status)).toEqual(['cached', 'cached']);
    expect(summaries()).toBe(before);
    const refreshed = await fundamentals(['AAPL'], 2);
    expect(refreshed[0]).toMatchObject({ status: 'fetched', source: 'yahoo', fetchedAt: clock.now() });
    expect(summaries()).toBe(before + 1);
  });

  it('Yahoo failing: Alpha Vantage (keyed) serves; with every source failing, the stored figures come back as stale', async () => {
    const overviews = av.count('OVERVIEW'); // NOSUCH1 was asked there too, after Yahoo
    yahoo.fault({ type: 'status', status: 503 }, { endpoint: 'quoteSummary' });
    clock.advance(30 * HOUR);
    const [aapl] = await fundamentals(['AAPL']);
    expect(aapl).toMatchObject({ status: 'fetched', source: 'alphavantage', fetchedAt: clock.now() });
    expect(av.count('OVERVIEW')).toBe(overviews + 1);
    expect(av.requests.at(-1)?.['apikey']).toBe('AVTESTKEY');

    av.fault({ type: 'status', status: 503 });
    clock.advance(30 * HOUR);
    const [stale] = await fundamentals(['AAPL']);
    expect(stale).toMatchObject({ status: 'stale', source: 'alphavantage', fetchedAt: aapl!.fetchedAt, error: expect.any(String) });
    yahoo.fault(null);
    av.fault(null);
  });

  it('the cache survives a restart (no request for a fresh entry)', async () => {
    await fundamentals(['MSFT'], 1000);
    await app.dispose();
    app = await start();
    const before = summaries();
    const [msft] = await fundamentals(['MSFT'], 1000);
    expect(msft!.status).toBe('cached');
    expect(summaries()).toBe(before);
  });

  it('the PostgreSQL store keeps the same row', async () => {
    cluster = await startPgCluster();
    const pg = await openPostgresStore({ url: cluster.url });
    try {
      const f = { symbol: 'AAPL', source: 'yahoo' as const, asOf: 1, fetchedAt: 2, currency: 'USD', marketCap: 3e12, pe: 30.5, forwardPe: null, eps: 6.1, revenue: null, pb: null, evEbitda: null, roe: 0.25, debtToEquity: 1.52, revenueGrowth: null, earningsGrowth: null, dividendYield: 0.0044, asOfs: { pe: 2, eps: 1 } };
      await pg.fundamentals.upsert(f);
      await pg.fundamentals.upsert({ ...f, pe: 31 });
      expect(await pg.fundamentals.get(['AAPL', 'NONE'])).toEqual([{ ...f, pe: 31 }]);
    } finally {
      await pg.dispose();
    }
  });
});
