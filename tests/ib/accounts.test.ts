// Several accounts at once through the app's composition root and the contract: the paper account and an IB account
// on the TWS simulator (real TCP), an order on each, books kept apart, totals right, and both back after a restart.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountInfo, AccountTotal, AccountUpdate } from '../../src-shared/api/contract';
import type { Fill, Order, Position } from '../../src-shared/domain/types';
import { createApp, PAPER_ACCOUNT_ID, type App } from '../../src-main/app';
import type { TwsSimulator } from '../../tools/tws-sim/simulator';
import { FAST_TIMINGS, startSim, waitUntil } from './harness';

let app: App | undefined;
let sim: TwsSimulator | undefined;

afterEach(async () => {
  await app?.dispose();
  await sim?.close();
  app = sim = undefined;
});

async function call<T>(a: App, method: string, params: unknown = {}): Promise<T> {
  const r = await a.dispatch(method, params);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.result as T;
}

const boot = (dataDir: string) => createApp({ dataDir, transport: 'web', ibTimings: FAST_TIMINGS });
const ACCOUNT = 'DU1234567';

async function bothReady(a: App): Promise<AccountInfo[]> {
  let list: AccountInfo[] = [];
  await waitUntil('paper and IB connected and ready', async () => {
    list = await call<AccountInfo[]>(a, 'accounts.list');
    return list.length === 2 && list.every((x) => x.status.ready);
  }, 15_000);
  return list;
}

