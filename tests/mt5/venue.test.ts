// The MetaTrader 5 venue through its bridge process and the stand-in package: connect, polled quotes, market / limit /
// stop orders, fills, cancel, positions, and a restart of our side with a pending order filled meanwhile (reconciled
// from the deal history by our comment). Partial fills: a market deal takes what fills and cancels the rest (MT5's
// IOC filling); the stand-in fills whole.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMt5Session } from '../../src-main/adapters/mt5/session';
import { mt5Venue } from '../../src-main/adapters/mt5/venue';
import { openSqliteStore, type SqliteStore } from '../../src-main/adapters/sqlite/store';
import { createLogger } from '../../src-main/logging';
import { systemClock } from '../../src-main/ports/clock';
import { SessionManager } from '../../src-main/services/sessions';
import { VenueRegistry } from '../../src-main/services/venue-registry';
import { RISK_CONFIG, waitUntil } from '../ib/harness';
import { repoRoot } from '../support/web-host';

interface Term { store: SqliteStore; sessions: SessionManager; close(): Promise<void> }
let term: Term | undefined;
afterEach(async () => {
  await term?.close();
  term = undefined;
});

function world() {
  const dir = mkdtempSync(join(tmpdir(), 'qc-mt5v-'));
  const prices = join(dir, 'prices.json');
  return { dir, db: join(dir, 'quant.db'), state: join(dir, 'terminal.json'), prices, setPrices: (p: Record<string, [number, number]>) => writeFileSync(prices, JSON.stringify(p)) };
}

async function open(w: ReturnType<typeof world>, password = 'demo-pw'): Promise<Term> {
  const store = openSqliteStore({ file: w.db });
  const logger = createLogger({ level: process.env['QC_TEST_LOG'] ?? 'silent' });
  const venues = new VenueRegistry().register(mt5Venue((settings, knownAccountHash) => createMt5Session({
    settings, password: async () => password, clock: systemClock, logger, ids: store.settings, knownAccountHash,
    bridge: { script: join(repoRoot, 'tools/mt5-bridge/bridge.py'), env: { MT5_MODULE: 'MetaTrader5', PYTHONPATH: join(repoRoot, 'tests/mt5/stand-in'), MT5_STANDIN_PRICES: w.prices, MT5_STANDIN_STATE: w.state, MT5_STANDIN_PASSWORD: 'demo-pw' } },
    timings: { reconnectInitialMs: 10, reconnectMaxMs: 200, tickPollMs: 40, dealPollMs: 60, accountPollMs: 200, requestTimeoutMs: 5_000 },
  })));
  const sessions = new SessionManager({ store, clock: systemClock, logger, config: RISK_CONFIG, venues, accountTimeoutMs: 8_000 });
  term = { store, sessions, close: async () => { await sessions.dispose(); store.dispose(); } };
  await sessions.connect('mt5', { login: '5012345', server: 'StandIn-Demo', python: 'python3' });
  if (password !== 'demo-pw') return term;
  await waitUntil('the MT5 session to be ready', () => sessions.active().session.status().ready && sessions.active().session.market.lastQuote('EURUSD') !== undefined, 10_000);
  return term;
}

const orderOf = async (t: Term, id: string) => (await t.store.orders.get(id))!;

