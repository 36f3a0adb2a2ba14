// CSV files from disk: the text is read here, and parsed by the one reader (domain/data/csv.ts).
import { isAscii } from 'node:buffer';
import { readFileSync } from 'node:fs';
import type { BarArrays } from '../../domain/backtest/types';
import { CsvError, parseBarsCsv, parseCsv } from '../../domain/data/csv';

/** A file's text; CsvError naming the file when it cannot be read. */
export function readCsvText(path: string): string {
  try {
    const bytes = readFileSync(path);
    // Most data files are ASCII, where latin1 decodes the same text about twice as fast as UTF-8 (which checks every byte).
    return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  } catch (err) {
    throw new CsvError(`Cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`, { cause: err });
  }
}

/** An OHLCV file for a backtest (every row must be a bar: see parseBarsCsv). */
export function readBarsCsv(path: string): BarArrays {
  return parseBarsCsv(readCsvText(path), path);
}

/** A file's header and data rows as strings, with the rows that cannot be read. */
export function readCsvRows(path: string): ReturnType<typeof parseCsv> {
  return parseCsv(readCsvText(path), path);
}
