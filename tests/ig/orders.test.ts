// The IG venue against the simulator as a child process over real sockets: connect, polled quotes, market / limit /
// stop orders, fills, cancel, positions, errors in words, session expiry, allowance refusals, reconnect.
// Partial fills: IG's OTC deals are all or nothing (a position deal fills whole or is rejected; a working order
// becomes one deal when triggered), so there are none to test; the adapter books a confirm's size as it comes.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Order } from '../../src-shared/domain/types';
import type { BrokerEvent } from '../../src-main/ports/broker';
import type { IgSession } from '../../src-main/adapters/ig/session';
import { SIM_ACCOUNT, startIgSim, type RunningIgSim } from '../support/ig-sim-process';
import { openIgTerminal, SIM_ARGS, tempDb, waitIgReady, waitUntil, type IgTerminal } from './harness';

let sim: RunningIgSim | undefined;
let term: IgTerminal | undefined;

afterEach(async () => {
  await term?.close();
  await sim?.stop();
  term = sim = undefined;
});

async function boot(args: string[] = []): Promise<{ sim: RunningIgSim; term: IgTerminal }> {
  sim = await startIgSim([...SIM_ARGS, ...args]);
  term = openIgTerminal(tempDb());
  await term.connect(sim.url);
  await waitIgReady(term);
  return { sim, term };
}

const orderOf = async (t: IgTerminal, id: string) => (await t.store.orders.get(id))!;
const EUR = 'CS.D.EURUSD.CFD.IP';

