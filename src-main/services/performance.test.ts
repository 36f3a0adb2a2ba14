// The analytics.* methods end to end below the transport: the contract's schemas (requests parsed, responses
// validated), the handlers, the performance service, a ledger from the documented CSV and closes from a real SQLite
// bar store and an in-memory prices table.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../adapters/sqlite/store';
import { dayOf } from '../../src-shared/domain/dates';
import { parsePricesCsv } from '../domain/performance/ledger-csv';
import { parseLedgerCsv } from '../domain/ledger/csv-import';
import { ManualClock } from '../ports/clock';
import { analyticsHandlers } from '../transport/analytics-handlers';
import { createDispatcher, type ApiHandlers } from '../transport/dispatcher';
import { firstPriceSource, memoryLedger, PerformanceService, storePriceSource, tablePriceSource } from './performance';

const FIXTURES = join(__dirname, '../../tests/fixtures/portfolio');
const ledger = parseLedgerCsv(readFileSync(join(FIXTURES, 'ledger.csv'), 'utf8'), []);
const prices = parsePricesCsv(readFileSync(join(FIXTURES, 'prices.csv')));
const clock = new ManualClock(Date.parse('2024-01-04T20:00:00Z'));
const dir = mkdtempSync(join(tmpdir(), 'qc-perf-'));
const store = openSqliteStore({ file: join(dir, 'q.db') });
afterAll(() => {
  store.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function dispatcher(service: PerformanceService | undefined) {
  const dispatch = createDispatcher(analyticsHandlers(service) as ApiHandlers, { validateResponses: true });
  return async (method: string, params: unknown) => {
    const r = await dispatch(method, params);
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
    return r.result as never;
  };
}

describe('analytics.* on the performance service', () => {
  const service = new PerformanceService({
    ledger: memoryLedger(ledger.accounts, ledger.transactions), clock, baseCurrency: 'USD', profiles: async () => (s) => (s === 'XYZ' ? { sector: 'Technology' } : undefined),
    // SPY only in the bar store; everything else from the prices table.
    prices: firstPriceSource([tablePriceSource(prices.closes), storePriceSource(store)]),
  });
  const call = dispatcher(service);

  it('summary: the total in USD and each account in its own currency; to defaults to the clock\'s day', async () => {
    const rows = await call('analytics.summary', { period: 'inception' }) as { accountId: string | null; currency: string; endValue: number; twr: number; mwr: number | null }[];
    expect(rows.map((r) => [r.accountId, r.currency])).toEqual([[null, 'USD'], ['ira', 'USD'], ['euros', 'EUR']]);
    expect(rows[1]!.twr).toBeCloseTo(0.0945, 12);
    expect(rows[2]!.endValue).toBeCloseTo(1036.5, 9);
    expect(rows[0]!.endValue).toBeCloseTo(1879 + 1036.5 * 1.12, 9);
  });

  it('returns: six periods; contribution rows add up to the total TWR', async () => {
    const table = await call('analytics.returns', { accountId: 'ira' }) as { period: string; complete: boolean }[];
    expect(table.map((r) => r.period)).toEqual(['1D', 'MTD', 'YTD', '1Y', '3Y', 'inception']);
    expect(table.find((r) => r.period === '1Y')!.complete).toBe(false);
    const c = await call('analytics.contribution', { period: 'inception' }) as { twr: number; rows: { symbol: string | null; contribution: number }[] };
    expect(c.rows.reduce((a, r) => a + r.contribution, 0)).toBeCloseTo(c.twr, 12);
    expect(c.rows.map((r) => r.symbol)).toEqual(['XYZ', 'SAP', 'SHORTY', null]);
    // One account: its holdings and its cash row add up to its TWR in the reporting currency (currency effect included).
    const eur = await call('analytics.contribution', { accountId: 'euros', period: 'inception' }) as { twr: number; rows: { symbol: string | null; contribution: number; twr: number | null }[] };
    expect(eur.rows.map((r) => r.symbol)).toEqual(['SAP', 'SHORTY', null]);
    expect(eur.rows.reduce((a, r) => a + r.contribution, 0)).toBeCloseTo(eur.twr, 12);
    expect(eur.twr).toBeCloseTo((1036.5 * 1.12) / 1100 - 1, 12);
    // Per holding, in USD: SHORTY sold short at 20 on the last day (fee 1), closing at 18: +10 − 1 on 100 of notional.
    const shorty = eur.rows.find((r) => r.symbol === 'SHORTY')!;
    expect(shorty.twr).toBeCloseTo((5 * 2 - 1) / 100, 12);
  });

  it('nav and benchmark: SPY read from the bar store; an account compared against it', async () => {
    const day = (d: string) => dayOf(d) * 86_400;
    await store.bars.upsertMany('SPY', '1d', [
      { time: day('2023-12-29'), open: 1, high: 1, low: 1, close: 470, volume: 0 },
      { time: day('2024-01-02'), open: 1, high: 1, low: 1, close: 472, volume: 0 },
      { time: day('2024-01-03'), open: 1, high: 1, low: 1, close: 468, volume: 0 },
      { time: day('2024-01-04'), open: 1, high: 1, low: 1, close: 467, volume: 0 },
    ]);
    const r = await call('analytics.nav', { accountId: 'ira', period: 'inception' }) as {
      currency: string; nav: { date: string; nav: number }[]; benchmark: string; comparison: { benchmarkReturn: number; observations: number; points: unknown[] };
    };
    expect(r.currency).toBe('USD');
    expect(r.nav.map((p) => p.nav)).toEqual([1000, 1100, 2310, 1879].map((x) => expect.closeTo(x, 9)));
    expect(r.benchmark).toBe('SPY');
    // From the close on or before the period's start (29 Dec, 470) to 4 Jan (467).
    expect(r.comparison.benchmarkReturn).toBeCloseTo(467 / 470 - 1, 12);
    expect(r.comparison.points).toHaveLength(4);
    expect(r.comparison.observations).toBe(3);
  });

  it('exposures: sectors from the profile port, the short as a negative weight', async () => {
    const e = await call('analytics.exposures', {}) as { by: { sector: { key: string; value: number }[] }; concentration: { largest: { symbol: string; weight: number }[] } };
    expect(e.by.sector.find((r) => r.key === 'Technology')!.value).toBeCloseTo(1089, 9);
    expect(e.concentration.largest.find((r) => r.symbol === 'SHORTY')!.weight).toBeLessThan(0);
  });

  it('errors: an unknown account is NOT_FOUND, a custom period without its first day BAD_REQUEST, no ledger UNAVAILABLE', async () => {
    await expect(call('analytics.summary', { accountId: 'NOPE' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No account "NOPE" in the ledger' });
    await expect(call('analytics.summary', { period: 'custom' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'from: a custom period needs its first day' });
    await expect(dispatcher(undefined)('analytics.returns', {})).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    const noFx = new PerformanceService({ ledger: memoryLedger(ledger.accounts, ledger.transactions), clock, baseCurrency: 'CHF', prices: tablePriceSource(prices.closes) });
    await expect(dispatcher(noFx)('analytics.returns', {})).rejects.toMatchObject({ code: 'UNAVAILABLE', message: 'Cannot value the portfolio: no rate USD/CHF on or before 2024-01-01' });
  });

  it('an empty ledger (the app before the ledger store is merged) answers zeros, not errors', async () => {
    const empty = dispatcher(new PerformanceService({ ledger: memoryLedger([], []), clock, prices: tablePriceSource([]) }));
    const rows = await empty('analytics.summary', {}) as { accountId: string | null; endValue: number; mwr: number | null }[];
    expect(rows).toEqual([expect.objectContaining({ accountId: null, endValue: 0, mwr: null })]);
  });
});
