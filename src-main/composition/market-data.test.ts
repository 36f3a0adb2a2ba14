// The composition root's internet providers: keys entered through the contract reach them from the encrypted store,
// take effect at once and survive a restart; the endpoints come from config.yaml.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { createLogger } from '../logging';
import { ManualClock } from '../ports/clock';
import { startAlphaVantageFixtureServer, type AlphaVantageFixtureServer } from '../../tests/support/alphavantage-fixture-server';
import { startPolygonFixtureServer, type PolygonFixtureServer } from '../../tests/support/polygon-fixture-server';
import { expectProviderError } from '../../tests/support/provider-errors';
import { startYahooFixtureServer, type YahooFixtureServer } from '../../tests/support/yahoo-fixture-server';
import { EncryptedSettingsSecrets } from '../adapters/secrets/encrypted-settings';
import { openSqliteStore } from '../adapters/sqlite/store';
import { parseConfig } from '../config/config';
import type { DataProvider } from '../ports/data-provider';
import { createInternetProviders } from './market-data';

const NOW = Date.UTC(2026, 10, 20, 18);
const clock = new ManualClock(NOW);
let av: AlphaVantageFixtureServer;
let polygon: PolygonFixtureServer;
let yahoo: YahooFixtureServer;

beforeAll(async () => {
  av = await startAlphaVantageFixtureServer({ apiKey: 'AV-REAL-KEY', now: () => clock.now() });
  polygon = await startPolygonFixtureServer({ apiKey: 'PG-REAL-KEY', now: () => clock.now() });
  yahoo = await startYahooFixtureServer({ now: () => clock.now() });
});
afterAll(async () => {
  await Promise.all([av.close(), polygon.close(), yahoo.close()]);
});

describe('internet data providers with keys from the Secrets port', () => {
  it('no key → auth; a key set through settings.apiKeys.set works at once and after a restart; removed → auth again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'qc-providers-'));
    const config = parseConfig([
      'data_providers:',
      `  yahoo: { enabled: true, endpoint: ${yahoo.url} }`,
      `  alphavantage: { enabled: true, endpoint: ${av.url} }`,
      `  polygon: { enabled: true, endpoint: ${polygon.url} }`,
    ].join('\n'));
    const providersOn = (secrets: EncryptedSettingsSecrets) => {
      const list = createInternetProviders({ config, clock, secrets, logger: createLogger({ level: 'silent' }) });
      const byId = (id: string): DataProvider => list.find((p) => p.id === id)!;
      return { yahoo: byId('yahoo'), alphavantage: byId('alphavantage'), polygon: byId('polygon') };
    };
    let store = openSqliteStore({ file: join(dataDir, 'quant.db') });
    let providers = providersOn(new EncryptedSettingsSecrets(store.settings, join(dataDir, 'secrets.key')));
    expect((await expectProviderError(providers.alphavantage.quote('IBM'))).reason).toBe('auth');
    expect((await expectProviderError(providers.polygon.search!('aap'))).reason).toBe('auth');
    expect((await providers.yahoo.quote('AAPL')).source).toBe('yahoo'); // no key needed
    store.dispose();

    // Keys entered through the API of the running app (same data dir).
    const app = await createApp({ dataDir, transport: 'web', clock, logger: createLogger({ level: 'silent' }) });
    expect(await app.dispatch('settings.apiKeys.set', { provider: 'alphavantage', key: 'AV-REAL-KEY' })).toMatchObject({ ok: true });
    expect(await app.dispatch('settings.apiKeys.set', { provider: 'polygon', key: 'PG-REAL-KEY' })).toMatchObject({ ok: true });
    await app.dispose();

    store = openSqliteStore({ file: join(dataDir, 'quant.db') });
    const secrets = new EncryptedSettingsSecrets(store.settings, join(dataDir, 'secrets.key'));
    providers = providersOn(secrets);
    expect((await providers.alphavantage.quote('IBM')).source).toBe('alphavantage');
    expect(av.requests.at(-1)!['apikey']).toBe('AV-REAL-KEY');
    expect((await providers.polygon.search!('aap')).map((m) => m.symbol)).toEqual(['AAPL', 'AAPU']);
    await secrets.delete('apikey.polygon');
    expect((await expectProviderError(providers.polygon.search!('aap'))).reason).toBe('auth');
    store.dispose();
  });
});
