// The macro cache on SQLite: a series' description and its observations (migration drizzle/0011_macro.sql).
import type Database from 'better-sqlite3';
import type { MacroStore } from '../../ports/macro';
import { storedMacroInfo } from '../macro-rows';

export function createSqliteMacroStore(sqlite: Database.Database): MacroStore {
  const put = sqlite.transaction((id: string, info: string, fetchedAt: number, rows: { date: string; value: number | null }[]) => {
    sqlite.prepare('INSERT INTO macro_series (id, info, fetched_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET info = excluded.info, fetched_at = excluded.fetched_at').run(id, info, fetchedAt);
    sqlite.prepare('DELETE FROM macro_observations WHERE series_id = ?').run(id);
    const insert = sqlite.prepare('INSERT INTO macro_observations (series_id, date, value) VALUES (?, ?, ?)');
    for (const r of rows) insert.run(id, r.date, r.value);
  });
  return {
    get: async (id) => {
      const s = sqlite.prepare<[string], { info: string; fetched_at: number }>('SELECT info, fetched_at FROM macro_series WHERE id = ?').get(id);
      if (!s) return undefined;
      const observations = sqlite.prepare<[string], { date: string; value: number | null }>('SELECT date, value FROM macro_observations WHERE series_id = ? ORDER BY date').all(id);
      return { info: storedMacroInfo(JSON.parse(s.info)), observations, fetchedAt: s.fetched_at };
    },
    put: async (id, s) => void put(id, JSON.stringify(s.info), s.fetchedAt, s.observations),
  };
}