describe('paper and IB accounts at the same time', () => {
  it('an order on each goes to its own account; orders, fills, positions apart; totals add up; both back after a restart', async () => {
    sim = await startSim();
    const dataDir = mkdtempSync(join(tmpdir(), 'qc-ib-accounts-'));
    // No network: IB prices what it trades (AAPL); the demo market stays the fallback for the rest (BTCUSD on paper).
    writeFileSync(join(dataDir, 'config.yaml'), 'data_providers:\n  yahoo:\n    enabled: false\napi_strategy:\n  priority:\n    quotes: [ib, demo]\n');
    app = await boot(dataDir);
    // A live IB account needs the confirmation (checked in the session service, whichever method connects).
    await expect(call(app, 'venues.connect', { venue: 'ib', settings: { port: sim.port, mode: 'live' } })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: /confirmLive/ });
    await expect(call(app, 'venues.connect', { venue: 'nosuchvenue', settings: {} })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(call(app, 'venues.connect', { venue: 'ib', settings: { port: 'seven' } })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: /port/ });
    expect((await call<{ id: string }[]>(app, 'venues.list')).map((v) => v.id)).toEqual(['paper', 'ib', 'oanda', 'ctrader', 'ig', 'mt5']);

    await call(app, 'venues.connect', { venue: 'ib', settings: { port: sim.port, clientId: 21, account: ACCOUNT, autoConnect: true } });
    const accounts = await bothReady(app);
    expect(accounts).toEqual([
      expect.objectContaining({ accountId: PAPER_ACCOUNT_ID, venue: 'paper', live: false, default: false, status: expect.objectContaining({ mode: 'demo' }) }),
      expect.objectContaining({ venue: 'ib', live: false, default: true, status: expect.objectContaining({ mode: 'paper', broker: 'ib' }) }),
    ]);
    const ibId = accounts[1]!.accountId;
    expect(ibId).toMatch(/^IB-[0-9a-f]{16}$/);
    await expect(call(app, 'positions.list', { accountId: 'IB-nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // The feeds settle after IB joined: BTCUSD (IB does not quote it) moves to the demo market; before that the risk gate
    // has no fresh price for it and refuses, as it should.
    await waitUntil('BTCUSD on the demo market', async () =>
      (await call<{ symbol: string; source: string | null; stale: boolean }[]>(app!, 'data.feeds')).some((f) => f.symbol === 'BTCUSD' && f.source === 'demo' && !f.stale), 30_000);
    const onPaper = await call<{ order: Order; rejection: unknown }>(app, 'orders.place',
      { accountId: PAPER_ACCOUNT_ID, symbol: 'BTCUSD', side: 'buy', type: 'market', quantity: 0.1, timeInForce: 'gtc' });
    const onIb = await call<{ order: Order; rejection: unknown }>(app, 'orders.place',
      { accountId: ibId, symbol: 'AAPL', side: 'buy', type: 'market', quantity: 3, timeInForce: 'day' });
    expect([onPaper.rejection, onIb.rejection]).toEqual([null, null]);
    expect([onPaper.order.accountId, onIb.order.accountId]).toEqual([PAPER_ACCOUNT_ID, ibId]);
    await waitUntil('both fills', async () => (await call<Fill[]>(app!, 'fills.list', { allAccounts: true })).length === 2, 15_000);

    // Each account's own book; the paper order never reached TWS.
    expect((await call<Fill[]>(app, 'fills.list', { accountId: PAPER_ACCOUNT_ID })).map((f) => f.symbol)).toEqual(['BTCUSD']);
    expect((await call<Fill[]>(app, 'fills.list', { accountId: ibId })).map((f) => f.symbol)).toEqual(['AAPL']);
    expect((await call<Fill[]>(app, 'fills.list')).map((f) => f.symbol)).toEqual(['AAPL']); // no accountId: the default (IB)
    expect((await call<Order[]>(app, 'orders.list', { allAccounts: true })).map((o) => o.id).sort()).toEqual([onPaper.order.id, onIb.order.id].sort());
    expect(sim.positions().map((p) => [p.symbol, p.quantity])).toEqual([['AAPL', 3]]);
    expect(await call<Position[]>(app, 'positions.list', { accountId: PAPER_ACCOUNT_ID })).toEqual([expect.objectContaining({ symbol: 'BTCUSD', quantity: 0.1 })]);
    expect(await call<Position[]>(app, 'positions.list', { accountId: ibId })).toEqual([expect.objectContaining({ symbol: 'AAPL', quantity: 3 })]);
    expect((await call<Position[]>(app, 'positions.list', { allAccounts: true })).map((p) => `${p.accountId}:${p.symbol}:${p.quantity}`))
      .toEqual([`${PAPER_ACCOUNT_ID}:BTCUSD:0.1`, `${ibId}:AAPL:3`]);

    // The total is the sum of the accounts (IB's NAV is the one TWS reports).
    await waitUntil('IB NAV from TWS', async () => {
      const o = await call<{ accounts: AccountUpdate[] }>(app!, 'accounts.overview');
      return o.accounts.find((a) => a.accountId === ibId)?.summary.nav === sim!.account().NetLiquidation;
    });
    const overview = await call<{ accounts: AccountUpdate[]; totals: AccountTotal[] }>(app, 'accounts.overview');
    expect(overview.accounts.map((a) => a.accountId)).toEqual([PAPER_ACCOUNT_ID, ibId]);
    const [total] = overview.totals;
    expect(total).toMatchObject({ currency: 'USD', accounts: 2 });
    for (const key of ['nav', 'cash', 'realizedPnl'] as const) {
      expect(Number(total![key])).toBeCloseTo(overview.accounts.reduce((t, a) => t + Number(a.summary[key]), 0), 2);
    }
    // Risk per account: the kill switch on IB leaves paper trading.
    await call(app, 'risk.killSwitch', { engaged: true, accountId: ibId });
    expect(await call(app, 'risk.status', { accountId: PAPER_ACCOUNT_ID })).toMatchObject({ killSwitch: false });
    await call(app, 'risk.killSwitch', { engaged: false, accountId: ibId });
    expect(await call(app, 'connection.reconciliation', { accountId: ibId })).toMatchObject({ accountId: ibId, clean: true });

    // Restart: the paper account at once, IB auto-connects to the same account (remembered as its hash only).
    await app.dispose();
    app = await boot(dataDir);
    const again = await bothReady(app);
    expect(again.map((a) => a.accountId)).toEqual([PAPER_ACCOUNT_ID, ibId]);
    expect(await call<Position[]>(app, 'positions.list', { accountId: PAPER_ACCOUNT_ID })).toEqual([expect.objectContaining({ symbol: 'BTCUSD', quantity: 0.1 })]);
    expect(await call<Position[]>(app, 'positions.list', { accountId: ibId })).toEqual([expect.objectContaining({ symbol: 'AAPL', quantity: 3 })]);
    await app.dispose();
    app = undefined;

    const db = readFileSync(join(dataDir, 'quant.db')).toString('latin1') + readFileSync(join(dataDir, 'quant.db-wal'), { flag: 'a+' }).toString('latin1');
    expect(db).not.toContain(ACCOUNT);
    for (const f of readdirSync(join(dataDir, 'logs'), { recursive: true }) as string[]) {
      expect(readFileSync(join(dataDir, 'logs', f), 'utf8')).not.toContain(ACCOUNT);
    }
  });
});
