// The OANDA venue through the app's composition root and the contract: registered from config.yaml, the token from the
// secrets store, connected beside the paper account, trading, and neither token nor account id in settings or logs.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { EncryptedSettingsSecrets } from '../../src-main/adapters/secrets/encrypted-settings';
import { startOandaSim, SIM_ACCOUNT, SIM_TOKEN, type RunningOandaSim } from '../support/oanda-sim-process';
import { SIM_ARGS, waitUntil } from './harness';

let app: App | undefined;
let sim: RunningOandaSim | undefined;

afterEach(async () => {
  await app?.dispose();
  await sim?.stop();
  app = sim = undefined;
});

async function call(a: App, method: string, params: unknown = {}): Promise<unknown> {
  const r = await a.dispatch(method, params);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.result;
}

describe('OANDA in the app', () => {
  it('connects with the token from the secrets store beside paper, trades, and keeps token and account id out of settings and logs', async () => {
    sim = await startOandaSim(SIM_ARGS);
    const dataDir = mkdtempSync(join(tmpdir(), 'qc-oanda-app-'));
    let secrets: EncryptedSettingsSecrets | undefined;
    app = await createApp({ dataDir, transport: 'web', secrets: (settings) => (secrets = new EncryptedSettingsSecrets(settings, join(dataDir, 'secrets.key'))) });
    expect((await call(app, 'venues.list')) as { id: string }[]).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'oanda', label: 'OANDA' })]));

    await expect(call(app, 'venues.connect', { venue: 'oanda', settings: { base_url: sim.url } })).rejects.toThrow(/No OANDA API token/);
    await secrets!.set('apikey.oanda', SIM_TOKEN);
    await expect(call(app, 'venues.connect', { venue: 'oanda', settings: { base_url: sim.url, environment: 'live' } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await call(app, 'venues.connect', { venue: 'oanda', settings: { base_url: sim.url } })).toMatchObject({ broker: 'oanda', mode: 'paper' });
    type Account = { accountId: string; venue: string; label: string; status: { ready: boolean } };
    await waitUntil('the OANDA account ready', async () => ((await call(app!, 'accounts.list')) as Account[]).some((a) => a.venue === 'oanda' && a.status.ready), 10_000);
    const accounts = (await call(app, 'accounts.list')) as Account[];
    expect(accounts.map((a) => a.venue).sort()).toEqual(['oanda', 'paper']);
    const oanda = accounts.find((a) => a.venue === 'oanda')!;
    expect(oanda.label).toBe('OANDA 101-•••-001');

    await waitUntil('a EURUSD quote', async () => ((await call(app!, 'quotes.snapshot')) as { symbol: string }[]).some((q) => q.symbol === 'EURUSD'), 10_000);
    const placed = (await call(app, 'orders.place', { accountId: oanda.accountId, symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 1_000, timeInForce: 'day' })) as { rejection: unknown };
    expect(placed.rejection).toBeNull();
    await waitUntil('the fill', async () => ((await call(app!, 'fills.list', { accountId: oanda.accountId })) as unknown[]).length === 1, 10_000);
    expect(await call(app, 'positions.list', { accountId: oanda.accountId })).toEqual([expect.objectContaining({ symbol: 'EURUSD', quantity: 1_000 })]);

    expect(await call(app, 'venues.settings', { venue: 'oanda' })).toMatchObject({ account_id: '', environment: 'practice', base_url: sim.url });
    await app.dispose();
    app = undefined;
    const logs = readdirSync(join(dataDir, 'logs')).map((f) => readFileSync(join(dataDir, 'logs', f), 'utf8')).join('\n');
    expect(logs).toContain('OANDA: connected');
    expect(logs).not.toContain(SIM_TOKEN);
    expect(logs).not.toContain(SIM_ACCOUNT);
  });

  it('the token is set through the contract into the secrets store and only its state comes back; the venue describes its settings form', async () => {
    sim = await startOandaSim(SIM_ARGS);
    const dataDir = mkdtempSync(join(tmpdir(), 'qc-oanda-token-'));
    let secrets: EncryptedSettingsSecrets | undefined;
    app = await createApp({ dataDir, transport: 'web', secrets: (settings) => (secrets = new EncryptedSettingsSecrets(settings, join(dataDir, 'secrets.key'))) });
    type Info = { id: string; settingsFields: { key: string; kind: string; liveValue?: string }[]; secret: { label: string } | null };
    const venues = (await call(app, 'venues.list')) as Info[];
    const oanda = venues.find((v) => v.id === 'oanda')!;
    expect(oanda.settingsFields.map((f) => f.key)).toEqual(['environment', 'account_id', 'base_url', 'stream_url', 'auto_connect']);
    expect(oanda.settingsFields[0]).toMatchObject({ kind: 'select', liveValue: 'live' });
    expect(oanda.secret).toMatchObject({ label: 'API token' });
    expect(venues.find((v) => v.id === 'paper')!.secret).toBeNull();

    expect(await call(app, 'venues.secret.status', { venue: 'oanda' })).toEqual({ set: false });
    await expect(call(app, 'venues.secret.set', { venue: 'paper', value: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(call(app, 'venues.secret.set', { venue: 'oanda', value: 'has space' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await call(app, 'venues.secret.set', { venue: 'oanda', value: SIM_TOKEN })).toEqual({ ok: true });
    expect(await secrets!.get('apikey.oanda')).toBe(SIM_TOKEN);
    expect(await call(app, 'venues.secret.status', { venue: 'oanda' })).toEqual({ set: true });
    expect(await call(app, 'venues.connect', { venue: 'oanda', settings: { base_url: sim.url } })).toMatchObject({ broker: 'oanda', mode: 'paper' });
    // Nothing the renderer can read holds the token; an answer that would quote it is scrubbed.
    const seen = JSON.stringify([await call(app, 'venues.list'), await call(app, 'venues.settings', { venue: 'oanda' }), await call(app, 'accounts.list')]);
    expect(seen).not.toContain(SIM_TOKEN);
    const echoed = await app.dispatch('venues.connect', { venue: 'oanda', settings: { base_url: `http://${SIM_TOKEN}.invalid` } }).catch((e: unknown) => e);
    expect(JSON.stringify(echoed)).toContain(`"endpoint":"[redacted].invalid"`);
    expect(await call(app, 'venues.secret.set', { venue: 'oanda', value: null })).toEqual({ ok: true });
    expect(await call(app, 'venues.secret.status', { venue: 'oanda' })).toEqual({ set: false });
  });
});
