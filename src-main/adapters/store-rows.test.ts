// Stored JSON is parsed with its schema, not cast: a row another version wrote, or a hand edit, is an error naming
// its column (on a real SQLite file), and a good row reads back as written.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from './sqlite/store';

describe('stored JSON', () => {
  it('strategy parameters read back as written; a wrong shape names the column', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qc-stored-json-')), 'quant.db');
    let store = openSqliteStore({ file });
    await store.strategies.upsert({ id: 's1', name: 'sma', kind: 'sma-cross', params: { fast: 10, slow: 30 }, enabled: true, createdAt: 1 });
    expect((await store.strategies.list())[0]!.params).toEqual({ fast: 10, slow: 30 });
    await store.dispose();

    const raw = new Database(file);
    raw.prepare("UPDATE strategies SET params = '[10, 30]' WHERE id = 's1'").run();
    raw.close();
    store = openSqliteStore({ file });
    await expect(store.strategies.list()).rejects.toThrow(/stored strategies\.params does not match/);
    await store.dispose();
  });
});
