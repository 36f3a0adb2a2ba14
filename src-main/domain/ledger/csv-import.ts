// The ledger's own CSV (docs/portfolio.md): `date,account,type,symbol,quantity,price,fee,amount,currency`, read by the
// project's one CSV reader. Pure: text in, accounts to create, transactions and a reason per rejected row out.
// Re-importable: each row's sourceRef is its normalised content (plus its occurrence number when the same row appears
// more than once in the file), so the same file imports nothing the second time.
import { LedgerAccount, Transaction, TransactionType } from '../../../src-shared/domain/ledger';
import { CsvError, parseCsv } from '../data/csv';
import { dec } from '../money';
import { transactionProblem } from './book';
import { isCalendarDate } from '../../../src-shared/domain/dates';

export interface ImportRejection {
  /** CSV: the data row (1 = the first row after the header). Flex XML: the element's line in the file. */
  row: number;
  reason: string;
}

export interface ParsedImport {
  /** Accounts named in the file and not known yet: to be created. */
  accounts: LedgerAccount[];
  transactions: Transaction[];
  rejected: ImportRejection[];
}

const REQUIRED = ['date', 'account', 'type', 'symbol', 'quantity', 'price', 'fee', 'amount', 'currency'] as const;
const OPTIONAL = ['time', 'to_currency', 'to_amount', 'ratio', 'transfer_id', 'acquired', 'note'] as const;
type Column = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** An account id from a name: letters, digits and dashes, unique among `taken`. */
export function accountIdFor(name: string, taken: ReadonlySet<string>): string {
  const base = name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 48) || 'account';
  let id = base;
  for (let k = 2; taken.has(id); k++) id = `${base}-${k}`;
  return id;
}

class RowError extends Error {}

