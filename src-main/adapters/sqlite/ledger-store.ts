// The ledger port on SQLite: prepared statements over the ledger tables (migration drizzle/0006_ledger.sql).
import type Database from 'better-sqlite3';
import { LedgerAccount, Transaction, type TransactionSource } from '../../../src-shared/domain/ledger';
import type { LedgerStore } from '../../ports/ledger-store';
import { ledgerWhere, readStoredTransaction } from '../ledger-rows';
import { storedJson } from '../store-rows';

export function createSqliteLedgerStore(sqlite: Database.Database): LedgerStore {
  const readTx = (data: string) => readStoredTransaction(JSON.parse(data), 'ledger_transactions.data');
  const insertTx = sqlite.prepare(
    'INSERT INTO ledger_transactions (id, account_id, date, type, symbol, source, source_ref, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const insertAll = sqlite.transaction((rows: readonly Transaction[]) => {
    let inserted = 0;
    for (const r of rows) inserted += insertTx.run(r.id, r.accountId, r.date, r.type, r.symbol ?? null, r.source, r.sourceRef ?? null, JSON.stringify(r)).changes;
    return inserted;
  });
  return {
    accounts: {
      list: async () => sqlite.prepare<[], { data: string }>('SELECT data FROM ledger_accounts').all()
        .map((r) => storedJson(LedgerAccount, JSON.parse(r.data), 'ledger_accounts.data')).sort((a, b) => a.name.localeCompare(b.name)),
      get: async (id) => {
        const r = sqlite.prepare<[string], { data: string }>('SELECT data FROM ledger_accounts WHERE id = ?').get(id);
        return r ? storedJson(LedgerAccount, JSON.parse(r.data), 'ledger_accounts.data') : undefined;
      },
      upsert: async (a, now) => void sqlite.prepare('INSERT INTO ledger_accounts (id, data, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data')
        .run(a.id, JSON.stringify(a), now),
    },
    transactions: {
      list: async (q = {}) => {
        const { where, params } = ledgerWhere(q, () => '?');
        const limit = q.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(q.limit))}` : '';
        // pluck: the JSON strings themselves, without a row object each.
        return sqlite.prepare<(string | number)[], string>(`SELECT data FROM ledger_transactions ${where} ORDER BY date, seq${limit}`).pluck().all(...params).map(readTx);
      },
      get: async (id) => {
        const r = sqlite.prepare<[string], { data: string }>('SELECT data FROM ledger_transactions WHERE id = ?').get(id);
        return r ? readTx(r.data) : undefined;
      },
      insertMany: async (rows) => {
        const inserted = insertAll(rows);
        return { inserted, duplicates: rows.length - inserted };
      },
      executions: async (accountId, execIds) => {
        if (execIds.length === 0) return [];
        const found = sqlite.prepare<[string, string], { execId: string; source: string }>(
          "SELECT json_extract(data, '$.execId') AS execId, source FROM ledger_transactions WHERE account_id = ? AND json_extract(data, '$.execId') IN (SELECT value FROM json_each(?))",
        ).all(accountId, JSON.stringify(execIds));
        return found.map((r) => ({ execId: r.execId, source: r.source as TransactionSource }));
      },
      update: async (r) => sqlite.prepare('UPDATE ledger_transactions SET account_id = ?, date = ?, type = ?, symbol = ?, source = ?, source_ref = ?, data = ? WHERE id = ?')
        .run(r.accountId, r.date, r.type, r.symbol ?? null, r.source, r.sourceRef ?? null, JSON.stringify(r), r.id).changes > 0,
      delete: async (id) => sqlite.prepare('DELETE FROM ledger_transactions WHERE id = ?').run(id).changes > 0,
    },
  };
}
