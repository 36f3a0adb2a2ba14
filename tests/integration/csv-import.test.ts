// data.csvPreview and data.import through the real app and dispatcher on a SQLite file: the reference files import
// through a mapping (EuStockMarkets' DAX column, decimal-year times), a malformed file reports each bad row's reason.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { createLogger } from '../../src-main/logging';
import { ManualClock } from '../../src-main/ports/clock';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';

const REF = '/work/shared/data/reference';
let app: App;
let dataDir: string;

async function call(method: string, params: unknown): Promise<unknown> {
  const r = await app.dispatch(method, params);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.result;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'qc-csv-import-'));
  app = await createApp({ dataDir, transport: 'web', clock: new ManualClock(Date.UTC(2026, 0, 5, 15)), logger: createLogger({ dir: join(dataDir, 'logs') }) });
});
afterAll(async () => {
  await app?.dispose();
});

describe('CSV import through the contract', () => {
  it('EuStockMarkets: the preview finds no Close column; the DAX column mapped as close imports every row with its decimal-year date', async () => {
    const text = readFileSync(join(REF, 'EuStockMarkets.csv'), 'utf8');
    const preview = await call('data.csvPreview', { text, rows: 3 }) as { header: string[]; rows: string[][]; rowCount: number; suggested: unknown };
    expect(preview.header).toEqual(['time', 'DAX', 'SMI', 'CAC', 'FTSE']);
    expect(preview.rows).toEqual([['1991.49615384615', '1628.75', '1678.1', '1772.8', '2443.6'], ['1991.5', '1613.63', '1688.5', '1750.5', '2460.2'], expect.any(Array)]);
    expect(preview.suggested).toBeNull();
    const lines = text.trim().split('\n').length - 1;
    expect(preview.rowCount).toBe(lines);

    const report = await call('data.import', { symbol: 'dax', timeframe: '1d', name: 'EuStockMarkets.csv', text, mapping: { time: 0, timeFormat: 'decimal-year', close: 1 } }) as { accepted: number; rejected: unknown[] };
    expect(report.rejected).toEqual([]);
    expect(report.accepted).toBe(lines);
    // In the SQLite file: the first row's 1991.49615 is the 129th business day of 1991 (R's 260 a year), 1 July 1991.
    const store = openSqliteStore({ file: join(dataDir, 'quant.db') });
    try {
      const bars = await store.bars.range('DAX', '1d', 0, Date.UTC(2000, 0, 1) / 1000);
      expect(bars).toHaveLength(lines);
      expect(bars[0]).toMatchObject({ time: Date.UTC(1991, 6, 1) / 1000, close: 1628.75 });
      expect(bars[1]).toMatchObject({ time: Date.UTC(1991, 6, 2) / 1000, close: 1613.63 });
    } finally {
      await store.dispose();
    }
  });

  it('the imported DAX backtests from the local store; a symbol with no stored bars is a clear error', async () => {
    const run = await call('backtest.run', { strategy: 'sma-cross', source: { kind: 'stored', symbol: 'dax', timeframe: '1d' }, params: { fast: 10, slow: 50 }, cash: 10_000, commission: 0.001, fill: 'next-open' }) as { id: string; source: string; bars: { time: number[]; close: number[] }; barsTotal?: number; trades: unknown[] };
    expect(run.source).toBe('DAX 1d (local store)');
    // 1,860 bars: the result carries all of them (a run of more than 5,000 carries its newest; backtest.bars all).
    const all = await call('backtest.bars', { id: run.id }) as { time: number[]; close: number[] };
    expect(run.barsTotal).toBeUndefined();
    expect(all.time.length).toBe(1_860);
    expect(run.bars.time).toEqual(all.time);
    expect([all.time[0], all.close[0]]).toEqual([Date.UTC(1991, 6, 1) / 1000, 1628.75]);
    expect(run.trades.length).toBeGreaterThan(0);
    expect(await app.dispatch('backtest.run', { strategy: 'sma-cross', source: { kind: 'stored', symbol: 'NOPE', timeframe: '1d' }, params: {}, cash: 10_000, commission: 0, fill: 'next-open' }))
      .toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/No stored 1d bars of NOPE/) } });
    // A saved run the database holds in a shape that cannot be read: a clear error from both reads, and the app serves on.
    const store = openSqliteStore({ file: join(dataDir, 'quant.db') });
    try {
      await store.backtests.insert({ id: 'broken', createdAt: 1, kind: 'backtest', name: 'broken', strategy: 'sma-cross', summary: {}, result: { bars: 'not bars' } });
    } finally {
      await store.dispose();
    }
    for (const method of ['backtest.get', 'backtest.bars']) {
      expect(await app.dispatch(method, { id: 'broken' })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/^Saved run broken cannot be read: /) } });
    }
    expect((await call('backtest.bars', { id: run.id }) as { time: number[] }).time).toHaveLength(1_860);
  });

  it('GOOG (Yahoo export): the guessed mapping imports it', async () => {
    const text = readFileSync(join(REF, 'GOOG.csv'), 'utf8');
    const preview = await call('data.csvPreview', { text }) as { suggested: Record<string, unknown>; rows: unknown[] };
    expect(preview.rows).toHaveLength(8);
    expect(preview.suggested).toMatchObject({ time: 0, timeFormat: 'date', open: 1, high: 2, low: 3, close: 4 });
    const report = await call('data.import', { symbol: 'GOOG', timeframe: '1d', session: 'us-equity', name: 'GOOG.csv', text, mapping: preview.suggested }) as { accepted: number; rejected: unknown[]; gaps: unknown[] };
    expect(report.accepted).toBe(2148);
    // Every NYSE holiday of 2004-08-19 … 2013-03-01 is known, Ford's funeral (2007-01-02) and Hurricane Sandy
    // (2012-10-29/30) included: without them the calendar reported 77 "gaps" (Presidents' Day among them). None is real.
    expect(report.gaps).toEqual([]);
  });

  it('GOOG remembers the calendar chosen at import; completeness over its 8.5 years (read in pieces) finds no missing day', async () => {
    const series = await call('data.series', {}) as { symbol: string; timeframe: string; calendar: string | null; from: number; to: number }[];
    const goog = series.find((s) => s.symbol === 'GOOG')!;
    expect(goog.calendar).toBe('us-equity');
    expect(series.find((s) => s.symbol === 'DAX')!.calendar).toBeNull();
    // No session given: the one chosen at import applies (GOOG is no instrument of the app, so nothing else could).
    const rows = await call('data.completeness', { symbol: 'GOOG', timeframe: '1d', from: goog.from, to: goog.to }) as { date: string; expected: number; missing: number; extra: number }[];
    expect(rows.reduce((a, r) => a + r.expected, 0)).toBe(2148);
    expect(rows.filter((r) => r.missing > 0 || r.extra > 0)).toEqual([]);
    expect(rows.map((r) => r.date)).not.toContain('2013-02-18'); // Presidents' Day
    expect(rows.map((r) => r.date)).not.toContain('2012-10-29');
    expect(rows[0]!.date).toBe('2004-08-19');
    expect(rows.at(-1)!.date).toBe('2013-03-01');
  });

  it('a malformed file: each bad row rejected with its reason, the good ones stored; bad requests name the field', async () => {
    const text = [
      'Date,Open,High,Low,Close,Volume',
      '2024-01-02,100,101,99,100.5,1000',
      '2024-13-03,100,101,99,100.5,1000',
      '2024-01-04,100,99,101,100.5,1000',
      '2024-01-05,100,101,99,-3,1000',
      '2024-01-08,100,101',
      '2024-01-09,100,101,99,100.2,1000',
    ].join('\n');
    const report = await call('data.import', { symbol: 'BADCSV', timeframe: '1d', name: 'bad.csv', text, mapping: { time: 0, timeFormat: 'date', open: 1, high: 2, low: 3, close: 4, volume: 5 } }) as { accepted: number; rejected: { row: number; reason: string }[] };
    expect(report.accepted).toBe(2);
    expect(report.rejected.map((r) => r.row)).toEqual([2, 3, 4, 5]);
    expect(report.rejected[0]!.reason).toMatch(/bad date "2024-13-03"/);
    expect(report.rejected[3]!.reason).toMatch(/missing columns/);
    for (const r of report.rejected) expect(r.reason.length).toBeGreaterThan(5);

    expect(await app.dispatch('data.import', { symbol: 'BADCSV', timeframe: '1d', name: 'bad.csv', text, mapping: { time: 0, timeFormat: 'date', close: 9 } }))
      .toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^mapping\.close: column 10 does not exist/) } });
    expect(await app.dispatch('data.import', { symbol: 'no spaces', timeframe: '1d', name: 'bad.csv', text, mapping: { time: 0, timeFormat: 'date', close: 4 } }))
      .toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/symbol/) } });
    expect(await app.dispatch('data.csvPreview', { text: 'Date,Close\n' }))
      .toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/no data rows/) } });
  });
});
