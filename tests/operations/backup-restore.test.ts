// Backups and restore as a user runs them (issue 18): a real terminal in a child process takes a backup through the
// API during a burst of paper orders; the CLI refuses to restore while that terminal holds the folder, restores once
// it stopped, and the next start uses the copy: orders, fills, positions and audit log identical up to the backup.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src-main/app';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';
import { createLogger } from '../../src-main/logging';
import type { AuditEntry, Fill, Order } from '../../src-shared/domain/types';
import type { StoredPosition } from '../../src-main/ports/store';
import { repoRoot } from '../support/web-host';

const run = promisify(execFile);
const here = join(repoRoot, 'tests/operations');

async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main/cli/main.ts'), ...args], { cwd: repoRoot });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

interface Ledger { orders: Order[]; fills: Fill[]; positions: StoredPosition[]; audit: AuditEntry[] }

/** Everything the paper account has, read from the folder's database (read-only, no lock). */
async function readLedger(dataDir: string): Promise<Ledger> {
  const store = openSqliteStore({ file: join(dataDir, 'quant.db'), readonly: true });
  try {
    return {
      orders: await store.orders.list({ accountId: 'PAPER-1', limit: 5000 }),
      fills: (await store.fills.list({ accountId: 'PAPER-1', limit: 5000 })).reverse(),
      positions: await store.positions.list('PAPER-1'),
      audit: (await store.audit.list({ limit: 5000 })).reverse(),
    };
  } finally {
    await store.dispose();
  }
}

const children: ChildProcessWithoutNullStreams[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

function startTerminal(dataDir: string): { child: ChildProcessWithoutNullStreams; line: (prefix: string) => Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'backup-child.ts'), '--data-dir', dataDir, '--orders', '60'], { cwd: repoRoot });
  children.push(child);
  const lines: string[] = [];
  const waiting: { prefix: string; resolve: (l: string) => void }[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: child.stdout }).on('line', (l) => {
    lines.push(l);
    for (const w of waiting.filter((x) => l.startsWith(x.prefix))) w.resolve(l);
  });
  const line = (prefix: string) => new Promise<string>((resolve, reject) => {
    const found = lines.find((l) => l.startsWith(prefix));
    if (found) return resolve(found);
    waiting.push({ prefix, resolve });
    child.once('exit', (code) => reject(new Error(`terminal exited (${code}) before "${prefix}": ${stderr}`)));
  });
  return { child, line };
}

