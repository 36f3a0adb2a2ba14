// Fault injection seen from the real @stoqey/ib client: 326, silence, drops, restarts, connectivity and farm messages, delays.
import { afterEach, describe, expect, it } from 'vitest';
import { EventName, IBApi, OrderAction, OrderType, SecType, type Contract } from '@stoqey/ib';
import type { TwsSimOptions } from './simulator';
import { SimHarness, waitForEvent, type TestClient } from './test-client';

const AAPL: Contract = { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };

const h = new SimHarness();
let sim: SimHarness['sim'];

async function setup(opts: TwsSimOptions = {}): Promise<void> {
  sim = await h.start(opts);
}

const client = (clientId = 1): Promise<TestClient> => h.client(clientId);
const bare = (clientId: number): IBApi => h.bareClient(clientId);

afterEach(() => h.dispose());

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('client ids', () => {
  it('answers 326 and closes when the client id is already connected', async () => {
    await setup();
    await client(5);
    const ib = bare(5);
    const info = waitForEvent<[string, number]>(ib, EventName.info, (_m: unknown, code: unknown) => code === 326);
    const closed = waitForEvent(ib, EventName.disconnected);
    ib.connect();
    const [msg] = await info;
    expect(msg).toMatch(/client id is already in use/);
    await closed;
    expect(sim.stats.connections).toBe(1);
  });

  it('clientIdInUse makes the next startApi with that id fail once', async () => {
    await setup();
    sim.clientIdInUse(9);
    const ib = bare(9);
    const info = waitForEvent<[string, number]>(ib, EventName.info, (_m: unknown, code: unknown) => code === 326);
    ib.connect();
    await info;
    await waitForEvent(ib, EventName.disconnected);
    const c = await client(9);
    expect(c.nextValidId).toBeGreaterThan(0);
  });
});

describe('silence, refusal, drops', () => {
  it('silent: the connection stays open but nothing answers, not even the handshake', async () => {
    await setup();
    const c = await client(1);
    sim.silent(true);
    c.ib.reqCurrentTime();
    await expect(c.waitFor(EventName.currentTime, undefined, 400)).rejects.toThrow(/timed out/);
    expect(c.ib.isConnected).toBe(true);
    const ib = bare(2);
    ib.connect();
    await expect(waitForEvent(ib, EventName.connected, undefined, 300)).rejects.toThrow(/timed out/);
    sim.silent(false);
    c.ib.reqCurrentTime();
    await c.waitFor(EventName.currentTime);
  });

  it('refuseConnections closes new connections at once; dropConnections closes open ones', async () => {
    await setup();
    const c = await client(1);
    sim.refuseConnections(true);
    const ib = bare(2);
    const closed = waitForEvent(ib, EventName.disconnected).catch(() => 'no-disconnect');
    const failed = waitForEvent(ib, EventName.error).then(() => 'error');
    ib.connect();
    await Promise.race([closed, failed]);
    expect(ib.isConnected).toBe(false);
    sim.refuseConnections(false);

    const gone = c.waitFor(EventName.disconnected);
    sim.dropConnections();
    await gone;
    expect(c.ib.isConnected).toBe(false);
    await sleep(20);
    expect(sim.stats.connections).toBe(0);
  });

  it('a hook drops the connection right before execDetails; the fill survives and is reported on reconnect', async () => {
    await setup();
    const c = await client(1);
    const id = c.nextValidId;
    sim.dropConnectionOn({ message: 'execDetails', when: 'before', orderId: id });
    const placed: number[] = [];
    sim.on('order-placed', (o: { orderId: number }) => placed.push(o.orderId));
    const gone = c.waitFor(EventName.disconnected);
    c.ib.placeOrder(id, AAPL, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 3, transmit: true, orderRef: 'lost-ack' });
    await gone;
    expect(placed).toEqual([id]);
    expect(c.events(EventName.execDetails)).toHaveLength(0);
    expect(sim.executions().map((e) => e.orderRef)).toEqual(['lost-ack']);

    const again = await client(1);
    again.ib.reqExecutions(1, {});
    await again.seen(EventName.execDetailsEnd);
    expect(again.events(EventName.execDetails).map((a) => (a[2] as { orderRef: string }).orderRef)).toEqual(['lost-ack']);
    expect(again.nextValidId).toBe(id + 1);
  });

  it('a hook drops the connection right after openOrder was sent', async () => {
    await setup();
    const c = await client(1);
    const id = c.nextValidId;
    sim.dropConnectionOn({ message: 'openOrder', when: 'after' });
    c.ib.placeOrder(id, AAPL, { action: OrderAction.BUY, orderType: OrderType.LMT, lmtPrice: 100, totalQuantity: 1, transmit: true });
    await c.waitFor(EventName.disconnected);
    expect(c.events(EventName.openOrder)).toHaveLength(1);
    expect(c.events(EventName.orderStatus)).toHaveLength(0);
    expect(sim.openOrders()).toHaveLength(1); // the order keeps working in TWS
  });
});

