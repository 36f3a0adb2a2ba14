// The operations port on PostgreSQL: the same semantics as the SQLite one (migration drizzle-pg/0011).
import type pg from 'pg';
import type { ConfigVersionRow, HookDeliveryRow, OperationsStore } from '../../ports/operations-store';

interface VersionRow { id: string | number; time: string | number; subject: string; source: string; hash: string; text: string; diff: string }
interface HookRow { id: string | number; hook: string; event: string; key: string; payload: string; created_at: string | number; attempts: number; next_at: string | number; last_error: string | null; delivered_at: string | number | null }

const toVersion = (r: VersionRow): ConfigVersionRow => ({ ...r, id: Number(r.id), time: Number(r.time) });
const toHook = (r: HookRow): HookDeliveryRow => ({
  id: Number(r.id), hook: r.hook, event: r.event as HookDeliveryRow['event'], key: r.key, payload: r.payload, createdAt: Number(r.created_at), attempts: r.attempts,
  nextAt: Number(r.next_at), lastError: r.last_error, deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at),
});

export function createPostgresOperationsStore(pool: pg.Pool): OperationsStore {
  return {
    configVersions: {
      append: async (v) => Number((await pool.query<{ id: string }>('INSERT INTO config_versions (time, subject, source, hash, text, diff) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
        [v.time, v.subject, v.source, v.hash, v.text, v.diff])).rows[0]!.id),
      list: async ({ subject, limit }) => (subject
        ? await pool.query<VersionRow>('SELECT * FROM config_versions WHERE subject = $1 ORDER BY id DESC LIMIT $2', [subject, limit ?? 100])
        : await pool.query<VersionRow>('SELECT * FROM config_versions ORDER BY id DESC LIMIT $1', [limit ?? 100])).rows.map(toVersion),
      get: async (id) => {
        const r = (await pool.query<VersionRow>('SELECT * FROM config_versions WHERE id = $1', [id])).rows[0];
        return r ? toVersion(r) : undefined;
      },
      latest: async (subject) => {
        const r = (await pool.query<VersionRow>('SELECT * FROM config_versions WHERE subject = $1 ORDER BY id DESC LIMIT 1', [subject])).rows[0];
        return r ? toVersion(r) : undefined;
      },
    },
    hookOutbox: {
      enqueue: async (rows) => {
        let n = 0;
        for (const r of rows) {
          n += (await pool.query('INSERT INTO hook_outbox (hook, event, key, payload, created_at, attempts, next_at) VALUES ($1, $2, $3, $4, $5, 0, $6) ON CONFLICT (hook, key) DO NOTHING',
            [r.hook, r.event, r.key, r.payload, r.createdAt, r.nextAt])).rowCount ?? 0;
        }
        return n;
      },
      due: async (now, limit) => (await pool.query<HookRow>('SELECT * FROM hook_outbox WHERE delivered_at IS NULL AND next_at <= $1 ORDER BY id LIMIT $2', [now, limit])).rows.map(toHook),
      delivered: async (id, time) => void await pool.query('UPDATE hook_outbox SET delivered_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2', [time, id]),
      failed: async (id, error, nextAt) => void await pool.query('UPDATE hook_outbox SET attempts = attempts + 1, last_error = $1, next_at = $2 WHERE id = $3', [error, nextAt, id]),
      list: async (limit) => (await pool.query<HookRow>('SELECT * FROM hook_outbox ORDER BY id DESC LIMIT $1', [limit])).rows.map(toHook),
      prune: async (time) => (await pool.query('DELETE FROM hook_outbox WHERE delivered_at IS NOT NULL AND delivered_at < $1', [time])).rowCount ?? 0,
    },
  };
}
