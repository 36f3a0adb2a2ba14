// Start-up checks of the SQLite file: an empty or damaged database is refused with its name, never used or replaced.
import type Database from 'better-sqlite3';
import { statSync } from 'node:fs';

const RESTORE = 'Restore a backup (npm run cli -- restore --from <data folder>/backups/qc-daily-….sqlite; the damaged file is kept aside), or move the file away to start with a new account';

export class DatabaseRefusedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseRefusedError';
  }
}

/** A file that exists with 0 bytes would silently become a fresh account: refuse it (a missing file is a new folder). */
export function refuseEmptyFile(file: string): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return; // no file yet: a new data folder
  }
  if (size === 0) throw new DatabaseRefusedError(`The database ${file} is empty (0 bytes) and holds no account. ${RESTORE}`);
}

/** `PRAGMA quick_check` (or the full `integrity_check`): the problems found, none when the file is sound. */
export function checkDatabase(sqlite: Database.Database, full = false): string[] {
  const rows = sqlite.pragma(full ? 'integrity_check(100)' : 'quick_check(100)') as Record<string, string>[];
  const lines = rows.map((r) => String(Object.values(r)[0]));
  return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
}

export function damagedMessage(file: string, problems: string[], check: string): string {
  const more = problems.length > 1 ? ` and ${problems.length - 1} more` : '';
  return `The database ${file} is damaged (${check}: ${problems[0]?.replace(/\s+/g, ' ')}${more}). ${RESTORE}`;
}

export function unreadableMessage(file: string, err: unknown): string {
  return `The database ${file} is damaged (${err instanceof Error ? err.message : String(err)}). ${RESTORE}`;
}

const CORRUPT = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);
export const isCorrupt = (err: unknown) => {
  const code = (err as { code?: string })?.code ?? '';
  return CORRUPT.has(code) || code.startsWith('SQLITE_CORRUPT');
};
