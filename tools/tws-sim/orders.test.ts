// Orders through the real @stoqey/ib client: limit, cancel, modify, partial fills, stops, trailing, brackets, rejects, reports.
import { afterEach, describe, expect, it } from 'vitest';
import { EventName, OrderAction, OrderType, SecType, type Contract, type Order } from '@stoqey/ib';
import Decimal from 'decimal.js';
import type { TwsSimOptions } from './simulator';
import { SimHarness, type TestClient } from './test-client';
import { cumulativeCommission } from './trading/commission';

const AAPL: Contract = { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };

const h = new SimHarness();
let sim: SimHarness['sim'];

async function setup(opts: TwsSimOptions = {}, clientId = 1): Promise<TestClient> {
  sim = await h.start({ seed: 3, ...opts });
  sim.setQuote('AAPL', { bid: 189.99, ask: 190.01, last: 190 });
  return h.client(clientId);
}

const client = (clientId: number): Promise<TestClient> => h.client(clientId);

afterEach(() => h.dispose());

const lmt = (action: OrderAction, qty: number, price: number, extra: Partial<Order> = {}): Order =>
  ({ action, orderType: OrderType.LMT, lmtPrice: price, totalQuantity: qty, transmit: true, tif: 'GTC', ...extra });

const statusOf = (c: TestClient, id: number): string[] =>
  c.events(EventName.orderStatus).filter((a) => a[0] === id).map((a) => a[1] as string);

describe('limit orders', () => {
  it('rests, then fills at its limit when the market crosses it', async () => {
    const c = await setup();
    const id = c.nextValidId;
    c.ib.placeOrder(id, AAPL, lmt(OrderAction.BUY, 100, 185, { orderRef: 'rest-1' }));
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id && st === 'Submitted');
    expect(sim.openOrders().map((o) => o.orderId)).toEqual([id]);
    expect(sim.executions()).toHaveLength(0);

    sim.setPrice('AAPL', 184);
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id && st === 'Filled');
    const [, , exec] = c.events(EventName.execDetails)[0] as [number, Contract, { price: number; orderRef: string }];
    expect(exec.price).toBe(185);
    expect(exec.orderRef).toBe('rest-1');
    const [report] = (await c.seen(EventName.commissionReport)) as [{ commission: number }];
    // Adding liquidity: max(0.35, 0.35) + 0.02 clearing, no exchange fee.
    expect(report.commission).toBe(0.37);
    expect(sim.openOrders()).toHaveLength(0);
  });

  it('is modified by placing the same id again, and cancelled with orderStatus Cancelled and error 202', async () => {
    const c = await setup();
    const id = c.nextValidId;
    c.ib.placeOrder(id, AAPL, lmt(OrderAction.BUY, 10, 180));
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id && st === 'Submitted');
    c.ib.placeOrder(id, AAPL, lmt(OrderAction.BUY, 20, 181));
    await c.seen(EventName.openOrder, (oid: unknown, _c: unknown, o: unknown) => oid === id && (o as Order).lmtPrice === 181);
    const [modified] = sim.openOrders();
    expect(modified).toMatchObject({ orderId: id, totalQuantity: 20, lmtPrice: 181 });

    c.ib.cancelOrder(id);
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id && st === 'Cancelled');
    const [, code, reqId] = await c.seen<[Error, number, number]>(EventName.error, (_e: unknown, code: unknown) => code === 202);
    expect([code, reqId]).toEqual([202, id]);
    expect(sim.openOrders()).toHaveLength(0);

    c.ib.cancelOrder(id);
    await c.seen(EventName.error, (_e: unknown, code: unknown, rid: unknown) => code === 10148 && rid === id);
    c.ib.cancelOrder(id + 50);
    await c.seen(EventName.error, (_e: unknown, code: unknown, rid: unknown) => code === 10147 && rid === id + 50);
  });

  it('ignores an order sent without transmit, as TWS does', async () => {
    const c = await setup();
    const id = c.nextValidId;
    c.ib.placeOrder(id, AAPL, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 1 });
    c.ib.reqCurrentTime();
    await c.seen(EventName.currentTime);
    await new Promise((r) => setTimeout(r, 50));
    expect(statusOf(c, id)).toEqual([]);
    expect(sim.executions()).toHaveLength(0);
  });
});

