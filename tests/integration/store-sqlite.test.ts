// The Store suite on a real SQLite file, plus what is SQLite-specific: pragmas, reopening, a corrupt file.
import Database from 'better-sqlite3';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';
import { order, storeSuite } from './store-suite';

const file = join(mkdtempSync(join(tmpdir(), 'qc-sqlite-')), 'quant.db');

storeSuite('SQLite', async () => openSqliteStore({ file }), async (_store, sql) => {
  const db = new Database(file);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
});

describe('SQLite specifics', () => {
  it('uses WAL and synchronous=FULL on its connection, and migrating twice is a no-op', async () => {
    const f = join(mkdtempSync(join(tmpdir(), 'qc-sqlite-')), 'quant.db');
    openSqliteStore({ file: f }).dispose();
    const store = openSqliteStore({ file: f });
    expect(store.pragma('journal_mode')).toBe('wal');
    expect(store.pragma('synchronous')).toBe(2); // FULL
    expect(store.pragma('foreign_keys')).toBe(1);
    await store.settings.set('k', 'v');
    expect(await store.settings.get('k')).toBe('v');
    store.dispose();
  });

  it('keeps data across close and reopen', async () => {
    const f = join(mkdtempSync(join(tmpdir(), 'qc-sqlite-')), 'quant.db');
    let store = openSqliteStore({ file: f });
    await store.accounts.insert({ id: 'ACC', broker: 'paper', currency: 'USD', cash: '5.00', initialCash: '5.00', createdAt: 1 });
    const o = order();
    await store.orders.insert(o);
    store.dispose();
    store = openSqliteStore({ file: f });
    expect(await store.orders.get(o.id)).toEqual(o);
    store.dispose();
  });

  it('a file that is not a database gives a clear error naming the file', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'qc-sqlite-')), 'quant.db');
    writeFileSync(f, 'this is not a database, just text that happens to be long enough to look like a header'.repeat(20));
    expect(() => openSqliteStore({ file: f })).toThrow(new RegExp(`The database ${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged \\(file is not a database\\)\\. Restore a backup \\(npm run cli -- restore`));
  });
});
