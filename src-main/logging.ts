// Structured logging with pino; secrets (tokens, keys, account ids) are redacted wherever they appear in a log object.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';

export type Logger = pino.Logger;

/** Paths censored in every log line; account ids are personal data and keys are secrets. */
export const REDACT_PATHS = [
  'token', '*.token', 'apiKey', '*.apiKey', 'apikey', '*.apikey', 'key', '*.key', 'password', '*.password', 'secret', '*.secret',
  'accountId', '*.accountId', '*.*.accountId', 'account', '*.account', 'headers.cookie', 'req.headers.cookie',
];

export interface LoggerOptions {
  level?: string;
  /** Log file directory; omitted ⇒ stderr (tests, CLI). */
  dir?: string;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { app: 'quant-claude' },
  };
  if (!opts.dir) return pino(options, pino.destination({ fd: 2, sync: true }));
  mkdirSync(opts.dir, { recursive: true });
  return pino(options, pino.destination({ dest: join(opts.dir, 'quant-claude.log'), mkdir: true, sync: false }));
}
