// Historical bars and IB's pacing rules (error 162), driven by a manual clock so no test waits minutes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BarSizeSetting, EventName, SecType, WhatToShow, type Contract } from '@stoqey/ib';
import { ManualClock } from '../../src-main/ports/clock';
import { TwsSimulator } from './simulator';
import { connectClient, type TestClient } from './test-client';
import { HistoricalPacing } from './market/history';

const SPY: Contract = { symbol: 'SPY', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
const T0 = Date.UTC(2026, 2, 10, 15, 0, 0);

let sim: TwsSimulator;
let clock: ManualClock;
let c: TestClient;

beforeEach(async () => {
  clock = new ManualClock(T0);
  sim = new TwsSimulator({ port: 0, tickMs: 0, clock });
  await sim.start();
  c = await connectClient(sim.port, 1);
});

afterEach(async () => {
  expect(c.decodeErrors).toEqual([]);
  c.close();
  await sim.close();
});

type Row = [number, string, number, number, number, number, number, number, number];

async function bars(reqId: number, end: string, duration: string, size: BarSizeSetting, formatDate = 1): Promise<Row[]> {
  c.ib.reqHistoricalData(reqId, SPY, end, duration, size, WhatToShow.TRADES, 1, formatDate, false);
  await c.seen(EventName.historicalData, (id: unknown, date: unknown) => id === reqId && String(date).startsWith('finished'));
  return c.events(EventName.historicalData).filter((a) => a[0] === reqId && !String(a[1]).startsWith('finished')) as Row[];
}

const pacingError = (reqId: number): Promise<[Error, number, number]> =>
  c.seen<[Error, number, number]>(EventName.error, (_e: unknown, code: unknown, id: unknown) => code === 162 && id === reqId);

describe('historical bars', () => {
  it('returns consistent OHLC bars ending at the requested time, the same for the same request', async () => {
    const day = await bars(1, '20260310 15:00:00 UTC', '1 D', BarSizeSetting.MINUTES_FIVE);
    expect(day).toHaveLength(288);
    expect(day.at(-1)?.[1]).toBe('20260310 15:00:00 UTC');
    expect(day[0][1]).toBe('20260309 15:05:00 UTC');
    for (const [, , o, h, l, cl, v] of day) {
      expect(h).toBeGreaterThanOrEqual(Math.max(o, cl));
      expect(l).toBeLessThanOrEqual(Math.min(o, cl));
      expect(v).toBeGreaterThan(0);
    }
    // The newest close is anchored at the live price.
    expect(day.at(-1)?.[5]).toBe(sim.quote('SPY').last);
    clock.advance(16_000);
    const again = await bars(2, '20260310 15:00:00 UTC', '1 D', BarSizeSetting.MINUTES_FIVE);
    expect(again.map((r) => r.slice(1))).toEqual(day.map((r) => r.slice(1)));
    const daily = await bars(3, '', '1 M', BarSizeSetting.DAYS_ONE, 2);
    expect(daily).toHaveLength(30);
    expect(Number(daily.at(-1)?.[1])).toBe(Math.floor(T0 / 1000 / 86400) * 86400);
  });
});

describe('pacing (error 162)', () => {
  it('rejects an identical request within 15 seconds, and accepts it after', async () => {
    await bars(10, '20260310 14:00:00 UTC', '1 D', BarSizeSetting.HOURS_ONE);
    clock.advance(14_000);
    c.ib.reqHistoricalData(11, SPY, '20260310 14:00:00 UTC', '1 D', BarSizeSetting.HOURS_ONE, WhatToShow.TRADES, 1, 1, false);
    const [err] = await pacingError(11);
    expect(err.message).toMatch(/pacing violation/i);
    clock.advance(1_001);
    expect(await bars(12, '20260310 14:00:00 UTC', '1 D', BarSizeSetting.HOURS_ONE)).toHaveLength(24);
    expect(sim.stats.pacingViolations).toBe(1);
  });

  it('rejects the 61st request within ten minutes, and accepts again once the window has moved', async () => {
    // Distinct requests, 3 s apart (so the 2-second rule never applies): 60 fit in 180 s.
    for (let i = 0; i < 60; i++) {
      await bars(100 + i, `202603${String(1 + (i % 9)).padStart(2, '0')} ${String(10 + Math.floor(i / 9)).padStart(2, '0')}:00:00 UTC`, '1800 S', BarSizeSetting.MINUTES_ONE);
      clock.advance(3_000);
    }
    c.ib.reqHistoricalData(200, SPY, '20260310 12:34:00 UTC', '1800 S', BarSizeSetting.MINUTES_ONE, WhatToShow.TRADES, 1, 1, false);
    await pacingError(200);
    clock.advance(600_000 - 60 * 3_000 + 1);
    expect(await bars(201, '20260310 12:34:00 UTC', '1800 S', BarSizeSetting.MINUTES_ONE)).toHaveLength(30);
  });

  it('rejects the sixth request for the same contract and tick type within two seconds', () => {
    const p = new HistoricalPacing();
    const req = (i: number) => ({ contractKey: 'SPY', identityKey: `SPY|${i}`, tickTypeKey: 'SPY|SMART|TRADES' });
    for (let i = 0; i < 5; i++) expect(p.admit(req(i), 1_000 + i * 100)).toBeUndefined();
    expect(p.admit(req(5), 1_600)).toMatch(/six or more/);
    expect(p.admit({ ...req(6), tickTypeKey: 'SPY|SMART|MIDPOINT' }, 1_700)).toBeUndefined();
    expect(p.admit(req(7), 3_001)).toBeUndefined();
  });

  it('holds requests while the HMDS farm is down and answers them when it is back', async () => {
    sim.dataFarm('ushmds', false);
    await c.seen(EventName.info, (_m: unknown, code: unknown) => code === 2105);
    c.ib.reqHistoricalData(300, SPY, '', '1 D', BarSizeSetting.HOURS_ONE, WhatToShow.TRADES, 1, 1, false);
    c.ib.reqCurrentTime();
    await c.seen(EventName.currentTime);
    expect(c.events(EventName.historicalData)).toHaveLength(0);
    sim.dataFarm('ushmds', true);
    await c.seen(EventName.info, (_m: unknown, code: unknown) => code === 2106);
    await c.seen(EventName.historicalData, (id: unknown, d: unknown) => id === 300 && String(d).startsWith('finished'));
  });
});

describe('live bars', () => {
  it('keepUpToDate: the current bar follows the live trades, and a new bar starts on the next interval', async () => {
    c.ib.reqHistoricalData(400, SPY, '', '1800 S', BarSizeSetting.MINUTES_ONE, WhatToShow.TRADES, 1, 1, true);
    await c.seen(EventName.historicalData, (id: unknown, d: unknown) => id === 400 && String(d).startsWith('finished'));
    clock.advance(10_000);
    sim.setPrice('SPY', 600);
    const [, date, open, high, , close] = await c.seen<[number, string, number, number, number, number]>(EventName.historicalDataUpdate, (id: unknown) => id === 400);
    expect(date).toBe('20260310 15:00:00 UTC');
    expect(close).toBe(600);
    expect(high).toBe(600);
    expect(open).not.toBe(600);
    clock.advance(60_000);
    sim.setPrice('SPY', 601);
    const [, next, o2, , , c2] = await c.seen<[number, string, number, number, number, number]>(EventName.historicalDataUpdate, (id: unknown, d: unknown) => id === 400 && d === '20260310 15:01:00 UTC');
    expect(next).toBe('20260310 15:01:00 UTC');
    expect([o2, c2]).toEqual([601, 601]);

    c.ib.reqHistoricalData(401, SPY, '20260310 15:00:00 UTC', '1800 S', BarSizeSetting.MINUTES_ONE, WhatToShow.TRADES, 1, 1, true);
    await c.seen(EventName.error, (_e: unknown, code: unknown, id: unknown) => code === 321 && id === 401);
  });

  it('reqRealTimeBars: 5-second OHLC bars of the live trades', async () => {
    sim.setPrice('SPY', 505);
    c.ib.reqRealTimeBars(500, SPY, 5, WhatToShow.TRADES, false);
    c.ib.reqCurrentTime();
    await c.seen(EventName.currentTime);
    clock.advance(1_000);
    sim.setPrice('SPY', 510);
    clock.advance(1_000);
    sim.setPrice('SPY', 512);
    clock.advance(1_000);
    sim.setPrice('SPY', 509);
    clock.advance(2_500);
    sim.setPrice('SPY', 511);
    const [, time, open, high, low, close, volume] = await c.seen<number[]>(EventName.realtimeBar, (id: unknown) => id === 500);
    expect(time).toBe(T0 / 1000);
    // The bar opens at the price when the subscription started.
    expect([open, high, low, close]).toEqual([505, 512, 505, 509]);
    expect(volume).toBe(300);
    c.ib.cancelRealTimeBars(500);
    c.ib.reqCurrentTime(); // a round trip: the cancel has arrived
    await c.waitFor(EventName.currentTime);
    clock.advance(5_000);
    sim.setPrice('SPY', 515);
    c.ib.reqCurrentTime();
    await c.waitFor(EventName.currentTime);
    expect(c.events(EventName.realtimeBar)).toHaveLength(1);
  });
});
