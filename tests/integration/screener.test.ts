// The screener service on the placeholder stock data (symbols read from the universe, never hard-coded), with saved
// screens on both Store implementations (a real SQLite file, a throwaway PostgreSQL cluster), reopened.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src-main/adapters/postgres/store';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';
import { createStockDataPlaceholder } from '../support/synthetic-stock-data';
import { ManualClock } from '../../src-main/ports/clock';
import type { Store } from '../../src-main/ports/store';
import { ScreenerInputError, ScreenerService } from '../../src-main/services/screener';
import { ScreenDefinition } from '../../src-shared/api/screener';
import { startPgCluster, type PgCluster } from '../support/pg-cluster';

const clock = new ManualClock(Date.UTC(2026, 11, 3));
const data = createStockDataPlaceholder();
const screener = new ScreenerService({ data, clock });

describe('ScreenerService', () => {
  it('ranks the universe by a weighted composite; sector-neutral z-scores change the ranking', async () => {
    const u = await data.universes.get('demo');
    const plain = await screener.screen({ universe: 'demo', factors: [{ name: 'gross_margin', weight: 1 }, { name: 'momentum', weight: 1 }] });
    expect(plain.rows).toHaveLength(u.members.length);
    expect(plain.rows.map((r) => r.rank)).toEqual(u.members.map((_, i) => i + 1));
    for (let i = 1; i < plain.rows.length; i++) expect(plain.rows[i - 1]!.composite!).toBeGreaterThanOrEqual(plain.rows[i]!.composite!);
    const neutral = await screener.screen({ universe: 'demo', factors: [{ name: 'gross_margin', weight: 1 }, { name: 'momentum', weight: 1 }], sectorNeutral: true });
    expect(neutral.rows.map((r) => r.symbol)).not.toEqual(plain.rows.map((r) => r.symbol));
    // Within sector, each sector's gross-margin z-scores average 0 (they do not across the universe: sectors differ).
    const sectorMean = (rows: typeof plain.rows, sector: string) => {
      const z = rows.filter((r) => r.sector === sector && r.factors['gross_margin']!.z !== null).map((r) => r.factors['gross_margin']!.z!);
      return z.reduce((a, b) => a + b, 0) / z.length;
    };
    const sectors = [...new Set(u.members.map((m) => m.sector!))];
    for (const s of sectors) expect(Math.abs(sectorMean(neutral.rows, s))).toBeLessThan(1e-9);
    expect(Math.max(...sectors.map((s) => Math.abs(sectorMean(plain.rows, s))))).toBeGreaterThan(0.5);
  });

  it('filters on fundamentals, sectors and factor percentiles, and ranks the survivors from 1', async () => {
    const all = await screener.screen({ universe: 'demo', factors: [{ name: 'pe', weight: 1 }] });
    const r = await screener.screen({ universe: 'demo', factors: [{ name: 'pe', weight: 1 }], filter: 'pe<20 and market_cap>1B', top: 5 });
    const expected = all.rows.filter((x) => x.factors['pe']!.value !== null && x.factors['pe']!.value < 20 && x.marketCap! > 1e9);
    expect(r.matched).toBe(expected.length);
    expect(r.rows.map((x) => x.symbol)).toEqual(expected.slice(0, 5).map((x) => x.symbol));
    expect(r.rows.map((x) => x.rank)).toEqual([1, 2, 3, 4, 5].slice(0, r.rows.length));
    const sector = all.rows[0]!.sector!;
    const bySector = await screener.screen({ universe: 'demo', factors: [{ name: 'pe', weight: 1 }], filter: `sector='${sector}'` });
    expect(new Set(bySector.rows.map((x) => x.sector))).toEqual(new Set([sector]));
    // Momentum's top fifth by percentile: 60 stocks with momentum → the best 12 or so.
    const top = await screener.screen({ universe: 'demo', factors: [{ name: 'momentum', weight: 1 }], filter: 'momentum.pct>=0.8' });
    expect(top.matched).toBeGreaterThan(5);
    expect(top.rows.map((x) => x.symbol)).toEqual((await screener.screen({ universe: 'demo', factors: [{ name: 'momentum', weight: 1 }] })).rows.slice(0, top.matched).map((x) => x.symbol));
    await expect(screener.screen({ universe: 'demo', factors: [{ name: 'pe', weight: 1 }], filter: 'pe<<2' })).rejects.toBeInstanceOf(ScreenerInputError);
    await expect(screener.screen({ universe: 'demo', factors: [{ name: 'pe', weight: 1 }], filter: 'colour=red' })).rejects.toThrow(/unknown field "colour"/);
  });

  it('flags missing factors and exports the screen as CSV', async () => {
    const r = await screener.screen({ universe: 'demo', factors: [{ name: 'pe', weight: 1 }, { name: 'roe', weight: 1 }] });
    // Loss-makers have no P/E: flagged, and ranked on ROE alone.
    const loss = r.rows.find((x) => x.missing.includes('pe'));
    expect(loss).toBeDefined();
    expect(loss!.composite).toBeCloseTo(loss!.factors['roe']!.z!, 12);
    const { filename, csv } = await screener.exportCsv({ universe: 'demo', factors: [{ name: 'pe', weight: 1 }, { name: 'roe', weight: 1 }] });
    expect(filename).toBe(`screen-demo-${r.asOf}.csv`);
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('rank,symbol,name,sector,composite,percentile,price,market_cap,pe,pe_z,roe,roe_z,missing');
    expect(lines).toHaveLength(r.rows.length + 1);
    expect(lines[1]!.startsWith(`1,${r.rows[0]!.symbol},`)).toBe(true);
  });

  it('validates a factor over the universe (factor lab) and backtests its top N on the portfolio engine', async () => {
    const lab = await screener.factorLab({ universe: 'demo', factor: 'momentum', periods: [1, 5], quantiles: 5, bySector: false });
    expect(lab.factor).toBe('mom_12_1(252,21)');
    expect(lab.rows).toBeGreaterThan(60 * 200);
    expect(lab.periods['5']!.quantileMeanReturn).toHaveLength(5);
    expect(lab.periods['1']!.ic.length).toBe(lab.dates);
    expect(lab.cumulative.length).toBeGreaterThan(100);
    // A fundamental factor is read point in time on each date (tests/integration/factor-lab-fundamentals.test.ts); it takes no arguments.
    expect((await screener.factorLab({ universe: 'demo', factor: 'pe', periods: [1], quantiles: 5, bySector: false })).rows).toBeGreaterThan(60 * 100);
    await expect(screener.factorLab({ universe: 'demo', factor: 'pe:3', periods: [1], quantiles: 5, bySector: false })).rejects.toThrow(/takes no arguments/);
    const bt = await screener.factorBacktest({ universe: 'demo', factor: 'mom_6m', top: 5, rebalance: 21 });
    expect(bt.trades).toBeGreaterThan(5);
    expect(bt.equity.length).toBeGreaterThan(500);
    expect(Number.isFinite(bt.metrics.sharpe)).toBe(true);
  });
});

