// The saved-screens port on SQLite: prepared statements over the screens table (migration drizzle/0011_screens.sql).
import type Database from 'better-sqlite3';
import type { ScreenRow, ScreenStore } from '../../ports/screen-store';

interface Row { id: string; name: string; definition: string; created_at: number; updated_at: number }

const toRow = (r: Row): ScreenRow => ({ id: r.id, name: r.name, definition: JSON.parse(r.definition) as unknown, createdAt: r.created_at, updatedAt: r.updated_at });

export function createSqliteScreenStore(sqlite: Database.Database): ScreenStore {
  return {
    list: async () => sqlite.prepare<[], Row>('SELECT * FROM screens ORDER BY name, id').all().map(toRow),
    upsert: async (s) => void sqlite.prepare(
      'INSERT INTO screens (id, name, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, definition = excluded.definition, updated_at = excluded.updated_at',
    ).run(s.id, s.name, JSON.stringify(s.definition), s.createdAt, s.updatedAt),
    delete: async (id) => sqlite.prepare('DELETE FROM screens WHERE id = ?').run(id).changes > 0,
  };
}