describe('restart', () => {
  it('keeps orders, executions, positions, cash and order ids; working orders keep working', async () => {
    await setup();
    const c = await client(1);
    const id = c.nextValidId;
    c.ib.placeOrder(id, AAPL, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 7, transmit: true, orderRef: 'before' });
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id && st === 'Filled');
    c.ib.placeOrder(id + 1, AAPL, { action: OrderAction.SELL, orderType: OrderType.LMT, lmtPrice: 250, totalQuantity: 7, transmit: true, orderRef: 'working' });
    await c.seen(EventName.orderStatus, (oid: unknown) => oid === id + 1);
    const cash = sim.account().TotalCashValue;
    const port = sim.port;

    const gone = c.waitFor(EventName.disconnected);
    const restarted = sim.restart(150);
    await gone;
    await restarted;
    expect(sim.port).toBe(port);

    const d = await client(1);
    expect(d.nextValidId).toBe(id + 2);
    d.ib.reqExecutions(3, {});
    await d.seen(EventName.execDetailsEnd);
    expect(d.events(EventName.execDetails).map((a) => (a[2] as { orderRef: string }).orderRef)).toEqual(['before']);
    d.ib.reqPositions();
    await d.seen(EventName.positionEnd);
    expect(d.events(EventName.position).map((a) => a[2])).toEqual([7]);
    d.ib.reqOpenOrders();
    await d.seen(EventName.openOrderEnd);
    expect(d.events(EventName.openOrder).map((a) => (a[2] as { orderRef: string }).orderRef)).toEqual(['working']);
    expect(sim.account().TotalCashValue).toBe(cash);

    sim.setPrice('AAPL', 251);
    await d.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id + 1 && st === 'Filled');
    expect(sim.positions()[0].quantity).toBe(0);
  });
});

