import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFolderLockedError, lockDataFolder } from './data-folder-lock';

describe('lockDataFolder', () => {
  it('refuses a second holder, naming the first, until the first releases', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-lock-unit-'));
    const first = lockDataFolder(dir, { role: 'web host', now: () => Date.UTC(2026, 11, 3, 9) });
    let refusal: unknown;
    try {
      lockDataFolder(dir, { role: 'cli', detail: 'import' });
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(DataFolderLockedError);
    expect((refusal as Error).message).toBe(`the data folder ${dir} is in use by the Quant Claude web host (pid ${process.pid}, started 2026-12-03T09:00:00Z); stop it first or use another data folder`);
    first.release();
    const second = lockDataFolder(dir, { role: 'cli', detail: 'import' });
    expect(() => lockDataFolder(dir, { role: 'web host' })).toThrow(/in use by the Quant Claude cli \(import\) \(pid \d+/);
    second.release();
    second.release(); // idempotent
  });
});
