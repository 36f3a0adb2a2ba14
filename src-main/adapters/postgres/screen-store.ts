// The saved-screens port on PostgreSQL: the same semantics as the SQLite one (migration drizzle-pg/0011_screens.sql).
import type pg from 'pg';
import type { ScreenRow, ScreenStore } from '../../ports/screen-store';

interface Row { id: string; name: string; definition: unknown; created_at: string | number; updated_at: string | number }

const toRow = (r: Row): ScreenRow => ({ id: r.id, name: r.name, definition: r.definition, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) });

export function createPostgresScreenStore(pool: pg.Pool): ScreenStore {
  return {
    list: async () => (await pool.query<Row>('SELECT * FROM screens ORDER BY name, id')).rows.map(toRow),
    upsert: async (s) => {
      await pool.query(
        'INSERT INTO screens (id, name, definition, created_at, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET name = excluded.name, definition = excluded.definition, updated_at = excluded.updated_at',
        [s.id, s.name, JSON.stringify(s.definition), s.createdAt, s.updatedAt],
      );
    },
    delete: async (id) => ((await pool.query('DELETE FROM screens WHERE id = $1', [id])).rowCount ?? 0) > 0,
  };
}
