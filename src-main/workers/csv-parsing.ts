// CSV parsing for the data.csvPreview and data.import requests, in a worker thread (src-main/workers/csv-worker.ts): a
// 24 MB file takes a few hundred ms to read, and the host must keep answering other requests and clients meanwhile.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { CsvError, type ColumnMapping } from '../domain/data/csv';
import type { CandidateBar, Rejection } from '../domain/data/validate';
import { candidatesOf } from '../services/market-data/csv-import';
import type { Disposable } from '../ports/disposable';
import type { CsvTask, CsvTaskResult } from './csv-worker';

export interface CsvParsing extends Disposable {
  /** Header, the first `rows` data rows and the number of data rows; CsvError when the text is not a CSV file. */
  preview(text: string, rows: number): Promise<{ header: string[]; rows: string[][]; rowCount: number }>;
  /** Candidate bars and the unreadable rows; CsvError when the file or the mapping cannot be used. */
  candidates(text: string, label: string, mapping: ColumnMapping): Promise<{ candidates: CandidateBar[]; rejected: Rejection[] }>;
}

function workerFile(): string {
  // As for the backtest worker: from source a .mjs shim registers tsx in the worker; built, its own bundle.
  const candidates = ['./csv-worker.mjs', './csv-worker.js', '../csv-worker.js'].map((p) => new URL(p, import.meta.url));
  const found = candidates.find((u) => existsSync(fileURLToPath(u)));
  if (!found) throw new Error('The CSV worker bundle is missing: run `npm run build`');
  return found.href;
}

/**
 * One worker thread, started on the first file and ended after a minute idle: imports are rare, and on a 2-core
 * machine the main thread needs the other core. Concurrent imports wait for it in turn.
 */
export function createCsvParsing(filename = workerFile()): CsvParsing {
  let pool: Piscina | undefined;
  const run = async (task: CsvTask): Promise<Extract<CsvTaskResult, { ok: true }>> => {
    pool ??= new Piscina({ filename, minThreads: 0, maxThreads: 1, idleTimeout: 60_000 });
    const result = (await pool.run(task)) as CsvTaskResult;
    if (!result.ok) throw new CsvError(result.error);
    return result;
  };
  return {
    async preview(text, rows) {
      const r = await run({ kind: 'preview', text, label: 'text', rows });
      if (r.kind !== 'preview') throw new Error('csv worker: wrong answer');
      return { header: r.header, rows: r.rows, rowCount: r.rowCount };
    },
    async candidates(text, label, mapping) {
      const r = await run({ kind: 'import', text, label, mapping });
      if (r.kind !== 'import') throw new Error('csv worker: wrong answer');
      const candidates = candidatesOf(r.columns);
      return { candidates, rejected: r.rejected };
    },
    async dispose() {
      await pool?.destroy();
      pool = undefined;
    },
  };
}
