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
});
