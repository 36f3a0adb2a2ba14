// Start-up checks on real database files: a damaged fills page or a 0-byte file is refused in one line naming the file
// (never used, never replaced by a fresh account); a new folder still gets a new database; `cli check` finds the damage.
import Database from 'better-sqlite3';
import { openSync, readFileSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, connect, runHostToExit, spawnHost, type HostProcess } from '../support/host-process';
import { tempDataDir } from '../support/web-host';

const hosts: HostProcess[] = [];
afterAll(() => {
  for (const h of hosts) if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGKILL');
});

const RESTORE = 'Restore a backup (npm run cli -- restore --from <data folder>/backups/qc-daily-….sqlite; the damaged file is kept aside), or move the file away to start with a new account';

describe('database start-up checks', () => {
  it('a new folder gets a new database; a damaged fills page is then refused at start and found by `check`', async () => {
    const dataDir = tempDataDir('qc-corrupt-');
    const a = spawnHost(dataDir);
    hosts.push(a);
    const { port, token } = await a.ready;
    const api = await connect(port, token);
    // Enough fills for the fills table to span several pages.
    for (let i = 0; i < 60; i++) {
      const r = await api.call<{ order: { status: string } }>('orders.place', { symbol: 'BTCUSD', side: i % 2 ? 'sell' : 'buy', type: 'market', quantity: 0.001 });
      expect(r.order.status).not.toBe('rejected');
    }
    await expect.poll(async () => (await api.call<unknown[]>('fills.list', {})).length, { timeout: 30_000 }).toBe(60);
    api.close();
    a.child.kill('SIGTERM');
    expect((await a.exited).code).toBe(0);
    const file = join(dataDir, 'quant.db');
    expect((await cli('check', '--data-dir', dataDir)).stdout).toBe(`${file}: quick_check ok\n`);

    // One whole leaf page of the fills table overwritten with noise (the WAL was checkpointed by the clean stop).
    const db = new Database(file, { readonly: true });
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const leaves = db.prepare<[], { pageno: number }>("SELECT pageno FROM dbstat WHERE name = 'fills' AND pagetype = 'leaf' ORDER BY pageno").all();
    db.close();
    expect(leaves.length).toBeGreaterThan(1);
    const page = leaves[Math.floor(leaves.length / 2)]!.pageno;
    const noise = Buffer.alloc(pageSize);
    for (let i = 0; i < pageSize; i++) noise[i] = (i * 7919 + 13) & 0xff;
    const fd = openSync(file, 'r+');
    writeSync(fd, noise, 0, pageSize, (page - 1) * pageSize);
    closeSync(fd);
    const damaged = readFileSync(file);

    const r = await runHostToExit(dataDir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^Quant Claude could not start: The database ${file.replace(/[.]/g, '\\.')} is damaged \\((quick_check: [^\\n]+|database disk image is malformed)\\)\\. ${RESTORE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n$`));
    expect(readFileSync(file).equals(damaged)).toBe(true);

    for (const args of [['check'], ['check', '--full']]) {
      const c = await cli(...args, '--data-dir', dataDir);
      expect(c.code).toBe(1);
      expect(c.stderr).toMatch(/^quant-claude: The database \S+ is damaged \(((quick|integrity)_check: |database disk image is malformed)/);
    }
  });

  it('refuses a 0-byte database instead of starting a fresh account, and leaves it as it is', async () => {
    const dataDir = tempDataDir('qc-empty-');
    const file = join(dataDir, 'quant.db');
    writeFileSync(file, '');
    const r = await runHostToExit(dataDir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`Quant Claude could not start: The database ${file} is empty (0 bytes) and holds no account. ${RESTORE}\n`);
    expect(statSync(file).size).toBe(0);
  });
});
