// Backups of the database file (issue 18): an online copy and the checks a copy must pass. Implemented for SQLite
// (adapters/sqlite/backup.ts); PostgreSQL is backed up with its own tools (docs/operations.md).
export interface DatabaseBackup {
  /** Copies the live database into `file` while the app keeps writing. */
  copyTo(file: string): Promise<{ bytes: number }>;
  /** Why `file` cannot be restored (integrity, not our schema, unknown migrations); none when it can. */
  problems(file: string): string[];
}
