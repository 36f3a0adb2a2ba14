// OHLCV CSV files (a header; the date or date-time in the first column, its header may be empty), parsed with csv-parse.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { BarArrays } from '../../domain/backtest/types';

export class CsvError extends Error {}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM[:SS]' as UTC seconds; NaN when malformed. */
export function parseDate(text: string): number {
  const m = DATE_RE.exec(text.trim());
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s] = m;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  const back = new Date(t);
  if (back.getUTCDate() !== Number(d) || back.getUTCMonth() !== Number(mo) - 1) return NaN;
  return t / 1000;
}

export function parseBarsCsv(text: string, source = 'CSV'): BarArrays {
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (err) {
    throw new CsvError(`${source}: not a readable CSV file (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  if (rows.length < 2) throw new CsvError(`${source}: no data rows`);
  const header = rows[0]!.map((h) => h.toLowerCase());
  const col = (name: string, required: boolean) => {
    const i = header.indexOf(name);
    if (i === -1 && required) throw new CsvError(`${source}: missing column "${name[0]!.toUpperCase()}${name.slice(1)}" (header: ${rows[0]!.join(', ')})`);
    return i;
  };
  const [io, ih, il, ic, iv] = [col('open', true), col('high', true), col('low', true), col('close', true), col('volume', false)];
  const n = rows.length - 1;
  const out: BarArrays = { time: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  const problems: string[] = [];
  for (let r = 1; r <= n; r++) {
    const row = rows[r]!;
    const k = r - 1;
    const time = parseDate(row[0] ?? '');
    const vals = [io, ih, il, ic].map((i) => Number(row[i]));
    const vol = iv === -1 ? 0 : Number(row[iv]);
    let why = '';
    if (Number.isNaN(time)) why = `bad date "${row[0] ?? ''}"`;
    else if (vals.some((v) => !Number.isFinite(v) || v <= 0)) why = 'non-positive or non-numeric price';
    else if (!Number.isFinite(vol) || vol < 0) why = 'bad volume';
    else if (vals[2]! > Math.min(vals[0]!, vals[3]!) || vals[1]! < Math.max(vals[0]!, vals[3]!)) why = 'high/low inconsistent with open/close';
    else if (k > 0 && time <= out.time[k - 1]!) why = 'timestamp not after the previous row';
    if (why) {
      problems.push(`row ${r}: ${why}`);
      continue;
    }
    out.time[k] = time;
    out.open[k] = vals[0]!;
    out.high[k] = vals[1]!;
    out.low[k] = vals[2]!;
    out.close[k] = vals[3]!;
    out.volume[k] = vol;
  }
  if (problems.length) throw new CsvError(`${source}: ${problems.length} bad row${problems.length > 1 ? 's' : ''} (rows count from 1 after the header): ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; …' : ''}`);
  return out;
}

export function readBarsCsv(path: string): BarArrays {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CsvError(`Cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`, { cause: err });
  }
  return parseBarsCsv(text, path);
}
