// Historical bars from the TWS simulator through the pacer, with one virtual clock on both sides so ten-minute pacing
// windows pass in milliseconds: 100 requests without a single 162, identical requests shared, a 162 caused by
// another application on the same TWS retried once IB's window has passed.
import { afterEach, describe, expect, it } from 'vitest';
import { BarSizeSetting, EventName, SecType, WhatToShow } from '@stoqey/ib';
import { TwsSimulator } from '../../tools/tws-sim/simulator';
import { connectClient } from '../../tools/tws-sim/test-client';
import { IbDataClient } from '../../src-main/adapters/ib/data';
import type { Bar } from '../../src-shared/domain/types';
import { TestIbHandle } from './handle';
import { VirtualTime } from './virtual-time';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const T0 = Date.UTC(2026, 0, 6, 16, 0); // a Tuesday, US market open

async function setup() {
  const vt = new VirtualTime(T0);
  // The simulator counts messages per real second; virtual seconds pass faster, so its 50/s check is lifted here
  // (the rate test in data-rate.test.ts runs on the real clock).
  const sim = new TwsSimulator({ port: 0, tickMs: 0, accountUpdateMs: 0, clock: vt.clock, maxMessagesPerSecond: 1_000_000 });
  const port = await sim.start();
  cleanup.push(() => sim.close());
  const handle = new TestIbHandle(port, 7, { clock: vt.clock, timers: vt });
  cleanup.push(() => handle.dispose());
  await handle.connect();
  const client = new IbDataClient(handle, { clock: vt.clock, timers: vt });
  cleanup.push(() => client.dispose());
  const historyRequests: number[] = [];
  handle.api.on(EventName.sent, (tokens: unknown[]) => {
    let t: unknown = tokens;
    while (Array.isArray(t)) t = t[0];
    if (t === 20) historyRequests.push(vt.now());
  });
  return { vt, sim, handle, client, historyRequests };
}

/**
 * Runs virtual time until `done()`: while requests are out on the wire it waits for TCP (real time), otherwise it
 * jumps to the next timer (the pacer's or the rate limiter's).
 */
async function drive(vt: VirtualTime, client: IbDataClient, handle: TestIbHandle, done: () => boolean, maxRealMs = 30_000): Promise<void> {
  const start = Date.now();
  let idleSince = Date.now();
  while (!done()) {
    if (Date.now() - start > maxRealMs) throw new Error(`drive: not done after ${maxRealMs} ms (virtual ${vt.now() - T0} ms)`);
    await new Promise((r) => setTimeout(r, 1));
    const waitingForTws = client.status().requestsInFlight > 0 && handle.limiter.stats().queued === 0;
    if (waitingForTws && Date.now() - idleSince < 2000) continue;
    idleSince = Date.now();
    vt.runNext();
  }
}

function settleAll<T>(ps: Promise<T>[]): { results: Array<T | Error>; done: () => boolean } {
  const results: Array<T | Error> = new Array(ps.length);
  let n = 0;
  ps.forEach((p, i) => p.then((v) => { results[i] = v; n++; }, (e: Error) => { results[i] = e; n++; }));
  return { results, done: () => n === ps.length };
}