describe('IG venue against the REST simulator', () => {
  it("logs in, reconciles a clean account, polls quotes and reports IG's balance and market specs", async () => {
    const { term } = await boot();
    const { session } = term.sessions.active();
    expect(session.status()).toMatchObject({ broker: 'ig', state: 'connected', ready: true, mode: 'paper', accountLabel: '••654', queuedOrders: 0 });
    expect(term.sessions.reconciliation()).toMatchObject({ clean: true });
    expect(session.accountId).toMatch(/^IG-[0-9a-f]{16}$/);
    expect(await term.store.settings.get('ig.settings')).not.toContain(SIM_ACCOUNT);
    expect(session.market.instruments().map((i) => i.symbol)).toEqual(['EURUSD', 'GBPUSD', 'USDJPY', 'XAUUSD', 'US500']);
    expect(session.market.instrument('EURUSD')).toMatchObject({ assetClass: 'fx', currency: 'USD', exchange: 'IG', lotSize: 1000, tickSize: 0.00001 });
    const q = session.market.lastQuote('USDJPY')!;
    expect(q.ask).toBeGreaterThan(q.bid);
    expect(q.source).toBe('ig');
    const values = Object.fromEntries(session.accountValues().map((v) => [v.key, v.value]));
    expect(Number(values['balance'])).toBe(10_000);
    expect(Number(values['NetLiquidation'])).toBe(10_000);
    // IG's margin factor 3.33 % → 30:1; a contract of EUR/USD is 100,000 units; the smallest deal 0.01 contracts.
    expect((session as IgSession).cfdSpec('EURUSD')).toMatchObject({ category: 'major-fx', contractSize: 100_000, minSize: 1000, sizeStep: 1000, maxLeverage: 30, pipLocation: -4, quoteCurrency: 'USD' });
    expect((session as IgSession).cfdSpec('XAUUSD')).toMatchObject({ category: 'gold', maxLeverage: 20, pipLocation: -2 });
    const bars = await session.market.history('XAUUSD', '5m', 12);
    expect(bars).toHaveLength(12);
    expect(bars[11]!.time - bars[10]!.time).toBe(300);
  });

  it('a new price reaches the market data at the next poll', async () => {
    const { sim, term } = await boot();
    const { session } = term.sessions.active();
    await sim.fault({ kind: 'price', epic: 'CS.D.GBPUSD.CFD.IP', mid: 1.25 });
    await waitUntil('the new GBPUSD quote', () => Math.abs(session.market.lastQuote('GBPUSD')!.last - 1.25) < 1e-6);
  });

  it('market, limit and stop orders fill; fills and positions reach the database and match IG', async () => {
    const { sim, term } = await boot();
    const { trading, session } = term.sessions.active();
    const accountId = session.accountId;
    await sim.fault({ kind: 'price', epic: EUR, mid: 1.08 });
    await waitUntil('EURUSD at 1.08', () => Math.abs(session.market.lastQuote('EURUSD')!.last - 1.08) < 1e-6);
    const m = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 10_000, timeInForce: 'day' });
    expect(m.rejection).toBeNull();
    const l = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'limit', quantity: 5_000, limitPrice: 1.079, timeInForce: 'gtc' });
    const s = await trading.placeOrder({ symbol: 'EURUSD', side: 'sell', type: 'stop', quantity: 3_000, stopPrice: 1.0785, timeInForce: 'gtc' });
    await waitUntil('the market order to fill', async () => (await orderOf(term, m.order.id)).status === 'filled');
    await waitUntil('limit and stop acknowledged', async () => (await orderOf(term, l.order.id)).status === 'working' && (await orderOf(term, s.order.id)).status === 'working');
    expect((await orderOf(term, l.order.id)).brokerOrderId).toMatch(/^DI/);
    // The working orders at IG carry our order ids as deal references.
    expect((await sim.state()).workingOrders.map((w) => [w.type, w.size, w.level])).toEqual([['LIMIT', 0.05, 1.079], ['STOP', 0.03, 1.0785]]);
    await sim.fault({ kind: 'price', epic: EUR, mid: 1.0788 });
    await waitUntil('the limit to fill', async () => (await orderOf(term, l.order.id)).status === 'filled');
    expect((await orderOf(term, s.order.id)).status).toBe('working');
    await sim.fault({ kind: 'price', epic: EUR, mid: 1.078 });
    await waitUntil('the stop to fill', async () => (await orderOf(term, s.order.id)).status === 'filled');

    const fills = await term.store.fills.list({ accountId });
    const deals = (await sim.state()).deals;
    expect(fills.map((f) => f.id).sort()).toEqual(deals.map((d) => `IG-${d.dealId}`).sort());
    expect((await orderOf(term, l.order.id)).avgFillPrice).toBe(1.079);
    const pos = await term.store.positions.get(accountId, 'EURUSD');
    expect(pos?.quantity).toBe(12_000);
    // IG nets the stop's sell against the oldest buy (forceOpen false): 0.12 contracts remain, across two deals.
    const simPositions = (await sim.state()).positions;
    expect(simPositions.reduce((n, p) => n + (p.direction === 'BUY' ? p.size : -p.size), 0)).toBeCloseTo(0.12, 10);
  });

  it('cancels a working order at IG and refuses what IG refuses, in plain words', async () => {
    const { sim, term } = await boot();
    const { trading } = term.sessions.active();
    const l = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'limit', quantity: 2_000, limitPrice: 1.08, timeInForce: 'gtc' });
    await waitUntil('the limit acknowledged', async () => (await orderOf(term, l.order.id)).status === 'working');
    await trading.cancelOrder(l.order.id);
    await waitUntil('the limit cancelled', async () => (await orderOf(term, l.order.id)).status === 'cancelled');
    expect((await sim.state()).workingOrders).toEqual([]);
    // 500 units = 0.005 contracts, below IG's minimum deal of 0.01 (the app's risk gate stops it before; sent to the
    // venue directly here): IG rejects the deal in its confirm and the reason comes back in words.
    const events: BrokerEvent[] = [];
    const { session } = term.sessions.active();
    session.broker.onEvent((e) => events.push(e));
    const now = Date.now();
    const id = randomUUID();
    session.broker.placeOrder({
      id, accountId: session.accountId, brokerOrderId: null, symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 500, limitPrice: null, stopPrice: null, timeInForce: 'day',
      stopLoss: null, takeProfit: null, parentId: null, source: 'manual', status: 'submitted', filledQuantity: 0, avgFillPrice: null, rejectReason: null, createdAt: now, updatedAt: now,
    } as Order);
    await waitUntil('the small order rejected', () => events.some((e) => e.kind === 'reject' && e.orderId === id));
    expect(events.find((e) => e.kind === 'reject')).toMatchObject({ reason: "IG: the size is below IG's minimum deal size for this market" });
    // A limit above the market is on the wrong side for IG's working order.
    const wrong = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'limit', quantity: 1_000, limitPrice: 1.0855, timeInForce: 'gtc' });
    await waitUntil('the wrong-side limit rejected', async () => (await orderOf(term, wrong.order.id)).status === 'rejected');
    expect((await orderOf(term, wrong.order.id)).rejectReason).toBe('IG: the order level is on the wrong side of the market');
  });

  it('an expired session is renewed by logging in again; allowance refusals and 429s are waited out', async () => {
    const { sim, term } = await boot();
    const { trading, session } = term.sessions.active();
    const conn = (session as IgSession).connection;
    expect(conn.logins).toBe(1);
    await sim.fault({ kind: 'expire' });
    await waitUntil('a second login', () => conn.logins === 2);
    expect(session.status().state).toBe('connected');
    await sim.fault({ kind: 'allowance', count: 3 });
    const a = await trading.placeOrder({ symbol: 'EURUSD', side: 'sell', type: 'market', quantity: 1_000, timeInForce: 'day' });
    await waitUntil('the order filled after the refusals', async () => (await orderOf(term, a.order.id)).status === 'filled', 8_000);
    await sim.fault({ kind: '429', count: 2, retryAfter: 0 });
    const b = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 1_000, timeInForce: 'day' });
    await waitUntil('the order filled after the 429s', async () => (await orderOf(term, b.order.id)).status === 'filled', 8_000);
    expect(session.status().state).toBe('connected');
    expect((await sim.state()).deals).toHaveLength(2);
  });

  it('wrong credentials stop the connection with words, without retrying', async () => {
    sim = await startIgSim(SIM_ARGS);
    term = openIgTerminal(tempDb(), { secret: 'test-api-key-0123456789abcdef:wrong-password' });
    await expect(term.connect(sim.url)).rejects.toThrow('IG: IG refused the identifier or password: check them in Settings → Connections');
    term = openIgTerminal(tempDb(), { secret: 'not-the-key:pass:word-42' });
    await expect(term.connect(sim.url)).rejects.toThrow('IG refused the API key');
  });
});
