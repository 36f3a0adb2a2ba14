// What the SQLite and Postgres ledger stores share: the WHERE clause of a transaction query.
import type { LedgerTransactionQuery } from '../ports/ledger-store';

/** WHERE clause and parameters of a transaction query (`?` for SQLite, `$n` for Postgres). */
export function ledgerWhere(q: LedgerTransactionQuery, param: (i: number) => string): { where: string; params: (string | number)[] } {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  const add = (sql: string, v: string) => {
    params.push(v);
    parts.push(sql.replace('?', param(params.length)));
  };
  if (q.accountId !== undefined) add('account_id = ?', q.accountId);
  if (q.symbol !== undefined) add('symbol = ?', q.symbol);
  if (q.from !== undefined) add('date >= ?', q.from);
  if (q.to !== undefined) add('date <= ?', q.to);
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