describe('IB historical data through the pacer', () => {
  it('finishes 100 queued requests with zero pacing violations at TWS, sharing identical ones', async () => {
    const { vt, sim, handle, client, historyRequests } = await setup();
    const symbols = ['AAPL', 'MSFT', 'SPY', 'IBM', 'TSLA', 'NVDA', 'AMZN', 'GOOGL', 'EURUSD', 'GBPUSD', 'USDJPY', 'AUDUSD'];
    const to = Math.floor(T0 / 1000 / 3600) * 3600;
    // Each within one IB request (1-hour bars: up to 30 days), all different.
    const reqs = Array.from({ length: 100 }, (_, i) => ({
      symbol: symbols[i % symbols.length],
      timeframe: '1h' as const,
      from: to - i * 3600 - 10 * 86400,
      to: to - i * 3600,
    }));
    // Ten callers ask again for something already asked: they share the request instead of repeating it.
    const dupes = reqs.slice(0, 10).map((r) => ({ ...r }));
    const all = settleAll([...reqs, ...dupes].map((r, i) => client.history(r, undefined, { priority: i < 100 ? 'bulk' : 'ui' })));
    await drive(vt, client, handle, all.done);
    const errors = all.results.filter((r) => r instanceof Error);
    expect(errors).toEqual([]);
    const bars = all.results as Bar[][];
    expect(bars.every((b) => b.length > 0)).toBe(true);
    for (let i = 0; i < 10; i++) expect(bars[100 + i]).toEqual(bars[i]);
    expect(sim.stats.pacingViolations).toBe(0);
    expect(historyRequests.length).toBe(100);
    expect(client.status().pacing).toMatchObject({ sent: 100, shared: 10, pacingViolations: 0, queued: 0, inFlight: 0 });
    // 100 requests at IB's 60 per 10 minutes (55 for bulk): the second batch waited out the first window.
    expect(historyRequests[99] - historyRequests[0]).toBeGreaterThan(600_000);
    for (const r of historyRequests) expect(historyRequests.filter((t) => t > r - 600_000 && t <= r).length).toBeLessThanOrEqual(60);
    // Bars are the requested span, oldest first, within [from, to].
    const b0 = bars[0];
    expect(b0[0].time).toBeGreaterThanOrEqual(reqs[0].from);
    expect(b0.at(-1)!.time).toBeLessThanOrEqual(reqs[0].to);
    expect(b0.every((b, i) => i === 0 || b.time > b0[i - 1].time)).toBe(true);
  });

  it('serves a repeat within 15 s from the recent answer without asking TWS again', async () => {
    const { vt, handle, client, historyRequests } = await setup();
    const req = { symbol: 'EURUSD', timeframe: '5m' as const, from: T0 / 1000 - 86400, to: T0 / 1000 - 300 };
    const first = settleAll([client.history(req)]);
    await drive(vt, client, handle, first.done);
    vt.advance(10_000);
    const again = await client.history(req);
    expect(again).toEqual(first.results[0]);
    expect(historyRequests.length).toBe(1);
    expect(client.status().pacing.servedRecent).toBe(1);
  });

  it('retries after a 162 caused by another application on the same TWS, once the window has passed', async () => {
    const { vt, sim, handle, client, historyRequests } = await setup();
    // Another application fills IB's 60-per-10-minutes allowance just before us.
    const other = await connectClient(sim.port, 9);
    cleanup.push(() => other.close());
    let answered = 0;
    other.ib.on(EventName.historicalData, (_id: number, time: string) => {
      if (time.startsWith('finished')) answered++;
    });
    let refused = 0;
    other.ib.on(EventName.error, (_e: Error, code: number) => {
      if (code === 162) refused++;
    });
    const contracts = [
      ...['AAPL', 'MSFT', 'SPY', 'IBM', 'TSLA', 'NVDA', 'AMZN', 'GOOGL'].map((symbol) => ({ symbol, secType: SecType.STK, exchange: 'SMART', currency: 'USD' })),
      ...[['EUR', 'USD'], ['GBP', 'USD'], ['USD', 'JPY'], ['AUD', 'USD']].map(([symbol, currency]) => ({ symbol, secType: SecType.CASH, exchange: 'IDEALPRO', currency })),
    ];
    for (let i = 0; i < 60; i++) {
      const c = contracts[i % 12];
      const what = c.secType === SecType.CASH ? WhatToShow.MIDPOINT : WhatToShow.TRADES;
      other.ib.reqHistoricalData(5000 + i, c, '', `${i + 1} D`, BarSizeSetting.HOURS_ONE, what, 1, 2, false);
    }
    await new Promise<void>((resolve) => {
      const check = () => (answered + refused === 60 ? resolve() : setTimeout(check, 5));
      check();
    });
    expect(refused).toBe(0); // the other application kept to the rules itself; together we exceed them
    vt.advance(1000);
    const req = { symbol: 'AAPL', timeframe: '1d' as const, from: T0 / 1000 - 200 * 86400, to: T0 / 1000 - 86400 };
    const res = settleAll([client.history(req)]);
    await drive(vt, client, handle, res.done);
    expect(res.results[0]).not.toBeInstanceOf(Error);
    expect((res.results[0] as Bar[]).length).toBeGreaterThan(100);
    const p = client.status().pacing;
    expect(p.pacingViolations).toBeGreaterThanOrEqual(1);
    expect(p.retries).toBe(p.pacingViolations);
    expect(sim.stats.pacingViolations).toBe(p.pacingViolations);
    // The answer came from a request sent after the other application's requests left IB's ten-minute window.
    expect(historyRequests.at(-1)! - T0).toBeGreaterThan(600_000);
    // Every retry waited at least the 15 s pause.
    for (let i = 1; i < historyRequests.length; i++) expect(historyRequests[i] - historyRequests[i - 1]).toBeGreaterThanOrEqual(15_000);
  });
});
