// Structured logging with pino; secrets (tokens, keys, account ids) are redacted wherever they appear in a log object.
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import pino from 'pino';
import { scrubText } from './domain/scrub';

export type Logger = pino.Logger;

/** Paths censored in every log line; account ids are personal data and keys are secrets. */
export const REDACT_PATHS = [
  'token', '*.token', 'apiKey', '*.apiKey', 'apikey', '*.apikey', 'key', '*.key', 'password', '*.password', 'secret', '*.secret',
  'accountId', '*.accountId', '*.*.accountId', 'account', '*.account', 'headers.cookie', 'req.headers.cookie',
];

/** Account ids of the brokers (IB DU1234567/U1234567, OANDA 101-004-1234567-001) wherever they appear in text. */
const ACCOUNT_ID = /\b(?:DU|DF|U|F)\d{6,8}\b|\b\d{3}-\d{3}-\d{5,9}-\d{3}\b/g;
/** Secret-bearing fields at any depth of a serialised line (pino's paths stop at two levels). */
const SECRET_FIELD = /"(accountId|account|apiKey|apikey|api_key|key|token|accessToken|access_token|password|secret|authorization|cookie)"\s*:\s*"(?:[^"\\]|\\.)*"/g;

/** A serialised log line with secrets, credential-shaped values and account ids replaced by "[redacted]". */
export function scrubLogLine(line: string): string {
  return scrubText(line).replace(SECRET_FIELD, '"$1":"[redacted]"').replace(ACCOUNT_ID, '[redacted]');
}

/** Where log lines go: the log file, or stderr since the file failed (with the reason). */
export interface LogTarget {
  to: 'file' | 'stderr';
  reason: string | null;
}

export interface LoggerOptions {
  level?: string;
  /** Log file directory; omitted ⇒ stderr (tests, CLI). */
  dir?: string;
  /** Called when the log file fails (lines then go to stderr) and when it works again. */
  onTarget?: (target: LogTarget) => void;
  /** Rotation and retention of the log files (defaults: config.yaml's logging section). */
  rotation?: Partial<Rotation>;
}

/** A new file past `maxBytes` or at midnight UTC; rotated files beyond `maxFiles` or older than `maxDays` are deleted. */
export interface Rotation {
  maxBytes: number;
  maxFiles: number;
  maxDays: number;
}
export const DEFAULT_ROTATION: Rotation = { maxBytes: 20 * 1024 * 1024, maxFiles: 14, maxDays: 30 };
export const LOG_FILE = 'quant-claude.log';
/** Rotated files: quant-claude-2026-12-03T20-50-01Z.log (-1, -2… when one second saw several), sortable by name. */
export const ROTATED_LOG = /^quant-claude-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z(-\d+)?\.log$/;

export function createLogger(opts: LoggerOptions = {}): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { app: 'quant-claude' },
    // The paths above miss deeper nesting and text: each serialised line is scrubbed once more before it is written.
    hooks: { streamWrite: scrubLogLine },
  };
  if (!opts.dir) return pino(options, pino.destination({ fd: 2, sync: true }));
  return pino(options, new FileWithFallback(join(opts.dir, LOG_FILE), opts.onTarget ?? (() => undefined), Date.now, writeStderr, { ...DEFAULT_ROTATION, ...opts.rotation }));
}

/** Writes to stderr; a line that cannot be written (stderr closed, or a full pipe) is dropped, never thrown. */
function writeStderr(text: string): void {
  try {
    writeSync(2, text);
  } catch {
    // Nowhere left to write: losing a log line must not stop the process.
  }
}

const RETRY_FILE_MS = 60_000;

/**
 * A pino destination writing each line synchronously to the log file, and to stderr while the file fails; it rotates
 * the file by size and by UTC day and deletes old files by count and age.
 * Why hand-written: no rotating destination is installed (pino-roll and rotating-file-stream are not dependencies),
 * and both write asynchronously, which is what this class avoids (below); rotation is a rename and an open between
 * two synchronous writes here.
 * Why not pino's asynchronous SonicBoom: it buffers lines and flushes them synchronously on exit. When the file cannot
 * be written (ENOSPC on a full disk) that exit flush retried forever, holding the port and ignoring SIGTERM; and a
 * process refusing to start before the file was open printed SonicBoom's "sonic boom is not ready yet" trace. One
 * write per line is cheap at this log volume, leaves nothing to flush, and a failure is seen on the line that hit it.
 */
