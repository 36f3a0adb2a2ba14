// CSV import with column mapping: generic OHLCV (date in the first column), Yahoo Finance exports, and close-only
// series such as R's EuStockMarkets (decimal-year times, one column per index). Rows become candidates for validation.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { CandidateBar, Rejection } from '../../domain/data/validate';
import { CsvError, parseDate } from './bars';

export interface ColumnMapping {
  time: number;
  timeFormat: 'date' | 'decimal-year';
  open?: number;
  high?: number;
  low?: number;
  close: number;
  volume?: number;
}

const DAY = 86_400;

/**
 * Decimal years with `perYear` business days (R's ts(frequency = 260)): the fraction counts business days from
 * 1 January, so 1991.49615 with 260 a year is the 129th business day of 1991.
 */
export function decimalYearToTime(value: number, perYear = 260): number {
  const year = Math.floor(value + 1e-9);
  const index = Math.round((value - year) * perYear);
  let t = Date.UTC(year, 0, 1) / 1000;
  let count = 0;
  for (;;) {
    const wd = new Date(t * 1000).getUTCDay();
    if (wd !== 0 && wd !== 6) {
      if (count === index) return t;
      count++;
    }
    t += DAY;
  }
}

/** Picks the columns from the header; `column` chooses the series of a close-only file with several. */
export function guessMapping(header: string[], column?: string): ColumnMapping {
  const lower = header.map((h) => h.trim().toLowerCase());
  const find = (name: string) => lower.indexOf(name);
  const time = Math.max(0, ['date', 'time', 'datetime', 'timestamp', ''].map(find).find((i) => i >= 0) ?? 0);
  const timeFormat = lower[time] === 'time' ? 'decimal-year' : 'date';
  const close = column !== undefined ? find(column.toLowerCase()) : find('close');
  if (column !== undefined && close < 0) throw new CsvError(`No column "${column}" (columns: ${header.join(', ')})`);
  if (close < 0) {
    const series = header.filter((_, i) => i !== time);
    throw new CsvError(`No Close column: choose the series with --column (one of ${series.join(', ')})`);
  }
  const opt = (name: string) => (find(name) >= 0 ? find(name) : undefined);
  return column !== undefined
    ? { time, timeFormat, close }
    : { time, timeFormat, open: opt('open'), high: opt('high'), low: opt('low'), close, volume: opt('volume') };
}

export function readCsvRows(path: string): { header: string[]; rows: string[][] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CsvError(`Cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`, { cause: err });
  }
  return parseCsvText(text, path);
}

/** A CSV file's text → header and data rows; `label` names the file in errors. */
export function parseCsvText(text: string, label: string): { header: string[]; rows: string[][] } {
  let rows: string[][];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (err) {
    throw new CsvError(`${label}: not a readable CSV file (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  if (rows.length < 2) throw new CsvError(`${label}: no data rows`);
  return { header: rows[0]!, rows: rows.slice(1) };
}

/** Rows → candidate bars (row numbers from 1); rows that cannot be read at all are rejected with the reason. */
export function mapRows(rows: string[][], m: ColumnMapping): { candidates: CandidateBar[]; rejected: Rejection[] } {
  const candidates: CandidateBar[] = [];
  const rejected: Rejection[] = [];
  const width = Math.max(m.time, m.close, m.open ?? 0, m.high ?? 0, m.low ?? 0, m.volume ?? 0) + 1;
  rows.forEach((cells, i) => {
    const row = i + 1;
    if (cells.length < width) return void rejected.push({ row, reason: `missing columns (${cells.length} of ${width})` });
    const raw = cells[m.time] ?? '';
    const time = m.timeFormat === 'decimal-year' ? (Number.isFinite(Number(raw)) && raw !== '' ? decimalYearToTime(Number(raw)) : NaN) : parseDate(raw);
    if (!Number.isFinite(time)) return void rejected.push({ row, reason: `bad date "${raw}"` });
    const num = (k: number | undefined) => (k === undefined ? undefined : cells[k] === '' ? NaN : Number(cells[k]));
    const close = num(m.close)!;
    const open = num(m.open) ?? close;
    const high = num(m.high) ?? Math.max(open, close);
    const low = num(m.low) ?? Math.min(open, close);
    candidates.push({ row, bar: { time, open, high, low, close, volume: num(m.volume) ?? 0 } });
  });
  return { candidates, rejected };
}
