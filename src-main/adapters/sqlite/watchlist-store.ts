// The watchlist port on SQLite: prepared statements over the watchlists table (migration drizzle/0009_watchlists.sql).
import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { WatchlistRow, WatchlistStore } from '../../ports/watchlist-store';
import { storedJson } from '../store-rows';

interface Row { id: string; name: string; symbols: string; position: number; created_at: number }

const toRow = (r: Row): WatchlistRow => ({
  id: r.id, name: r.name, symbols: storedJson(z.array(z.string()), JSON.parse(r.symbols), 'watchlists.symbols'), position: r.position, createdAt: r.created_at,
});

export function createSqliteWatchlistStore(sqlite: Database.Database): WatchlistStore {
  return {
    list: async () => sqlite.prepare<[], Row>('SELECT * FROM watchlists ORDER BY position, created_at, id').all().map(toRow),
    get: async (id) => {
      const r = sqlite.prepare<[string], Row>('SELECT * FROM watchlists WHERE id = ?').get(id);
      return r ? toRow(r) : undefined;
    },
    upsert: async (w) => void sqlite.prepare(
      'INSERT INTO watchlists (id, name, symbols, position, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, symbols = excluded.symbols, position = excluded.position',
    ).run(w.id, w.name, JSON.stringify(w.symbols), w.position, w.createdAt),
    delete: async (id) => sqlite.prepare('DELETE FROM watchlists WHERE id = ?').run(id).changes > 0,
  };
}