describe('MetaTrader 5 venue through the bridge and the stand-in package', () => {
  it('connects, quotes, fills market, limit and stop orders, cancels, and matches the positions', async () => {
    const w = world();
    w.setPrices({ EURUSD: [1.08, 1.0801] });
    const t = await open(w);
    const { session, trading } = t.sessions.active();
    expect(session.status()).toMatchObject({ broker: 'mt5', state: 'connected', ready: true, accountLabel: '••345' });
    expect(session.market.instrument('EURUSD')).toMatchObject({ assetClass: 'fx', lotSize: 1000, exchange: 'MT5' });
    expect(Number(session.accountValues().find((v) => v.key === 'NetLiquidation')?.value ?? 10_000)).toBe(10_000);
    const m = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 10_000, timeInForce: 'day' });
    expect(m.rejection).toBeNull();
    await waitUntil('the market order filled', async () => (await orderOf(t, m.order.id)).status === 'filled');
    expect((await orderOf(t, m.order.id)).avgFillPrice).toBe(1.0801);
    const l = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'limit', quantity: 5_000, limitPrice: 1.079, timeInForce: 'gtc' });
    const s = await trading.placeOrder({ symbol: 'EURUSD', side: 'sell', type: 'stop', quantity: 2_000, stopPrice: 1.07, timeInForce: 'gtc' });
    await waitUntil('both working', async () => (await orderOf(t, l.order.id)).status === 'working' && (await orderOf(t, s.order.id)).status === 'working');
    w.setPrices({ EURUSD: [1.0785, 1.0786] });
    await waitUntil('the limit filled', async () => (await orderOf(t, l.order.id)).status === 'filled');
    await trading.cancelOrder(s.order.id);
    await waitUntil('the stop cancelled', async () => (await orderOf(t, s.order.id)).status === 'cancelled');
    expect((await t.store.positions.get(session.accountId, 'EURUSD'))!.quantity).toBe(15_000);
    expect((await t.store.fills.list({ accountId: session.accountId })).map((f) => f.id)).toHaveLength(2);
  });

  it('modifies a working limit order\'s price at the terminal; a new volume is refused in words', async () => {
    const w = world();
    w.setPrices({ EURUSD: [1.08, 1.0801] });
    const t = await open(w);
    const { trading } = t.sessions.active();
    const l = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'limit', quantity: 5_000, limitPrice: 1.07, timeInForce: 'gtc' });
    await waitUntil('working', async () => (await orderOf(t, l.order.id)).status === 'working');
    const m = await trading.modifyOrder(l.order.id, { price: 1.075 });
    expect(m.rejection).toBeNull();
    await waitUntil('the new price in our book', async () => (await orderOf(t, l.order.id)).limitPrice === 1.075);
    const terminal = JSON.parse(readFileSync(w.state, 'utf8')) as { orders: { price: number; volume: number }[] };
    expect(terminal.orders).toEqual([expect.objectContaining({ price: 1.075, volume: 0.05 })]);
    await trading.modifyOrder(l.order.id, { quantity: 8_000 });
    await waitUntil('the refusal journaled', async () => (await t.store.audit.list({ orderId: l.order.id, limit: 50 })).some((e) => e.kind === 'order.modify-rejected' && JSON.stringify(e.payload).includes('cannot change the volume')));
    expect((await orderOf(t, l.order.id)).quantity).toBe(5_000);
    // The new price is the one that fills.
    w.setPrices({ EURUSD: [1.0748, 1.0749] });
    await waitUntil('the limit filled', async () => (await orderOf(t, l.order.id)).status === 'filled');
    expect((await orderOf(t, l.order.id)).avgFillPrice).toBe(1.075);
  });

  it('after a restart of our side, a pending order filled meanwhile is booked by the reconciliation', async () => {
    const w = world();
    w.setPrices({ GBPUSD: [1.27, 1.2701] });
    const t1 = await open(w);
    const accountId = t1.sessions.active().session.accountId;
    const l = await t1.sessions.active().trading.placeOrder({ symbol: 'GBPUSD', side: 'sell', type: 'limit', quantity: 3_000, limitPrice: 1.272, timeInForce: 'gtc' });
    await waitUntil('working', async () => (await orderOf(t1, l.order.id)).status === 'working');
    await t1.close();
    term = undefined;
    w.setPrices({ GBPUSD: [1.273, 1.2731] });
    const t2 = await open(w);
    expect(t2.sessions.active().session.accountId).toBe(accountId);
    expect(t2.sessions.reconciliation()!.missedFills).toEqual([expect.objectContaining({ orderId: l.order.id, quantity: 3_000, side: 'sell', price: 1.272 })]);
    expect((await t2.store.positions.get(accountId, 'GBPUSD'))!.quantity).toBe(-3_000);
  });

  it('a refused login stops with words instead of retrying', async () => {
    const t = await open(world(), 'wrong');
    const session = t.sessions.accounts().find((a) => a.venue.id === 'mt5')!.session;
    await waitUntil('the refusal', () => session.status().message?.includes('MetaTrader 5 refused the login: check the account number, password and server') ?? false, 8_000);
    expect(session.status()).toMatchObject({ state: 'disconnected', nextRetryAt: null });
  });
});
