// The cTrader venue against the simulator as a child process over real WebSockets: connect, quotes, each order type,
// stop-loss / take-profit legs, fills, partial fills, cancel, positions, history, errors in plain words.
import { afterEach, describe, expect, it } from 'vitest';
import type { CtraderSession } from '../../src-main/adapters/ctrader/session';
import { CT_ACCOUNT, startCtraderSim, type RunningCtraderSim } from '../support/ctrader-sim-process';
import { openCtraderTerminal, SIM_ARGS, tempDb, waitCtraderReady, waitUntil, type CtraderTerminal } from './harness';

let sim: RunningCtraderSim | undefined;
let term: CtraderTerminal | undefined;

afterEach(async () => {
  await term?.close();
  await sim?.stop();
  term = sim = undefined;
});

async function boot(args: string[] = []): Promise<{ sim: RunningCtraderSim; term: CtraderTerminal }> {
  sim = await startCtraderSim([...SIM_ARGS, ...args]);
  term = openCtraderTerminal(tempDb());
  await term.connect(sim.url);
  await waitCtraderReady(term);
  return { sim, term };
}

const orderOf = async (t: CtraderTerminal, id: string) => (await t.store.orders.get(id))!;
const mid = (t: CtraderTerminal, symbol: string) => t.sessions.active().session.market.lastQuote(symbol)?.last ?? NaN;

