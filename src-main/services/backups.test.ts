import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../ports/clock';
import type { DatabaseBackup } from '../ports/database-backup';
import { ManualTimers } from '../ports/timers';
import { BackupService, expiredBackups, fileStamp, listBackups } from './backups';

const T0 = Date.parse('2026-12-01T02:00:00Z');
const DAY = 86_400_000;

/** Copies by writing a small file (the real copy is tested in tests/operations); `fail` makes the next copies throw. */
function fakeDb(): DatabaseBackup & { fail: string | undefined; damaged: boolean } {
  const db = {
    fail: undefined as string | undefined,
    damaged: false,
    copyTo: async (file: string) => {
      if (db.fail) throw new Error(db.fail);
      writeFileSync(file, 'copy');
      return { bytes: 4 };
    },
    problems: () => (db.damaged ? ['integrity_check: page 3 is never used'] : []),
  };
  return db;
}

describe('BackupService', () => {
  it('a daily copy on the clock: weekly once a week, 7 daily and 4 weekly kept, manual ones never removed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'qc-backups-'));
    const clock = new ManualClock(T0);
    const timers = new ManualTimers(clock);
    const failures: unknown[] = [];
    const svc = new BackupService({ dataDir, db: fakeDb(), clock, timers, onFailure: (e) => failures.push(e) });
    await svc.backup('manual');
    svc.start();
    for (let d = 0; d < 40; d++) {
      timers.advance(DAY);
      await new Promise((r) => setTimeout(r, 5)); // the copy is async: let it finish before the next day
    }
    const files = listBackups(svc.dir);
    expect(files.filter((f) => f.kind === 'daily')).toHaveLength(7);
    expect(files.filter((f) => f.kind === 'weekly')).toHaveLength(4);
    expect(files.filter((f) => f.kind === 'manual')).toHaveLength(1);
    // The newest daily is from the last day; weeklies a week apart.
    const weekly = files.filter((f) => f.kind === 'weekly').map((f) => f.time);
    for (let i = 1; i < weekly.length; i++) expect(weekly[i - 1]! - weekly[i]!).toBe(7 * DAY);
    expect(files[0]!.name).toBe(`qc-${files[0]!.kind}-${fileStamp(files[0]!.time)}.sqlite`);
    expect(failures).toEqual([]);
    await svc.dispose();
  });

  it('a failed scheduled copy is reported and the next day tries again; a copy failing its check is removed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'qc-backups-'));
    const clock = new ManualClock(T0);
    const timers = new ManualTimers(clock);
    const db = fakeDb();
    const failures: string[] = [];
    const svc = new BackupService({ dataDir, db, clock, timers, onFailure: (e) => failures.push((e as Error).message) });
    svc.start();
    db.fail = 'disk full';
    timers.advance(60_000);
    await new Promise((r) => setTimeout(r, 5));
    expect(failures).toEqual(['disk full']);
    expect(svc.lastFailure?.message).toBe('disk full');
    db.fail = undefined;
    db.damaged = true;
    timers.advance(DAY);
    await new Promise((r) => setTimeout(r, 5));
    expect(failures[1]).toMatch(/failed its check and was removed: integrity_check: page 3/);
    expect(readdirSync(svc.dir)).toEqual([]);
    db.damaged = false;
    timers.advance(DAY);
    await new Promise((r) => setTimeout(r, 5));
    expect(listBackups(svc.dir)).toHaveLength(1);
    expect(svc.lastFailure).toBeUndefined();
    await svc.dispose();
  });

  it('retention picks the oldest beyond the counts', () => {
    const f = (kind: 'daily' | 'weekly' | 'manual', day: number) => ({ file: '', name: '', kind, time: T0 + day * DAY, bytes: 1 });
    const files = [...Array.from({ length: 9 }, (_, d) => f('daily', d)), ...Array.from({ length: 5 }, (_, w) => f('weekly', w * 7)), f('manual', -100)];
    expect(expiredBackups(files).map((x) => [x.kind, (x.time - T0) / DAY])).toEqual([['daily', 1], ['daily', 0], ['weekly', 0]]);
  });
});
