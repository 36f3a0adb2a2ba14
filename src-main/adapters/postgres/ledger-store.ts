// The ledger port on PostgreSQL: the same semantics as the SQLite one (migration drizzle-pg/0006_ledger.sql).
import type pg from 'pg';
import { LedgerAccount, type TransactionSource } from '../../../src-shared/domain/ledger';
import type { LedgerStore } from '../../ports/ledger-store';
import { ledgerWhere, readStoredTransaction } from '../ledger-rows';
import { storedJson } from '../store-rows';

export function createPostgresLedgerStore(pool: pg.Pool): LedgerStore {
  const readTx = (data: unknown) => readStoredTransaction(data, 'ledger_transactions.data');
  const readAccount = (data: unknown) => storedJson(LedgerAccount, data, 'ledger_accounts.data');
  return {
    accounts: {
      list: async () => (await pool.query<{ data: unknown }>('SELECT data FROM ledger_accounts')).rows.map((r) => readAccount(r.data)).sort((a, b) => a.name.localeCompare(b.name)),
      get: async (id) => {
        const r = (await pool.query<{ data: unknown }>('SELECT data FROM ledger_accounts WHERE id = $1', [id])).rows[0];
        return r ? readAccount(r.data) : undefined;
      },
      upsert: async (a, now) => {
        await pool.query('INSERT INTO ledger_accounts (id, data, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET data = excluded.data', [a.id, JSON.stringify(a), now]);
      },
    },
    transactions: {
      list: async (q = {}) => {
        const { where, params } = ledgerWhere(q, (i) => `$${i}`);
        const limit = q.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(q.limit))}` : '';
        return (await pool.query<{ data: unknown }>(`SELECT data FROM ledger_transactions ${where} ORDER BY date, seq${limit}`, params)).rows.map((r) => readTx(r.data));
      },
      get: async (id) => {
        const r = (await pool.query<{ data: unknown }>('SELECT data FROM ledger_transactions WHERE id = $1', [id])).rows[0];
        return r ? readTx(r.data) : undefined;
      },
      insertMany: async (rows) => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          let inserted = 0;
          for (const r of rows) {
            const res = await client.query(
              'INSERT INTO ledger_transactions (id, account_id, date, type, symbol, source, source_ref, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING',
              [r.id, r.accountId, r.date, r.type, r.symbol ?? null, r.source, r.sourceRef ?? null, JSON.stringify(r)],
            );
            inserted += res.rowCount ?? 0;
          }
          await client.query('COMMIT');
          return { inserted, duplicates: rows.length - inserted };
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        } finally {
          client.release();
        }
      },
      executions: async (accountId, execIds) => {
        if (execIds.length === 0) return [];
        const r = await pool.query<{ execId: string; source: string }>(
          `SELECT data->>'execId' AS "execId", source FROM ledger_transactions WHERE account_id = $1 AND data->>'execId' = ANY($2::text[])`, [accountId, [...execIds]],
        );
        return r.rows.map((x) => ({ execId: x.execId, source: x.source as TransactionSource }));
      },
      update: async (r) => ((await pool.query(
        'UPDATE ledger_transactions SET account_id = $1, date = $2, type = $3, symbol = $4, source = $5, source_ref = $6, data = $7 WHERE id = $8',
        [r.accountId, r.date, r.type, r.symbol ?? null, r.source, r.sourceRef ?? null, JSON.stringify(r), r.id],
      )).rowCount ?? 0) > 0,
      delete: async (id) => ((await pool.query('DELETE FROM ledger_transactions WHERE id = $1', [id])).rowCount ?? 0) > 0,
    },
  };
}
