// `npm run cli -- health`: the data folder's checks without a running app, as a real process on real files.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';
import { repoRoot } from '../support/web-host';

const run = promisify(execFile);

async function health(dataDir: string): Promise<{ report: { status: string; checks: Record<string, { status: string; output?: string }[]> }; code: number }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main/cli/main.ts'), 'health', '--data-dir', dataDir, '--json'], { cwd: repoRoot });
    return { report: JSON.parse(stdout), code: 0 };
  } catch (err) {
    const e = err as { stdout: string; code: number };
    return { report: JSON.parse(e.stdout), code: e.code };
  }
}

const backupName = (t: Date) => `qc-manual-${t.toISOString().slice(0, 19).replace(/:/g, '-')}Z.sqlite`;

describe('cli health', () => {
  it('pass on a sound database with a fresh backup; warn without a backup; fail (exit 1) on a damaged database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-cli-health-'));
    openSqliteStore({ file: join(dir, 'quant.db') }).dispose();
    mkdirSync(join(dir, 'backups'));
    writeFileSync(join(dir, 'backups', backupName(new Date())), 'copy');
    const ok = await health(dir);
    expect(ok.code).toBe(0);
    expect(ok.report.status).toBe('pass');
    expect(Object.keys(ok.report.checks).sort()).toEqual(['backup:age', 'database:connectivity', 'database:integrity', 'disk:free']);

    const bare = mkdtempSync(join(tmpdir(), 'qc-cli-health-'));
    openSqliteStore({ file: join(bare, 'quant.db') }).dispose();
    const warn = await health(bare);
    expect({ code: warn.code, status: warn.report.status, backup: warn.report.checks['backup:age']![0]!.status }).toEqual({ code: 0, status: 'warn', backup: 'warn' });

    const damaged = mkdtempSync(join(tmpdir(), 'qc-cli-health-'));
    writeFileSync(join(damaged, 'quant.db'), Buffer.alloc(8192, 7)); // not a database
    const fail = await health(damaged);
    expect(fail.code).toBe(1);
    expect(fail.report.status).toBe('fail');
    expect(fail.report.checks['database:connectivity']![0]).toMatchObject({ status: 'fail' });
  }, 60_000);
});
