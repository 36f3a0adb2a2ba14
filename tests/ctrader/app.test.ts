// The cTrader venue through the app's composition root and the contract: registered from config.yaml, the credential
// from the secrets store, connected beside the paper account, trading, and neither secret nor account id in settings,
// answers or logs.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { EncryptedSettingsSecrets } from '../../src-main/adapters/secrets/encrypted-settings';
import { CT_ACCESS_TOKEN, CT_ACCOUNT, CT_CLIENT_ID, CT_CLIENT_SECRET, CT_CREDENTIALS, startCtraderSim, type RunningCtraderSim } from '../support/ctrader-sim-process';
import { SIM_ARGS, waitUntil } from './harness';

let app: App | undefined;
let sim: RunningCtraderSim | undefined;

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

describe('cTrader in the app', () => {
  it('connects with the credential from the secrets store beside paper (client id from config.yaml), trades, and keeps secrets and account id out of settings, answers and logs', async () => {
    sim = await startCtraderSim(SIM_ARGS);
    const dataDir = mkdtempSync(join(tmpdir(), 'qc-ctrader-app-'));
    writeFileSync(join(dataDir, 'config.yaml'), `brokers:\n  ctrader:\n    client_id: ${CT_CLIENT_ID}\n`);
    let secrets: EncryptedSettingsSecrets | undefined;
    app = await createApp({ dataDir, transport: 'web', secrets: (settings) => (secrets = new EncryptedSettingsSecrets(settings, join(dataDir, 'secrets.key'))) });
    type Info = { id: string; label: string; settingsFields: { key: string }[]; secret: { label: string } | null };
    const info = ((await call(app, 'venues.list')) as Info[]).find((v) => v.id === 'ctrader')!;
    expect(info).toMatchObject({ label: 'cTrader', secret: { label: 'Client secret and access token' } });
    expect(info.settingsFields.map((f) => f.key)).toEqual(['environment', 'client_id', 'account_id', 'url', 'symbols', 'auto_connect']);

    await expect(call(app, 'venues.connect', { venue: 'ctrader', settings: { url: sim.url } })).rejects.toThrow(/No cTrader credentials/);
    expect(await call(app, 'venues.secret.set', { venue: 'ctrader', value: CT_CREDENTIALS })).toEqual({ ok: true });
    expect(await secrets!.get('ctrader.credentials')).toBe(CT_CREDENTIALS);
    await expect(call(app, 'venues.connect', { venue: 'ctrader', settings: { url: sim.url, environment: 'live' } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await call(app, 'venues.connect', { venue: 'ctrader', settings: { url: sim.url } })).toMatchObject({ broker: 'ctrader', mode: 'paper' });
    type Account = { accountId: string; venue: string; label: string; status: { ready: boolean } };
    await waitUntil('the cTrader account ready', async () => ((await call(app!, 'accounts.list')) as Account[]).some((a) => a.venue === 'ctrader' && a.status.ready), 10_000);
    const accounts = (await call(app, 'accounts.list')) as Account[];
    expect(accounts.map((a) => a.venue).sort()).toEqual(['ctrader', 'paper']);
    const ct = accounts.find((a) => a.venue === 'ctrader')!;
    expect(ct.label).toBe('cTrader ••••456');

    const placed = (await call(app, 'orders.place', { accountId: ct.accountId, symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 1_000, timeInForce: 'day' })) as { rejection: unknown };
    expect(placed.rejection).toBeNull();
    await waitUntil('the fill', async () => ((await call(app!, 'fills.list', { accountId: ct.accountId })) as unknown[]).length === 1, 10_000);
    expect(await call(app, 'positions.list', { accountId: ct.accountId })).toEqual([expect.objectContaining({ symbol: 'EURUSD', quantity: 1_000 })]);

    expect(await call(app, 'venues.settings', { venue: 'ctrader' })).toMatchObject({ account_id: '', environment: 'demo', client_id: CT_CLIENT_ID, url: sim.url });
    const seen = JSON.stringify([await call(app, 'venues.list'), await call(app, 'venues.settings', { venue: 'ctrader' }), await call(app, 'accounts.list')]);
    for (const s of [CT_CLIENT_SECRET, CT_ACCESS_TOKEN, String(CT_ACCOUNT)]) expect(seen).not.toContain(s);
    await app.dispose();
    app = undefined;
    const logs = readdirSync(join(dataDir, 'logs')).map((f) => readFileSync(join(dataDir, 'logs', f), 'utf8')).join('\n');
    expect(logs).toContain('cTrader: connected');
    for (const s of [CT_CLIENT_SECRET, CT_ACCESS_TOKEN, String(CT_ACCOUNT)]) expect(logs).not.toContain(s);
  });
});
