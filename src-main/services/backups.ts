// Backups of the data folder's database (issue 18): a daily online copy with retention (7 daily, 4 weekly), copies on
// demand, each checked before it counts; restores staged for the next start. File names are
// `qc-<daily|weekly|manual>-<YYYY-MM-DDTHH-MM-SSZ>.sqlite` in `<dataDir>/backups` (the health check reads the newest).
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Clock } from '../ports/clock';
import type { DatabaseBackup } from '../ports/database-backup';
import type { Disposable } from '../ports/disposable';
import type { Timers } from '../ports/timers';

export type BackupKind = 'daily' | 'weekly' | 'manual';

export interface BackupFile {
  file: string;
  name: string;
  kind: BackupKind;
  /** UTC ms from the name. */
  time: number;
  bytes: number;
}

export interface BackupResult {
  file: string;
  bytes: number;
  integrity: 'ok';
  /** Copy and check, wall time. */
  ms: number;
}

/** Restore waiting for the next start: the copy checked now and applied before the database is opened. */
export const PENDING_RESTORE = 'restore-pending.sqlite';
export const BACKUP_DIR = 'backups';
export const RETENTION = { daily: 7, weekly: 4 } as const;
const DAY = 86_400_000;
const NAME = /^qc-(daily|weekly|manual)-(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ)(?:-(\d+))?\.sqlite$/;

/** `2026-12-03T20-30-00Z`: an ISO time with the colons a Windows file name cannot hold replaced. */
export const fileStamp = (t: number) => new Date(t).toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
const parseStamp = (s: string) => Date.parse(s.replace(/T(\d\d)-(\d\d)-(\d\d)Z$/, 'T$1:$2:$3Z'));

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/** Every backup in `dir`, newest first. */
export function listBackups(dir: string): BackupFile[] {
  if (!existsSync(dir)) return [];
  const out: BackupFile[] = [];
  for (const name of readdirSync(dir)) {
    const m = NAME.exec(name);
    if (!m) continue;
    const file = join(dir, name);
    out.push({ file, name, kind: m[1] as BackupKind, time: parseStamp(m[2]!), bytes: statSync(file).size });
  }
  return out.sort((a, b) => b.time - a.time || b.name.localeCompare(a.name));
}

/** The backups retention removes: beyond the newest 7 daily and 4 weekly; manual ones are the user's and stay. */
export function expiredBackups(files: readonly BackupFile[]): BackupFile[] {
  const byKind = (k: BackupKind) => files.filter((f) => f.kind === k).sort((a, b) => b.time - a.time);
  return [...byKind('daily').slice(RETENTION.daily), ...byKind('weekly').slice(RETENTION.weekly)];
}

export interface BackupServiceOptions {
  dataDir: string;
  /** Absent (PostgreSQL): backups are refused with the reason. */
  db: DatabaseBackup | undefined;
  clock: Clock;
  timers: Timers;
  /** A scheduled backup that failed: reported, never thrown (the process goes on). */
  onFailure(err: unknown): void;
  onBackup?(r: BackupResult & { kind: BackupKind }): void;
}

export class BackupService implements Disposable {
  readonly dir: string;
  private cancel: (() => void) | undefined;
  private running: Promise<unknown> | undefined;
  private disposed = false;
  lastFailure: { time: number; message: string } | undefined;

  constructor(private readonly o: BackupServiceOptions) {
    this.dir = join(o.dataDir, BACKUP_DIR);
  }

  list(): BackupFile[] {
    return listBackups(this.dir);
  }

  /** A checked copy now: into `to`, or `backups/qc-<kind>-<stamp>.sqlite`. A copy that fails its check is removed. */
  async backup(kind: BackupKind = 'manual', to?: string): Promise<BackupResult> {
    const db = this.o.db;
    if (!db) throw new BackupError('This terminal stores its data in PostgreSQL: back it up with pg_dump (docs/operations.md)');
    const started = performance.now();
    let file = to ? resolve(to) : join(this.dir, `qc-${kind}-${fileStamp(this.o.clock.now())}.sqlite`);
    if (!to) {
      mkdirSync(this.dir, { recursive: true });
      for (let n = 2; existsSync(file); n++) file = join(this.dir, `qc-${kind}-${fileStamp(this.o.clock.now())}-${n}.sqlite`);
    }
    const run = (async () => {
      const { bytes } = await db.copyTo(file);
      const problems = db.problems(file);
      if (problems.length > 0) {
        rmSync(file, { force: true });
        throw new BackupError(`The backup failed its check and was removed: ${problems[0]}`);
      }
      return { file, bytes, integrity: 'ok' as const, ms: performance.now() - started };
    })();
    this.running = run.catch(() => undefined);
    const result = await run;
    if (!to && kind !== 'manual') for (const f of expiredBackups(this.list())) rmSync(f.file, { force: true });
    this.o.onBackup?.({ ...result, kind });
    return result;
  }

  /** Schedules the daily backup: a day after the newest scheduled one (a minute after start when that is overdue). */
  start(): void {
    if (!this.o.db) return;
    const now = this.o.clock.now();
    const last = this.list().find((f) => f.kind !== 'manual');
    this.schedule(last ? Math.max(60_000, last.time + DAY - now) : 60_000);
  }

  private schedule(ms: number): void {
    if (this.disposed) return;
    this.cancel = this.o.timers.after(ms, () => {
      const now = this.o.clock.now();
      const weekly = this.list().find((f) => f.kind === 'weekly');
      // One copy a week is kept as weekly (the others as daily), so the two retentions cover 7 days and 4 weeks.
      const kind: BackupKind = !weekly || now - weekly.time >= 7 * DAY - 60_000 ? 'weekly' : 'daily';
      this.backup(kind).then(() => {
        this.lastFailure = undefined;
      }, (err: unknown) => {
        this.lastFailure = { time: now, message: err instanceof Error ? err.message : String(err) };
        this.o.onFailure(err);
      }).finally(() => this.schedule(DAY));
    });
  }

  /** Checks `file` and stages it: the next start puts it in place of the database, keeping the current one aside. */
  stageRestore(file: string): { staged: string; from: string } {
    const db = this.o.db;
    if (!db) throw new BackupError('This terminal stores its data in PostgreSQL: restore it with pg_restore (docs/operations.md)');
    const from = resolve(file);
    const problems = db.problems(from);
    if (problems.length > 0) throw new BackupError(`Not restored: ${problems.join('; ')}`);
    const staged = join(this.o.dataDir, PENDING_RESTORE);
    copyFileSync(from, `${staged}.partial`);
    // The copy is checked again where it lies, then named: a half-copied file never looks staged.
    const again = db.problems(`${staged}.partial`);
    if (again.length > 0) {
      rmSync(`${staged}.partial`, { force: true });
      throw new BackupError(`Not restored: the copy failed its check: ${again[0]}`);
    }
    copyFileSync(`${staged}.partial`, staged);
    rmSync(`${staged}.partial`, { force: true });
    return { staged, from };
  }

  pendingRestore(): string | undefined {
    const staged = join(this.o.dataDir, PENDING_RESTORE);
    return existsSync(staged) ? staged : undefined;
  }

  cancelRestore(): void {
    rmSync(join(this.o.dataDir, PENDING_RESTORE), { force: true });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.cancel?.();
    await this.running;
  }
}
