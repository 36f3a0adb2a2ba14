// The watchlist service on both Store implementations (a real SQLite file, a throwaway PostgreSQL cluster): lists
// created, renamed, filled and emptied, read back by a second store opened on the same database (a restart).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src-main/adapters/postgres/store';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';
import { ManualClock } from '../../src-main/ports/clock';
import type { Store } from '../../src-main/ports/store';
import { WatchlistInputError, WatchlistNotFoundError, WatchlistService } from '../../src-main/services/watchlists';
import { startPgCluster, type PgCluster } from '../support/pg-cluster';

function suite(name: string, database: () => Promise<() => Promise<Store>>) {
  describe(`Watchlists on ${name}`, () => {
    it('keeps lists, names and symbols in order across a reopen', async () => {
      const open = await database();
      const clock = new ManualClock(Date.UTC(2026, 11, 3));
      const store = await open();
      const lists = new WatchlistService({ store: store.watchlists, clock });
      let first: Awaited<ReturnType<WatchlistService['list']>>;
      try {
        // An empty store answers one empty list, stored (the same id on the next read).
        first = await lists.list();
        expect(first).toEqual([{ id: expect.any(String), name: 'Watchlist', symbols: [] }]);
        expect((await lists.list())[0]!.id).toBe(first[0]!.id);
        // Duplicates are skipped, order kept; concurrent adds both land (the service writes one at a time).
        await Promise.all([lists.addSymbols(first[0]!.id, ['MSFT', 'AAPL']), lists.addSymbols(first[0]!.id, ['AAPL', 'EURUSD'])]);
        const tech = await lists.create('Tech', ['NVDA']);
        await lists.rename(tech.id, 'Chips');
        await lists.removeSymbol(first[0]!.id, 'AAPL');
        await expect(lists.addSymbols('nope', ['X'])).rejects.toBeInstanceOf(WatchlistNotFoundError);
      } finally {
        await store.dispose();
      }
      const again = await open();
      try {
        const read = await new WatchlistService({ store: again.watchlists, clock }).list();
        expect(read).toEqual([
          { id: first[0]!.id, name: 'Watchlist', symbols: ['MSFT', 'EURUSD'] },
          { id: expect.any(String), name: 'Chips', symbols: ['NVDA'] },
        ]);
        const service = new WatchlistService({ store: again.watchlists, clock });
        await service.delete(read[1]!.id);
        // The last list stays: the sidebar always has one.
        await expect(service.delete(read[0]!.id)).rejects.toBeInstanceOf(WatchlistInputError);
        expect((await service.list()).map((l) => l.name)).toEqual(['Watchlist']);
      } finally {
        await again.dispose();
      }
    });
  });
}

suite('SQLite', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'qc-watchlists-')), 'quant.db');
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
    await admin.query('CREATE DATABASE watchlists');
  } finally {
    await admin.end();
  }
  const url = new URL(cluster.url);
  url.pathname = '/watchlists';
  return () => openPostgresStore({ url: url.toString() });
});