describe('partial fills', () => {
  it('fills a large order in several executions, with exact cumulative commission and remaining quantity', async () => {
    const c = await setup({ maxFillSize: 300 });
    const id = c.nextValidId;
    c.ib.placeOrder(id, AAPL, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 1000, transmit: true, orderRef: 'big' });
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id && st === 'Filled');
    const execs = c.events(EventName.execDetails).map((a) => a[2] as { shares: number; cumQty: number; execId: string });
    expect(execs.map((e) => e.shares)).toEqual([300, 300, 300, 100]);
    expect(execs.map((e) => e.cumQty)).toEqual([300, 600, 900, 1000]);
    const partial = c.events(EventName.orderStatus).filter((a) => a[0] === id && a[1] === 'Submitted').map((a) => [a[2], a[3]]);
    expect(partial).toEqual(expect.arrayContaining([[300, 700], [600, 400], [900, 100]]));
    await c.seen(EventName.commissionReport, (r: unknown) => (r as { execId: string }).execId === execs[3].execId);
    const total = c.events(EventName.commissionReport).reduce((sum, a) => sum.add((a[0] as { commission: number }).commission), new Decimal(0));
    const inst = sim.instrument('AAPL')!;
    expect(total.toString()).toBe(cumulativeCommission(inst, 1000, 190010, true).toString());
    expect(total.toString()).toBe('6.7');
  });
});

describe('stop and trailing orders', () => {
  it('a stop stays PreSubmitted until the last trade reaches it, then fills at the market', async () => {
    const c = await setup();
    const id = c.nextValidId;
    c.ib.placeOrder(id, AAPL, { action: OrderAction.SELL, orderType: OrderType.STP, auxPrice: 185, totalQuantity: 10, transmit: true });
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id && st === 'PreSubmitted');
    sim.setPrice('AAPL', 186);
    expect(sim.executions()).toHaveLength(0);
    sim.setPrice('AAPL', 184.5);
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id && st === 'Filled');
    expect(sim.executions()[0]).toMatchObject({ side: 'SLD', shares: 10, price: sim.quote('AAPL').bid });
  });

  it('a stop-limit triggers into a limit order', async () => {
    const c = await setup();
    const id = c.nextValidId;
    c.ib.placeOrder(id, AAPL, { action: OrderAction.BUY, orderType: OrderType.STP_LMT, auxPrice: 195, lmtPrice: 195.5, totalQuantity: 10, transmit: true });
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id && st === 'PreSubmitted');
    sim.setPrice('AAPL', 197); // triggers, but ask 197.02 is above the limit: it now works as LMT 195.5
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id && st === 'Submitted');
    expect(sim.executions()).toHaveLength(0);
    sim.setPrice('AAPL', 195);
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id && st === 'Filled');
    expect(sim.executions()[0].price).toBe(195.5);
  });

  it('a trailing stop by amount follows the price up and sells when it falls back by the amount', async () => {
    const c = await setup();
    const id = c.nextValidId;
    c.ib.placeOrder(id, AAPL, { action: OrderAction.SELL, orderType: OrderType.TRAIL, auxPrice: 2, totalQuantity: 5, transmit: true });
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id && st === 'PreSubmitted');
    expect(sim.openOrders()[0].trailStopPrice).toBe(188);
    sim.setPrice('AAPL', 195);
    expect(sim.openOrders()[0].trailStopPrice).toBe(193);
    sim.setPrice('AAPL', 193.5);
    expect(sim.executions()).toHaveLength(0);
    sim.setPrice('AAPL', 192.9);
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id && st === 'Filled');
  });

  it('a trailing stop by percent', async () => {
    const c = await setup();
    const id = c.nextValidId;
    c.ib.placeOrder(id, AAPL, { action: OrderAction.BUY, orderType: OrderType.TRAIL, trailingPercent: 1, totalQuantity: 5, transmit: true });
    await c.seen(EventName.openOrder, (oid: unknown) => oid === id);
    expect(sim.openOrders()[0].trailStopPrice).toBe(191.9);
    sim.setPrice('AAPL', 180);
    expect(sim.openOrders()[0].trailStopPrice).toBe(181.8);
    sim.setPrice('AAPL', 182);
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id && st === 'Filled');
  });
});