function savedSuite(name: string, database: () => Promise<() => Promise<Store>>) {
  it(`keeps saved screens across a reopen on ${name}`, async () => {
    const open = await database();
    const definition = ScreenDefinition.parse({ universe: 'demo', factors: [{ name: 'pe', weight: 2 }, { name: 'momentum' }], sectorNeutral: true, filter: 'pe<20' });
    const store = await open();
    let id: string;
    try {
      const s = new ScreenerService({ data, clock, screens: store.screens });
      id = (await s.saveScreen({ name: 'Cheap momentum', definition })).id;
      await s.saveScreen({ name: 'Quality', definition: { ...definition, factors: [{ name: 'roe', weight: 1 }] } });
      clock.advance(1000);
      await s.saveScreen({ id, name: 'Cheap momentum v2', definition: { ...definition, top: 10 } });
    } finally {
      await store.dispose();
    }
    const again = await open();
    try {
      const s = new ScreenerService({ data, clock, screens: again.screens });
      const list = await s.savedScreens();
      expect(list.map((x) => x.name)).toEqual(['Cheap momentum v2', 'Quality']);
      expect(list[0]).toEqual({ id, name: 'Cheap momentum v2', definition: { ...definition, top: 10 }, updatedAt: clock.now() });
      expect(await s.deleteScreen(id)).toBe(true);
      expect((await s.savedScreens()).map((x) => x.name)).toEqual(['Quality']);
    } finally {
      await again.dispose();
    }
  });
}

describe('saved screens', () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPgCluster();
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  savedSuite('SQLite', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qc-screens-')), 'quant.db');
    return async () => openSqliteStore({ file });
  });
  savedSuite('PostgreSQL', async () => {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    try {
      await admin.query('CREATE DATABASE screens');
    } finally {
      await admin.end();
    }
    const url = new URL(cluster.url);
    url.pathname = '/screens';
    return () => openPostgresStore({ url: url.toString() });
  });
});
