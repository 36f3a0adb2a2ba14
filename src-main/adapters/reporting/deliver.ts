// Where reporting hooks deliver (issue 18): a POST of the report as JSON, or files written into a folder (CSV or JSON).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import type { ReportingHook } from '../../config/config';
import { hookUrlProblem } from '../../config/config';
import type { DayReport } from '../../ports/report-sink';

/** Delivers one report to one hook; throws with a short reason when it did not arrive. */
export async function deliverReport(hook: ReportingHook, report: DayReport): Promise<void> {
  if (hook.kind === 'url') return post(hook.url, report, hook.timeout * 1000);
  return writeFolder(hook.path, hook.format, report);
}

/**
 * One POST on its own connection (no keep-alive agent): reports are minutes apart, and a pooled socket the receiver
 * closed meanwhile fails the next report with ECONNRESET.
 */
async function post(url: string, report: DayReport, timeoutMs: number): Promise<void> {
  // Checked again here: a URL only ever reaches this through the config schema, but a report must never go in clear.
  const problem = hookUrlProblem(url);
  if (problem) throw new Error(problem);
  const u = new URL(url);
  const body = Buffer.from(JSON.stringify(report));
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  await new Promise<void>((resolve, reject) => {
    const req = send(u, {
      method: 'POST', agent: false, timeout: timeoutMs,
      headers: { 'content-type': 'application/json', 'content-length': body.length, 'idempotency-key': report.key },
    }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300 ? resolve() : reject(new Error(`${u.host} answered HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${u.host} did not answer within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(new Error(`${u.host}: ${err.message}`)));
    req.end(body);
  });
}

const cell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(rows: readonly Record<string, unknown>[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}

/** The day's files, replaced whole by each newer report of the same day (written aside, then renamed). */
function writeFolder(dir: string, format: 'csv' | 'json', report: DayReport): void {
  mkdirSync(dir, { recursive: true });
  const base = `qc-${report.day}-${report.accountId}`;
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(`${file}.partial`, text);
    renameSync(`${file}.partial`, file);
  };
  if (format === 'json') return write(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  write(`${base}-orders.csv`, toCsv(report.orders));
  write(`${base}-fills.csv`, toCsv(report.fills));
  write(`${base}-audit.csv`, toCsv(report.audit));
}
