// `npm run web`: the composition root served over the loopback web host, for a browser on this machine.
import { mkdirSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { createApp, type App } from '../../app';
import { lockDataFolder } from '../../data-folder-lock';
import { Health } from '../../health';
import { installLastResort } from '../../last-resort';
import { diskFullMessage, isDiskFull, oneLine } from '../../storage-errors';
import { testFaults } from '../../test-faults';
import { startWebHost, type WebHost, type WebHostOptions } from './server';

/** SIGTERM/SIGINT end the process within this time even when a graceful stop hangs (a full disk, a stuck socket). */
const SHUTDOWN_DEADLINE_MS = 5000;

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number from 0 to 65535 (0 picks a free one)');
  return n;
}

const program = new Command('quant-claude-web')
  .description('Serve Quant Claude to a browser on this machine (127.0.0.1 only, token-protected).')
  .option('--port <port>', 'TCP port on 127.0.0.1', parsePort, 8421)
  .option('--data-dir <dir>', 'data folder (database, config.yaml, logs)', join(homedir(), '.quant-claude'))
  .option('--static-dir <dir>', 'built renderer folder')
  .parse();

const opts = program.opts<{ port: number; dataDir: string; staticDir?: string }>();
const here = dirname(fileURLToPath(import.meta.url));
const health = new Health();
let app: App | undefined;
let host: WebHost | undefined;
// From here on no background task ends the process: stray rejections go to the log and app.health.
installLastResort({ health, logger: () => app?.logger });

/** Holds the port while the app starts: createApp re-sends the orders the paper broker should still be working, which
 * must not happen when the host then cannot serve ("port in use"). Released just before the web host binds it. */
function reservePort(port: number): Promise<() => Promise<void>> {
  if (port === 0) return Promise.resolve(async () => undefined);
  const server = createServer();
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolvePromise(() => new Promise<void>((r) => server.close(() => r())));
    });
  });
}

let closing = false;
/** Graceful stop with a hard deadline; installed before anything starts, so a signal at any moment ends the process. */
function shutdown(signal: string): void {
  if (closing) process.exit(1); // a second signal: now
  closing = true;
  app?.logger.info({ signal }, 'shutting down');
  setTimeout(() => {
    writeLine(`Quant Claude did not stop within ${SHUTDOWN_DEADLINE_MS / 1000} s after ${signal}; exiting now.`);
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS).unref();
  void Promise.resolve(host?.close()).then(() => app?.dispose()).then(() => process.exit(0), () => process.exit(1));
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));

async function main(): Promise<void> {
  // The folder first (a second host on it is named in the refusal), then the port, then the app.
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const lock = lockDataFolder(dataDir, { role: 'web host' });
  let releasePort: () => Promise<void>;
  try {
    releasePort = await reservePort(opts.port);
  } catch (err) {
    lock.release();
    throw err;
  }
  try {
    app = await createApp({ dataDir, transport: 'web', health, lock });
  } finally {
    await releasePort();
  }
  host = await startWebHost({
    dispatch: app.dispatch,
    hub: app.hub,
    staticDir: opts.staticDir ? resolve(opts.staticDir) : join(here, '../renderer'),
    port: opts.port,
    logger: app.logger,
    ops: opsRoutes(app),
  }).catch(async (err: unknown) => {
    await app?.dispose().catch(() => undefined);
    throw err;
  });
  process.stdout.write(`Quant Claude ready at ${host.url}\n`);
  if (testFaults().backgroundRejection) setTimeout(() => void Promise.reject(new Error('test fault: a background task failed')), 50);
}

/** GET /health and GET /metrics on the app's health checks and metrics registry. */
function opsRoutes(a: App): WebHostOptions['ops'] {
  const metrics = a.metrics;
  return {
    health: () => a.checks.get(),
    ...(metrics ? { metrics: async () => ({ contentType: metrics.contentType, text: await metrics.text() }) } : {}),
  };
}

/** Synchronous, so that the line is out before process.exit; never throws. */
function writeLine(text: string): void {
  try {
    writeSync(2, `${text}\n`);
  } catch {
    // stderr is gone
  }
}

main().catch((err: unknown) => {
  const e = err as NodeJS.ErrnoException;
  let reason: string;
  if (e?.code === 'EADDRINUSE') reason = `port ${opts.port} on 127.0.0.1 is in use; pass --port N.`;
  else if (isDiskFull(err)) reason = `${diskFullMessage(err)} and start again.`;
  else reason = oneLine(err instanceof Error ? err.message : String(err));
  // One line, nothing else: the refusal is the whole output.
  writeLine(`Quant Claude could not start: ${reason}`);
  process.exit(1);
});
