// The IB session through the app's composition root and the contract (dispatch + pushed events), on a SQLite data dir.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { createLogger } from '../../src-main/logging';
import type { TwsSimulator } from '../../tools/tws-sim/simulator';
import { FAST_TIMINGS, startSim, waitUntil } from './harness';

let app: App | undefined;
let sim: TwsSimulator | undefined;

afterEach(async () => {
  await app?.dispose();
  await sim?.close();
  app = sim = undefined;
});

async function call(a: App, method: string, params: unknown = {}): Promise<unknown> {
  const r = await a.dispatch(method, params);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.result;
}

/** The app's own file logger (data dir/logs), so the test can read what was logged. */
function boot(dataDir: string): Promise<App> {
  return createApp({ dataDir, transport: 'web', ibTimings: FAST_TIMINGS });
}

describe('IB session in the app', () => {
  it('starts on paper, connects to IB, trades, serves status, reconciliation and account values, and switches back', async () => {
    sim = await startSim();
    const dataDir = mkdtempSync(join(tmpdir(), 'qc-ib-app-'));
    app = await boot(dataDir);
    const events: string[] = [];
    app.hub.subscribe((name) => events.push(name));
    expect(await call(app, 'connection.status')).toMatchObject({ broker: 'paper', state: 'connected', ready: true });

    await expect(call(app, 'connection.connect', { port: sim.port, mode: 'live' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: /confirmLive/ });
    const status = await call(app, 'connection.connect', { port: sim.port, clientId: 11, account: 'DU1234567' });
    expect(status).toMatchObject({ broker: 'ib', endpoint: `127.0.0.1:${sim.port}`, clientId: 11, mode: 'paper' });
    await waitUntil('ready', async () => ((await call(app!, 'connection.status')) as { ready: boolean }).ready);
    await waitUntil('account values', async () => ((await call(app!, 'account.brokerValues')) as unknown[]).length > 5);
    expect(await call(app, 'connection.reconciliation')).toMatchObject({ clean: true });
    const values = (await call(app, 'account.brokerValues')) as { key: string; value: string; currency: string }[];
    expect(values.find((v) => v.key === 'NetLiquidation')!.value).toBe(sim.account().NetLiquidation);
    expect(await call(app, 'account.summary')).toMatchObject({ nav: sim.account().NetLiquidation });

    await waitUntil('a quote', async () => ((await call(app!, 'quotes.snapshot')) as unknown[]).length > 0);
    const placed = (await call(app, 'orders.place', { symbol: 'AAPL', side: 'buy', type: 'market', quantity: 3, timeInForce: 'day' })) as { order: { id: string }; rejection: unknown };
    expect(placed.rejection).toBeNull();
    await waitUntil('the fill', async () => ((await call(app!, 'fills.list')) as unknown[]).length === 1);
    expect(await call(app, 'positions.list')).toEqual([expect.objectContaining({ symbol: 'AAPL', quantity: 3 })]);
    expect(events).toEqual(expect.arrayContaining(['connection', 'reconciliation', 'account.brokerValues', 'order', 'fill']));

    // The settings are saved without the account; the account is never in the logs or the settings in plain text.
    expect(await call(app, 'connection.settings')).toMatchObject({ port: sim.port, clientId: 11, account: '' });
    expect(await call(app, 'connection.disconnect')).toMatchObject({ broker: 'paper', state: 'connected' });
    expect(await call(app, 'connection.reconciliation')).toBeNull();
    expect(await call(app, 'fills.list')).toEqual([]); // the paper account's fills
    await app.dispose();
    app = undefined;
    const db = readFileSync(join(dataDir, 'quant.db')).toString('latin1') + readFileSync(join(dataDir, 'quant.db-wal'), { flag: 'a+' }).toString('latin1');
    expect(db).not.toContain('DU1234567');
    for (const f of readdirSync(join(dataDir, 'logs'), { recursive: true }) as string[]) {
      expect(readFileSync(join(dataDir, 'logs', f), 'utf8')).not.toContain('DU1234567');
    }
  });

  it('instrument profiles come from IB\'s contract details while connected, above the demo market\'s, and stay stored', async () => {
    sim = await startSim();
    const dataDir = mkdtempSync(join(tmpdir(), 'qc-ib-profiles-'));
    // Offline and deterministic: no Yahoo, so IB and the demo market are the sources.
    writeFileSync(join(dataDir, 'config.yaml'), 'data_providers:\n  yahoo: { enabled: false }\n');
    app = await boot(dataDir);
    await call(app, 'connection.connect', { port: sim.port, clientId: 12, account: 'DU1234567' });
    await waitUntil('ready', async () => ((await call(app!, 'connection.status')) as { ready: boolean }).ready);
    const [aapl] = (await call(app, 'analytics.profiles', { symbols: ['AAPL'], refresh: true })) as { sector?: string; industry?: string; country?: string; sources: Record<string, string> }[];
    // IB: industry "Technology" → sector, category "Computers" → industry; IB has no country: the demo market's.
    expect(aapl).toMatchObject({
      sector: 'Technology', industry: 'Computers', assetClass: 'Equity', country: 'United States',
      sources: { sector: 'ib', industry: 'ib', assetClass: 'ib', country: 'demo' },
    });
    await call(app, 'connection.disconnect');
    const [again] = (await call(app, 'analytics.profiles', { symbols: ['AAPL'] })) as { industry?: string; sources: Record<string, string> }[];
    expect(again).toMatchObject({ industry: 'Computers', sources: { industry: 'ib' } });
  });

  it('autoConnect connects at start-up, and the same account is picked again without storing it', async () => {
    sim = await startSim();
    const dataDir = mkdtempSync(join(tmpdir(), 'qc-ib-app-'));
    app = await boot(dataDir);
    await call(app, 'connection.connect', { port: sim.port, autoConnect: true });
    await waitUntil('ready', async () => ((await call(app!, 'connection.status')) as { ready: boolean }).ready);
    await app.dispose();
    app = await boot(dataDir);
    await waitUntil('auto-connected', async () => ((await call(app!, 'connection.status')) as { broker: string; ready: boolean }).ready
      && ((await call(app!, 'connection.status')) as { broker: string }).broker === 'ib');
    expect(await call(app, 'connection.status')).toMatchObject({ accountLabel: 'DU••••567' });
  });

  it('a TWS that does not answer fails connect with a clear reason and keeps the paper session', async () => {
    sim = await startSim();
    const port = sim.port;
    await sim.close();
    sim = undefined;
    app = await createApp({
      dataDir: mkdtempSync(join(tmpdir(), 'qc-ib-app-')), transport: 'web', logger: createLogger({ level: 'silent' }),
      ibTimings: { ...FAST_TIMINGS, requestTimeoutMs: 300 },
    });
    await expect(call(app, 'connection.connect', { port })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: /Could not connect to Interactive Brokers: Cannot reach TWS/ });
    expect(await call(app, 'connection.status')).toMatchObject({ broker: 'paper' });
  }, 30_000);

  it('pushes quote events after every session switch (both sessions share one market: no listener lost)', async () => {
    sim = await startSim();
    app = await boot(mkdtempSync(join(tmpdir(), 'qc-ib-app-quotes-')));
    const sources: string[] = [];
    app.hub.subscribe((name, data) => {
      if (name === 'quote') sources.push((data as { source: string }).source);
    });
    await waitUntil('a demo quote', async () => sources.some((s) => s === 'demo'));
    await call(app, 'connection.connect', { port: sim.port, clientId: 13, account: 'DU1234567' });
    sources.length = 0;
    await waitUntil('an IB quote pushed', async () => sources.some((s) => s.startsWith('ib')));
    await call(app, 'connection.disconnect');
    sources.length = 0;
    await waitUntil('a demo quote pushed after the switch back', async () => sources.some((s) => s === 'demo'));
  });
});
