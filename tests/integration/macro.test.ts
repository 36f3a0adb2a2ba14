// The Macro service on both Store implementations (a real SQLite file, a throwaway PostgreSQL cluster) with the real
// FRED client against the FRED fixture server: the default series fetched once and then served from the cache, a
// refresh when stale, cached values kept (with the reason) when FRED refuses, a series added by id (an unknown one
// refused), and the list and cache read back after a reopen.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFredClient } from '../../src-main/adapters/fred/client';
import { openPostgresStore } from '../../src-main/adapters/postgres/store';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';
import { ManualClock } from '../../src-main/ports/clock';
import type { Store } from '../../src-main/ports/store';
import { MacroInputError, MacroService } from '../../src-main/services/macro';
import { startFredFixtureServer } from '../support/fred-fixture-server';
import { startPgCluster, type PgCluster } from '../support/pg-cluster';

const KEY = 'abcdefghijklmnopqrstuvwxyz012345';
const HOUR = 3_600_000;

function suite(name: string, database: () => Promise<() => Promise<Store>>) {
  describe(`Macro series on ${name}`, () => {
    it('fetches, caches, refreshes when stale, keeps the cache when FRED refuses, adds and removes by id', async () => {
      const open = await database();
      const clock = new ManualClock(Date.UTC(2026, 11, 3, 15));
      const fred = await startFredFixtureServer({ apiKey: KEY, now: () => clock.now() });
      let key: string | undefined = KEY;
      const make = (store: Store) => new MacroService({
        source: createFredClient({ clock, baseUrl: fred.url, apiKey: async () => key }), store: store.macro, settings: store.settings,
        hasKey: async () => key !== undefined, clock,
      });
      const store = await open();
      try {
        const macro = make(store);
        const first = await macro.overview();
        expect(first.hasKey).toBe(true);
        expect(first.series.map((s) => [s.id, s.info?.units, s.lastObservation, s.error])).toEqual([
          ['GDP', 'Billions of Dollars', '2026-07-01', null],
          ['CPIAUCSL', 'Index 1982-1984=100', '2026-10-01', null],
          ['UNRATE', 'Percent', '2026-10-01', null],
          ['FEDFUNDS', 'Percent', '2026-10-01', null],
          ['DGS10', 'Percent', '2026-12-02', null],
        ]);
        // Two requests per series (description, observations); the second read comes from the cache.
        expect(fred.count()).toBe(10);
        const again = await macro.overview();
        expect(fred.count()).toBe(10);
        expect(again.series[4]!.observations).toEqual(first.series[4]!.observations);
        // Missing values survive the store as null.
        expect(again.series[4]!.observations.find((o) => o.date === '2025-12-25')).toEqual({ date: '2025-12-25', value: null });
        // Seven hours on, the cache is stale: fetched again, with the new day's value.
        clock.advance(7 * HOUR + 24 * HOUR);
        expect((await macro.overview()).series[4]!.lastObservation).toBe('2026-12-03');
        expect(fred.count()).toBe(20);
        // The key removed: the cached values stay, with the reason.
        key = undefined;
        const keyless = await macro.overview(true);
        expect(keyless.hasKey).toBe(false);
        expect(keyless.series[0]!.observations.length).toBe(107);
        expect(keyless.series[0]!.error).toMatch(/No FRED API key: enter one in Settings/);
        key = KEY;
        await expect(macro.add('NOT_A_SERIES')).rejects.toThrow(new MacroInputError('FRED has no series NOT_A_SERIES'));
        await macro.remove('FEDFUNDS');
        expect((await macro.overview()).series.map((s) => s.id)).toEqual(['GDP', 'CPIAUCSL', 'UNRATE', 'DGS10']);
        const added = await macro.add('FEDFUNDS');
        expect(added.info?.title).toBe('Federal Funds Effective Rate');
      } finally {
        await store.dispose();
      }
      const reopened = await open();
      try {
        const count = fred.count();
        const read = await make(reopened).overview();
        expect(read.series.map((s) => s.id)).toEqual(['GDP', 'CPIAUCSL', 'UNRATE', 'DGS10', 'FEDFUNDS']);
        expect(read.series.every((s) => s.error === null && s.observations.length > 0)).toBe(true);
        expect(fred.count()).toBe(count);
      } finally {
        await reopened.dispose();
        await fred.close();
      }
    });
  });
}

suite('SQLite', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'qc-macro-')), 'quant.db');
  return async () => openSqliteStore({ file });
});

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPgCluster();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

suite('PostgreSQL', async () => {
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  try {
    await admin.query('CREATE DATABASE macro');
  } finally {
    await admin.end();
  }
  const url = new URL(cluster.url);
  url.pathname = '/macro';
  return () => openPostgresStore({ url: url.toString() });
});
