// CSV files from disk: the bytes are read here, and parsed by the one reader (domain/data/csv.ts) without decoding
// the whole file first: plain rows are read straight from the bytes, the others decoded one by one (see the reader).
import { readFileSync } from 'node:fs';
import type { BarArrays } from '../../domain/backtest/types';
import { CsvError, parseBarsCsv, parseCsv } from '../../domain/data/csv';

/** A file's bytes (UTF-8, as the reader takes them); CsvError naming the file when it cannot be read. */
export function readCsvBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new CsvError(`Cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`, { cause: err });
  }
}

/** An OHLCV file for a backtest (every row must be a bar: see parseBarsCsv). */
export function readBarsCsv(path: string): BarArrays {
  return parseBarsCsv(readCsvBytes(path), path);
}

/** A file's header and data rows as strings, with the rows that cannot be read. */
export function readCsvRows(path: string): ReturnType<typeof parseCsv> {
  return parseCsv(readCsvBytes(path), path);
}
