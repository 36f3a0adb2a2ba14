// CSV files the trader asks for (orders, fills, positions), written with csv-stringify (RFC 4180 quoting) and saved
// through the browser's download. Values are machine-readable: ISO 8601 UTC times, unformatted numbers, money as the
// exact decimal strings main sent. Accounts appear by their masked label, never by the broker's account id.
import { stringify } from 'csv-stringify/browser/esm/sync';

export type CsvValue = string | number | null | undefined;

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return stringify([header as string[], ...rows.map((r) => r.map((v) => (v === null || v === undefined ? '' : v)))]);
}

export function downloadCsv(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** "orders-2026-12-03.csv" (the local date). */
export function csvName(kind: string, now = new Date()): string {
  const d = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  return `${kind}-${d}.csv`;
}

export const isoTime = (ms: number | null | undefined): string => (ms === null || ms === undefined ? '' : new Date(ms).toISOString());
