// One writer per data folder: an exclusive lock held for the life of the process, and who holds it for a refusal.
//
// Why a SQLite lock file rather than a pid file: SQLite's locks are the operating system's (fcntl on Linux and macOS,
// LockFileEx on Windows), held through an open file descriptor, so the OS drops them the moment the holding process
// ends, also on SIGKILL, a crash or a power cut. A stale lock cannot exist and there is no pid that an unrelated
// process could reuse (the two weaknesses of a pid file). The driver is the one the database already uses, so nothing
// new is installed. The holder keeps a RESERVED lock (an open `BEGIN IMMEDIATE`): other writers are refused at once,
// while readers can still read the `holder` row to name the process in the refusal. Like SQLite's own locking, it is
// not reliable on network folders (NFS, SMB).
import Database from 'better-sqlite3';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'quant.lock';

/** What holds a data folder, named in the refusal line. */
export type LockRole = 'web host' | 'desktop app' | 'cli';

export interface LockHolder {
  pid: number;
  role: string;
  startedAt: number;
  host: string;
}

export interface DataFolderLock {
  readonly file: string;
  release(): void;
}

export class DataFolderLockedError extends Error {
  constructor(readonly dir: string, readonly holder: LockHolder | undefined) {
    super(`the data folder ${dir} is in use by ${describeHolder(holder)}; stop it first or use another data folder`);
    this.name = 'DataFolderLockedError';
  }
}

function describeHolder(h: LockHolder | undefined): string {
  if (!h) return 'another Quant Claude process';
  const where = h.host === hostname() ? '' : ` on ${h.host}`;
  return `the Quant Claude ${h.role} (pid ${h.pid}${where}, started ${new Date(h.startedAt).toISOString().replace(/\.\d+Z$/, 'Z')})`;
}

const isBusy = (err: unknown) => (err as { code?: string })?.code?.startsWith('SQLITE_BUSY') === true || (err as { code?: string })?.code === 'SQLITE_LOCKED';

export interface LockOptions {
  role: LockRole;
  /** For a cli holder: the command (`cli import`). */
  detail?: string;
  /** better-sqlite3 built for Electron's ABI. */
  nativeBinding?: string;
  now?: () => number;
}

/** Takes the folder's lock or throws DataFolderLockedError naming the holder. The folder must exist. */
export function lockDataFolder(dir: string, opts: LockOptions): DataFolderLock {
  const file = join(dir, LOCK_FILE);
  // timeout 0: a held lock refuses at once instead of waiting for it.
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: 0, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) });
  } catch (err) {
    throw new Error(`Cannot lock the data folder ${dir} (${file}): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const refuse = (): never => {
    // In a race for a new folder the holder may not have written its row yet: give it a moment (≤ 200 ms).
    let holder = readHolder(db);
    for (let i = 0; i < 10 && !holder; i++) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      holder = readHolder(db);
    }
    db.close();
    throw new DataFolderLockedError(dir, holder);
  };
  try {
    db.exec('CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, role TEXT NOT NULL, started_at INTEGER NOT NULL, host TEXT NOT NULL)');
    db.exec('BEGIN IMMEDIATE');
  } catch (err) {
    if (isBusy(err)) refuse();
    db.close();
    throw new Error(`Cannot lock the data folder ${dir} (${file}): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  // Who we are, committed so that a refused process can read it; committing needs readers to step aside briefly.
  db.pragma('busy_timeout = 2000');
  db.prepare('INSERT OR REPLACE INTO holder (id, pid, role, started_at, host) VALUES (1, ?, ?, ?, ?)')
    .run(process.pid, opts.detail ? `${opts.role} (${opts.detail})` : opts.role, (opts.now ?? Date.now)(), hostname());
  db.exec('COMMIT');
  db.pragma('busy_timeout = 0');
  try {
    // Held until release: another process can slip in only in the instant after the commit, and is then the holder.
    db.exec('BEGIN IMMEDIATE');
  } catch (err) {
    if (isBusy(err)) refuse();
    db.close();
    throw err;
  }
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      try {
        db.exec('ROLLBACK');
      } finally {
        db.close();
      }
    },
  };
}

function readHolder(db: Database.Database): LockHolder | undefined {
  try {
    db.pragma('busy_timeout = 1000');
    const r = db.prepare<[], { pid: number; role: string; started_at: number; host: string }>('SELECT pid, role, started_at, host FROM holder WHERE id = 1').get();
    return r ? { pid: r.pid, role: r.role, startedAt: r.started_at, host: r.host } : undefined;
  } catch {
    return undefined;
  }
}
