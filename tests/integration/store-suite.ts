// One behavioural suite for every Store implementation (SQLite file, PostgreSQL server).
import { describe, expect, it } from 'vitest';
import type { Fill, Order } from '../../src-shared/domain/types';
import type { Store } from '../../src-main/ports/store';

export function order(over: Partial<Order> = {}): Order {
  return {
    id: over.id ?? crypto.randomUUID(), accountId: 'ACC', brokerOrderId: null, symbol: 'AAPL', side: 'buy', type: 'market', quantity: 10,
    limitPrice: null, stopPrice: null, timeInForce: 'day', stopLoss: null, takeProfit: null, parentId: null, source: 'manual',
    status: 'new', filledQuantity: 0, avgFillPrice: null, rejectReason: null, createdAt: 1_000, updatedAt: 1_000, ...over,
  };
}

export function storeSuite(name: string, open: () => Promise<Store>, rawExec: (store: Store, sql: string) => Promise<unknown>) {
  describe(`Store on ${name}`, () => {
    let store: Store;
    const fresh = async () => {
      store = await open();
      if (!(await store.accounts.get('ACC'))) await store.accounts.insert({ id: 'ACC', broker: 'paper', currency: 'USD', cash: '100000.10', initialCash: '100000.10', createdAt: 1 });
      return store;
    };

    it('accounts keep exact decimal cash', async () => {
      await fresh();
      let cash = (await store.accounts.get('ACC'))!.cash;
      expect(cash).toBe('100000.10');
      await store.accounts.setCash('ACC', '99999.99');
      cash = (await store.accounts.get('ACC'))!.cash;
      expect(cash).toBe('99999.99');
      await store.dispose();
    });

    it('orders: insert, update, get, open-only, newest first, limit', async () => {
      await fresh();
      const a = order({ createdAt: 10 });
      const b = order({ createdAt: 20, type: 'limit', limitPrice: 101.5 });
      await store.orders.insert(a);
      await store.orders.insert(b);
      await store.orders.update({ ...a, status: 'filled', filledQuantity: 10, avgFillPrice: 100.25, updatedAt: 30 });
      expect(await store.orders.get(a.id)).toMatchObject({ status: 'filled', avgFillPrice: 100.25 });
      expect(await store.orders.get('nope')).toBeUndefined();
      const all = await store.orders.list({ accountId: 'ACC' });
      expect(all.indexOf(all.find((o) => o.id === b.id)!)).toBeLessThan(all.indexOf(all.find((o) => o.id === a.id)!));
      const open = await store.orders.list({ accountId: 'ACC', openOnly: true });
      expect(open.map((o) => o.id)).toContain(b.id);
      expect(open.map((o) => o.id)).not.toContain(a.id);
      expect(await store.orders.list({ accountId: 'ACC', limit: 1 })).toHaveLength(1);
      await store.dispose();
    });

    it('applyFill is atomic and idempotent on the fill id', async () => {
      await fresh();
      const o = order();
      await store.orders.insert(o);
      const fill: Fill = { id: `F-${o.id}`, orderId: o.id, accountId: 'ACC', symbol: 'AAPL', side: 'buy', quantity: 10, price: 100.5, commission: '1.00', time: 5_000 };
      const unit = {
        fill, order: { ...o, status: 'filled' as const, filledQuantity: 10, avgFillPrice: 100.5 },
        position: { accountId: 'ACC', symbol: 'AAPL', quantity: 10, avgPrice: 100.5, realizedPnl: '-1.00' }, cash: '98994.10',
        audit: { time: 5_000, kind: 'order.fill', orderId: o.id, payload: { execId: fill.id } },
      };
      const auditBefore = (await store.audit.list({ limit: 5000 })).length;
      expect(await store.applyFill(unit)).toBe(true);
      expect(await store.applyFill({ ...unit, cash: '1.00' })).toBe(false);
      expect((await store.accounts.get('ACC'))!.cash).toBe('98994.10');
      expect(await store.positions.get('ACC', 'AAPL')).toEqual({ accountId: 'ACC', symbol: 'AAPL', quantity: 10, avgPrice: 100.5, realizedPnl: '-1.00' });
      expect(await store.fills.listForOrder(o.id)).toEqual([fill]);
      expect((await store.audit.list({ limit: 5000 })).length).toBe(auditBefore + 1);
      expect(await store.fills.countBetween('ACC', 5_000, 5_001)).toBeGreaterThanOrEqual(1);
      expect(await store.fills.countBetween('ACC', 5_001, 9_000)).toBe(0);
      expect((await store.orders.get(o.id))!.status).toBe('filled');
      await store.dispose();
    });

    it('audit log: increasing sequence, newest first, and the database refuses UPDATE and DELETE', async () => {
      await fresh();
      const s1 = await store.audit.append({ time: 1, kind: 'order.intent', orderId: 'X1', payload: { qty: 1 } });
      const s2 = await store.audit.append({ time: 2, kind: 'risk.decision', orderId: 'X1', payload: { ok: true } });
      expect(s2).toBeGreaterThan(s1);
      const entries = await store.audit.list({ orderId: 'X1' });
      expect(entries.map((e) => e.kind)).toEqual(['risk.decision', 'order.intent']);
      expect(entries[1]!.payload).toEqual({ qty: 1 });
      await expect(rawExec(store, `update audit_log set kind = 'x' where seq = ${s1}`)).rejects.toThrow(/append-only/);
      await expect(rawExec(store, `delete from audit_log where seq = ${s1}`)).rejects.toThrow(/append-only/);
      expect((await store.audit.list({ orderId: 'X1' })).length).toBe(2);
      await store.dispose();
    });

    it('bars: upsert replaces the same time, range is inclusive and sorted', async () => {
      await fresh();
      const bar = (time: number, close: number) => ({ time, open: 1, high: 2, low: 0.5, close, volume: 10 });
      await store.bars.upsertMany('AAPL', '1d', [bar(300, 1.5), bar(100, 1.1), bar(200, 1.2)]);
      await store.bars.upsertMany('AAPL', '1d', [bar(200, 1.25)]);
      expect((await store.bars.range('AAPL', '1d', 100, 200)).map((b) => [b.time, b.close])).toEqual([[100, 1.1], [200, 1.25]]);
      expect(await store.bars.range('AAPL', '1m', 0, 1e12)).toEqual([]);
      await store.dispose();
    });

    it('backtest runs: saved whole, listed newest first without the result', async () => {
      await fresh();
      const result = { metrics: { sharpe: 1.25 }, equity: [{ time: 1, equity: 10000 }] };
      await store.backtests.insert({ id: 'b1', createdAt: 10, kind: 'backtest', name: 'first', strategy: 'sma-cross', summary: { sharpe: 1.25 }, result });
      await store.backtests.insert({ id: 'b2', createdAt: 20, kind: 'optimization', name: 'second', strategy: 'sma-cross', summary: { evaluated: 9 }, result: { results: [] } });
      const list = await store.backtests.list();
      expect(list.map((r) => r.id).slice(0, 2)).toEqual(['b2', 'b1']);
      expect(list[0]).not.toHaveProperty('result');
      expect(await store.backtests.get('b1')).toEqual({ id: 'b1', createdAt: 10, kind: 'backtest', name: 'first', strategy: 'sma-cross', summary: { sharpe: 1.25 }, result });
      expect(await store.backtests.get('nope')).toBeUndefined();
      await store.dispose();
    });

    it('quarantine keeps refused rows with their reason', async () => {
      await fresh();
      await store.quarantine.add([
        { symbol: 'QQ', timeframe: '1d', source: 'a.csv', row: 3, reason: 'bad date "x"', createdAt: 1 },
        { symbol: 'QQ', timeframe: '1d', source: 'a.csv', row: 7, reason: 'duplicate timestamp', createdAt: 1 },
      ]);
      expect((await store.quarantine.list({ symbol: 'QQ' })).map((q) => [q.row, q.reason])).toEqual([[3, 'bad date "x"'], [7, 'duplicate timestamp']]);
      await store.dispose();
    });

    it('equity, strategies, settings, instruments round-trip', async () => {
      await fresh();
      await store.equity.append('ACC', { time: 60_000, nav: '100000.1' });
      await store.equity.append('ACC', { time: 120_000, nav: '100010.55' });
      expect((await store.equity.list('ACC')).slice(-2)).toEqual([{ time: 60_000, nav: '100000.10' }, { time: 120_000, nav: '100010.55' }]);
      await store.strategies.upsert({ id: 's1', name: 'SMA', kind: 'sma-cross', params: { fast: 10 }, enabled: true, createdAt: 1 });
      await store.strategies.upsert({ id: 's1', name: 'SMA', kind: 'sma-cross', params: { fast: 12 }, enabled: false, createdAt: 1 });
      expect(await store.strategies.list()).toEqual([{ id: 's1', name: 'SMA', kind: 'sma-cross', params: { fast: 12 }, enabled: false, createdAt: 1 }]);
      await store.settings.set('theme', 'dark');
      await store.settings.set('theme', 'light');
      expect(await store.settings.get('theme')).toBe('light');
      expect(await store.settings.get('missing')).toBeUndefined();
      await store.settings.delete('theme');
      await store.settings.delete('theme');
      expect(await store.settings.get('theme')).toBeUndefined();
      const inst = { symbol: 'EURUSD', name: 'Euro', assetClass: 'fx' as const, currency: 'USD', exchange: 'DEMO', tickSize: 0.00001, lotSize: 1000, session: 'fx-24x5' as const };
      await store.instruments.upsertMany([inst]);
      expect(await store.instruments.list()).toContainEqual(inst);
      await store.dispose();
    });
  });
}
