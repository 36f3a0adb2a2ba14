// The simulator against the real @stoqey/ib client over TCP: handshake, contracts, market data, orders, account.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventName, OrderAction, OrderType, SecType, WhatToShow, type Contract, type Order } from '@stoqey/ib';
import Decimal from 'decimal.js';
import { SimHarness, type TestClient } from './test-client';
import { cumulativeCommission } from './trading/commission';

const AAPL: Contract = { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };

const h = new SimHarness();
let sim: SimHarness['sim'];
const client = (clientId = 1): Promise<TestClient> => h.client(clientId);

beforeEach(async () => {
  sim = await h.start({ seed: 7 });
});

afterEach(() => h.dispose());

describe('connection', () => {
  it('negotiates the newest version the client reads and delivers managedAccounts, nextValidId and the farm messages', async () => {
    const c = await client(3);
    expect(c.ib.serverVersion).toBe(193);
    expect(c.events(EventName.managedAccounts)).toEqual([['DU1234567']]);
    expect(c.nextValidId).toBe(1);
    await c.seen(EventName.info, (_msg: unknown, code: unknown) => code === 2158);
    const infoCodes = c.events(EventName.info).map((a) => a[1]);
    expect(infoCodes).toEqual(expect.arrayContaining([2104, 2106, 2158]));
    c.ib.reqCurrentTime();
    const [t] = await c.waitFor<[number]>(EventName.currentTime);
    expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(5);
    expect(sim.stats.connections).toBe(1);
  });
});

describe('contract details', () => {
  it('describes a stock, and answers 200 for an unknown one', async () => {
    const c = await client();
    c.ib.reqContractDetails(11, AAPL);
    await c.waitFor(EventName.contractDetailsEnd, (id: unknown) => id === 11);
    const details = c.events(EventName.contractDetails).map((a) => a[1] as { contract: Contract; minTick: number; longName: string });
    expect(details).toHaveLength(1);
    expect(details[0].contract).toMatchObject({ conId: 265598, symbol: 'AAPL', secType: 'STK', currency: 'USD', primaryExch: 'NASDAQ' });
    expect(details[0].minTick).toBe(0.01);
    expect(details[0].longName).toBe('APPLE INC');

    c.ib.reqContractDetails(12, { symbol: 'NOPE', secType: SecType.STK, exchange: 'SMART', currency: 'USD' });
    const [, , reqId] = await c.waitFor<[Error, number, number]>(EventName.error, (_e: unknown, code: unknown) => code === 200);
    expect(reqId).toBe(12);
  });
});

describe('contract details for other security types', () => {
  it('FX on IDEALPRO, a CFD, a futures month, and an option chain', async () => {
    const c = await client();
    const details = async (reqId: number, contract: Contract): Promise<Array<{ contract: Contract; minTick: number; underConId?: number }>> => {
      c.ib.reqContractDetails(reqId, contract);
      await c.seen(EventName.contractDetailsEnd, (id: unknown) => id === reqId);
      return c.events(EventName.contractDetails).filter((a) => a[0] === reqId).map((a) => a[1] as { contract: Contract; minTick: number });
    };
    const [eur] = await details(1, { symbol: 'EUR', secType: SecType.CASH, exchange: 'IDEALPRO', currency: 'USD' });
    expect(eur.contract).toMatchObject({ conId: 12087792, localSymbol: 'EUR.USD', exchange: 'IDEALPRO', currency: 'USD' });
    expect(eur.minTick).toBe(0.00005);
    const [cfd] = await details(2, { symbol: 'AAPL', secType: SecType.CFD, exchange: 'SMART', currency: 'USD' });
    expect(cfd.contract.secType).toBe('CFD');
    expect(cfd.underConId).toBe(265598);
    const es = sim.instrument('ES', 'FUT')!;
    const futs = await details(3, { symbol: 'ES', secType: SecType.FUT, exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: es.expiry.slice(0, 6) });
    expect(futs.map((d) => [d.contract.lastTradeDateOrContractMonth, d.contract.multiplier])).toEqual([[es.expiry, 50]]);
    const chain = await details(4, { symbol: 'AAPL', secType: SecType.OPT, exchange: 'SMART', currency: 'USD' });
    expect(chain.length).toBe(36); // 2 expiries × 9 strikes × call/put
    const call = chain.find((d) => d.contract.right === 'C' && d.contract.strike === 190)!;
    expect(call.contract.multiplier).toBe(100);
    const [one] = await details(5, { ...call.contract, conId: undefined });
    expect(one.contract.conId).toBe(call.contract.conId);
    expect(c.events(EventName.contractDetails).filter((a) => a[0] === 5)).toHaveLength(1);
  });
});

