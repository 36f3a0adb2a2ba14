// THE point-in-time test of issue 16, on both Store implementations (a real SQLite file, a throwaway PostgreSQL
// cluster): a factor input computed on a past date only ever sees statements reported on or before that date, a
// restatement shows from its own report date on (the first figures before), and the store survives a reopen.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatementRecord } from '../../src-shared/domain/fundamentals';
import { createDemoUniverse } from '../../src-main/adapters/demo/universe';
import { openPostgresStore } from '../../src-main/adapters/postgres/store';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';
import { ManualClock } from '../../src-main/ports/clock';
import type { Store } from '../../src-main/ports/store';
import { StatementsService } from '../../src-main/services/statements';
import { startPgCluster, type PgCluster } from '../support/pg-cluster';

const q = (periodEnd: string, reportDate: string, eps: number, extra: Partial<StatementRecord> = {}): StatementRecord => ({
  symbol: 'ACME', period: 'quarter', periodEnd, reportDate, currency: 'USD', revenue: eps * 100, grossProfit: null, ebitda: null,
  netIncome: eps * 10, eps, totalEquity: 1000, totalDebt: 500, cash: 100, sharesOutstanding: 10, source: 'yahoo', ...extra,
});

/** A factor input: trailing-twelve-month EPS from the four newest quarters known (null with fewer). */
const ttmEps = (rows: StatementRecord[] | undefined) => (rows && rows.length >= 4 ? rows.slice(0, 4).reduce((s, r) => s + r.eps!, 0) : null);

