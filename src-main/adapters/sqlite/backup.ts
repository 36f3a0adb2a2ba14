// Backups of the SQLite database (issue 18): an online copy with better-sqlite3's backup API, the checks a copy must
// pass before it is trusted (integrity, our schema, migrations we know), and the file moves of a restore.
import Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { defaultMigrationsFolder } from '../store-rows';
import { checkDatabase } from './check';

/** Tables every Quant Claude database has since its first migration. */
const OUR_TABLES = ['accounts', 'orders', 'fills', 'positions', 'audit_log', 'settings'];

/**
 * Copies `sqlite` into `file` while the app keeps writing. Run on the writing connection: SQLite then carries the
 * writes made between steps into the copy instead of restarting it (a copy from another connection restarts on each
 * write and may never finish during a burst). Written to a side file and renamed, so `file` is whole or absent.
 * `allAtOnce` copies every page in one step (one read transaction): for a read-only connection beside the terminal.
 */
export async function onlineBackup(sqlite: Database.Database, file: string, opts: { allAtOnce?: boolean } = {}): Promise<{ bytes: number }> {
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  try {
    await sqlite.backup(partial, { progress: () => (opts.allAtOnce ? 0x7fffffff : 256) });
    // The copy keeps the source's WAL mode, and a WAL database leaves -wal/-shm files beside it whenever it is opened
    // (read-only ones cannot remove them): a backup is one self-contained file in rollback mode instead.
    const copy = new Database(partial);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    renameSync(partial, file);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  return { bytes: statSync(file).size };
}

/**
 * Why `file` cannot be restored (none: it can): unreadable, damaged (`PRAGMA integrity_check`), not a Quant Claude
 * database, or migrated by a newer version than this one (its migrations unknown here).
 */
export function backupProblems(file: string, migrationsFolder = defaultMigrationsFolder('sqlite')): string[] {
  if (!existsSync(file)) return [`${file} does not exist`];
  if (statSync(file).size === 0) return [`${file} is empty (0 bytes)`];
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    return [`${file} cannot be opened: ${err instanceof Error ? err.message : String(err)}`];
  }
  try {
    const problems = checkDatabase(db, true);
    if (problems.length > 0) return problems.map((p) => `integrity_check: ${p}`);
    const tables = new Set(db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => r.name));
    const missing = OUR_TABLES.filter((t) => !tables.has(t));
    if (missing.length > 0) return [`${file} is not a Quant Claude database (no ${missing.join(', ')} table)`];
    if (!tables.has('__drizzle_migrations')) return [`${file} is not a Quant Claude database (no migrations table)`];
    const known = new Map(readMigrationFiles({ migrationsFolder }).map((m) => [m.folderMillis, m.hash]));
    const applied = db.prepare<[], { hash: string; created_at: number }>('SELECT hash, created_at FROM __drizzle_migrations').all();
    const unknown = applied.filter((m) => known.get(Number(m.created_at)) !== m.hash);
    if (unknown.length > 0) return [`${file} was migrated by another version of Quant Claude (${unknown.length} migration${unknown.length === 1 ? '' : 's'} unknown here)`];
    return [];
  } catch (err) {
    return [`${file} cannot be read: ${err instanceof Error ? err.message : String(err)}`];
  } finally {
    db.close();
  }
}

/**
 * Puts `replacement` in place of `dbFile`, keeping the current database (and its WAL files) aside as
 * `<dbFile>.before-restore-<stamp>`; returns that name (undefined when there was no database). Only while no process
 * has the database open (the data folder's lock is held by the caller).
 */
export function swapDatabaseFile(dbFile: string, replacement: string, stamp: string): string | undefined {
  let aside: string | undefined;
  if (existsSync(dbFile)) {
    aside = `${dbFile}.before-restore-${stamp}`;
    renameSync(dbFile, aside);
    for (const ext of ['-wal', '-shm']) if (existsSync(dbFile + ext)) renameSync(dbFile + ext, aside + ext);
  }
  renameSync(replacement, dbFile);
  return aside;
}
