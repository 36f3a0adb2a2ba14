// The watchlist port on PostgreSQL: the same semantics as the SQLite one (migration drizzle-pg/0009_watchlists.sql).
import type pg from 'pg';
import { z } from 'zod';
import type { WatchlistRow, WatchlistStore } from '../../ports/watchlist-store';
import { storedJson } from '../store-rows';

interface Row { id: string; name: string; symbols: unknown; position: number; created_at: string | number }

const toRow = (r: Row): WatchlistRow => ({
  id: r.id, name: r.name, symbols: storedJson(z.array(z.string()), r.symbols, 'watchlists.symbols'), position: r.position, createdAt: Number(r.created_at),
});

export function createPostgresWatchlistStore(pool: pg.Pool): WatchlistStore {
  return {
    list: async () => (await pool.query<Row>('SELECT * FROM watchlists ORDER BY position, created_at, id')).rows.map(toRow),
    get: async (id) => {
      const r = (await pool.query<Row>('SELECT * FROM watchlists WHERE id = $1', [id])).rows[0];
      return r ? toRow(r) : undefined;
    },
    upsert: async (w) => {
      await pool.query(
        'INSERT INTO watchlists (id, name, symbols, position, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET name = excluded.name, symbols = excluded.symbols, position = excluded.position',
        [w.id, w.name, JSON.stringify(w.symbols), w.position, w.createdAt],
      );
    },
    delete: async (id) => ((await pool.query('DELETE FROM watchlists WHERE id = $1', [id])).rowCount ?? 0) > 0,
  };
}
