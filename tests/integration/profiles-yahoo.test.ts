// Instrument profiles through the real app on a SQLite file with Yahoo (the local fixture server) as its data source:
// analytics.profiles fetches the asset profile through the failover manager, keeps it in the store, and ranks it above
// the demo market's and below the user's edit; a restart with Yahoo gone still answers from the store.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { createLogger } from '../../src-main/logging';
import { ManualClock } from '../../src-main/ports/clock';
import type { MergedProfile } from '../../src-shared/domain/profile';
import { startYahooFixtureServer, type YahooFixtureServer } from '../support/yahoo-fixture-server';

const clock = new ManualClock(Date.UTC(2026, 0, 7, 15));
let yahoo: YahooFixtureServer;
let dataDir: string;
let app: App;

const start = () => createApp({ dataDir, transport: 'web', clock, logger: createLogger({ dir: join(dataDir, 'logs') }) });
async function call<T>(method: string, params: unknown): Promise<T> {
  const r = await app.dispatch(method as never, params as never);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.result as T;
}

beforeAll(async () => {
  yahoo = await startYahooFixtureServer({ now: () => clock.now() });
  dataDir = mkdtempSync(join(tmpdir(), 'qc-profiles-yahoo-'));
  writeFileSync(join(dataDir, 'config.yaml'), `
data_providers:
  yahoo: { endpoint: "${yahoo.url}", rate_limit: 2000, timeout: 5, retry_attempts: 0 }
api_strategy:
  primary_data: yahoo
  circuit_breaker: { failure_threshold: 50, open_for: 1 }
  priority: { quotes: [yahoo, demo], bars: [yahoo, demo], fundamentals: [yahoo] }
`);
  app = await start();
});

afterAll(async () => {
  await app?.dispose();
  await yahoo?.close();
});

describe('analytics.profiles with Yahoo', () => {
  it('Yahoo\'s asset profile over the demo market\'s; a symbol the demo market lacks comes from Yahoo alone', async () => {
    const before = yahoo.count('quoteSummary');
    const [app_, jpm] = await call<MergedProfile[]>('analytics.profiles', { symbols: ['app', 'JPM'], refresh: true });
    expect(app_).toEqual({
      symbol: 'APP', sector: 'Technology', industry: 'Software - Application', assetClass: 'Equity', country: 'United States',
      sources: { sector: 'yahoo', industry: 'yahoo', assetClass: 'yahoo', country: 'yahoo' },
    });
    // JPM at the fixture gets one of its hashed profiles; every field Yahoo sends beats the demo market's banks.
    expect(jpm!.sources).toEqual({ sector: 'yahoo', industry: 'yahoo', assetClass: 'yahoo', country: 'yahoo' });
    expect(yahoo.count('quoteSummary')).toBe(before + 2);
    expect(yahoo.requests.findLast((r) => r.endpoint === 'quoteSummary')!.params['modules']).toBe('assetProfile,price');
    // Stored: asking again sends nothing to Yahoo.
    await call('analytics.profiles', { symbols: ['APP', 'JPM'], refresh: true });
    expect(yahoo.count('quoteSummary')).toBe(before + 2);
  });

  it('the user\'s edit wins over Yahoo and survives a restart with Yahoo gone', async () => {
    const edited = await call<MergedProfile>('analytics.profiles.set', { symbol: 'APP', sector: 'Advertising' });
    expect(edited).toMatchObject({ sector: 'Advertising', industry: 'Software - Application', sources: { sector: 'user', industry: 'yahoo' } });
    await app.dispose();
    await yahoo.close();
    app = await start();
    const [p] = await call<MergedProfile[]>('analytics.profiles', { symbols: ['APP'] });
    expect(p).toMatchObject({ sector: 'Advertising', industry: 'Software - Application', country: 'United States', sources: { sector: 'user', country: 'yahoo' } });
    const bad = await app.dispatch('analytics.profiles.set', { symbol: 'APP', sector: 'x'.repeat(81) });
    expect(bad.ok).toBe(false);
  });
});
