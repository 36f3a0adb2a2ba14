// The MetaTrader 5 venue through the app's composition root and the contract: registered from config.yaml (server),
// the password from the secrets store, connected beside the paper account through the real bridge on the stand-in
// package (PYTHONPATH, inherited by the bridge), trading, and neither password nor account number in settings, answers
// or logs.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { EncryptedSettingsSecrets } from '../../src-main/adapters/secrets/encrypted-settings';
import { standIn, STAND_IN_LOGIN, STAND_IN_PASSWORD, waitUntil } from './harness';

let app: App | undefined;
const saved = { ...process.env };

afterEach(async () => {
  await app?.dispose();
  app = undefined;
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
});

async function call(a: App, method: string, params: unknown = {}): Promise<unknown> {
  const r = await a.dispatch(method, params);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.result;
}

describe('MetaTrader 5 in the app', () => {
  it('connects with the password from the secrets store beside paper, trades, and keeps password and account number out of settings, answers and logs', async () => {
    const terminal = standIn();
    Object.assign(process.env, terminal.env);
    const dataDir = mkdtempSync(join(tmpdir(), 'qc-mt5-app-'));
    writeFileSync(join(dataDir, 'config.yaml'), 'brokers:\n  mt5:\n    server: StandIn-Demo\n');
    let secrets: EncryptedSettingsSecrets | undefined;
    app = await createApp({ dataDir, transport: 'web', secrets: (settings) => (secrets = new EncryptedSettingsSecrets(settings, join(dataDir, 'secrets.key'))) });
    type Info = { id: string; label: string; settingsFields: { key: string }[]; secret: { label: string } | null };
    const info = ((await call(app, 'venues.list')) as Info[]).find((v) => v.id === 'mt5')!;
    expect(info).toMatchObject({ label: 'MetaTrader 5', secret: { label: 'Account password' } });
    expect(info.settingsFields.map((f) => f.key)).toEqual(['login', 'server', 'terminal_path', 'python', 'auto_connect']);

    expect(await call(app, 'venues.secret.set', { venue: 'mt5', value: STAND_IN_PASSWORD })).toEqual({ ok: true });
    expect(await secrets!.get('password.mt5')).toBe(STAND_IN_PASSWORD);
    expect(await call(app, 'venues.connect', { venue: 'mt5', settings: { login: STAND_IN_LOGIN } })).toMatchObject({ broker: 'mt5', mode: 'paper' });
    type Account = { accountId: string; venue: string; label: string; status: { ready: boolean } };
    await waitUntil('the MT5 account ready', async () => ((await call(app!, 'accounts.list')) as Account[]).some((a) => a.venue === 'mt5' && a.status.ready), 15_000);
    const accounts = (await call(app, 'accounts.list')) as Account[];
    expect(accounts.map((a) => a.venue).sort()).toEqual(['mt5', 'paper']);
    const mt5 = accounts.find((a) => a.venue === 'mt5')!;
    expect(mt5.label).toBe('MT5 ••345');

    // The first prices are read before the account counts as connected: the risk gate has a price at once.
    const placed = (await call(app, 'orders.place', { accountId: mt5.accountId, symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 1_000, timeInForce: 'day' })) as { rejection: unknown };
    expect(placed.rejection).toBeNull();
    await waitUntil('the fill', async () => ((await call(app!, 'fills.list', { accountId: mt5.accountId })) as unknown[]).length === 1, 10_000);
    expect(await call(app, 'positions.list', { accountId: mt5.accountId })).toEqual([expect.objectContaining({ symbol: 'EURUSD', quantity: 1_000 })]);
    expect(terminal.state().deals.map((d) => [d.symbol, d.volume])).toEqual([['EURUSD', 0.01]]);

    expect(await call(app, 'venues.settings', { venue: 'mt5' })).toMatchObject({ login: '', server: 'StandIn-Demo' });
    const seen = JSON.stringify([await call(app, 'venues.list'), await call(app, 'venues.settings', { venue: 'mt5' }), await call(app, 'accounts.list')]);
    for (const s of [STAND_IN_PASSWORD, STAND_IN_LOGIN]) expect(seen).not.toContain(s);
    expect(readFileSync(join(dataDir, 'config.yaml'), 'utf8')).not.toContain(STAND_IN_PASSWORD);
    await app.dispose();
    app = undefined;
    const logs = readdirSync(join(dataDir, 'logs')).map((f) => readFileSync(join(dataDir, 'logs', f), 'utf8')).join('\n');
    for (const s of [STAND_IN_PASSWORD, STAND_IN_LOGIN]) expect(logs).not.toContain(s);
  });
});