describe('bracket orders', () => {
  it('holds the children until the parent fills, then one child fills and the other is cancelled (OCA)', async () => {
    const c = await setup();
    const p = c.nextValidId;
    c.ib.placeOrder(p, AAPL, lmt(OrderAction.BUY, 50, 188, { transmit: false, orderRef: 'br-entry' }));
    c.ib.placeOrder(p + 1, AAPL, lmt(OrderAction.SELL, 50, 195, { transmit: false, parentId: p, orderRef: 'br-tp' }));
    c.ib.placeOrder(p + 2, AAPL, { action: OrderAction.SELL, orderType: OrderType.STP, auxPrice: 183, totalQuantity: 50, parentId: p, transmit: true, tif: 'GTC', orderRef: 'br-sl' });
    await c.seen(EventName.orderStatus, (oid: unknown) => oid === p + 2);
    expect(statusOf(c, p)).toEqual(['Submitted']);
    expect(statusOf(c, p + 1)).toEqual(['PreSubmitted']);
    expect(statusOf(c, p + 2)).toEqual(['PreSubmitted']);
    const children = c.events(EventName.openOrder).filter((a) => a[0] !== p).map((a) => (a[2] as Order).parentId);
    expect(children).toEqual([p, p]);

    sim.setPrice('AAPL', 187); // parent fills at 188; children go live
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === p && st === 'Filled');
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === p + 1 && st === 'Submitted');
    expect(sim.openOrders().map((o) => o.orderId).sort()).toEqual([p + 1, p + 2]);

    sim.setPrice('AAPL', 196); // take-profit trades at its limit; the stop is cancelled
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === p + 1 && st === 'Filled');
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === p + 2 && st === 'Cancelled');
    expect(sim.executions().map((e) => [e.orderRef, e.price])).toEqual([['br-entry', 188], ['br-tp', 195]]);
    expect(sim.positions()[0].quantity).toBe(0);
    // Both legs added liquidity: max(0.35, 50 × 0.0035) + 50 × 0.0002 = 0.36 each.
    expect(sim.positions()[0].realizedPnl).toBeCloseTo(50 * 7 - 0.36 * 2, 6);
  });
});

describe('rejects', () => {
  it('rejects: 201 above the quantity limit, for insufficient buying power and a foreign account; 321 without exchange; 200 unknown', async () => {
    const c = await setup({ maxOrderQuantity: 500, startingCash: '10000' });
    const id = c.nextValidId;
    c.ib.placeOrder(id, AAPL, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 501, transmit: true });
    const [err, code, rid] = await c.seen<[Error, number, number]>(EventName.error, (_e: unknown, code: unknown) => code === 201);
    expect([code, rid]).toEqual([201, id]);
    expect(err.message).toMatch(/exceeds the maximum order size/);

    c.ib.placeOrder(id + 1, AAPL, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 200, transmit: true });
    const [err2] = await c.seen<[Error, number, number]>(EventName.error, (_e: unknown, code: unknown, r: unknown) => code === 201 && r === id + 1);
    expect(err2.message).toMatch(/EQUITY WITH LOAN VALUE \[10000\.00 USD\]/);

    c.ib.placeOrder(id + 2, { symbol: 'AAPL', secType: SecType.STK, currency: 'USD' }, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 1, transmit: true });
    await c.seen(EventName.error, (_e: unknown, code: unknown, r: unknown) => code === 321 && r === id + 2);
    c.ib.placeOrder(id + 3, AAPL, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 1, transmit: true, account: 'DU0000000' });
    await c.seen(EventName.error, (_e: unknown, code: unknown, r: unknown) => code === 201 && r === id + 3);
    c.ib.placeOrder(id + 4, { symbol: 'NOPE', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 1, transmit: true });
    await c.seen(EventName.error, (_e: unknown, code: unknown, r: unknown) => code === 200 && r === id + 4);

    expect(sim.executions()).toHaveLength(0);
    expect(statusOf(c, id)).toEqual([]);
  });
});

