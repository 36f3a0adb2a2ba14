// Piscina task: a CSV file's text → header and rows (preview) or candidate bars in columns (import). Reading a 24 MB
// file still takes a fraction of a second; here it runs off the main thread, so the host answers other requests
// meanwhile. The bars come back as Float64Array columns (one copy each, not ≈ 500,000 objects to clone); the store
// is written in the main process only.
import { CsvError, parseCsv, readOhlcv, type ColumnMapping, type OhlcvColumns } from '../domain/data/csv';
import type { Rejection } from '../domain/data/validate';

export type CsvTask =
  | { kind: 'preview'; text: string; label: string; rows: number }
  | { kind: 'import'; text: string; label: string; mapping: ColumnMapping };

export type CsvTaskResult =
  | { ok: false; error: string }
  | { ok: true; kind: 'preview'; header: string[]; rows: string[][]; rowCount: number }
  | { ok: true; kind: 'import'; header: string[]; columns: CandidateColumns; rejected: Rejection[] };

/** Candidate bars column by column: row numbers and the six bar fields. */
export type CandidateColumns = OhlcvColumns;

export function runCsvTask(task: CsvTask): CsvTaskResult {
  try {
    if (task.kind === 'preview') {
      const { header, rows, rowCount } = parseCsv(task.text, task.label, task.rows);
      return { ok: true, kind: 'preview', header, rows, rowCount };
    }
    const { header, columns, rejected } = readOhlcv(task.text, task.label, task.mapping);
    return { ok: true, kind: 'import', header, columns, rejected };
  } catch (err) {
    if (err instanceof CsvError) return { ok: false, error: err.message };
    throw err;
  }
}

export default runCsvTask;
