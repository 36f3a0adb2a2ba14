// The OANDA venue against the simulator as a child process over real sockets: connect, quotes, each order type with
// stop-loss / take-profit / trailing stop on fill, fills, partial fills, cancel, positions, history, errors in words.
import { afterEach, describe, expect, it } from 'vitest';
import type { OandaSession } from '../../src-main/adapters/oanda/session';
import { startOandaSim, SIM_ACCOUNT, type RunningOandaSim } from '../support/oanda-sim-process';
import { openOandaTerminal, SIM_ARGS, tempDb, waitOandaReady, waitUntil, type OandaTerminal } from './harness';

let sim: RunningOandaSim | undefined;
let term: OandaTerminal | undefined;

afterEach(async () => {
  await term?.close();
  await sim?.stop();
  term = sim = undefined;
});

async function boot(args: string[] = []): Promise<{ sim: RunningOandaSim; term: OandaTerminal }> {
  sim = await startOandaSim([...SIM_ARGS, ...args]);
  term = openOandaTerminal(tempDb());
  await term.connect(sim.url);
  await waitOandaReady(term);
  return { sim, term };
}

const orderOf = async (t: OandaTerminal, id: string) => (await t.store.orders.get(id))!;

describe('OANDA venue against the v20 simulator', () => {
  it('connects, reconciles a clean account, streams quotes and reports OANDA\'s account values and instrument specs', async () => {
    const { term } = await boot();
    const { session } = term.sessions.active();
    expect(session.status()).toMatchObject({ broker: 'oanda', state: 'connected', ready: true, mode: 'paper', accountLabel: '101-•••-001', queuedOrders: 0 });
    expect(term.sessions.reconciliation()).toMatchObject({ clean: true });
    expect(session.accountId).toMatch(/^OANDA-[0-9a-f]{16}$/);
    // The account id is kept as a one-way key only.
    expect(await term.store.settings.get('oanda.settings')).not.toContain(SIM_ACCOUNT);
    const symbols = session.market.instruments().map((i) => i.symbol);
    expect(symbols).toEqual(expect.arrayContaining(['EURUSD', 'GBPUSD', 'USDJPY', 'XAUUSD', 'US500']));
    const q = session.market.lastQuote('USDJPY')!;
    expect(q.ask).toBeGreaterThan(q.bid);
    expect(q.source).toBe('oanda');
    const values = Object.fromEntries(session.accountValues().map((v) => [v.key, v.value]));
    expect(Number(values['NAV'])).toBe(100_000);
    expect(values['marginCloseoutPercent']).toBeDefined();
    const eur = (session as OandaSession).instrumentSpecs().find((s) => s.symbol === 'EURUSD')!;
    expect(eur).toMatchObject({ oandaName: 'EUR_USD', pipLocation: -4, marginRate: 0.0333, maxLeverage: 30, financing: { daysCharged: { WEDNESDAY: 3 } } });
    const bars = await session.market.history('XAUUSD', '5m', 12);
    expect(bars).toHaveLength(12);
    expect(bars[11]!.time - bars[10]!.time).toBe(300);
  });

  it('a price from the pricing stream reaches the market data as it moves', async () => {
    const { sim, term } = await boot();
    const { session } = term.sessions.active();
    await sim.fault({ kind: 'price', instrument: 'GBP_USD', mid: 1.25 });
    await waitUntil('the new GBPUSD quote', () => Math.abs(session.market.lastQuote('GBPUSD')!.last - 1.25) < 1e-6);
  });

  it('market, limit and stop orders fill; positions and fills reach the database and match OANDA', async () => {
    const { sim, term } = await boot();
    const { trading, session } = term.sessions.active();
    const accountId = session.accountId;
    await sim.fault({ kind: 'price', instrument: 'EUR_USD', mid: 1.08 });
    await waitUntil('EURUSD at 1.08', () => Math.abs(session.market.lastQuote('EURUSD')!.last - 1.08) < 1e-6);
    const m = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 10_000, timeInForce: 'day' });
    expect(m.rejection).toBeNull();
    const l = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'limit', quantity: 5_000, limitPrice: 1.079, timeInForce: 'gtc' });
    const s = await trading.placeOrder({ symbol: 'EURUSD', side: 'sell', type: 'stop', quantity: 3_000, stopPrice: 1.0785, timeInForce: 'gtc' });
    await waitUntil('the market order to fill', async () => (await orderOf(term, m.order.id)).status === 'filled');
    await waitUntil('limit and stop acknowledged', async () => (await orderOf(term, l.order.id)).status === 'working' && (await orderOf(term, s.order.id)).status === 'working');
    expect((await orderOf(term, l.order.id)).brokerOrderId).toMatch(/^\d+$/);
    await sim.fault({ kind: 'price', instrument: 'EUR_USD', mid: 1.0788 });
    await waitUntil('the limit to fill', async () => (await orderOf(term, l.order.id)).status === 'filled');
    expect((await orderOf(term, s.order.id)).status).toBe('working');
    await sim.fault({ kind: 'price', instrument: 'EUR_USD', mid: 1.078 });
    await waitUntil('the stop to fill', async () => (await orderOf(term, s.order.id)).status === 'filled');

    const fills = await term.store.fills.list({ accountId });
    expect(fills).toHaveLength(3);
    expect(new Set(fills.map((f) => f.id)).size).toBe(3);
    const pos = await term.store.positions.get(accountId, 'EURUSD');
    expect(pos!.quantity).toBe(12_000);
    const state = await sim.state();
    const simUnits = state.trades.filter((t) => t.state === 'OPEN' && t.instrument === 'EUR_USD').reduce((n, t) => n + t.currentUnits, 0);
    expect(simUnits).toBe(12_000);
  });

  it('stop-loss and take-profit travel on the entry (stopLossOnFill/takeProfitOnFill); the stop fills and OANDA cancels the take-profit', async () => {
    const { sim, term } = await boot();
    const { trading, session } = term.sessions.active();
    await sim.fault({ kind: 'price', instrument: 'XAU_USD', mid: 2050 });
    await waitUntil('gold at 2050', () => Math.abs(session.market.lastQuote('XAUUSD')!.last - 2050) < 1e-6);
    const e = await trading.placeOrder({ symbol: 'XAUUSD', side: 'buy', type: 'market', quantity: 5, stopLoss: 2040, takeProfit: 2070, timeInForce: 'gtc' });
    expect(e.rejection).toBeNull();
    await waitUntil('the entry to fill', async () => (await orderOf(term, e.order.id)).status === 'filled');
    const legs = (await term.store.orders.list({ accountId: session.accountId, limit: 50 })).filter((o) => o.parentId === e.order.id);
    expect(legs).toHaveLength(2);
    await waitUntil('both legs working at OANDA', async () => (await Promise.all(legs.map((x) => orderOf(term, x.id)))).every((x) => x.status === 'working'));
    const simOrders = (await sim.state()).orders.filter((o) => o['state'] === 'PENDING');
    expect(simOrders.map((o) => o['type']).sort()).toEqual(['STOP_LOSS', 'TAKE_PROFIT']);
    await sim.fault({ kind: 'price', instrument: 'XAU_USD', mid: 2039 });
    const stop = legs.find((x) => x.type === 'stop')!;
    const target = legs.find((x) => x.type === 'limit')!;
    await waitUntil('the stop-loss to fill and the take-profit to be cancelled', async () =>
      (await orderOf(term, stop.id)).status === 'filled' && (await orderOf(term, target.id)).status === 'cancelled');
    expect((await term.store.positions.get(session.accountId, 'XAUUSD'))?.quantity ?? 0).toBe(0);
  });

  it('a limit order larger than the book fills in parts; a cancel stops the rest', async () => {
    const { sim, term } = await boot(['--liquidity', '4000']);
    const { trading, session } = term.sessions.active();
    await sim.fault({ kind: 'price', instrument: 'EUR_USD', mid: 1.08 });
    await waitUntil('EURUSD at 1.08', () => Math.abs(session.market.lastQuote('EURUSD')!.last - 1.08) < 1e-6);
    const l = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'limit', quantity: 10_000, limitPrice: 1.079, timeInForce: 'gtc' });
    await waitUntil('acknowledged', async () => (await orderOf(term, l.order.id)).status === 'working');
    await sim.fault({ kind: 'price', instrument: 'EUR_USD', mid: 1.0785 });
    await waitUntil('a partial fill', async () => (await orderOf(term, l.order.id)).status === 'partially-filled');
    expect((await orderOf(term, l.order.id)).filledQuantity).toBe(4_000);
    await sim.fault({ kind: 'price', instrument: 'EUR_USD', mid: 1.0784 });
    await waitUntil('a second part', async () => (await orderOf(term, l.order.id)).filledQuantity === 8_000);
    await trading.cancelOrder(l.order.id);
    await waitUntil('the rest to be cancelled', async () => (await orderOf(term, l.order.id)).status === 'cancelled');
    expect((await orderOf(term, l.order.id)).filledQuantity).toBe(8_000);
    expect((await term.store.positions.get(session.accountId, 'EURUSD'))!.quantity).toBe(8_000);
    expect((await sim.state()).orders.filter((o) => o['state'] === 'PENDING')).toHaveLength(0);
  });

  it('a price shock shows in OANDA\'s own margin figures (NAV down, margin closeout percent up) within a poll', async () => {
    const { sim, term } = await boot();
    const { trading, session } = term.sessions.active();
    await sim.fault({ kind: 'price', instrument: 'XAU_USD', mid: 2000 });
    await waitUntil('gold at 2000', () => Math.abs(session.market.lastQuote('XAUUSD')!.last - 2000) < 1e-6);
    const m = await trading.placeOrder({ symbol: 'XAUUSD', side: 'sell', type: 'market', quantity: 40, timeInForce: 'day' });
    await waitUntil('the fill', async () => (await orderOf(term, m.order.id)).status === 'filled');
    const value = (key: string) => Number(session.accountValues().find((v) => v.key === key)?.value);
    await waitUntil('margin used reported', () => value('marginUsed') > 0);
    const before = { nav: value('NAV'), closeout: value('marginCloseoutPercent') };
    await sim.fault({ kind: 'shock', instrument: 'XAU_USD', pct: 10 });
    await waitUntil('the shock in the account values', () => value('NAV') < before.nav - 7_000);
    // 40 oz short, gold up 10 % from 2000: about 8,000 lost while the margin used grows: the closeout percent rises.
    expect(value('NAV')).toBeCloseTo(before.nav - 8_000, -2);
    expect(value('marginCloseoutPercent')).toBeGreaterThan(before.closeout);
  });

  it('a market order OANDA cannot fill at once is refused with the reason in plain words', async () => {
    const { term } = await boot(['--liquidity', '4000']);
    const { trading } = term.sessions.active();
    const m = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 10_000, timeInForce: 'day' });
    await waitUntil('the rejection', async () => (await orderOf(term, m.order.id)).status === 'rejected');
    expect((await orderOf(term, m.order.id)).rejectReason).toBe('OANDA: OANDA had not enough liquidity to fill the order at once');
  });

  it('cancels a working order at OANDA', async () => {
    const { sim, term } = await boot();
    const { trading } = term.sessions.active();
    const l = await trading.placeOrder({ symbol: 'USDJPY', side: 'sell', type: 'limit', quantity: 200, limitPrice: 160, timeInForce: 'gtc' });
    expect(l.rejection).toBeNull();
    await waitUntil('acknowledged', async () => (await orderOf(term, l.order.id)).status === 'working');
    await trading.cancelOrder(l.order.id);
    await waitUntil('cancelled', async () => (await orderOf(term, l.order.id)).status === 'cancelled');
    const o = (await sim.state()).orders.find((x) => (x['clientExtensions'] as { id?: string } | undefined)?.id === l.order.id)!;
    expect(o['state']).toBe('CANCELLED');
  });

  it('a wrong token is refused with words saying so', async () => {
    sim = await startOandaSim(SIM_ARGS);
    term = openOandaTerminal(tempDb(), { token: 'wrong' });
    await expect(term.connect(sim.url)).rejects.toThrow('Could not connect to OANDA: OANDA refused the API token: check that it is current and belongs to this environment (practice or live)');
    expect(term.sessions.list().some((a) => a.venue === 'oanda')).toBe(false);
  });

  it('an entry with a trailing stop and a stop-loss: the stop-loss goes to OANDA with the entry, the trailing leg is held by the app, follows the price and closes the trade at OANDA when it fires', async () => {
    const { sim, term } = await boot();
    const { trading, session } = term.sessions.active();
    await sim.fault({ kind: 'price', instrument: 'EUR_USD', mid: 1.1 });
    await waitUntil('EURUSD at 1.1', () => Math.abs(session.market.lastQuote('EURUSD')!.last - 1.1) < 1e-6);
    const e = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 2_000, timeInForce: 'day', stopLoss: 1.05, trailingStop: { distance: 0.005 } });
    expect(e.rejection).toBeNull();
    const legs = async () => (await term.store.orders.list({ accountId: e.order.accountId })).filter((o) => o.parentId === e.order.id);
    await waitUntil('both legs working', async () => (await legs()).filter((l) => l.status === 'working').length === 2);
    const trail = (await legs()).find((l) => l.type === 'trailing-stop')!;
    expect(trail.stopPrice).toBeCloseTo(1.095, 6);
    // At OANDA: the trade with its stop-loss (native, on fill) and no trailing stop of OANDA's own.
    const [trade] = (await sim.state()).trades.filter((t) => t.state === 'OPEN');
    expect(trade).toMatchObject({ instrument: 'EUR_USD', currentUnits: 2_000 });
    const pending = (await sim.state()).orders.filter((o) => o['state'] === 'PENDING').map((o) => o['type']);
    expect(pending).toEqual(['STOP_LOSS']);

    await sim.fault({ kind: 'price', instrument: 'EUR_USD', mid: 1.11 });
    await waitUntil('the trailing stop moved up to 1.105', async () => Math.abs((await orderOf(term, trail.id)).stopPrice! - 1.105) < 1e-6);
    await sim.fault({ kind: 'price', instrument: 'EUR_USD', mid: 1.108 });
    await sim.fault({ kind: 'price', instrument: 'EUR_USD', mid: 1.1 });
    await waitUntil('the trailing stop filled', async () => (await orderOf(term, trail.id)).status === 'filled', 10_000);
    await waitUntil('the position flat', async () => (await term.store.positions.get(e.order.accountId, 'EURUSD'))?.quantity === 0, 10_000);
    // OANDA closed the trade (and cancelled its stop-loss with it); our stop-loss leg ends too.
    expect((await sim.state()).trades.filter((t) => t.state === 'OPEN')).toHaveLength(0);
    await waitUntil('the stop-loss leg ended', async () => ['cancelled', 'filled'].includes((await legs()).find((l) => l.type === 'stop')!.status), 10_000);
    expect((await legs()).find((l) => l.type === 'stop')!.status).toBe('cancelled');
  });
});
