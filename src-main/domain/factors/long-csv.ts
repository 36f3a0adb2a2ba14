// The long CSVs of the factor lab, read by the one CSV reader (domain/data/csv.ts): prices `date,symbol,close`,
// factor values `date,symbol,value`, sectors `symbol,sector`. Strict: a factor test on silently skipped rows would
// mislead, so any unreadable row, bad value or repeated (date, symbol) is an error naming the file and rows.
import { CsvError, parseCsv } from '../data/csv';
import { isCalendarDate } from '../../../src-shared/domain/dates';
import type { SymbolSeries } from './validation';

export interface LongRow {
  date: string;
  symbol: string;
  value: number;
}

function columns(header: string[], wanted: readonly string[], label: string): number[] {
  const lower = header.map((h) => h.trim().toLowerCase());
  return wanted.map((w) => {
    const i = lower.indexOf(w);
    if (i < 0) throw new CsvError(`${label}: missing column "${w}" (header: ${header.join(', ')}; expected ${wanted.join(',')})`);
    return i;
  });
}

function fail(label: string, problems: { row: number; reason: string }[]): never {
  const shown = problems.slice(0, 5).map((p) => `row ${p.row}: ${p.reason}`).join('; ');
  throw new CsvError(`${label}: ${problems.length} row${problems.length === 1 ? '' : 's'} cannot be used (${shown}${problems.length > 5 ? '; …' : ''})`);
}

/** `date,symbol,<valueColumn>` rows; `positive` requires values > 0 (closes). Symbols are upper-cased. */
export function parseLongCsv(input: string | Uint8Array, label: string, valueColumn: 'close' | 'value'): LongRow[] {
  const { header, rows, rejected } = parseCsv(input, label);
  const [di, si, vi] = columns(header, ['date', 'symbol', valueColumn], label) as [number, number, number];
  const problems = rejected.map((r) => ({ row: r.row, reason: r.reason }));
  const goodDates = new Set<string>();
  const seen = new Set<string>();
  const out: LongRow[] = [];
  // parseCsv leaves unreadable rows out; number the readable ones around them.
  const skip = new Set(rejected.map((r) => r.row));
  let row = 0;
  for (const cells of rows) {
    do row++; while (skip.has(row));
    const date = cells[di]?.trim() ?? '';
    const symbol = cells[si]?.trim().toUpperCase() ?? '';
    const text = cells[vi]?.trim() ?? '';
    const value = text === '' ? NaN : Number(text);
    if (!goodDates.has(date)) {
      if (!isCalendarDate(date)) {
        problems.push({ row, reason: `date "${date}" is not YYYY-MM-DD` });
        continue;
      }
      goodDates.add(date);
    }
    if (!symbol) problems.push({ row, reason: 'no symbol' });
    else if (!Number.isFinite(value) || (valueColumn === 'close' && !(value > 0))) problems.push({ row, reason: `${valueColumn} "${text}" is not a ${valueColumn === 'close' ? 'positive ' : ''}number` });
    else {
      const key = `${date}|${symbol}`;
      if (seen.has(key)) problems.push({ row, reason: `${symbol} on ${date} appears twice` });
      else {
        seen.add(key);
        out.push({ date, symbol, value });
      }
    }
  }
  if (problems.length) fail(label, problems.sort((a, b) => a.row - b.row));
  return out;
}

/** `symbol,sector` rows → symbol → sector (an empty sector cell: none). */
export function parseSectorsCsv(input: string | Uint8Array, label: string): Map<string, string | null> {
  const { header, rows, rejected } = parseCsv(input, label);
  const [si, gi] = columns(header, ['symbol', 'sector'], label) as [number, number];
  if (rejected.length) fail(label, rejected);
  const out = new Map<string, string | null>();
  rows.forEach((cells, i) => {
    const symbol = cells[si]?.trim().toUpperCase() ?? '';
    if (!symbol) fail(label, [{ row: i + 1, reason: 'no symbol' }]);
    if (out.has(symbol)) fail(label, [{ row: i + 1, reason: `${symbol} appears twice` }]);
    out.set(symbol, cells[gi]?.trim() || null);
  });
  return out;
}

/** Closes grouped into one ascending series per symbol; the factor column left NaN for the caller to fill. */
export function seriesFromCloses(closes: readonly LongRow[], sectors: ReadonlyMap<string, string | null>): SymbolSeries[] {
  const bySymbol = new Map<string, LongRow[]>();
  for (const r of closes) {
    let g = bySymbol.get(r.symbol);
    if (!g) bySymbol.set(r.symbol, (g = []));
    g.push(r);
  }
  return [...bySymbol.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([symbol, rows]) => {
    rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    return {
      symbol,
      sector: sectors.get(symbol) ?? null,
      dates: rows.map((r) => r.date),
      closes: Float64Array.from(rows, (r) => r.value),
      factor: new Float64Array(rows.length).fill(NaN),
    };
  });
}

/** Puts each factor row on its symbol's series at the same date; rows without a close that day are counted. */
export function attachFactor(series: SymbolSeries[], factor: readonly LongRow[]): { unmatched: number } {
  const index = new Map<string, { s: SymbolSeries; at: Map<string, number> }>();
  for (const s of series) index.set(s.symbol, { s, at: new Map(s.dates.map((d, i) => [d, i])) });
  let unmatched = 0;
  for (const r of factor) {
    const e = index.get(r.symbol);
    const i = e?.at.get(r.date);
    if (i === undefined) unmatched++;
    else (e!.s.factor as Float64Array)[i] = r.value;
  }
  return { unmatched };
}