describe('symbol search, head timestamp, option parameters', () => {
  it('reqMatchingSymbols ranks symbol matches first; reqHeadTimestamp; reqSecDefOptParams lists expiries and strikes', async () => {
    const c = await client();
    c.ib.reqMatchingSymbols(1, 'a');
    const [, samples] = await c.seen<[number, Array<{ contract: Contract & { description: string }; derivativeSecTypes: string[] }>]>(EventName.symbolSamples, (id: unknown) => id === 1);
    expect(samples.map((x) => x.contract.symbol).slice(0, 3)).toEqual(['AAPL', 'AMZN', 'AUD']);
    expect(samples[0].contract).toMatchObject({ conId: 265598, secType: 'STK', primaryExch: 'NASDAQ', currency: 'USD', description: 'APPLE INC' });
    expect(samples[0].derivativeSecTypes.sort()).toEqual(['CFD', 'OPT']);
    c.ib.reqMatchingSymbols(2, 'microsoft');
    const [, byName] = await c.seen<[number, Array<{ contract: Contract }>]>(EventName.symbolSamples, (id: unknown) => id === 2);
    expect(byName.map((x) => x.contract.symbol)).toEqual(['MSFT']);

    c.ib.reqHeadTimestamp(3, AAPL, WhatToShow.TRADES, true, 2);
    const [, head] = await c.seen<[number, string]>(EventName.headTimestamp, (id: unknown) => id === 3);
    expect(Date.now() / 1000 - Number(head)).toBeGreaterThan(19 * 365 * 86400);

    c.ib.reqSecDefOptParams(4, 'AAPL', '', SecType.STK, 265598);
    await c.seen(EventName.securityDefinitionOptionParameterEnd, (id: unknown) => id === 4);
    const rows = c.events(EventName.securityDefinitionOptionParameter);
    expect(rows.map((r) => r[1])).toEqual(['SMART', 'CBOE']);
    const [, , underConId, tradingClass, multiplier, expirations, strikes] = rows[0] as [number, string, number, string, number, string[], number[]];
    expect([underConId, tradingClass, multiplier]).toEqual([265598, 'AAPL', 100]);
    expect(expirations).toHaveLength(2);
    expect(strikes).toHaveLength(9);
  });
});

describe('market data', () => {
  it('streams bid/ask/last with sizes, and moves with setPrice', async () => {
    const c = await client();
    c.ib.reqMktData(5, AAPL, '', false, false);
    await c.waitFor(EventName.tickPrice, (id: unknown, type: unknown) => id === 5 && type === 4);
    const prices = new Map(c.events(EventName.tickPrice).filter((a) => a[0] === 5).map((a) => [a[1], a[2]]));
    const q = sim.quote('AAPL');
    expect(prices.get(1)).toBe(q.bid);
    expect(prices.get(2)).toBe(q.ask);
    expect(prices.get(4)).toBe(q.last);
    expect(c.events(EventName.tickSize).some((a) => a[0] === 5 && a[1] === 0 && a[2] === q.bidSize)).toBe(true);

    sim.setPrice('AAPL', 200);
    const [, , last] = await c.waitFor<[number, number, number]>(EventName.tickPrice, (id: unknown, type: unknown, p: unknown) => id === 5 && type === 4 && p === 200);
    expect(last).toBe(200);
    const bid = c.events(EventName.tickPrice).filter((a) => a[0] === 5 && a[1] === 1).at(-1)?.[2];
    expect(bid).toBe(199.98);
  });
});

