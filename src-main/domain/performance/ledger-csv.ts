// The documented transactions CSV (`date,account,type,symbol,quantity,price,fee,amount,currency`) and the long prices
// CSV (`date,symbol,close`) read into ledger rows and dated closes, with a reason per rejected row. A SPLIT row gives
// its ratio (new shares per old) in `quantity`; an account named in the file takes the currency of its first row.
import { Transaction, TransactionType, type LedgerAccount } from '../../../src-shared/domain/ledger';
import { CsvError, parseCsv } from '../data/csv';
import { dayOf, isCalendarDate } from './days';
import type { DatedClose } from './lookups';

export interface Rejected {
  row: number;
  reason: string;
}

export const TRANSACTION_COLUMNS = ['date', 'account', 'type', 'symbol', 'quantity', 'price', 'fee', 'amount', 'currency'] as const;

/** The data row number (1-based) of each readable row: parseCsv leaves the unreadable ones out of `rows`. */
function rowNumbers(rowCount: number, unreadable: { row: number }[]): number[] {
  const skip = new Set(unreadable.map((r) => r.row));
  const out: number[] = [];
  for (let row = 1; row <= rowCount; row++) if (!skip.has(row)) out.push(row);
  return out;
}

function columnsOf(header: string[], wanted: readonly string[], label: string): number[] {
  const lower = header.map((h) => h.trim().toLowerCase());
  return wanted.map((w) => {
    const i = lower.indexOf(w);
    if (i < 0) throw new CsvError(`${label}: missing column "${w}" (header: ${header.join(', ')}; expected ${wanted.join(',')})`);
    return i;
  });
}

/** Transactions from the documented CSV; ids are `csv-<row>` (the ledger store's import gives its own). */
export function parseTransactionsCsv(input: string | Uint8Array, label = 'transactions CSV'): {
  transactions: Transaction[]; accounts: LedgerAccount[]; rejected: Rejected[];
} {
  const { header, rows, rowCount, rejected: unreadable } = parseCsv(input, label);
  const col = columnsOf(header, TRANSACTION_COLUMNS, label);
  const numbers = rowNumbers(rowCount, unreadable);
  const rejected: Rejected[] = unreadable.map((r) => ({ row: r.row, reason: r.reason }));
  const transactions: Transaction[] = [];
  const accounts = new Map<string, LedgerAccount>();
  rows.forEach((cells, i) => {
    const row = numbers[i]!;
    const get = (k: (typeof TRANSACTION_COLUMNS)[number]) => {
      const v = cells[col[TRANSACTION_COLUMNS.indexOf(k)]!]?.trim() ?? '';
      return v === '' ? undefined : v;
    };
    const type = TransactionType.safeParse(get('type')?.toUpperCase());
    if (!type.success) {
      rejected.push({ row, reason: `type "${get('type') ?? ''}" is not one of ${TransactionType.options.join(', ')}` });
      return;
    }
    if (type.data === 'FX') {
      rejected.push({ row, reason: 'FX rows need the currency bought and its amount, which this CSV format has no columns for' });
      return;
    }
    const split = type.data === 'SPLIT';
    const candidate = {
      id: `csv-${row}`, accountId: get('account'), date: get('date'), type: type.data, symbol: get('symbol'),
      quantity: split ? undefined : get('quantity'), ratio: split ? get('quantity') : undefined,
      price: get('price'), fee: get('fee') ?? '0', amount: get('amount'), currency: get('currency')?.toUpperCase(), source: 'csv', sourceRef: `row-${row}`,
    };
    const parsed = Transaction.safeParse(candidate);
    if (!parsed.success) {
      rejected.push({ row, reason: parsed.error.issues.map((x) => `${x.path.join('.') === 'ratio' ? 'quantity (the split ratio)' : x.path.join('.')}: ${x.message}`).join('; ') });
      return;
    }
    const t = parsed.data;
    const needs: [boolean, string][] = [
      [(t.type === 'BUY' || t.type === 'SELL') && (!t.symbol || !t.quantity || !t.price), 'BUY/SELL need symbol, quantity and price'],
      [(t.type === 'TRANSFER_IN' || t.type === 'TRANSFER_OUT') && (!t.symbol || !t.quantity), 'transfers need symbol and quantity'],
      [split && (!t.symbol || !t.ratio), 'SPLIT needs symbol and the ratio in quantity'],
      [['DIVIDEND', 'INTEREST', 'FEE', 'TAX', 'DEPOSIT', 'WITHDRAWAL'].includes(t.type) && t.amount === undefined, `${t.type} needs amount`],
      [!isCalendarDate(t.date), `date "${t.date}" is not a calendar date`],
    ];
    const problem = needs.find(([bad]) => bad);
    if (problem) {
      rejected.push({ row, reason: problem[1] });
      return;
    }
    if (!accounts.has(t.accountId)) {
      accounts.set(t.accountId, { id: t.accountId, name: t.accountId, kind: 'statement', baseCurrency: t.currency, taxType: 'taxable', lotMethod: 'fifo' });
    }
    transactions.push(t);
  });
  rejected.sort((a, b) => a.row - b.row);
  return { transactions, accounts: [...accounts.values()], rejected };
}

/** A long prices CSV: `date,symbol,close` (a symbol "EUR/USD" is an FX rate, USD per EUR). */
export function parsePricesCsv(input: string | Uint8Array, label = 'prices CSV'): { closes: DatedClose[]; rejected: Rejected[] } {
  const { header, rows, rowCount, rejected: unreadable } = parseCsv(input, label);
  const numbers = rowNumbers(rowCount, unreadable);
  const [di, si, ci] = columnsOf(header, ['date', 'symbol', 'close'], label) as [number, number, number];
  const rejected: Rejected[] = unreadable.map((r) => ({ row: r.row, reason: r.reason }));
  const closes: DatedClose[] = [];
  rows.forEach((cells, i) => {
    const date = cells[di]?.trim() ?? '';
    const key = cells[si]?.trim().toUpperCase() ?? '';
    const close = Number(cells[ci]);
    const row = numbers[i]!;
    if (!isCalendarDate(date)) rejected.push({ row, reason: `date "${date}" is not YYYY-MM-DD` });
    else if (!key) rejected.push({ row, reason: 'no symbol' });
    else if (!(close > 0) || !Number.isFinite(close)) rejected.push({ row, reason: `close "${cells[ci] ?? ''}" is not a positive number` });
    else closes.push({ key, day: dayOf(date), close });
  });
  return { closes, rejected };
}
