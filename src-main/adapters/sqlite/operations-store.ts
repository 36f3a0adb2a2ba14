// The operations port on SQLite: prepared statements over config_versions and hook_outbox (migration 0011).
import type Database from 'better-sqlite3';
import type { ConfigVersionRow, HookDeliveryRow, OperationsStore } from '../../ports/operations-store';

interface HookRow { id: number; hook: string; event: string; key: string; payload: string; created_at: number; attempts: number; next_at: number; last_error: string | null; delivered_at: number | null }

const toHook = (r: HookRow): HookDeliveryRow => ({
  id: r.id, hook: r.hook, event: r.event as HookDeliveryRow['event'], key: r.key, payload: r.payload, createdAt: r.created_at, attempts: r.attempts,
  nextAt: r.next_at, lastError: r.last_error, deliveredAt: r.delivered_at,
});

export function createSqliteOperationsStore(sqlite: Database.Database): OperationsStore {
  const insertHook = sqlite.prepare(
    'INSERT INTO hook_outbox (hook, event, key, payload, created_at, attempts, next_at) VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT (hook, key) DO NOTHING',
  );
  return {
    configVersions: {
      append: async (v) => Number(sqlite.prepare('INSERT INTO config_versions (time, subject, source, hash, text, diff) VALUES (?, ?, ?, ?, ?, ?)')
        .run(v.time, v.subject, v.source, v.hash, v.text, v.diff).lastInsertRowid),
      list: async ({ subject, limit }) => (subject
        ? sqlite.prepare<[string, number], ConfigVersionRow>('SELECT * FROM config_versions WHERE subject = ? ORDER BY id DESC LIMIT ?').all(subject, limit ?? 100)
        : sqlite.prepare<[number], ConfigVersionRow>('SELECT * FROM config_versions ORDER BY id DESC LIMIT ?').all(limit ?? 100)),
      get: async (id) => sqlite.prepare<[number], ConfigVersionRow>('SELECT * FROM config_versions WHERE id = ?').get(id),
      latest: async (subject) => sqlite.prepare<[string], ConfigVersionRow>('SELECT * FROM config_versions WHERE subject = ? ORDER BY id DESC LIMIT 1').get(subject),
    },
    hookOutbox: {
      enqueue: async (rows) => sqlite.transaction(() => rows.reduce((n, r) => n + insertHook.run(r.hook, r.event, r.key, r.payload, r.createdAt, r.nextAt).changes, 0))(),
      due: async (now, limit) => sqlite.prepare<[number, number], HookRow>('SELECT * FROM hook_outbox WHERE delivered_at IS NULL AND next_at <= ? ORDER BY id LIMIT ?').all(now, limit).map(toHook),
      delivered: async (id, time) => void sqlite.prepare('UPDATE hook_outbox SET delivered_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?').run(time, id),
      failed: async (id, error, nextAt) => void sqlite.prepare('UPDATE hook_outbox SET attempts = attempts + 1, last_error = ?, next_at = ? WHERE id = ?').run(error, nextAt, id),
      list: async (limit) => sqlite.prepare<[number], HookRow>('SELECT * FROM hook_outbox ORDER BY id DESC LIMIT ?').all(limit).map(toHook),
      prune: async (time) => sqlite.prepare('DELETE FROM hook_outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?').run(time).changes,
    },
  };
}