describe('reports', () => {
  it('reqOpenOrders, reqExecutions with a time filter, reqPositions, reqAccountSummary and reqAccountUpdates', async () => {
    const c = await setup();
    const id = c.nextValidId;
    c.ib.placeOrder(id, AAPL, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 10, transmit: true, orderRef: 'r1' });
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id && st === 'Filled');
    c.ib.placeOrder(id + 1, AAPL, lmt(OrderAction.BUY, 5, 150, { orderRef: 'r2' }));
    await c.seen(EventName.orderStatus, (oid: unknown) => oid === id + 1);

    const other = await client(2);
    other.ib.reqOpenOrders();
    await other.seen(EventName.openOrderEnd);
    expect(other.events(EventName.openOrder)).toHaveLength(0); // another client's orders are not its own
    other.ib.reqAllOpenOrders();
    await other.waitFor(EventName.openOrderEnd);
    expect(other.events(EventName.openOrder).map((a) => (a[2] as Order).orderRef)).toEqual(['r2']);

    other.ib.reqExecutions(7, { time: '20000101 00:00:00' });
    await other.seen(EventName.execDetailsEnd, (r: unknown) => r === 7);
    expect(other.events(EventName.execDetails).map((a) => [a[0], (a[2] as { orderRef: string }).orderRef])).toEqual([[7, 'r1']]);
    expect(other.events(EventName.commissionReport)).toHaveLength(1);
    other.ib.reqExecutions(8, { time: '29990101 00:00:00' });
    await other.seen(EventName.execDetailsEnd, (r: unknown) => r === 8);
    expect(other.events(EventName.execDetails).filter((a) => a[0] === 8)).toHaveLength(0);

    other.ib.reqPositions();
    await other.seen(EventName.positionEnd);
    const [acct, contract, pos, avgCost] = other.events(EventName.position)[0] as [string, Contract, number, number];
    expect([acct, contract.symbol, pos]).toEqual(['DU1234567', 'AAPL', 10]);
    expect(avgCost).toBeCloseTo((190.01 * 10 + 0.35 + 0.002 + 0.03) / 10, 8);

    other.ib.reqAccountSummary(9, 'All', 'NetLiquidation,TotalCashValue,BuyingPower,InitMarginReq,MaintMarginReq,AvailableFunds,ExcessLiquidity');
    await other.seen(EventName.accountSummaryEnd, (r: unknown) => r === 9);
    const summary = Object.fromEntries(other.events(EventName.accountSummary).map((a) => [a[2], a[3]]));
    const v = sim.account();
    expect(summary).toEqual({
      NetLiquidation: v.NetLiquidation, TotalCashValue: v.TotalCashValue, BuyingPower: v.BuyingPower, InitMarginReq: v.InitMarginReq,
      MaintMarginReq: v.MaintMarginReq, AvailableFunds: v.AvailableFunds, ExcessLiquidity: v.ExcessLiquidity,
    });
    const cash = new Decimal(1_000_000).sub(new Decimal('190.01').mul(10)).sub('0.382');
    expect(summary.TotalCashValue).toBe(cash.toFixed(2));
    expect(summary.InitMarginReq).toBe(new Decimal(sim.quote('AAPL').last).mul(10).mul('0.5').toFixed(2));

    other.ib.reqAccountUpdates(true, 'DU1234567');
    await other.seen(EventName.accountDownloadEnd);
    const keys = new Map(other.events(EventName.updateAccountValue).map((a) => [`${a[0]}/${a[2]}`, a[1]]));
    expect(keys.get('NetLiquidation/USD')).toBe(v.NetLiquidation);
    expect(keys.get('CashBalance/BASE')).toBe(v.TotalCashValue);
    const [pc, ppos] = other.events(EventName.updatePortfolio)[0] as [Contract, number];
    expect([pc.symbol, ppos]).toEqual(['AAPL', 10]);

    // Subscriptions follow fills.
    c.ib.placeOrder(id + 2, AAPL, { action: OrderAction.SELL, orderType: OrderType.MKT, totalQuantity: 4, transmit: true });
    await other.seen(EventName.position, (_a: unknown, _c: unknown, p: unknown) => p === 6);
  });
});

describe('other security types', () => {
  it('trades EUR.USD on IDEALPRO and an ES future, with their own commissions', async () => {
    const c = await setup();
    const id = c.nextValidId;
    const eur: Contract = { symbol: 'EUR', secType: SecType.CASH, exchange: 'IDEALPRO', currency: 'USD' };
    c.ib.placeOrder(id, eur, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 20000, transmit: true });
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id && st === 'Filled');
    const [fx] = (await c.seen(EventName.commissionReport)) as [{ commission: number }];
    expect(fx.commission).toBe(2); // 0.2 bp of ~21,700 USD is under the 2 USD minimum

    const es = sim.instrument('ES', 'FUT')!;
    const fut: Contract = { symbol: 'ES', secType: SecType.FUT, exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: es.expiry.slice(0, 6) };
    c.ib.placeOrder(id + 1, fut, { action: OrderAction.SELL, orderType: OrderType.MKT, totalQuantity: 2, transmit: true });
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id + 1 && st === 'Filled');
    const reports = c.events(EventName.commissionReport).map((a) => (a[0] as { commission: number }).commission);
    expect(reports[1]).toBe(4.26);
    expect(sim.positions().find((p) => p.secType === 'FUT')).toMatchObject({ symbol: 'ES', quantity: -2 });
  });
});

