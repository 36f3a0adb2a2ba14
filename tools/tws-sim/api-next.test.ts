// The simulator through IBApiNext, the promise/observable face of @stoqey/ib the adapters may use.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { firstValueFrom, filter } from 'rxjs';
import { BarSizeSetting, ConnectionState, IBApiNext, OrderAction, OrderType, SecType, WhatToShow, type Contract } from '@stoqey/ib';
import { TwsSimulator } from './simulator';

const MSFT: Contract = { symbol: 'MSFT', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };

let sim: TwsSimulator;
let api: IBApiNext;

beforeEach(async () => {
  sim = new TwsSimulator({ port: 0, tickMs: 0 });
  await sim.start();
  api = new IBApiNext({ host: '127.0.0.1', port: sim.port });
  const connected = firstValueFrom(api.connectionState.pipe(filter((s) => s === ConnectionState.Connected)));
  api.connect(4);
  await connected;
});

afterEach(async () => {
  api.disconnect();
  await sim.close();
});

describe('IBApiNext', () => {
  it('time, accounts, contract details, snapshot, historical data, orders and executions', async () => {
    expect(Math.abs((await api.getCurrentTime()) - Date.now() / 1000)).toBeLessThan(5);
    expect(await api.getManagedAccounts()).toEqual(['DU1234567']);
    const [d] = await api.getContractDetails(MSFT);
    expect(d.contract.conId).toBe(272093);
    const snap = await api.getMarketDataSnapshot(MSFT, '', false);
    expect(snap.get(4)?.value).toBe(sim.quote('MSFT').last); // TickType.LAST
    const bars = await api.getHistoricalData(MSFT, '', '1 D', BarSizeSetting.HOURS_ONE, WhatToShow.TRADES, 1, 1);
    expect(bars).toHaveLength(24);
    const id = await api.getNextValidOrderId();
    api.placeOrder(id, MSFT, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 2, transmit: true, orderRef: 'next-1' });
    await new Promise<void>((resolve) => sim.on('commission', () => resolve()));
    // IBApiNext's getExecutionDetails collects every execDetails while it runs, whatever its reqId: let the live one
    // (reqId -1) arrive first, or it is counted twice (a client quirk the IB adapter must know about).
    await new Promise((r) => setTimeout(r, 50));
    const execs = await api.getExecutionDetails({});
    expect(execs.map((e) => [e.execution.orderRef, e.execution.shares])).toEqual([['next-1', 2]]);
    const reports = await api.getCommissionReport({});
    expect(reports.map((r) => r.commission)).toEqual([Number(sim.executions()[0].commission)]);
  });
});