describe('connectivity and farms', () => {
  it('1100 / 1102 / 1101 as info messages; ticks stop while disconnected and subscriptions go when data is lost', async () => {
    await setup();
    const c = await client(1);
    c.ib.reqMktData(1, AAPL, '', false, false);
    await c.seen(EventName.tickPrice, (id: unknown) => id === 1);
    sim.connectivityLost();
    await c.seen(EventName.info, (_m: unknown, code: unknown) => code === 1100);
    const before = c.events(EventName.tickPrice).length;
    sim.tick();
    sim.setPrice('AAPL', 150);
    await sleep(50);
    expect(c.events(EventName.tickPrice).length).toBe(before);
    sim.connectivityRestored(false);
    await c.seen(EventName.info, (_m: unknown, code: unknown) => code === 1102);
    sim.setPrice('AAPL', 151);
    await c.seen(EventName.tickPrice, (id: unknown, t: unknown, p: unknown) => id === 1 && t === 4 && p === 151);

    sim.connectivityLost();
    sim.connectivityRestored(true);
    await c.seen(EventName.info, (_m: unknown, code: unknown) => code === 1101);
    const n = c.events(EventName.tickPrice).length;
    sim.setPrice('AAPL', 152);
    await sleep(50);
    expect(c.events(EventName.tickPrice).length).toBe(n);
  });

  it('market data farm broken (2103) stops ticks; OK (2104) again', async () => {
    await setup();
    const c = await client(1);
    c.ib.reqMktData(1, AAPL, '', false, false);
    await c.seen(EventName.tickPrice, (id: unknown) => id === 1);
    sim.dataFarm('usfarm', false);
    await c.seen(EventName.info, (m: unknown, code: unknown) => code === 2103 && String(m).endsWith('usfarm'));
    const n = c.events(EventName.tickPrice).length;
    sim.setPrice('AAPL', 150);
    await sleep(30);
    expect(c.events(EventName.tickPrice).length).toBe(n);
    sim.dataFarm('usfarm', true);
    await c.seen(EventName.info, (_m: unknown, code: unknown) => code === 2104);
    sim.setPrice('AAPL', 149);
    await c.seen(EventName.tickPrice, (id: unknown, t: unknown, p: unknown) => id === 1 && t === 4 && p === 149);
  });

  it('delay slows every answer', async () => {
    await setup();
    const c = await client(1);
    sim.delay(300);
    const t0 = Date.now();
    c.ib.reqCurrentTime();
    await c.waitFor(EventName.currentTime, undefined, 2000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    sim.delay(0);
  });
});

describe('market data types and rates', () => {
  it('delayed data: marketDataType 3 and delayed tick types; 10167 without live permissions', async () => {
    await setup({ liveData: false });
    const c = await client(1);
    c.ib.reqMktData(1, AAPL, '', false, false);
    const [, code, reqId] = await c.seen<[Error, number, number]>(EventName.error, (_e: unknown, code: unknown) => code === 10167);
    expect([code, reqId]).toEqual([10167, 1]);
    await c.seen(EventName.marketDataType, (id: unknown, t: unknown) => id === 1 && t === 3);
    await c.seen(EventName.tickPrice, (id: unknown, t: unknown) => id === 1 && t === 68);
    const types = new Set(c.events(EventName.tickPrice).map((a) => a[1]));
    expect([...types].every((t) => (t as number) >= 66)).toBe(true);

    c.ib.reqMarketDataType(3);
    c.ib.reqMktData(2, { symbol: 'EUR', secType: SecType.CASH, exchange: 'IDEALPRO', currency: 'USD' }, '', false, false);
    await c.seen(EventName.tickPrice, (id: unknown, t: unknown) => id === 2 && t === 66);
  });

  it('delayed data requested with live permissions gets live data, announced as type 1', async () => {
    await setup();
    const c = await client(1);
    c.ib.reqMarketDataType(3);
    c.ib.reqMktData(1, AAPL, '', false, false);
    await c.seen(EventName.marketDataType, (id: unknown, t: unknown) => id === 1 && t === 1);
    await c.seen(EventName.tickPrice, (id: unknown, t: unknown) => id === 1 && t === 4);
    expect(c.events(EventName.tickPrice).every((a) => (a[1] as number) < 66)).toBe(true);
  });

  it("a 'commission' listener can cut the line between execDetails and commissionReport", async () => {
    await setup();
    const c = await client(1);
    sim.once('commission', () => sim.dropConnections());
    const gone = c.waitFor(EventName.disconnected);
    c.ib.placeOrder(c.nextValidId, AAPL, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 1, transmit: true });
    await gone;
    expect(c.events(EventName.execDetails)).toHaveLength(1);
    expect(c.events(EventName.commissionReport)).toHaveLength(0);
    expect(sim.executions()).toHaveLength(1);
  });

  it('counts the client message rate and answers error 100 above 50 per second', async () => {
    await setup();
    const ib = h.bareClient(1, { maxReqPerSec: 1000 });
    const errors: number[] = [];
    ib.on(EventName.info, (_m: string, code: number) => errors.push(code));
    const ready = waitForEvent(ib, EventName.nextValidId);
    ib.connect();
    await ready;
    for (let i = 0; i < 150; i++) ib.reqCurrentTime();
    await waitForEvent(ib, EventName.info, (_m: unknown, code: unknown) => code === 100);
    expect(sim.stats.maxMessagesPerSecond).toBeGreaterThan(50);
    expect(sim.stats.rateViolations).toBe(1);
  });
});

describe('server version 176', () => {
  it('speaks the older layout when told to (no decode errors through a full order cycle)', async () => {
    await setup({ serverVersion: 176 });
    const c = await client(1);
    expect(c.ib.serverVersion).toBe(176);
    const id = c.nextValidId;
    c.ib.reqContractDetails(1, AAPL);
    await c.seen(EventName.contractDetailsEnd);
    c.ib.placeOrder(id, AAPL, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 1, transmit: true });
    await c.seen(EventName.orderStatus, (oid: unknown, st: unknown) => oid === id && st === 'Filled');
    c.ib.cancelOrder(id + 5);
    await c.seen(EventName.error, (_e: unknown, code: unknown) => code === 10147);
    c.ib.reqExecutions(2, {});
    await c.seen(EventName.execDetailsEnd);
    expect(c.events(EventName.execDetails)).toHaveLength(2);
  });
});

describe('order hooks', () => {
  it("'order-placed' fires before the ack: a listener that drops the line leaves the client without openOrder", async () => {
    await setup();
    const c = await client(1);
    const id = c.nextValidId;
    sim.once('order-placed', (o: { orderId: number; orderRef: string }) => {
      expect([o.orderId, o.orderRef]).toEqual([id, 'no-ack']);
      sim.dropConnections();
    });
    const gone = c.waitFor(EventName.disconnected);
    c.ib.placeOrder(id, AAPL, { action: OrderAction.BUY, orderType: OrderType.LMT, lmtPrice: 100, totalQuantity: 1, transmit: true, orderRef: 'no-ack' });
    await gone;
    expect(c.events(EventName.openOrder)).toHaveLength(0);
    expect(sim.openOrders().map((o) => o.orderRef)).toEqual(['no-ack']);
  });
});
