// The macro cache on PostgreSQL: the same semantics as the SQLite one (migration drizzle-pg/0011_macro.sql).
import type pg from 'pg';
import type { MacroStore } from '../../ports/macro';
import { storedMacroInfo } from '../macro-rows';

/** Rows per INSERT: 3 parameters each, well below PostgreSQL's 65,535. */
const BATCH = 5000;

export function createPostgresMacroStore(pool: pg.Pool): MacroStore {
  return {
    get: async (id) => {
      const s = (await pool.query<{ info: unknown; fetched_at: string }>('SELECT info, fetched_at FROM macro_series WHERE id = $1', [id])).rows[0];
      if (!s) return undefined;
      const rows = (await pool.query<{ date: string; value: number | null }>('SELECT date, value FROM macro_observations WHERE series_id = $1 ORDER BY date', [id])).rows;
      return { info: storedMacroInfo(s.info), observations: rows.map((r) => ({ date: r.date, value: r.value })), fetchedAt: Number(s.fetched_at) };
    },
    put: async (id, s) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          'INSERT INTO macro_series (id, info, fetched_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET info = excluded.info, fetched_at = excluded.fetched_at',
          [id, JSON.stringify(s.info), s.fetchedAt],
        );
        await client.query('DELETE FROM macro_observations WHERE series_id = $1', [id]);
        for (let i = 0; i < s.observations.length; i += BATCH) {
          const part = s.observations.slice(i, i + BATCH);
          await client.query(
            `INSERT INTO macro_observations (series_id, date, value) VALUES ${part.map((_, j) => `($1, $${2 * j + 2}, $${2 * j + 3})`).join(', ')}`,
            [id, ...part.flatMap((o) => [o.date, o.value])],
          );
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
  };
}
