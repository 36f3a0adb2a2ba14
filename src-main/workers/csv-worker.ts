// Piscina task: a CSV file's text → header and rows (preview) or candidate bars in columns (import). Parsing and
// mapping a 24 MB file takes seconds; here they run off the main thread, so the host answers other requests meanwhile.
// The bars come back as Float64Array columns (one copy each, not ≈ 500,000 objects to clone); the store is written in
// the main process only.
import { mapRows, parseCsvText, type ColumnMapping } from '../adapters/csv/import';
import { CsvError } from '../adapters/csv/bars';
import type { Rejection } from '../domain/data/validate';

export type CsvTask =
  | { kind: 'preview'; text: string; label: string; rows: number }
  | { kind: 'import'; text: string; label: string; mapping: ColumnMapping };

export type CsvTaskResult =
  | { ok: false; error: string }
  | { ok: true; kind: 'preview'; header: string[]; rows: string[][]; rowCount: number }
  | { ok: true; kind: 'import'; header: string[]; columns: CandidateColumns; rejected: Rejection[] };

/** Candidate bars column by column: row numbers and the six bar fields. */
export interface CandidateColumns {
  row: Float64Array;
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

export function runCsvTask(task: CsvTask): CsvTaskResult {
  let parsed: { header: string[]; rows: string[][] };
  try {
    parsed = parseCsvText(task.text, task.label);
  } catch (err) {
    if (err instanceof CsvError) return { ok: false, error: err.message };
    throw err;
  }
  const { header, rows } = parsed;
  if (task.kind === 'preview') return { ok: true, kind: 'preview', header, rows: rows.slice(0, task.rows), rowCount: rows.length };
  for (const key of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) {
    const col = task.mapping[key];
    if (col !== undefined && col >= header.length) return { ok: false, error: `mapping.${key}: column ${col + 1} does not exist (the file has ${header.length})` };
  }
  const { candidates, rejected } = mapRows(rows, task.mapping);
  const n = candidates.length;
  const columns: CandidateColumns = {
    row: new Float64Array(n), time: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n),
  };
  candidates.forEach((c, i) => {
    columns.row[i] = c.row;
    columns.time[i] = c.bar.time;
    columns.open[i] = c.bar.open;
    columns.high[i] = c.bar.high;
    columns.low[i] = c.bar.low;
    columns.close[i] = c.bar.close;
    columns.volume[i] = c.bar.volume;
  });
  return { ok: true, kind: 'import', header, columns, rejected };
}

export default runCsvTask;
