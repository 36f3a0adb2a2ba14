// Backups wired to the database the app opened (issue 18): the SQLite store's online copy behind the DatabaseBackup
// port, and the restore staged by Settings or the CLI, applied here before the database is opened.
import { copyFileSync, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { backupProblems, onlineBackup, swapDatabaseFile } from '../adapters/sqlite/backup';
import type { SqliteStore } from '../adapters/sqlite/store';
import type { DatabaseBackup } from '../ports/database-backup';
import type { Store } from '../ports/store';
import { fileStamp, PENDING_RESTORE } from '../services/backups';
import { databaseFile } from './store';

/** The SQLite store's online copy; undefined on PostgreSQL (pg_dump is its tool). */
export function databaseBackup(store: Store): DatabaseBackup | undefined {
  if (store.kind !== 'sqlite') return undefined;
  const sqlite = store as SqliteStore;
  return { copyTo: (file) => sqlite.backup(file), problems: (file) => backupProblems(file) };
}

/** For the CLI beside a running terminal: a read-only connection copied in one step (one read transaction). */
export function fileBackup(dataDir: string): DatabaseBackup {
  return {
    copyTo: async (file) => {
      const db = new Database(databaseFile(dataDir), { readonly: true, fileMustExist: true });
      try {
        db.pragma('busy_timeout = 5000');
        return await onlineBackup(db, file, { allAtOnce: true });
      } finally {
        db.close();
      }
    },
    problems: (file) => backupProblems(file),
  };
}

export interface AppliedRestore {
  /** The restored database now in place. */
  file: string;
  /** Where the previous database was kept (absent: there was none). */
  keptAside?: string;
}

/**
 * Puts a staged restore in place of the database; call with the folder's lock held, before the database is opened.
 * A staged file that no longer passes its check is set aside as `restore-refused-<stamp>.sqlite` and the start goes on
 * with the current database (the reason is thrown to the caller's log through `onRefused`).
 */
export function applyPendingRestore(dataDir: string, now: number, onRefused: (reason: string) => void = () => undefined): AppliedRestore | undefined {
  const staged = join(dataDir, PENDING_RESTORE);
  if (!existsSync(staged)) return undefined;
  const problems = backupProblems(staged);
  if (problems.length > 0) {
    renameSync(staged, join(dataDir, `restore-refused-${fileStamp(now)}.sqlite`));
    onRefused(problems.join('; '));
    return undefined;
  }
  const file = databaseFile(dataDir);
  const keptAside = swapDatabaseFile(file, staged, fileStamp(now));
  return { file, ...(keptAside ? { keptAside } : {}) };
}

/**
 * The CLI's restore: with the folder's lock held (no terminal on it), checks `from`, keeps the current database aside
 * and puts the copy in its place; the next start opens it (and migrates it if it is older).
 */
export function restoreNow(dataDir: string, from: string, now: number): AppliedRestore {
  const problems = backupProblems(from);
  if (problems.length > 0) throw new Error(`Not restored: ${problems.join('; ')}`);
  const staged = join(dataDir, PENDING_RESTORE);
  copyFileSync(from, `${staged}.partial`);
  renameSync(`${staged}.partial`, staged);
  let refused: string | undefined;
  const applied = applyPendingRestore(dataDir, now, (reason) => (refused = reason));
  if (!applied) throw new Error(`Not restored: the copy failed its check: ${refused ?? 'unknown'}`);
  return applied;
}
