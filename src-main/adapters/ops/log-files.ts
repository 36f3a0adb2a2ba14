// The log viewer's reader: the newest lines of the data folder's log files (current, then rotated) that match a level
// and a text, newest first. Lines are read as written: they were redacted before they reached the file.
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { LogLevel, LogLine } from '../../../src-shared/api/ops';
import { logFiles } from '../../logging';

const LEVELS: Record<number, LogLevel> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const RANK: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
/** At most this much of the newest log text is scanned per request (a file rotates at 20 MiB by default). */
const MAX_SCAN_BYTES = 64 * 1024 * 1024;

export async function readLogs(dir: string, q: { level: LogLevel; text: string; limit: number }): Promise<{ lines: LogLine[]; files: string[] }> {
  const files = logFiles(dir);
  const needle = q.text.trim().toLowerCase();
  const min = RANK[q.level];
  const lines: LogLine[] = [];
  let budget = MAX_SCAN_BYTES;
  for (const file of files) {
    if (lines.length >= q.limit || budget <= 0) break;
    const text = await tail(file, budget);
    budget -= Buffer.byteLength(text);
    const raw = text.split('\n');
    for (let i = raw.length - 1; i >= 0 && lines.length < q.limit; i--) {
      const line = raw[i]!;
      if (!line || (needle && !line.toLowerCase().includes(needle))) continue;
      let obj: Record<string, unknown>;
      try {
        obj = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue; // a line cut by a crash mid-write
      }
      const level = LEVELS[Number(obj['level'])] ?? 'info';
      if (RANK[level] < min) continue;
      const { level: _l, time, msg, pid: _p, hostname: _h, app: _a, ...fields } = obj;
      lines.push({ time: Number(time) || 0, level, msg: typeof msg === 'string' ? msg : '', fields });
    }
  }
  return { lines, files: files.map((f) => basename(f)) };
}

/** The last `max` bytes of a file, from the first whole line. */
async function tail(file: string, max: number): Promise<string> {
  const fh = await open(file, 'r').catch(() => undefined);
  if (!fh) return '';
  try {
    const { size } = await fh.stat();
    const start = Math.max(0, size - max);
    const buf = Buffer.alloc(size - start);
    await fh.read(buf, 0, buf.length, start);
    const text = buf.toString('utf8');
    return start > 0 ? text.slice(text.indexOf('\n') + 1) : text;
  } finally {
    await fh.close();
  }
}