describe('backup during a burst of orders, restore', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'qc-backup-'));
  let backupFile = '';
  let original: Ledger;

  it('backs up through the API while orders are placed; the CLI refuses to restore while the terminal runs', async () => {
    const { child, line } = startTerminal(dataDir);
    const backup = JSON.parse((await line('backup ')).slice('backup '.length)) as { file: string; bytes: number; integrity: string };
    await line('done');
    expect(backup.integrity).toBe('ok');
    expect(backup.file).toMatch(/[/\\]backups[/\\]qc-manual-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.sqlite$/);
    expect(statSync(backup.file).size).toBe(backup.bytes);
    backupFile = backup.file;

    // The terminal (another process) holds the folder: refused, naming it, and the database is untouched.
    const refused = await cli('restore', '--from', backupFile, '--data-dir', dataDir, '--json');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/in use by the Quant Claude web host \(pid \d+/);
    expect(existsSync(join(dataDir, 'restore-pending.sqlite'))).toBe(false);

    // A backup from the CLI beside the running terminal works (read-only, online).
    const side = await cli('backup', '--data-dir', dataDir, '--to', join(dataDir, 'side.sqlite'), '--json');
    expect(side.code, side.stderr).toBe(0);
    expect(JSON.parse(side.stdout)).toEqual({ file: join(dataDir, 'side.sqlite'), bytes: statSync(join(dataDir, 'side.sqlite')).size, integrity: 'ok' });

    child.stdin.write('stop\n');
    await line('stopped');
    original = await readLedger(dataDir);
  }, 180_000);

  it('restored, the ledger is identical up to the backup point, and the next start uses it', async () => {
    const restored = await cli('restore', '--from', backupFile, '--data-dir', dataDir, '--json');
    expect(restored.code, restored.stderr).toBe(0);
    const out = JSON.parse(restored.stdout) as { file: string; keptAside: string };
    expect(out.keptAside).toMatch(/quant\.db\.before-restore-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/);
    expect(existsSync(out.keptAside)).toBe(true);

    const copy = await readLedger(dataDir);
    // The backup point: the audit log is a prefix of the original one, taken mid-burst (orders before and after it).
    const n = copy.audit.length;
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(original.audit.length);
    expect(copy.audit).toEqual(original.audit.slice(0, n));
    const lastSeq = copy.audit[n - 1]!.seq;
    const changedAfter = new Set(original.audit.filter((a) => a.seq > lastSeq && a.orderId).map((a) => a.orderId!));
    // Orders and fills: what the copy has is the original's, except orders changed after the backup point.
    expect(copy.fills.length).toBeGreaterThan(0);
    expect(copy.fills.length).toBeLessThan(original.fills.length);
    const originalFills = new Map(original.fills.map((f) => [f.id, f]));
    for (const f of copy.fills) expect(f).toEqual(originalFills.get(f.id));
    for (const f of original.fills) if (!copy.fills.some((c) => c.id === f.id)) expect(changedAfter.has(f.orderId)).toBe(true);
    const originalOrders = new Map(original.orders.map((o) => [o.id, o]));
    for (const o of copy.orders) if (!changedAfter.has(o.id)) expect(o).toEqual(originalOrders.get(o.id));
    // Every fill journaled before the point is in the copy, and each order's filled quantity is its fills'.
    const fillsBefore = copy.audit.filter((a) => a.kind === 'order.fill').map((a) => a.payload['execId']);
    expect(copy.fills.map((f) => f.id).sort()).toEqual([...fillsBefore].sort());
    for (const o of copy.orders) {
      const sum = copy.fills.filter((f) => f.orderId === o.id).reduce((a, f) => a + f.quantity, 0);
      expect(o.filledQuantity).toBeCloseTo(sum, 9);
    }
    // Positions: the signed sum of the copy's fills per symbol.
    for (const p of copy.positions) {
      const q = copy.fills.filter((f) => f.symbol === p.symbol).reduce((a, f) => a + (f.side === 'buy' ? f.quantity : -f.quantity), 0);
      expect(p.quantity).toBeCloseTo(q, 9);
    }

    // The next start opens the restored database.
    const app = await createApp({ dataDir, transport: 'web', logger: createLogger({ level: 'silent' }) });
    try {
      const r = await app.dispatch('orders.list', { scope: 'all', limit: 5000 });
      expect(r.ok && (r.result as Order[]).map((o) => o.id).sort()).toEqual(copy.orders.map((o) => o.id).sort());
      const audit = await app.dispatch('audit.list', { limit: 5000 });
      expect(audit.ok && (audit.result as AuditEntry[]).map((a) => a.seq).filter((s) => s <= lastSeq).length).toBe(n);
    } finally {
      await app.dispose();
    }
  }, 180_000);

  it('refuses a damaged backup and a file that is not ours, and leaves the database alone', async () => {
    const before = statSync(join(dataDir, 'quant.db')).mtimeMs;
    const bad = join(dataDir, 'damaged.sqlite');
    copyFileSync(backupFile, bad);
    // Garbage over the pages after the first: the header still says SQLite, the b-trees are broken.
    const fd = openSync(bad, 'r+');
    writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, 4096 * 2);
    closeSync(fd);
    const damaged = await cli('restore', '--from', bad, '--data-dir', dataDir, '--json');
    expect(damaged.code).not.toBe(0);
    expect(damaged.stderr).toMatch(/Not restored: .*(integrity_check|malformed|cannot be read|not a database)/);

    const other = join(dataDir, 'other.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)');
    db.close();
    const foreign = await cli('restore', '--from', other, '--data-dir', dataDir, '--json');
    expect(foreign.code).not.toBe(0);
    expect(foreign.stderr).toMatch(/is not a Quant Claude database \(no accounts, orders, fills, positions, audit_log, settings table\)/);
    expect(statSync(join(dataDir, 'quant.db')).mtimeMs).toBe(before);
    expect(existsSync(join(dataDir, 'restore-pending.sqlite'))).toBe(false);
  }, 120_000);
});
