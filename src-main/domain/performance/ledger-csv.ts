// The long prices CSV (`date,symbol,close`) read into dated closes, with a reason per rejected row. (The transactions
// CSV is read by the ledger's import, domain/ledger/csv-import.ts.)
import { CsvError, parseCsv } from '../data/csv';
import { dayOf, isCalendarDate } from '../../../src-shared/domain/dates';
import type { DatedClose } from './lookups';

export interface Rejected {
  row: number;
  reason: string;
}

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
