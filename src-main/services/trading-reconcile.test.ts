// Resolving reconciliation differences at the service level: a broker that keeps orders hands the trading service a
// snapshot (as IB does on connect); the user takes the broker's position or keeps ours with a reason, journaled.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDemoMarket } from '../adapters/demo/market';
import { openSqliteStore } from '../adapters/sqlite/store';
import { createLogger } from '../logging';
import type { Broker, BrokerSnapshot, Reconciler } from '../ports/broker';
import { ManualClock } from '../ports/clock';
import { AccountService } from './account';
import { TradingService, type TradingEvent } from './trading';

const MONDAY = Date.parse('2026-11-30T15:00:00Z');

async function boot(file: string) {
  const clock = new ManualClock(MONDAY);
  const store = openSqliteStore({ file });
  const market = createDemoMarket({ clock, seed: 5 });
  let reconciler: Reconciler | undefined;
  const broker: Broker = {
    name: 'ib', capabilities: { nativeBrackets: true, keepsOrders: true, nativeOrderTypes: ['market', 'limit', 'stop'] }, notReadyReason: () => null,
    placeOrder: () => undefined, cancelOrder: () => undefined, workingOrderIds: () => [],
    onEvent: () => ({ dispose: () => undefined }), setReconciler: (r) => void (reconciler = r), dispose: () => undefined,
  };
  const account = new AccountService({ store, market, clock, accountId: 'U1', broker: 'ib', currency: 'USD', initialCash: 100_000 });
  const trading = new TradingService({
    store, broker, market, clock, account, logger: createLogger({ level: 'silent' }), configKillSwitch: false,
    limits: { maxPositionSize: 1, maxOrderNotional: 1e6, priceCollarPct: 0.05, maxDailyTrades: 100 },
  });
  const events: TradingEvent[] = [];
  trading.on((e) => events.push(e));
  await account.ensureAccount();
  await trading.start();
  const snapshot = (positions: BrokerSnapshot['positions']): BrokerSnapshot => ({ time: clock.now(), openOrders: [], completedOrders: [], executions: [], positions });
  const reports = () => events.flatMap((e) => (e.kind === 'reconciliation' ? [e.report] : []));
  return { store, trading, reconcile: (s: BrokerSnapshot) => reconciler!(s), snapshot, reports, close: () => (trading.dispose(), market.dispose(), store.dispose()) };
}

describe('reconciliation resolution', () => {
  it("take the broker's position: ours becomes the broker's, journaled with the reason, cash untouched", async () => {
    const t = await boot(join(mkdtempSync(join(tmpdir(), 'qc-rec-')), 'quant.db'));
    await t.store.adjustPosition({ position: { accountId: 'U1', symbol: 'AAPL', quantity: 20, avgPrice: 230, realizedPnl: '0.00' }, audit: { time: MONDAY, kind: 'test.setup', orderId: null, payload: {} } });
    const cash = (await t.store.accounts.get('U1'))!.cash;
    await t.reconcile(t.snapshot([{ symbol: 'AAPL', quantity: 0, avgPrice: 0 }, { symbol: 'MSFT', quantity: 5, avgPrice: 480 }]));
    expect(t.reports().at(-1)!.positionDiffs).toEqual([{ symbol: 'AAPL', ours: 20, broker: 0 }, { symbol: 'MSFT', ours: 0, broker: 5 }]);

    const after = await t.trading.resolvePositionDiff('AAPL', 'broker', 'simulator restarted; the broker is right');
    expect(after.positionDiffs).toEqual([{ symbol: 'MSFT', ours: 0, broker: 5 }]);
    expect((await t.store.positions.get('U1', 'AAPL'))!.quantity).toBe(0);
    await t.trading.resolvePositionDiff('MSFT', 'broker', 'bought in TWS');
    expect(await t.store.positions.get('U1', 'MSFT')).toMatchObject({ quantity: 5, avgPrice: 480 });
    expect((await t.store.accounts.get('U1'))!.cash).toBe(cash);
    const adjusted = (await t.store.audit.list({ limit: 10 })).filter((a) => a.kind === 'position.adjusted').reverse();
    expect(adjusted.map((a) => a.payload)).toEqual([
      { by: 'reconciliation', symbol: 'AAPL', from: 20, to: 0, reason: 'simulator restarted; the broker is right', cash: 'unchanged' },
      { by: 'reconciliation', symbol: 'MSFT', from: 0, to: 5, reason: 'bought in TWS', cash: 'unchanged' },
    ]);
    expect(t.reports().at(-1)!.clean).toBe(true);
    // The next reconciliation finds nothing to report.
    await t.reconcile(t.snapshot([{ symbol: 'MSFT', quantity: 5, avgPrice: 480 }]));
    expect(t.reports().at(-1)!.positionDiffs).toEqual([]);
    await expect(t.trading.resolvePositionDiff('AAPL', 'broker', 'again')).rejects.toThrow(/No position difference/);
    t.close();
  });

  it('keep ours with a reason: journaled, the same difference stops nagging (also after a restart), a new one is reported', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qc-rec-')), 'quant.db');
    let t = await boot(file);
    await t.store.adjustPosition({ position: { accountId: 'U1', symbol: 'AAPL', quantity: 20, avgPrice: 230, realizedPnl: '0.00' }, audit: { time: MONDAY, kind: 'test.setup', orderId: null, payload: {} } });
    await t.reconcile(t.snapshot([]));
    await t.trading.resolvePositionDiff('AAPL', 'ours', 'held at another broker');
    expect((await t.store.positions.get('U1', 'AAPL'))!.quantity).toBe(20);
    expect((await t.store.audit.list({ limit: 5 })).find((a) => a.kind === 'reconcile.kept')!.payload).toEqual({ symbol: 'AAPL', ours: 20, broker: 0, reason: 'held at another broker' });
    t.close();
    t = await boot(file);
    await t.reconcile(t.snapshot([]));
    expect(t.reports().at(-1)!.positionDiffs).toEqual([]);
    await t.reconcile(t.snapshot([{ symbol: 'AAPL', quantity: 3, avgPrice: 230 }]));
    expect(t.reports().at(-1)!.positionDiffs).toEqual([{ symbol: 'AAPL', ours: 20, broker: 3 }]);
    t.close();
  });
});