describe('cTrader venue against the Open API simulator', () => {
  it('connects (application and account authorised), reconciles a clean account, streams spots and reports specs, account values and bars', async () => {
    const { term } = await boot();
    const { session } = term.sessions.active();
    expect(session.status()).toMatchObject({ broker: 'ctrader', state: 'connected', ready: true, mode: 'paper', accountLabel: '••••456', queuedOrders: 0 });
    expect(term.sessions.reconciliation()).toMatchObject({ clean: true });
    expect(session.accountId).toMatch(/^CTRADER-[0-9a-f]{16}$/);
    // The account id is kept as a one-way key only.
    expect(await term.store.settings.get('ctrader.settings')).not.toContain(String(CT_ACCOUNT));
    expect(session.market.instruments().map((i) => i.symbol)).toEqual(expect.arrayContaining(['EURUSD', 'GBPUSD', 'USDJPY', 'XAUUSD', 'US500']));
    const q = session.market.lastQuote('USDJPY')!;
    expect(q.ask).toBeGreaterThan(q.bid);
    expect(q.source).toBe('ctrader');
    const values = Object.fromEntries(session.accountValues().map((v) => [v.key, v.value]));
    expect(values).toMatchObject({ balance: '100000.00', NetLiquidation: '100000.00', usedMargin: '0.00' });
    const specs = (session as CtraderSession).cfdSpecs();
    // Sizes come in cents of a unit, the swap as an annual percent: 1 lot = 100,000 units, −2.5 % a year on longs.
    expect(specs.find((s) => s.symbol === 'EURUSD')).toMatchObject({ category: 'major-fx', contractSize: 100_000, minSize: 1_000, sizeStep: 1_000, maxLeverage: 30, pipLocation: -4, financing: { long: '-0.025000', short: '-0.005000' } });
    expect(specs.find((s) => s.symbol === 'XAUUSD')).toMatchObject({ category: 'gold', assetClass: 'commodity-cfd', contractSize: 100, minSize: 1, pipLocation: -2 });
    expect(specs.find((s) => s.symbol === 'US500')).toMatchObject({ category: 'major-index', assetClass: 'index-cfd', quoteCurrency: 'USD', pipLocation: 0 });
    const bars = await session.market.history('XAUUSD', '5m', 12);
    expect(bars).toHaveLength(12);
    expect(bars[11]!.time - bars[10]!.time).toBe(300);
    expect(bars.every((b) => b.low <= Math.min(b.open, b.close) && b.high >= Math.max(b.open, b.close))).toBe(true);
  });

  it('a spot moves the quote; a spot with one side keeps the other', async () => {
    const { sim, term } = await boot();
    await sim.fault({ kind: 'price', symbol: 'GBPUSD', mid: 1.25 });
    await waitUntil('the new GBPUSD quote', () => Math.abs(mid(term, 'GBPUSD') - 1.25) < 1e-6);
  });

  it('market, limit and stop orders fill; positions and fills reach the database and match cTrader', async () => {
    const { sim, term } = await boot();
    const { trading, session } = term.sessions.active();
    const accountId = session.accountId;
    await sim.fault({ kind: 'price', symbol: 'EURUSD', mid: 1.08 });
    await waitUntil('EURUSD at 1.08', () => Math.abs(mid(term, 'EURUSD') - 1.08) < 1e-6);
    const m = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 10_000, timeInForce: 'day' });
    expect(m.rejection).toBeNull();
    const l = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'limit', quantity: 5_000, limitPrice: 1.079, timeInForce: 'gtc' });
    const s = await trading.placeOrder({ symbol: 'EURUSD', side: 'sell', type: 'stop', quantity: 3_000, stopPrice: 1.0785, timeInForce: 'gtc' });
    await waitUntil('the market order to fill', async () => (await orderOf(term, m.order.id)).status === 'filled');
    await waitUntil('limit and stop acknowledged', async () => (await orderOf(term, l.order.id)).status === 'working' && (await orderOf(term, s.order.id)).status === 'working');
    expect((await orderOf(term, l.order.id)).brokerOrderId).toMatch(/^\d+$/);
    await sim.fault({ kind: 'price', symbol: 'EURUSD', mid: 1.0788 });
    await waitUntil('the limit to fill', async () => (await orderOf(term, l.order.id)).status === 'filled');
    expect((await orderOf(term, s.order.id)).status).toBe('working');
    await sim.fault({ kind: 'price', symbol: 'EURUSD', mid: 1.078 });
    await waitUntil('the stop to fill', async () => (await orderOf(term, s.order.id)).status === 'filled');

    const fills = await term.store.fills.list({ accountId });
    expect(fills).toHaveLength(3);
    expect(fills.every((f) => /^CTRADER-\d+$/.test(f.id))).toBe(true);
    // The market buy at the ask (1.08004): the deal's price, and the commission of $30 a million as a cost.
    const buy = fills.find((f) => f.orderId === m.order.id)!;
    expect(buy.price).toBeCloseTo(1.08004, 5);
    expect(Number(buy.commission)).toBeCloseTo(0.32, 2);
    expect((await term.store.positions.get(accountId, 'EURUSD'))!.quantity).toBe(12_000);
    const state = await sim.state();
    expect(state.positions.find((p) => p.symbol === 'EURUSD')).toMatchObject({ tradeSide: 1, volume: 1_200_000 });
  });

  it('stop-loss and take-profit go as linked stop and limit orders after the entry fills; the stop fills and the take-profit is cancelled', async () => {
    const { sim, term } = await boot();
    const { trading, session } = term.sessions.active();
    await sim.fault({ kind: 'price', symbol: 'XAUUSD', mid: 2050 });
    await waitUntil('gold at 2050', () => Math.abs(mid(term, 'XAUUSD') - 2050) < 1e-6);
    const e = await trading.placeOrder({ symbol: 'XAUUSD', side: 'buy', type: 'market', quantity: 5, stopLoss: 2040, takeProfit: 2070, timeInForce: 'gtc' });
    expect(e.rejection).toBeNull();
    await waitUntil('the entry to fill', async () => (await orderOf(term, e.order.id)).status === 'filled');
    const legs = (await term.store.orders.list({ accountId: session.accountId, limit: 50 })).filter((o) => o.parentId === e.order.id);
    expect(legs).toHaveLength(2);
    await waitUntil('both legs working at cTrader', async () => (await Promise.all(legs.map((x) => orderOf(term, x.id)))).every((x) => x.status === 'working'));
    const pending = (await sim.state()).orders.filter((o) => o.status === 1);
    expect(pending.map((o) => o.orderType).sort()).toEqual([2, 3]);
    expect(pending.map((o) => o.clientOrderId).sort()).toEqual(legs.map((x) => x.id).sort());
    await sim.fault({ kind: 'price', symbol: 'XAUUSD', mid: 2039 });
    const stop = legs.find((x) => x.type === 'stop')!;
    const target = legs.find((x) => x.type === 'limit')!;
    await waitUntil('the stop-loss to fill and the take-profit to be cancelled', async () =>
      (await orderOf(term, stop.id)).status === 'filled' && (await orderOf(term, target.id)).status === 'cancelled');
    expect((await term.store.positions.get(session.accountId, 'XAUUSD'))?.quantity ?? 0).toBe(0);
    expect((await sim.state()).positions.filter((p) => p.symbol === 'XAUUSD')).toHaveLength(0);
  });

  it('an order larger than the book fills in parts (ORDER_PARTIAL_FILL); a cancel stops the rest', async () => {
    const { sim, term } = await boot(['--liquidity', '1000']);
    const { trading, session } = term.sessions.active();
    await sim.fault({ kind: 'price', symbol: 'EURUSD', mid: 1.08 });
    await waitUntil('EURUSD at 1.08', () => Math.abs(mid(term, 'EURUSD') - 1.08) < 1e-6);
    const l = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'limit', quantity: 50_000, limitPrice: 1.079, timeInForce: 'gtc' });
    await waitUntil('acknowledged', async () => (await orderOf(term, l.order.id)).status === 'working');
    await sim.fault({ kind: 'price', symbol: 'EURUSD', mid: 1.0785 });
    await waitUntil('some parts filled', async () => (await orderOf(term, l.order.id)).filledQuantity >= 8_000);
    await trading.cancelOrder(l.order.id);
    await waitUntil('the rest to be cancelled', async () => (await orderOf(term, l.order.id)).status === 'cancelled');
    const filled = (await orderOf(term, l.order.id)).filledQuantity;
    expect(filled).toBeLessThan(50_000);
    expect((await term.store.fills.list({ accountId: session.accountId })).length).toBe(filled / 1_000);
    expect((await term.store.positions.get(session.accountId, 'EURUSD'))!.quantity).toBe(filled);
    const state = await sim.state();
    expect(state.positions.find((p) => p.symbol === 'EURUSD')!.volume).toBe(filled * 100);
    expect(state.orders.filter((o) => o.status === 1)).toHaveLength(0);
  });

  it('cancels a working order at cTrader', async () => {
    const { sim, term } = await boot();
    const { trading } = term.sessions.active();
    const l = await trading.placeOrder({ symbol: 'GBPUSD', side: 'sell', type: 'limit', quantity: 2_000, limitPrice: 1.3, timeInForce: 'gtc' });
    expect(l.rejection).toBeNull();
    await waitUntil('acknowledged', async () => (await orderOf(term, l.order.id)).status === 'working');
    await trading.cancelOrder(l.order.id);
    await waitUntil('cancelled', async () => (await orderOf(term, l.order.id)).status === 'cancelled');
    expect((await sim.state()).orders.find((x) => x.clientOrderId === l.order.id)!.status).toBe(5);
  });

  it('modifies a working order at cTrader (ProtoOAAmendOrderReq): new price and size, then a refused amend keeps them', async () => {
    const { sim, term } = await boot();
    const { trading } = term.sessions.active();
    const l = await trading.placeOrder({ symbol: 'GBPUSD', side: 'sell', type: 'limit', quantity: 2_000, limitPrice: 1.3, timeInForce: 'gtc' });
    await waitUntil('acknowledged', async () => (await orderOf(term, l.order.id)).status === 'working');
    const m = await trading.modifyOrder(l.order.id, { price: 1.31, quantity: 3_000 });
    expect(m.rejection).toBeNull();
    await waitUntil('the new values in our book', async () => (await orderOf(term, l.order.id)).limitPrice === 1.31 && (await orderOf(term, l.order.id)).quantity === 3_000);
    const atSim = () => sim.state().then((st) => st.orders.find((x) => x.clientOrderId === l.order.id) as unknown as { volume: number; limitPrice: number; status: number });
    expect(await atSim()).toMatchObject({ volume: 300_000, limitPrice: 1.31, status: 1 });
    await sim.fault({ kind: 'error', count: 1, code: 'TRADING_BAD_PRICES' });
    await trading.modifyOrder(l.order.id, { price: 1.32 });
    await waitUntil('the refusal journaled', async () => (await term.store.audit.list({ orderId: l.order.id, limit: 50 })).some((e) => e.kind === 'order.modify-rejected'));
    expect((await orderOf(term, l.order.id)).limitPrice).toBe(1.31);
    expect(await atSim()).toMatchObject({ limitPrice: 1.31 });
  });

  it('refusals come in plain words: an error answer to an order, a volume off the size step', async () => {
    const { sim, term } = await boot();
    const { trading } = term.sessions.active();
    await sim.fault({ kind: 'error', count: 1, code: 'MARKET_CLOSED' });
    const closed = await trading.placeOrder({ symbol: 'US500', side: 'buy', type: 'market', quantity: 2, timeInForce: 'day' });
    await waitUntil('the rejection', async () => (await orderOf(term, closed.order.id)).status === 'rejected');
    expect((await orderOf(term, closed.order.id)).rejectReason).toBe('cTrader: the market is closed at cTrader');
    const odd = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 1_500, timeInForce: 'day' });
    await waitUntil('the second rejection', async () => (await orderOf(term, odd.order.id)).status === 'rejected');
    // The ticket's check, from the symbol's step volume (100,000 cents = 1,000 units).
    expect((await orderOf(term, odd.order.id)).rejectReason).toContain('size step 1000 of EURUSD');
    expect((await sim.state()).deals).toHaveLength(0);
  });

  it('a wrong access token is refused with words saying so, and not retried', async () => {
    sim = await startCtraderSim(SIM_ARGS);
    term = openCtraderTerminal(tempDb(), { credentials: 'test-client-secret:wrong-token' });
    await expect(term.connect(sim.url)).rejects.toThrow('cTrader refused the access token');
    expect(term.sessions.list().some((a) => a.venue === 'ctrader')).toBe(false);
  });
});