export function parseLedgerCsv(text: string, known: readonly LedgerAccount[]): ParsedImport {
  let table: ReturnType<typeof parseCsv>;
  try {
    table = parseCsv(text, 'transactions CSV');
  } catch (err) {
    if (err instanceof CsvError) return { accounts: [], transactions: [], rejected: [{ row: 0, reason: err.message }] };
    throw err;
  }
  const header = table.header.map((h) => h.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    return { accounts: [], transactions: [], rejected: [{ row: 0, reason: `the header lacks ${missing.join(', ')} (expected ${REQUIRED.join(',')})` }] };
  }
  const col = new Map<Column, number>();
  for (const c of [...REQUIRED, ...OPTIONAL]) if (header.includes(c)) col.set(c, header.indexOf(c));

  const byName = new Map(known.map((a) => [a.name, a]));
  const byId = new Map(known.map((a) => [a.id, a]));
  const taken = new Set(known.map((a) => a.id));
  const created: LedgerAccount[] = [];
  const rejected: ImportRejection[] = [...table.rejected.map((r) => ({ row: r.row, reason: r.reason }))];
  const transactions: (Transaction & { row: number })[] = [];
  const seen = new Map<string, number>();
  const bad = new Set(table.rejected.map((r) => r.row));

  // Data rows that could be read, with their numbers (the reader keeps the rows, and the numbers of the bad ones).
  let next = 0;
  for (let row = 1; row <= table.rowCount; row++) {
    if (bad.has(row)) continue;
    const cells = table.rows[next++]!;
    const cell = (c: Column) => {
      const i = col.get(c);
      return i === undefined ? '' : (cells[i] ?? '').trim();
    };
    try {
      const date = cell('date');
      if (!isCalendarDate(date)) throw new RowError(`date "${date}" is not a date as YYYY-MM-DD`);
      const name = cell('account');
      if (!name) throw new RowError('account is empty');
      if (name.length > 120) throw new RowError('account is longer than 120 characters');
      const typeText = cell('type').toUpperCase().replace(/[\s-]+/g, '_');
      const type = TransactionType.safeParse(typeText);
      if (!type.success) throw new RowError(`type "${cell('type')}" is not one of ${TransactionType.options.join(', ')}`);
      const currency = cell('currency').toUpperCase();
      if (!/^[A-Z]{3}$/.test(currency)) throw new RowError(`currency "${cell('currency')}" is not a three-letter code`);
      const number = (c: Column, o: { positive?: boolean; nonNegative?: boolean } = {}): string | undefined => {
        const v = cell(c);
        if (v === '') return undefined;
        if (!DECIMAL.test(v)) throw new RowError(`${c} "${v}" is not a decimal number`);
        const d = dec(v);
        if (o.positive && !d.gt(0)) throw new RowError(`${c} must be positive`);
        if (o.nonNegative && d.lt(0)) throw new RowError(`${c} must not be negative`);
        return d.toFixed();
      };
      const t = type.data;
      const symbol = cell('symbol') ? cell('symbol').toUpperCase() : undefined;
      let quantity = number('quantity', { positive: true });
      let ratio = number('ratio', { positive: true });
      let toCurrency = cell('to_currency').toUpperCase() || undefined;
      let toAmount = number('to_amount');
      // The fixed header carries a split's ratio in quantity, and an FX's bought currency and amount in symbol/quantity.
      if (t === 'SPLIT' && ratio === undefined) [ratio, quantity] = [quantity, undefined];
      if (t === 'FX' && toCurrency === undefined && symbol) [toCurrency, toAmount, quantity] = [symbol, quantity, undefined];
      if (toCurrency !== undefined && !/^[A-Z]{3}$/.test(toCurrency)) throw new RowError(`to_currency "${toCurrency}" is not a three-letter code`);
      const acquired = cell('acquired') || undefined;
      if (acquired !== undefined && !isCalendarDate(acquired)) throw new RowError(`acquired "${acquired}" is not a date as YYYY-MM-DD`);

      // A new account is created only once one of its rows is accepted (below).
      const existing = byName.get(name) ?? byId.get(name);
      const account = existing ?? LedgerAccount.parse({ id: accountIdFor(name, taken), name, kind: 'statement', baseCurrency: currency, taxType: 'taxable', lotMethod: 'fifo' });
      const content = [date, account.id, t, symbol ?? '', quantity ?? '', number('price') ?? '', number('fee', { nonNegative: true }) ?? '', number('amount') ?? '', currency,
        ratio ?? '', toCurrency ?? '', toAmount ?? '', cell('transfer_id'), acquired ?? '', cell('time')].join('|');
      const occurrence = (seen.get(content) ?? 0) + 1;
      seen.set(content, occurrence);
      const sourceRef = occurrence === 1 ? content : `${content}#${occurrence}`;
      const candidate = {
        id: `csv:${account.id}:${sourceRef}`, accountId: account.id, date, time: cell('time') || undefined, type: t, symbol: t === 'FX' ? undefined : symbol,
        quantity, price: number('price'), fee: number('fee', { nonNegative: true }) ?? '0', amount: number('amount'), currency, ratio, toCurrency, toAmount, acquired,
        transferId: cell('transfer_id') || undefined, source: 'csv', sourceRef, note: cell('note') || undefined,
      };
      const parsed = Transaction.safeParse(candidate);
      if (!parsed.success) throw new RowError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const problem = transactionProblem(parsed.data);
      if (problem) throw new RowError(problem);
      if (!existing) {
        taken.add(account.id);
        byName.set(name, account);
        created.push(account);
      }
      transactions.push({ ...parsed.data, row });
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      rejected.push({ row, reason: err.message });
    }
  }
  pairTransfers(transactions);
  rejected.sort((a, b) => a.row - b.row);
  return { accounts: created, transactions: transactions.map(({ row: _row, ...t }) => t), rejected };
}

/** A TRANSFER_OUT and a TRANSFER_IN of the same symbol and quantity on the same date, without ids: one transfer. */
function pairTransfers(txs: (Transaction & { row: number })[]): void {
  const outs = txs.filter((t) => t.type === 'TRANSFER_OUT' && !t.transferId);
  for (const tin of txs.filter((t) => t.type === 'TRANSFER_IN' && !t.transferId)) {
    const k = outs.findIndex((o) => o.date === tin.date && o.symbol === tin.symbol && o.quantity === tin.quantity && o.accountId !== tin.accountId);
    if (k < 0) continue;
    const out = outs.splice(k, 1)[0]!;
    out.transferId = tin.transferId = `csv-row-${out.row}`;
  }
}