export class FileWithFallback {
  private fd: number | undefined;
  private failedAt = 0;
  private size = 0;
  /** The UTC day (YYYY-MM-DD) of the current file's lines. */
  private day = '';

  constructor(
    private readonly path: string,
    private readonly onTarget: (t: LogTarget) => void,
    private readonly now: () => number = Date.now,
    private readonly stderr: (text: string) => void = writeStderr,
    private readonly rotation: Rotation | null = null,
  ) {
    this.open();
  }

  private open(): boolean {
    try {
      mkdirSync(join(this.path, '..'), { recursive: true });
      this.fd = openSync(this.path, 'a');
      const st = fstatSync(this.fd);
      this.size = st.size;
      // A file left by yesterday's run rotates at its first line today.
      this.day = utcDay(st.size > 0 ? st.mtimeMs : this.now());
      return true;
    } catch (err) {
      this.fail(err);
      return false;
    }
  }

  private fail(err: unknown): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already unusable
      }
    }
    this.fd = undefined;
    const first = this.failedAt === 0;
    this.failedAt = this.now();
    if (!first) return;
    const message = err instanceof Error ? err.message : String(err);
    const code = (err as NodeJS.ErrnoException)?.code;
    const reason = code && !message.startsWith(code) ? `${code}: ${message}` : message;
    this.stderr(`Quant Claude: cannot write the log file ${this.path} (${reason}); logging to stderr instead\n`);
    this.onTarget({ to: 'stderr', reason });
  }

  write(line: string): void {
    if (this.fd === undefined && this.failedAt !== 0 && this.now() - this.failedAt >= RETRY_FILE_MS) {
      // The disk may have room again: try the file once a minute.
      if (this.open()) {
        this.failedAt = 0;
        this.onTarget({ to: 'file', reason: null });
      }
    }
    if (this.fd !== undefined) {
      try {
        const bytes = Buffer.from(line);
        if (this.rotation) this.rotateIfDue(bytes.length);
        let off = 0;
        while (off < bytes.length) off += writeSync(this.fd!, bytes, off);
        this.size += bytes.length;
        return;
      } catch (err) {
        this.fail(err);
      }
    }
    this.stderr(line);
  }

  private rotateIfDue(next: number): void {
    const r = this.rotation!;
    const today = utcDay(this.now());
    if (this.size === 0 || (this.size + next <= r.maxBytes && today === this.day)) return;
    closeSync(this.fd!);
    this.fd = undefined;
    const dir = dirname(this.path);
    const stamp = new Date(this.now()).toISOString().slice(0, 19).replace(/:/g, '-');
    let target = join(dir, `quant-claude-${stamp}Z.log`);
    for (let n = 1; existsQuiet(target); n++) target = join(dir, `quant-claude-${stamp}Z-${n}.log`);
    renameSync(this.path, target);
    this.fd = openSync(this.path, 'a');
    this.size = 0;
    this.day = today;
    this.prune(dir);
  }

  /** Keeps the newest `maxFiles` rotated files younger than `maxDays`; a file that cannot be deleted stays. */
  private prune(dir: string): void {
    const r = this.rotation!;
    const rotated = newestFirst(readdirSync(dir).filter((n) => ROTATED_LOG.test(n)));
    const oldest = this.now() - r.maxDays * 86_400_000;
    rotated.forEach((name, i) => {
      const file = join(dir, name);
      try {
        if (i >= r.maxFiles || statSync(file).mtimeMs < oldest) unlinkSync(file);
      } catch {
        // gone already, or not ours to delete
      }
    });
  }

  /** Nothing is buffered: pino's flush has nothing to wait for. */
  flush(cb?: (err?: Error) => void): void {
    cb?.();
  }

  flushSync(): void {}
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function existsQuiet(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

/** The log files of a folder, newest first: the current one, then the rotated ones. */
export function logFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return [...(names.includes(LOG_FILE) ? [LOG_FILE] : []), ...newestFirst(names.filter((n) => ROTATED_LOG.test(n)))].map((n) => join(dir, basename(n)));
}

/** Rotated names by time, newest first ("…Z.log" before its "…Z-1.log" in time, though not in code points). */
function newestFirst(names: string[]): string[] {
  const key = (n: string) => n.replace(/Z\.log$/, 'Z-0.log').replace(/-(\d+)\.log$/, (_m, d: string) => `-${d.padStart(6, '0')}.log`);
  return names.sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
}
