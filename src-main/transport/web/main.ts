// `npm run web`: the composition root served over the loopback web host, for a browser on this machine.
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { createApp } from '../../app';
import { startWebHost } from './server';

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

async function main(): Promise<void> {
  const app = await createApp({ dataDir: resolve(opts.dataDir), transport: 'web' });
  const host = await startWebHost({
    dispatch: app.dispatch,
    hub: app.hub,
    staticDir: opts.staticDir ? resolve(opts.staticDir) : join(here, '../renderer'),
    port: opts.port,
    logger: app.logger,
  });
  process.stdout.write(`Quant Claude ready at ${host.url}\n`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.logger.info({ signal }, 'shutting down');
    void host.close().then(() => app.dispose()).then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EADDRINUSE') process.stderr.write(`Quant Claude could not start: port ${opts.port} on 127.0.0.1 is in use; pass --port N.\n`);
  else process.stderr.write(`Quant Claude could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
