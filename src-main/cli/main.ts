// `npm run cli -- <command>`: headless commands on the same storage the terminal uses.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { openPostgresStore } from '../adapters/postgres/store';
import { openSqliteStore } from '../adapters/sqlite/store';
import { PAPER_ACCOUNT_ID } from '../app';
import { loadConfig } from '../config/config';
import type { Store } from '../ports/store';

interface Common {
  dataDir: string;
  json?: boolean;
}

async function openStore(dataDir: string): Promise<Store> {
  const url = process.env['QUANT_DB_URL'];
  return url ? openPostgresStore({ url }) : openSqliteStore({ file: join(resolve(dataDir), 'quant.db') });
}

function print(rows: Record<string, unknown>[], json: boolean | undefined): void {
  if (json) process.stdout.write(`${JSON.stringify(rows)}\n`);
  else if (rows.length === 0) process.stdout.write('(none)\n');
  else console.table(rows);
}

async function withStore<T>(opts: Common, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(opts.dataDir);
  try {
    return await fn(store);
  } finally {
    await store.dispose();
  }
}

const program = new Command('quant-claude')
  .description('Quant Claude headless commands')
  .showHelpAfterError();

const common = (cmd: Command) =>
  cmd.option('--data-dir <dir>', 'data folder', join(homedir(), '.quant-claude')).option('--json', 'print JSON instead of a table');

common(program.command('account').description('the paper account: cash and realised P&L')).action(async (opts: Common) => {
  loadConfig(resolve(opts.dataDir));
  await withStore(opts, async (store) => {
    const a = await store.accounts.get(PAPER_ACCOUNT_ID);
    if (!a) throw new Error(`No account yet in ${opts.dataDir}: start the terminal once.`);
    print([{ broker: a.broker, currency: a.currency, cash: a.cash, initialCash: a.initialCash, database: store.kind }], opts.json);
  });
});

common(program.command('positions').description('stored positions (quantity, average price, realised P&L)')).action(async (opts: Common) => {
  await withStore(opts, async (store) => print(await store.positions.list(PAPER_ACCOUNT_ID), opts.json));
});

common(program.command('orders').description('orders, newest first').option('--open', 'working orders only').option('--limit <n>', 'how many', '50'))
  .action(async (opts: Common & { open?: boolean; limit: string }) => {
    await withStore(opts, async (store) => {
      const orders = await store.orders.list({ accountId: PAPER_ACCOUNT_ID, openOnly: opts.open, limit: Number(opts.limit) });
      print(orders.map((o) => ({ time: new Date(o.createdAt).toISOString(), symbol: o.symbol, side: o.side, type: o.type, quantity: o.quantity, status: o.status, avgFill: o.avgFillPrice, reason: o.rejectReason })), opts.json);
    });
  });

common(program.command('audit').description('the audit log, newest first').option('--limit <n>', 'how many', '50'))
  .action(async (opts: Common & { limit: string }) => {
    await withStore(opts, async (store) => {
      const entries = await store.audit.list({ limit: Number(opts.limit) });
      print(entries.map((e) => ({ seq: e.seq, time: new Date(e.time).toISOString(), kind: e.kind, order: e.orderId, payload: JSON.stringify(e.payload) })), opts.json);
    });
  });

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`quant-claude: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
