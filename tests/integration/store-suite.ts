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

    it('journalOrder writes the order and its audit entries together (insert, then replace); danglingIntents finds intents without a row', async () => {
      await fresh();
      const o = order();
      await store.journalOrder({ order: o, audit: [{ time: 1, kind: 'order.intent', orderId: o.id, payload: { a: 1 } }] });
      await store.journalOrder({ order: { ...o, status: 'submitted' }, audit: [{ time: 2, kind: 'risk.decision', orderId: o.id, payload: {} }, { time: 2, kind: 'order.submitted', orderId: o.id, payload: {} }] });
      expect(await store.orders.get(o.id)).toMatchObject({ status: 'submitted' });
      expect((await store.audit.list({ orderId: o.id })).map((a) => a.kind)).toEqual(['order.submitted', 'risk.decision', 'order.intent']);
      // A failing write leaves nothing: an order row that violates NOT NULL rolls its audit entry back too.
      const bad = order();
      await expect(store.journalOrder({ order: { ...bad, symbol: null as unknown as string }, audit: [{ time: 3, kind: 'order.intent', orderId: bad.id, payload: {} }] })).rejects.toThrow();
      expect(await store.audit.list({ orderId: bad.id })).toEqual([]);
      await store.audit.append({ time: 4, kind: 'order.intent', orderId: 'orphan', payload: {} });
      expect(await store.audit.danglingIntents()).toContain('orphan');
      expect(await store.audit.danglingIntents()).not.toContain(o.id);
      await store.audit.append({ time: 5, kind: 'order.abandoned', orderId: 'orphan', payload: {} });
      expect(await store.audit.danglingIntents()).not.toContain('orphan');
      await store.adjustPosition({ position: { accountId: 'ACC', symbol: 'MSFT', quantity: 7, avgPrice: 10, realizedPnl: '0.00' }, audit: { time: 6, kind: 'position.adjusted', orderId: null, payload: {} } });
      expect(await store.positions.get('ACC', 'MSFT')).toMatchObject({ quantity: 7 });
      // Financing: cash, the position's realised P&L, the audit entry and the rollover marker in one transaction.
      await store.bookCash({ accountId: 'ACC', cash: '99992.05', positions: [{ accountId: 'ACC', symbol: 'MSFT', quantity: 7, avgPrice: 10, realizedPnl: '-7.95' }],
        audit: { time: 7, kind: 'financing.booked', orderId: null, payload: { amount: '-7.95' } }, setting: { key: 'cfd.financing.ACC', value: '7' } });
      expect((await store.accounts.get('ACC'))?.cash).toBe('99992.05');
      expect(await store.positions.get('ACC', 'MSFT')).toMatchObject({ quantity: 7, realizedPnl: '-7.95' });
      expect(await store.settings.get('cfd.financing.ACC')).toBe('7');
      expect((await store.audit.list({ limit: 1 }))[0]).toMatchObject({ kind: 'financing.booked' });
      // The position's own financing figure: none until some is booked, then kept by later position writes (fills, adjustments).
      expect((await store.positions.get('ACC', 'MSFT'))!.financing).toBeUndefined();
      await store.bookCash({ accountId: 'ACC', cash: '99990.00', positions: [{ accountId: 'ACC', symbol: 'MSFT', quantity: 7, avgPrice: 10, realizedPnl: '-10.00', financing: '-2.05' }],
        audit: { time: 8, kind: 'financing.booked', orderId: null, payload: { amount: '-2.05' } }, setting: { key: 'cfd.financing.ACC', value: '8' } });
      expect(await store.positions.get('ACC', 'MSFT')).toMatchObject({ realizedPnl: '-10.00', financing: '-2.05' });
      await store.adjustPosition({ position: { accountId: 'ACC', symbol: 'MSFT', quantity: 9, avgPrice: 10, realizedPnl: '-10.00' }, audit: { time: 9, kind: 'position.adjusted', orderId: null, payload: {} } });
      expect(await store.positions.get('ACC', 'MSFT')).toMatchObject({ quantity: 9, financing: '-2.05' });
      // The stop-out reason of an order survives the round trip.
      const note = order();
      await store.journalOrder({ order: { ...note, source: 'stop-out', note: 'stop-out: margin level 48 % < 50 %' }, audit: [] });
      expect(await store.orders.get(note.id)).toMatchObject({ source: 'stop-out', note: 'stop-out: margin level 48 % < 50 %' });
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

    it('applyFill writes the fill\'s execution quality with it; quality lists newest first within [from, to)', async () => {
      await fresh();
      const o = order({ accountId: 'ACC' });
      await store.orders.insert(o);
      const fill: Fill = { id: `FQ-${o.id}`, orderId: o.id, accountId: 'ACC', symbol: 'EURUSD', side: 'buy', quantity: 100_000, price: 1.0802, commission: '0.00', time: 7_000 };
      const quality = {
        fillId: fill.id, orderId: o.id, accountId: 'ACC', venue: 'paper', symbol: 'EURUSD', side: 'buy' as const, quantity: 100_000, sentAt: 6_500, time: 7_000,
        arrivalBid: 1.08, arrivalAsk: 1.0801, arrivalMid: 1.08005, spread: 0.0001, fillPrice: 1.0802, pipSize: 0.0001, slippage: 0.00015, slippagePips: 1.5,
        slippageBps: 1.3888, slippageCost: '15.00', currency: 'USD',
      };
      const unit = {
        fill, order: { ...o, status: 'filled' as const, filledQuantity: 100_000, avgFillPrice: 1.0802 }, quality,
        position: { accountId: 'ACC', symbol: 'EURUSD', quantity: 100_000, avgPrice: 1.0802, realizedPnl: '0.00' }, cash: '1.00',
        audit: { time: 7_000, kind: 'order.fill', orderId: o.id, payload: { execId: fill.id } },
      };
      expect(await store.applyFill(unit)).toBe(true);
      const second = { ...quality, fillId: `${fill.id}-2`, time: 8_000, slippageCost: null, slippage: -0.0001, slippagePips: -1, slippageBps: -0.9259 };
      expect(await store.applyFill({ ...unit, fill: { ...fill, id: second.fillId, time: 8_000 }, quality: second })).toBe(true);
      expect(await store.fills.quality({ accountId: 'ACC' })).toEqual([second, quality]);
      expect(await store.fills.quality({ accountId: 'ACC', from: 7_000, to: 8_000 })).toEqual([quality]);
      expect(await store.fills.quality({ accountId: 'OTHER' })).toEqual([]);
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

    it('bars: chunked storage — ranges across chunk boundaries, typed-array reads equal object reads, merges into chunks', async () => {
      await fresh();
      // 10,000 one-minute bars span three 4096-bar chunk periods; the series starts mid-period.
      const t0 = 1_699_999_980; // a whole minute
      const n = 10_000;
      const bars = Array.from({ length: n }, (_, i) => ({ time: t0 + i * 60, open: 100 + i, high: 101 + i, low: 99 + i, close: 100.5 + i, volume: i }));
      expect(await store.bars.upsertMany('CHNK', '1m', bars)).toEqual({ inserted: n, replaced: 0, unchanged: 0, restatement: null });
      const all = await store.bars.range('CHNK', '1m', 0, 4e9);
      expect(all).toHaveLength(n);
      expect(all[0]).toEqual(bars[0]);
      expect(all[n - 1]).toEqual(bars[n - 1]);
      expect(all.every((b, i) => i === 0 || b.time > all[i - 1]!.time)).toBe(true);
      // Inclusive at both ends, across a chunk boundary (period starts are multiples of 4096 × 60 s).
      const boundary = Math.ceil(t0 / 245_760) * 245_760;
      const mid = await store.bars.range('CHNK', '1m', boundary - 120, boundary + 60);
      expect(mid.map((b) => b.time)).toEqual([boundary - 120, boundary - 60, boundary, boundary + 60]);
      const arrays = await store.bars.rangeArrays('CHNK', '1m', boundary - 120, boundary + 60);
      expect(arrays.time).toBeInstanceOf(Float64Array);
      expect(Array.from(arrays.close)).toEqual(mid.map((b) => b.close));
      expect(Array.from(arrays.volume)).toEqual(mid.map((b) => b.volume));
      expect((await store.bars.rangeArrays('CHNK', '1m', 0, t0 - 1)).time.length).toBe(0);
      expect((await store.bars.range('CHNK', '1m', t0 + 30, t0 + 59))).toEqual([]);
      // Unsorted writes into the middle of existing chunks and past the end merge in order; the same values again are 'unchanged'.
      const extra = [{ ...bars[0]!, time: t0 + n * 60 + 60 }, { ...bars[0]!, time: t0 + 30 }, bars[5]!];
      expect(await store.bars.upsertMany('CHNK', '1m', extra)).toMatchObject({ inserted: 2, replaced: 0, unchanged: 1, restatement: null });
      const after = await store.bars.range('CHNK', '1m', t0, t0 + 60);
      expect(after.map((b) => b.time)).toEqual([t0, t0 + 30, t0 + 60]);
      expect((await store.bars.range('CHNK', '1m', 0, 4e9)).length).toBe(n + 2);
      await store.dispose();
    });

    it('bars: every stored series is listed with its first and last times and its bar count', async () => {
      await fresh();
      const bar = (time: number, close: number) => ({ time, open: close, high: close + 1, low: close - 1, close, volume: 10 });
      const minute = Array.from({ length: 3000 }, (_, i) => bar(1_700_000_000 + i * 60, 100 + i)); // spans several chunks
      await store.bars.upsertMany('SER1', '1m', minute);
      await store.bars.upsertMany('SER1', '1d', [bar(86_400 * 20_000, 1), bar(86_400 * 20_001, 2)]);
      const listed = (await store.bars.series()).filter((x) => x.symbol === 'SER1');
      expect(listed).toEqual([
        { symbol: 'SER1', timeframe: '1d', from: 86_400 * 20_000, to: 86_400 * 20_001, bars: 2 },
        { symbol: 'SER1', timeframe: '1m', from: 1_700_000_000, to: 1_700_000_000 + 2999 * 60, bars: 3000 },
      ]);
      await store.dispose();
    });

    it('bars: a re-download that differs from stored history is recorded as a restatement with what changed', async () => {
      await fresh();
      const bar = (time: number, close: number, volume = 10) => ({ time, open: 10, high: 12, low: 9, close, volume });
      await store.bars.upsertMany('RST', '1d', [bar(86_400, 11), bar(172_800, 11.5), bar(259_200, 11.8)], { source: 'yahoo', now: 1_000 });
      const r = await store.bars.upsertMany('RST', '1d', [bar(172_800, 11.5), bar(259_200, 10.9, 12), bar(345_600, 12)], { source: 'yahoo', now: 2_000 });
      expect(r).toMatchObject({ inserted: 1, replaced: 1, unchanged: 1 });
      expect(r.restatement).toEqual({
        symbol: 'RST', timeframe: '1d', source: 'yahoo', detectedAt: 2_000, count: 1, from: 259_200, to: 259_200, applied: 'replace',
        changes: [{ time: 259_200, fields: ['close', 'volume'], old: bar(259_200, 11.8), new: bar(259_200, 10.9, 12) }],
      });
      expect(await store.bars.restatements({ symbol: 'RST' })).toEqual([r.restatement]);
      expect((await store.bars.range('RST', '1d', 259_200, 259_200))[0]!.close).toBe(10.9);
      // 'keep' records the restatement but leaves the stored bar as it was.
      const kept = await store.bars.upsertMany('RST', '1d', [bar(86_400, 13)], { source: 'csv', now: 3_000, onRestatement: 'keep' });
      expect(kept).toMatchObject({ inserted: 0, replaced: 0, restatement: { applied: 'keep', count: 1, source: 'csv' } });
      expect((await store.bars.range('RST', '1d', 86_400, 86_400))[0]!.close).toBe(11);
      expect((await store.bars.restatements({ symbol: 'RST' })).map((x) => x.detectedAt)).toEqual([3_000, 2_000]);
      // Differences within the tolerance are not restatements.
      expect((await store.bars.upsertMany('RST', '1d', [bar(86_400, 11 * (1 + 1e-9))])).restatement).toBeNull();
      await store.dispose();
    });

    it('bars: rows of the old one-row-per-bar table move into chunks when the store opens', async () => {
      await fresh();
      await rawExec(store, `insert into bars (symbol, timeframe, time, open, high, low, close, volume) values ('OLD', '1h', 7200, 1, 2, 0.5, 1.5, 7), ('OLD', '1h', 3600, 1, 2, 0.5, 1.25, 6)`);
      await store.dispose();
      await fresh();
      expect(await store.bars.range('OLD', '1h', 0, 1e9)).toEqual([
        { time: 3600, open: 1, high: 2, low: 0.5, close: 1.25, volume: 6 },
        { time: 7200, open: 1, high: 2, low: 0.5, close: 1.5, volume: 7 },
      ]);
      await store.dispose();
      await fresh();
      expect(await store.bars.range('OLD', '1h', 0, 1e9)).toHaveLength(2);
      await store.dispose();
    });

    it('corporate actions: one per symbol, kind and ex-date, listed oldest first', async () => {
      await fresh();
      await store.corporateActions.upsertMany([
        { kind: 'dividend', symbol: 'CA', time: 200, amount: 0.5 },
        { kind: 'split', symbol: 'CA', time: 100, ratio: 2 },
      ], 'yahoo');
      await store.corporateActions.upsertMany([{ kind: 'dividend', symbol: 'CA', time: 200, amount: 0.55 }], 'ib');
      expect(await store.corporateActions.list('CA')).toEqual([
        { action: { kind: 'split', symbol: 'CA', time: 100, ratio: 2 }, source: 'yahoo' },
        { action: { kind: 'dividend', symbol: 'CA', time: 200, amount: 0.55 }, source: 'ib' },
      ]);
      expect((await store.corporateActions.list('CA', 150, 300)).map((a) => a.action.kind)).toEqual(['dividend']);
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
      const spike = { time: 500, open: 1, high: 9, low: 1, close: 9, volume: 1 };
      await store.quarantine.add([
        { symbol: 'QQ', timeframe: '1d', source: 'demo', row: 0, reason: 'outlier', createdAt: 2, time: 500, bar: spike },
        { symbol: 'QQ', timeframe: '1d', source: 'demo', row: 0, reason: 'stale', createdAt: 2, time: 600, action: 'flagged', bar: spike },
        { symbol: 'QQ', timeframe: '1h', source: 'demo', row: 0, reason: 'other timeframe', createdAt: 2, time: 550 },
      ]);
      const inRange = await store.quarantine.list({ symbol: 'QQ', timeframe: '1d', from: 500, to: 600 });
      expect(inRange.map((q) => [q.time, q.action, q.reason])).toEqual([[500, 'quarantined', 'outlier'], [600, 'flagged', 'stale']]);
      expect(inRange[0]!.bar).toEqual(spike);
      expect((await store.quarantine.list({ symbol: 'QQ' }))[0]).toMatchObject({ time: null, action: 'quarantined', bar: null });
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
