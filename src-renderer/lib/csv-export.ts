// CSV files the trader asks for (orders, fills, positions), with RFC 4180 quoting, saved through the browser's download.
// Written here rather than with csv-stringify: its type declarations pull Node's types into the renderer's build, which
// must have none (tests/lint/layering.test.ts), and the writer is a few lines (round trip tested against csv-parse).
// Values are machine-readable: ISO 8601 UTC times, unformatted numbers, money as the exact decimal strings main sent. Accounts appear by their masked label, never by the broker's account id.
export type CsvValue = string | number | null | undefined;

/** A field quoted when it holds a comma, a quote, a line break or edge spaces; quotes doubled. */
function field(v: CsvValue): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
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
