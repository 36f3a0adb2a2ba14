// Structured logging with pino; secrets (tokens, keys, account ids) are redacted wherever they appear in a log object.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';

export type Logger = pino.Logger;

/** Paths censored in every log line; account ids are personal data and keys are secrets. */
export const REDACT_PATHS = [
  'token', '*.token', 'apiKey', '*.apiKey', 'apikey', '*.apikey', 'key', '*.key', 'password', '*.password', 'secret', '*.secret',
  'accountId', '*.accountId', '*.*.accountId', 'account', '*.account', 'headers.cookie', 'req.headers.cookie',
];

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
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { app: 'quant-claude' },
  };
  if (!opts.dir) return pino(options, pino.destination({ fd: 2, sync: true }));
  return pino(options, new FileWithFallback(join(opts.dir, 'quant-claude.log'), opts.onTarget ?? (() => undefined)));
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
 * A pino destination writing each line synchronously to the log file, and to stderr while the file fails.
 * Why not pino's asynchronous SonicBoom: it buffers lines and flushes them synchronously on exit. When the file cannot
 * be written (ENOSPC on a full disk) that exit flush retried forever, holding the port and ignoring SIGTERM; and a
 * process refusing to start before the file was open printed SonicBoom's "sonic boom is not ready yet" trace. One
 * write per line is cheap at this log volume, leaves nothing to flush, and a failure is seen on the line that hit it.
 */
export class FileWithFallback {
  private fd: number | undefined;
  private failedAt = 0;

  constructor(
    private readonly path: string,
    private readonly onTarget: (t: LogTarget) => void,
    private readonly now: () => number = Date.now,
    private readonly stderr: (text: string) => void = writeStderr,
  ) {
    this.open();
  }

  private open(): boolean {
    try {
      mkdirSync(join(this.path, '..'), { recursive: true });
      this.fd = openSync(this.path, 'a');
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
        let off = 0;
        while (off < bytes.length) off += writeSync(this.fd, bytes, off);
        return;
      } catch (err) {
        this.fail(err);
      }
    }
    this.stderr(line);
  }

  /** Nothing is buffered: pino's flush has nothing to wait for. */
  flush(cb?: (err?: Error) => void): void {
    cb?.();
  }

  flushSync(): void {}
}