describe('random walk', () => {
  it('moves prices on the timer and streams them', async () => {
    await h.dispose();
    sim = await h.start({ seed: 7, tickMs: 10 });
    const c = await client();
    c.ib.reqMktData(1, AAPL, '', false, false);
    await c.seen(EventName.tickPrice, (id: unknown, t: unknown) => id === 1 && t === 4);
    const first = c.events(EventName.tickPrice).filter((a) => a[1] === 4).length;
    await c.waitFor(EventName.tickPrice, () => c.events(EventName.tickPrice).filter((a) => a[1] === 4).length >= first + 5, 3000);
    const lasts = new Set(c.events(EventName.tickPrice).filter((a) => a[1] === 4).map((a) => a[2]));
    expect(lasts.size).toBeGreaterThan(3);
  });
});

describe('orders', () => {
  it('fills a market order: openOrder, orderStatus, execDetails, commissionReport, Filled; orderRef echoed; cash and position follow', async () => {
    const c = await client();
    const id = c.nextValidId;
    sim.setQuote('AAPL', { bid: 189.99, ask: 190.01, last: 190 });
    const order: Order = { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 100, transmit: true, orderRef: 'cid-42', account: 'DU1234567', tif: 'DAY' };
    c.ib.placeOrder(id, AAPL, order);
    await c.waitFor(EventName.orderStatus, (oid: unknown, status: unknown) => oid === id && status === 'Filled');
    await c.seen(EventName.commissionReport);
    const seq = c.log.filter((e) => ['openOrder', 'orderStatus', 'execDetails', 'commissionReport'].includes(e.name)).map((e) => e.name === 'orderStatus' ? `orderStatus:${e.args[1]}` : e.name);
    expect(seq.slice(0, 4)).toEqual(['openOrder', 'orderStatus:Submitted', 'execDetails', 'commissionReport']);
    expect(seq).toContain('orderStatus:Filled');
    const [, contract, exec] = c.events(EventName.execDetails)[0] as [number, Contract, { orderRef: string; shares: number; price: number; side: string; execId: string; acctNumber: string }];
    expect(contract.symbol).toBe('AAPL');
    expect(exec).toMatchObject({ orderRef: 'cid-42', shares: 100, price: 190.01, side: 'BOT', acctNumber: 'DU1234567' });
    const [report] = c.events(EventName.commissionReport)[0] as [{ execId: string; commission: number; currency: string }];
    // 100 shares taking liquidity: max(0.35, 100 × 0.0035) + 100 × 0.0002 clearing + 100 × 0.003 exchange = 0.67.
    expect(report).toMatchObject({ execId: exec.execId, commission: 0.67, currency: 'USD' });
    const [open] = c.events(EventName.openOrder).map((a) => a[2] as Order);
    expect(open).toMatchObject({ orderRef: 'cid-42', action: 'BUY', totalQuantity: 100, orderType: 'MKT' });
    expect(sim.positions()).toEqual([expect.objectContaining({ symbol: 'AAPL', quantity: 100 })]);
    expect(sim.account().TotalCashValue).toBe(new Decimal(1_000_000).sub('19001').sub('0.67').toFixed(2));
  });

  it('commission is exact across partial fills (per-order minimum applied once)', () => {
    const inst = sim.instrument('AAPL')!;
    expect(cumulativeCommission(inst, 50, 9500, true).toString()).toBe('0.51');
    expect(cumulativeCommission(inst, 10, 1900, false).toString()).toBe('0.352');
  });
});
