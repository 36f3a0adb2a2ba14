// Alerts through a real SQLite file: a price alert fires once per crossing (the band keeps a hovering price from
// firing again), a percent move is measured from the price at creation, portfolio figures fire by account, and the
// rules (with their fired state) and the log survive a restart.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../adapters/sqlite/store';
import { ManualClock } from '../ports/clock';
import { AlertCreate, type AlertEvent, type AlertRule } from '../../src-shared/api/alerts';
import { AlertInputError, AlertService } from './alerts';

const T0 = Date.parse('2026-12-03T15:00:00Z');

function boot(file: string) {
  const store = openSqliteStore({ file });
  const clock = new ManualClock(T0);
  const fired: AlertEvent[] = [];
  const pushed: AlertRule[][] = [];
  const errors: unknown[] = [];
  const alerts = new AlertService({ store, clock, onFired: (e) => fired.push(e), onRules: (l) => pushed.push(l), onError: (e) => errors.push(e) });
  return { store, clock, alerts, fired, pushed, errors };
}
const ctx = { price: (s: string) => (s === 'AAPL' ? 200 : undefined), defaultAccount: 'PAPER-1' };

describe('AlertService', () => {
  it('fires a price alert once per crossing and keeps rules, state and log across a restart', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qc-alerts-')), 'quant.db');
    const a = boot(file);
    await a.alerts.start();
    const rule = await a.alerts.create(AlertCreate.parse({ kind: 'price', symbol: 'aapl', direction: 'above', level: 210 }), ctx);
    // Default band: 0.2 % of 210 = 0.42.
    expect(rule).toMatchObject({ symbol: 'AAPL', band: expect.closeTo(0.42, 12) as number, state: 'armed', accountId: null });
    for (const p of [205, 209.99, 210.01, 209.7, 210.5, 209.59]) a.alerts.observePrice('AAPL', p);
    a.alerts.observePrice('MSFT', 500); // another symbol: nothing
    expect(a.fired.map((e) => e.value)).toEqual([210.01]);
    expect(a.fired[0]!.message).toBe('AAPL: price 210.01 (alert above 210)');
    // 209.59 < 209.58? No: 210 − 0.42 = 209.58, so 209.59 has not re-armed it.
    expect(a.alerts.list()[0]!.state).toBe('fired');
    await a.alerts.idle();
    a.store.dispose();

    const b = boot(file);
    await b.alerts.start();
    expect(b.alerts.list()).toMatchObject([{ id: rule.id, state: 'fired', lastFired: T0 }]);
    expect(b.alerts.log().map((e) => e.value)).toEqual([210.01]);
    b.alerts.observePrice('AAPL', 211); // still fired after the restart: no second alert for the same crossing
    expect(b.fired).toHaveLength(0);
    b.alerts.observePrice('AAPL', 209.5); // past the band: re-armed
    b.alerts.observePrice('AAPL', 210);
    expect(b.fired.map((e) => e.value)).toEqual([210]);
    expect(b.alerts.log().map((e) => e.value)).toEqual([210, 210.01]);
    expect(await b.alerts.remove(rule.id)).toEqual([]);
    await b.alerts.idle();
    expect(b.errors).toEqual([]);
    b.store.dispose();
  });

  it('measures a percent move from the price at creation; portfolio figures fire per account', async () => {
    const a = boot(join(mkdtempSync(join(tmpdir(), 'qc-alerts-')), 'quant.db'));
    await a.alerts.start();
    await expect(a.alerts.create(AlertCreate.parse({ kind: 'price-move', symbol: 'NOPE', direction: 'below', level: -2 }), ctx)).rejects.toBeInstanceOf(AlertInputError);
    await a.alerts.create(AlertCreate.parse({ kind: 'price-move', symbol: 'AAPL', direction: 'below', level: -2 }), ctx);
    // From 200: 197 is −1.5 %, 196 is −2 % (fires), 195 −2.5 %.
    for (const p of [197, 196, 195]) a.alerts.observePrice('AAPL', p);
    expect(a.fired.map((e) => e.value)).toEqual([-2]);
    await a.alerts.create(AlertCreate.parse({ kind: 'var-use', direction: 'above', level: 80 }), ctx);
    a.alerts.observeAccount('var-use', 'OTHER', 95); // another account
    a.alerts.observeAccount('drawdown', 'PAPER-1', 95); // another figure
    expect(a.fired).toHaveLength(1);
    a.alerts.observeAccount('var-use', 'PAPER-1', 81.5);
    expect(a.fired[1]!.message).toBe('PAPER-1: VaR budget used 81.50 % (alert above 80 %)');
    expect(AlertCreate.safeParse({ kind: 'price', direction: 'above', level: 1 }).success).toBe(false); // no symbol
    await a.alerts.idle();
    a.store.dispose();
  });

  it('indicator alerts read daily closes with the last price as today\'s close', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qc-alerts-')), 'quant.db');
    const store = openSqliteStore({ file });
    const clock = new ManualClock(T0);
    const fired: AlertEvent[] = [];
    const day = (d: number) => Math.floor(T0 / 86_400_000) * 86_400 - d * 86_400;
    let reads = 0;
    const alerts = new AlertService({
      store, clock, onFired: (e) => fired.push(e), onRules: () => undefined, onError: (e) => { throw e; },
      // Three closed days, then today's bar (its close 99 is replaced by the last price).
      dailyCloses: async () => (reads++, [{ time: day(3), close: 8 }, { time: day(2), close: 10 }, { time: day(1), close: 12 }, { time: day(0), close: 99 }]),
    });
    await alerts.start();
    await alerts.create(AlertCreate.parse({ kind: 'indicator', symbol: 'XYZ', indicator: 'sma-distance', period: 4, direction: 'above', level: 25 }), ctx);
    alerts.observePrice('XYZ', 14); // the closes are loading: skipped
    await new Promise((r) => setImmediate(r));
    // [8, 10, 12, 14]: SMA 11, 14 / 11 − 1 = 27.27 % ≥ 25: fires.
    alerts.observePrice('XYZ', 14);
    expect(fired.map((e) => e.value)).toEqual([expect.closeTo(27.2727272727, 8)]);
    expect(fired[0]!.message).toBe('XYZ: distance from SMA(4) 27.27 % (alert above 25 %)');
    // [8, 10, 12, 11]: SMA 10.25, 7.32 %: re-armed (band 1); [8, 10, 12, 13]: SMA 10.75, 20.93 %: below 25, no alert.
    alerts.observePrice('XYZ', 11);
    alerts.observePrice('XYZ', 13);
    expect(fired).toHaveLength(1);
    // RSI(2) over [10, 11, 10, 12] — see the next store: changes +1, −1, +2; first averages 0.5 / 0.5 (RSI 50), then
    // Wilder: gain (0.5 + 2) / 2 = 1.25, loss (0.5 + 0) / 2 = 0.25, RS 5, RSI 100 − 100 / 6 = 83.33.
    const { indicatorValue } = await import('./alerts');
    expect(indicatorValue('rsi', 2, [10, 11, 10, 12])).toBeCloseTo(83.3333333, 6);
    expect(indicatorValue('rsi', 2, [10, 11])).toBeNaN(); // too few closes: the rule waits
    expect(AlertCreate.safeParse({ kind: 'indicator', symbol: 'X', indicator: 'rsi', direction: 'above', level: 120 }).success).toBe(false);
    expect(reads).toBe(1); // read once, kept for an hour
    await alerts.idle();
    store.dispose();
  });

  it('fill and rejection alerts fire on each event, once, for their account and symbol', async () => {
    const a = boot(join(mkdtempSync(join(tmpdir(), 'qc-alerts-')), 'quant.db'));
    await a.alerts.start();
    await a.alerts.create(AlertCreate.parse({ kind: 'fill' }), ctx); // every account, every symbol
    await a.alerts.create(AlertCreate.parse({ kind: 'rejection', symbol: 'AAPL', accountId: 'PAPER-1' }), ctx);
    const fill = { id: 'E1', orderId: 'O1', accountId: 'PAPER-1', symbol: 'MSFT', side: 'buy' as const, quantity: 5, price: 410.5, commission: '1', time: T0 };
    a.alerts.observeFill(fill);
    a.alerts.observeFill(fill); // the same execution again (a replay after reconnect): not told twice
    a.alerts.observeFill({ ...fill, id: 'E2', accountId: 'OTHER', side: 'sell', price: 411 });
    expect(a.fired.map((e) => e.message)).toEqual(['Bought 5 MSFT at 410.5', 'Sold 5 MSFT at 411']);
    const order = { id: 'O2', accountId: 'PAPER-1', symbol: 'AAPL', side: 'buy', quantity: 10, status: 'rejected', rejectReason: 'Order notional above the limit' };
    a.alerts.observeOrder({ ...order, status: 'working' } as never); // not rejected
    a.alerts.observeOrder(order as never);
    a.alerts.observeOrder(order as never);
    a.alerts.observeOrder({ ...order, id: 'O3', symbol: 'MSFT' } as never); // another symbol
    a.alerts.observeOrder({ ...order, id: 'O4', accountId: 'OTHER' } as never); // another account
    expect(a.fired.slice(2).map((e) => e.message)).toEqual(['Buy 10 AAPL rejected: Order notional above the limit']);
    await a.alerts.idle();
    a.store.dispose();
  });
});
