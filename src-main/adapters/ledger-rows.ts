// What the SQLite and Postgres ledger stores share: the WHERE clause of a transaction query, and reading a row back.
import { Transaction, TransactionSource, TransactionType } from '../../src-shared/domain/ledger';
import { isCalendarDate } from '../../src-shared/domain/dates';
import type { LedgerTransactionQuery } from '../ports/ledger-store';
import { storedJson } from './store-rows';

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


const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONEY = /^-?\d+(\.\d+)?$/;
const POSITIVE = /^\d+(\.\d+)?$/;
const CCY = /^[A-Z]{3}$/;
const TYPES: ReadonlySet<unknown> = new Set(TransactionType.options);
const SOURCES: ReadonlySet<unknown> = new Set(TransactionSource.options);
type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === 'string' && v.length > 0;
const anyStr: Check = (v) => typeof v === 'string';
const money: Check = (v) => typeof v === 'string' && MONEY.test(v);
const positive: Check = (v) => typeof v === 'string' && POSITIVE.test(v) && Number(v) > 0;
const ccy: Check = (v) => typeof v === 'string' && CCY.test(v);
/** Calendar dates seen (a ledger has a few thousand distinct ones; checking each once is what costs). */
const calendarDates = new Set<string>();
const date: Check = (v) => {
  if (typeof v !== 'string') return false;
  if (calendarDates.has(v)) return true;
  if (!DATE.test(v) || !isCalendarDate(v)) return false;
  if (calendarDates.size < 100_000) calendarDates.add(v);
  return true;
};
/** Every field of the Transaction schema but `lots` (rare: left to zod), with the schema's own rule. */
const FIELDS: Readonly<Record<string, Check>> = {
  id: str, accountId: str, date, time: anyStr, type: (v) => TYPES.has(v), symbol: str, quantity: positive, price: money, fee: money,
  amount: money, currency: ccy, ratio: positive, toCurrency: ccy, toAmount: money, acquired: date, transferId: anyStr, fxRateToBase: money,
  source: (v) => SOURCES.has(v), sourceRef: anyStr, execId: anyStr, note: (v) => typeof v === 'string' && v.length <= 500,
};
const REQUIRED = ['id', 'accountId', 'date', 'type', 'currency', 'source'] as const;

/**
 * A stored transaction (parsed JSON) checked against the Transaction schema. The common row is checked here field by
 * field with the schema's rules (zod per row was half of reading 50k transactions); a row with anything else (lots,
 * an unknown field, a value that fails) goes through the schema itself, whose error names the column and field.
 */
export function readStoredTransaction(value: unknown, column: string): Transaction {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    let ok = REQUIRED.every((k) => o[k] !== undefined);
    if (ok) {
      for (const k in o) {
        const check = FIELDS[k];
        if (check === undefined || (o[k] !== undefined && !check(o[k]))) {
          ok = false;
          break;
        }
      }
    }
    if (ok) {
      if (o['fee'] === undefined) o['fee'] = '0';
      return o as Transaction;
    }
  }
  return storedJson(Transaction, value, column);
}