function suite(name: string, database: () => Promise<() => Promise<Store>>) {
  describe(`Point-in-time statements on ${name}`, () => {
    it('a date sees only what was reported by then: first figures before a restatement, the restatement after', async () => {
      const open = await database();
      const clock = new ManualClock(Date.UTC(2024, 10, 1));
      let store = await open();
      try {
        const service = new StatementsService({ store: store.statements, clock });
        await service.record([
          q('2023-12-31', '2024-02-08', 1.0), q('2024-03-31', '2024-05-10', 1.1), q('2024-06-30', '2024-08-09', 1.2),
          q('2024-03-31', '2024-08-09', 0.9), // Q1 restated with the Q2 release
          q('2024-06-30', '2024-08-14', 1.25, { source: 'alphavantage' }),
          q('2024-09-30', '2024-11-07', 1.3), // reported after "today" of some questions below
          q('2024-12-31', '2025-03-05', 5, { period: 'annual' }),
        ]);
      } finally {
        await store.dispose();
      }
      store = await open(); // what follows reads the database as written, not a cache
      try {
        const service = new StatementsService({ store: store.statements, clock });
        const on = async (asOf: string) => (await service.statementsAsOf(['ACME', 'NONE'], asOf)).get('ACME')?.map((r) => [r.periodEnd, r.eps, r.source]);
        expect(await on('2024-02-07')).toBeUndefined();
        expect(await on('2024-02-08')).toEqual([['2023-12-31', 1.0, 'yahoo']]);
        expect(await on('2024-08-08')).toEqual([['2024-03-31', 1.1, 'yahoo'], ['2023-12-31', 1.0, 'yahoo']]);
        expect(await on('2024-08-09')).toEqual([['2024-06-30', 1.2, 'yahoo'], ['2024-03-31', 0.9, 'yahoo'], ['2023-12-31', 1.0, 'yahoo']]);
        // A later-reported version from another source wins from its date on.
        expect((await on('2024-08-14'))![0]).toEqual(['2024-06-30', 1.25, 'alphavantage']);
        expect((await on('2024-12-31'))!.map((r) => r[0])).toEqual(['2024-09-30', '2024-06-30', '2024-03-31', '2023-12-31']);
        expect((await service.statementsAsOf(['ACME'], '2024-12-31')).has('NONE')).toBe(false);
        // Annual statements are asked for separately, point in time as well.
        expect((await service.statementsAsOf(['ACME'], '2025-03-04', 8, 'annual')).size).toBe(0);
        expect((await service.statementsAsOf(['ACME'], '2025-03-05', 8, 'annual')).get('ACME')!.map((r) => r.eps)).toEqual([5]);
        // The first publication and the restatement are both kept.
        expect((await store.statements.versions('ACME')).filter((r) => r.periodEnd === '2024-03-31').map((r) => [r.reportDate, r.eps])).toEqual([['2024-08-09', 0.9], ['2024-05-10', 1.1]]);

        // A source without report dates (an estimate repeated on every fetch): the same figures store nothing; changed
        // figures are a restatement known from the day they were seen, never back-dated into the past.
        const est = q('2024-09-30', '2024-11-14', 1.3, { source: 'yahoo-ts', estimatedReportDate: true });
        expect(await service.record([est])).toHaveLength(1);
        expect(await service.record([est])).toHaveLength(0);
        clock.set(Date.UTC(2025, 0, 20));
        expect((await service.record([{ ...est, eps: 1.35 }])).map((r) => r.reportDate)).toEqual(['2025-01-20']);
        const sept = async (asOf: string) => (await service.statementsAsOf(['ACME'], asOf)).get('ACME')![0];
        expect(await sept('2024-12-31')).toMatchObject({ eps: 1.3, source: 'yahoo-ts', estimatedReportDate: true });
        expect(await sept('2025-01-20')).toMatchObject({ eps: 1.35, reportDate: '2025-01-20' });
      } finally {
        await store.dispose();
      }
    });

    it('over the demo universe, a factor input on any past date equals the one computed from statements reported by then', async () => {
      const open = await database();
      const store = await open();
      try {
        const universe = createDemoUniverse(42);
        const symbols = universe.companies.filter((_, i) => i % 5 === 0).map((c) => c.symbol); // 100 symbols
        // Stored under another source name so the store (not the in-memory demo path) answers.
        const all = symbols.flatMap((s) => universe.statements(s)).map((r) => ({ ...r, source: 'import' }));
        await store.statements.put(all);
        const service = new StatementsService({ store: store.statements, clock: new ManualClock(0) });
        const inMemory = new StatementsService({ store: store.statements, clock: new ManualClock(0), demo: universe });
        const demoSymbols = universe.companies.filter((_, i) => i % 5 === 0).map((c) => c.symbol);
        for (const asOf of ['2018-02-14', '2019-05-01', '2020-03-31', '2021-08-15', '2022-11-30', '2024-02-29', '2025-07-04', '2026-11-30']) {
          const known = await service.statementsAsOf(symbols, asOf);
          const fromMemory = await inMemory.statementsAsOf(demoSymbols, asOf);
          for (const s of symbols) {
            const rows = known.get(s) ?? [];
            // Nothing reported after the date, newest period first, one version per period.
            expect(rows.every((r) => r.reportDate <= asOf)).toBe(true);
            expect(new Set(rows.map((r) => r.periodEnd)).size).toBe(rows.length);
            expect(rows.map((r) => r.periodEnd)).toEqual([...rows.map((r) => r.periodEnd)].sort().reverse());
            // The factor input by brute force over every version: the newest four periods reported by then, each in
            // its latest version by then.
            const visible = all.filter((r) => r.symbol === s && r.reportDate <= asOf);
            const latest = new Map<string, StatementRecord>();
            for (const r of visible) if (!latest.has(r.periodEnd) || latest.get(r.periodEnd)!.reportDate < r.reportDate) latest.set(r.periodEnd, r);
            const expected = [...latest.values()].sort((a, b) => b.periodEnd.localeCompare(a.periodEnd));
            expect(ttmEps(rows)).toBe(ttmEps(expected));
            // A statement reported the day after the date is not among them.
            const next = all.filter((r) => r.symbol === s && r.reportDate > asOf).sort((a, b) => a.reportDate.localeCompare(b.reportDate))[0];
            if (next) expect(rows.some((r) => r.periodEnd === next.periodEnd && r.reportDate === next.reportDate)).toBe(false);
            // The demo universe served from memory sees exactly the same.
            expect(fromMemory.get(s)?.map((r) => [r.periodEnd, r.reportDate, r.eps])).toEqual(rows.length ? rows.map((r) => [r.periodEnd, r.reportDate, r.eps]) : undefined);
          }
        }
      } finally {
        await store.dispose();
      }
    }, 120_000);
  });
}

suite('SQLite', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'qc-statements-')), 'quant.db');
  return async () => openSqliteStore({ file });
});

let cluster: PgCluster;
let databases = 0;
beforeAll(async () => {
  cluster = await startPgCluster();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

suite('PostgreSQL', async () => {
  const name = `statements_${++databases}`;
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  return () => openPostgresStore({ url: url.toString() });
});
