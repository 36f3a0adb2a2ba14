// Stop-limit and trailing-stop orders go to TWS natively (STP LMT, TRAIL) through the trading service and the real IB
// session; the simulator triggers and fills them, and the fills are booked.
import { afterEach, describe, expect, it } from 'vitest';
import type { TwsSimulator } from '../../tools/tws-sim/simulator';
import { openTerminal, startSim, tempDb, waitReady, waitUntil, type Terminal } from './harness';

let sim: TwsSimulator | undefined;
let term: Terminal | undefined;

afterEach(async () => {
  await term?.close();
  await sim?.close();
  term = sim = undefined;
});

describe('IB native order types', () => {
  it('a stop-limit goes as STP LMT and a trailing stop as TRAIL (percent); both trigger and fill at the simulator', async () => {
    sim = await startSim();
    const s = sim;
    term = openTerminal(tempDb(), s.port);
    await term.connect();
    await waitReady(term);
    const { trading, session } = term.sessions.active();
    expect(session.broker.capabilities.nativeOrderTypes).toEqual(expect.arrayContaining(['stop-limit', 'trailing-stop']));
    const quote = (p: number) => s.setQuote('AAPL', { bid: p, ask: p, last: p });
    quote(200);
    await waitUntil('the quote', () => session.market.lastQuote('AAPL')?.last === 200);
    const buy = await trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'market', quantity: 20, timeInForce: 'day' });
    await waitUntil('the entry fill', async () => (await term!.store.orders.get(buy.order.id))!.status === 'filled');
    const sl = await trading.placeOrder({ symbol: 'AAPL', side: 'sell', type: 'stop-limit', stopPrice: 190, limitPrice: 185, quantity: 10, timeInForce: 'gtc' });
    const tr = await trading.placeOrder({ symbol: 'AAPL', side: 'sell', type: 'trailing-stop', trailPercent: 2, quantity: 10, timeInForce: 'gtc' });
    expect(sl.rejection).toBeNull();
    expect(tr.rejection).toBeNull();
    await waitUntil('both working at TWS', async () => (await term!.store.orders.get(sl.order.id))!.status === 'working' && (await term!.store.orders.get(tr.order.id))!.status === 'working');
    const atTws = (id: string) => s.allOrders().find((o) => o.orderRef === id)!;
    expect(atTws(sl.order.id)).toMatchObject({ orderType: 'STP LMT', auxPrice: 190, lmtPrice: 185, totalQuantity: 10 });
    expect(atTws(tr.order.id)).toMatchObject({ orderType: 'TRAIL', trailingPercent: 2, totalQuantity: 10 });
    // Up to 210: the trailing stop follows to 205.80; down to 205: it triggers and fills there; the stop-limit waits.
    quote(210);
    quote(205);
    await waitUntil('the trailing stop to fill', async () => (await term!.store.orders.get(tr.order.id))!.status === 'filled');
    expect((await term.store.fills.listForOrder(tr.order.id))[0]!.price).toBe(205);
    expect((await term.store.orders.get(sl.order.id))!.status).toBe('working');
    // Through its stop, within its limit: the stop-limit fills.
    quote(189);
    await waitUntil('the stop-limit to fill', async () => (await term!.store.orders.get(sl.order.id))!.status === 'filled');
    expect((await term.store.fills.listForOrder(sl.order.id))[0]!.price).toBe(189);
    expect((await term.store.positions.get(session.accountId, 'AAPL'))!.quantity).toBe(0);
  }, 30_000);

  it('an entry with a trailing stop (percent) sends the trailing leg to TWS with it, as a TRAIL child of the entry', async () => {
    sim = await startSim();
    const s = sim;
    term = openTerminal(tempDb(), s.port);
    await term.connect();
    await waitReady(term);
    const { trading, session } = term.sessions.active();
    const quote = (p: number) => s.setQuote('AAPL', { bid: p, ask: p, last: p });
    quote(200);
    await waitUntil('the quote', () => session.market.lastQuote('AAPL')?.last === 200);
    const buy = await trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'market', quantity: 10, timeInForce: 'day', trailingStop: { percent: 2 } });
    expect(buy.rejection).toBeNull();
    await waitUntil('the entry fill', async () => (await term!.store.orders.get(buy.order.id))!.status === 'filled');
    const [leg] = (await term.store.orders.list({ accountId: session.accountId })).filter((o) => o.parentId === buy.order.id);
    expect(leg).toMatchObject({ type: 'trailing-stop', side: 'sell', quantity: 10, source: 'bracket' });
    const entryAtTws = s.allOrders().find((o) => o.orderRef === buy.order.id)!;
    expect(s.allOrders().find((o) => o.orderRef === leg!.id)).toMatchObject({ orderType: 'TRAIL', trailingPercent: 2, totalQuantity: 10, parentId: entryAtTws.orderId });
    quote(210);
    quote(205);
    await waitUntil('the trailing leg to fill', async () => (await term!.store.orders.get(leg!.id))!.status === 'filled');
    expect((await term.store.positions.get(session.accountId, 'AAPL'))!.quantity).toBe(0);
  }, 30_000);

  it('a stop the app holds (break-even management) survives a dropped TWS link: reconciliation leaves it working', async () => {
    sim = await startSim();
    const s = sim;
    term = openTerminal(tempDb(), s.port);
    await term.connect();
    await waitReady(term);
    const { trading, session } = term.sessions.active();
    const quote = (p: number) => s.setQuote('AAPL', { bid: p, ask: p, last: p });
    quote(200);
    await waitUntil('the quote', () => session.market.lastQuote('AAPL')?.last === 200);
    const buy = await trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'market', quantity: 10, timeInForce: 'day' });
    await waitUntil('the entry fill', async () => (await term!.store.orders.get(buy.order.id))!.status === 'filled');
    const stop = await trading.placeOrder({ symbol: 'AAPL', side: 'sell', type: 'stop', stopPrice: 190, quantity: 10, timeInForce: 'gtc', breakEvenAfter: 5 });
    expect(stop.rejection).toBeNull();
    expect(s.allOrders().some((o) => o.orderRef === stop.order.id)).toBe(false); // held by the app, not at TWS
    const reconciliations = async () => (await term!.store.audit.list({ limit: 500 })).filter((a) => a.kind === 'reconcile.done').length;
    const before = await reconciliations();
    s.dropConnections();
    await waitUntil('a reconciliation after the reconnect', async () => (await reconciliations()) > before, 30_000);
    await waitReady(term);
    expect((await term.store.orders.get(stop.order.id))!.status).toBe('working');
    // Still managed: through its stop it fires and closes the position at TWS.
    quote(189);
    await waitUntil('the held stop to fill', async () => (await term!.store.orders.get(stop.order.id))!.status === 'filled', 30_000);
  });
});
