// bars.history through the real app with Yahoo as the configured primary (the local fixture server): the first request
// fills the SQLite bar store, the same range again is served from it, a wider one asks Yahoo only for what is missing.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';
import { createLogger } from '../../src-main/logging';
import { ManualClock } from '../../src-main/ports/clock';
import type { Bar } from '../../src-shared/domain/types';
import { startYahooFixtureServer, type YahooFixtureServer } from '../support/yahoo-fixture-server';

const clock = new ManualClock(Date.UTC(2026, 0, 7, 15));
let yahoo: YahooFixtureServer;
let app: App;
let dataDir: string;

/**
 * The chart requests for one symbol's bars: [period1, period2] as Yahoo got them. The provider's follow-up request for
 * later splits (to un-adjust raw prices) runs to now; the cache never asks for a bar still forming, so those are left out.
 */
const charts = (symbol: string) => yahoo.requests
  .filter((r) => r.endpoint === 'chart' && r.path.endsWith(`/${symbol}`) && Number(r.params['period2']) !== clock.now() / 1000)
  .map((r) => [Number(r.params['period1']), Number(r.params['period2'])] as const);

async function history(limit: number): Promise<Bar[]> {
  const r = await app.dispatch('bars.history', { symbol: 'AAPL', timeframe: '1d', limit });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.result as Bar[];
}

// No rate limit: the clock is manual, so a budget spent by the quote polls (real timers) would never refill, and a
// loaded machine that runs this file slowly would wait for it for ever.
beforeAll(async () => {
  yahoo = await startYahooFixtureServer({ now: () => clock.now() });
  dataDir = mkdtempSync(join(tmpdir(), 'qc-history-cache-'));
  writeFileSync(join(dataDir, 'config.yaml'), `
data_providers:
  yahoo: { endpoint: "${yahoo.url}", rate_limit: 0, timeout: 5, retry_attempts: 1 }
api_strategy:
  primary_data: yahoo
  priority: { quotes: [yahoo, demo], bars: [yahoo, demo] }
`);
  app = await createApp({ dataDir, transport: 'web', clock, logger: createLogger({ dir: join(dataDir, 'logs') }) });
});

afterAll(async () => {
  await app?.dispose();
  await yahoo?.close();
});

describe('bars.history through the bar cache', () => {
  it('the same range twice asks Yahoo once; a wider range asks only for the older part', async () => {
    const first = await history(40);
    expect(charts('AAPL')).toHaveLength(1);
    expect(first.length).toBeGreaterThan(30);
    expect(first.length).toBeLessThanOrEqual(40);
    expect(first.every((b, i) => i === 0 || b.time > first[i - 1]!.time)).toBe(true);
    const [firstFrom, firstTo] = charts('AAPL')[0]!;

    expect(await history(40)).toEqual(first);
    expect(charts('AAPL')).toHaveLength(1);

    const wider = await history(120);
    const asked = charts('AAPL').slice(1);
    expect(asked).toHaveLength(1);
    // Only before what was stored: it ends where the first request began (within a day), and never reaches today.
    expect(asked[0]![0]).toBeLessThan(firstFrom);
    expect(asked[0]![1]).toBeLessThanOrEqual(firstFrom + 86_400);
    expect(asked[0]![1]).toBeLessThan(firstTo);
    expect(wider.length).toBeGreaterThan(first.length);
    expect(wider.slice(-first.length)).toEqual(first);

    // The bars are in the SQLite file, with Yahoo as their source.
    const store = openSqliteStore({ file: join(dataDir, 'quant.db') });
    try {
      const stored = await store.bars.range('AAPL', '1d', wider[0]!.time, wider[wider.length - 1]!.time);
      expect(stored.map((b) => b.time)).toEqual(wider.map((b) => b.time));
    } finally {
      await store.dispose();
    }
  });

  it('minute bars older than Yahoo keeps: the recent ones are served and stored, the old range is not asked again', async () => {
    const minute = async () => {
      const r = await app.dispatch('bars.history', { symbol: 'MSFT', timeframe: '1m', limit: 12_000 });
      if (!r.ok) throw new Error(JSON.stringify(r));
      return r.result as Bar[];
    };
    const bars = await minute();
    const oldest = clock.now() / 1000 - 30 * 86_400;
    expect(bars.length).toBeGreaterThan(1000);
    expect(bars[0]!.time).toBeGreaterThanOrEqual(oldest);
    const asked = charts('MSFT').length;
    expect(await minute()).toEqual(bars);
    expect(charts('MSFT')).toHaveLength(asked);
  });

  it('bars of the demo market are not cached (they are generated, and must not pass for real ones)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-history-demo-'));
    const demoApp = await createApp({ dataDir: dir, transport: 'web', clock, logger: createLogger({ dir: join(dir, 'logs') }) });
    let bars: Bar[] = [];
    try {
      const r = await demoApp.dispatch('bars.history', { symbol: 'MSFT', timeframe: '1d', limit: 30 });
      if (r.ok) bars = r.result as Bar[];
    } finally {
      await demoApp.dispose();
    }
    expect(bars).toHaveLength(30);
    const store = openSqliteStore({ file: join(dir, 'quant.db') });
    try {
      expect(await store.bars.range('MSFT', '1d', 0, clock.now() / 1000)).toEqual([]);
    } finally {
      await store.dispose();
    }
  });
});