describe('order ids, what-if, completed orders, global cancel, auto open orders', () => {
  it('rejects a reused or lower order id with 103', async () => {
    const c = await setup();
    const id = c.nextValidId + 5;
    c.ib.placeOrder(id, AAPL, lmt(OrderAction.BUY, 1, 150));
    await c.seen(EventName.orderStatus, (oid: unknown) => oid === id);
    c.ib.placeOrder(id - 1, AAPL, lmt(OrderAction.BUY, 1, 150));
    await c.seen(EventName.error, (_e: unknown, code: unknown, rid: unknown) => code === 103 && rid === id - 1);
    c.ib.reqIds();
    await c.waitFor(EventName.nextValidId, (n: unknown) => n === id + 1);
  });

  it('a what-if order returns margin and commission figures in openOrder and places nothing', async () => {
    const c = await setup();
    const id = c.nextValidId;
    c.ib.placeOrder(id, AAPL, { action: OrderAction.BUY, orderType: OrderType.LMT, lmtPrice: 190, totalQuantity: 100, transmit: true, whatIf: true });
    const [, , order, state] = await c.seen<[number, Contract, Order, { initMarginChange: number; initMarginAfter: number; commission: number; equityWithLoanBefore: number }]>(EventName.openOrder, (oid: unknown) => oid === id);
    expect(order.whatIf).toBe(true);
    expect(state.initMarginChange).toBe(9500); // 100 × 190 × 50 %
    expect(state.initMarginAfter).toBe(9500);
    expect(state.equityWithLoanBefore).toBe(1_000_000);
    expect(state.commission).toBe(0.37);
    expect(sim.allOrders()).toHaveLength(0);
    expect(c.events(EventName.orderStatus)).toHaveLength(0);
  });

  it('reqCompletedOrders lists filled and cancelled orders; reqGlobalCancel cancels every working order', async () => {
    const c = await setup();
    const id = c.nextValidId;
    c.ib.placeOrder(id, AAPL, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 3, transmit: true, orderRef: 'done-1' });
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id && st === 'Filled');
    c.ib.placeOrder(id + 1, AAPL, lmt(OrderAction.BUY, 1, 150, { orderRef: 'gc-1' }));
    c.ib.placeOrder(id + 2, AAPL, lmt(OrderAction.SELL, 1, 250, { orderRef: 'gc-2' }));
    await c.seen(EventName.orderStatus, (oid: unknown) => oid === id + 2);
    c.ib.reqGlobalCancel();
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id + 2 && st === 'Cancelled');
    expect(sim.openOrders()).toHaveLength(0);
    c.ib.reqCompletedOrders(true);
    await c.seen(EventName.completedOrdersEnd);
    const done = c.events(EventName.completedOrder).map((a) => [(a[1] as Order).orderRef, (a[2] as { status: string }).status, (a[1] as Order).filledQuantity]);
    expect(done).toEqual([['done-1', 'Filled', 3], ['gc-1', 'Cancelled', 0], ['gc-2', 'Cancelled', 0]]);
  });

  it('client 0 bound with reqAutoOpenOrders receives other clients\' order updates', async () => {
    const c = await setup();
    const master = await client(0);
    master.ib.reqAutoOpenOrders(true);
    master.ib.reqCurrentTime();
    await master.seen(EventName.currentTime);
    const id = c.nextValidId;
    c.ib.placeOrder(id, AAPL, lmt(OrderAction.BUY, 1, 150, { orderRef: 'seen-by-0' }));
    const [, , o] = await master.seen<[number, Contract, Order]>(EventName.openOrder, (oid: unknown) => oid === id);
    expect(o.orderRef).toBe('seen-by-0');
    expect(o.clientId).toBe(1);
  });
});

describe('time in force and TWS habits', () => {
  it('IOC cancels what cannot fill at once', async () => {
    const c = await setup();
    const id = c.nextValidId;
    c.ib.placeOrder(id, AAPL, lmt(OrderAction.BUY, 10, 185, { tif: 'IOC' }));
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id && st === 'Cancelled');
    c.ib.placeOrder(id + 1, AAPL, lmt(OrderAction.BUY, 10, 191, { tif: 'IOC' }));
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id + 1 && st === 'Filled');
  });

  it('duplicate order statuses and late commission reports, on request', async () => {
    const c = await setup({ commissionDelayMs: 100 });
    sim.duplicateOrderStatus(true);
    const id = c.nextValidId;
    c.ib.placeOrder(id, AAPL, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 1, transmit: true });
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id && st === 'Filled');
    expect(statusOf(c, id)).toEqual(['Submitted', 'Submitted', 'Filled', 'Filled']);
    expect(c.events(EventName.commissionReport)).toHaveLength(0);
    await c.seen(EventName.commissionReport);
  });
});
