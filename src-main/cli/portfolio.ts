// `portfolio import|lots|gains`: the ledger's public CLI contract (docs/portfolio.md). Money as decimal strings fixed
// to cents, quantities exact; `--json` prints exactly the documented shapes.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Command, Option } from 'commander';
import type { DataAccess, HeadlessApp } from '../composition/headless';
import { dec } from '../domain/money';
import type { LedgerService } from '../services/ledger';

type WithApp = <T>(access: DataAccess, command: string, dataDir: string | undefined, fn: (app: HeadlessApp) => Promise<T> | T) => Promise<T>;
type Method = 'fifo' | 'lifo' | 'hifo';
interface Opts {
  dataDir: string;
  json?: boolean;
  method?: Method;
}

const money = (s: string) => dec(s).toFixed(2);
const out = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value)}\n`);
const methodOption = () => new Option('--method <method>', 'lot method for every account (default: each account\'s own)').choices(['fifo', 'lifo', 'hifo']);

/** Adds the ledger's subcommands to `portfolio`. `common` adds --data-dir and --json as on every command. */
export function addLedgerCommands(portfolio: Command, common: (cmd: Command) => Command, withApp: WithApp): void {
  const ledgerOf = (app: HeadlessApp): LedgerService => app.ledger!;

  common(portfolio.command('import').description('import transactions from the ledger CSV or an IB Flex Query XML file; re-importing adds nothing')
    .requiredOption('--file <file>', 'the file')
    .addOption(new Option('--format <format>', 'csv or ib-flex (default: ib-flex for .xml, else csv)').choices(['csv', 'ib-flex'])))
    .action(async (opts: Opts & { file: string; format?: 'csv' | 'ib-flex' }) => {
      const format = opts.format ?? (extname(opts.file).toLowerCase() === '.xml' ? 'ib-flex' : 'csv');
      const text = readFileSync(opts.file, 'utf8');
      const r = await withApp('write', 'portfolio import', opts.dataDir, (app) => ledgerOf(app).import(text, format));
      if (opts.json) return out({ imported: r.imported, duplicates: r.duplicates, rejected: r.rejected });
      process.stdout.write(`Imported ${r.imported} transaction(s), ${r.duplicates} already there, ${r.rejected.length} rejected${r.accountsCreated.length ? `; new accounts: ${r.accountsCreated.join(', ')}` : ''}\n`);
      for (const x of r.rejected.slice(0, 50)) process.stdout.write(`  row ${x.row}: ${x.reason}\n`);
    });

  common(portfolio.command('lots').description('open tax lots of every account (costBasis includes the wash-sale adjustment)').addOption(methodOption()))
    .action(async (opts: Opts) => {
      const r = await withApp('read', 'portfolio lots', opts.dataDir, (app) => ledgerOf(app).lots(opts.method));
      const lots = r.lots.map((l) => ({
        account: l.accountId, symbol: l.symbol, quantity: l.side === 'short' ? dec(l.quantity).neg().toFixed() : l.quantity, acquired: l.acquired,
        costBasis: money(l.costBasis), washAdjustment: money(l.washAdjustment),
      }));
      if (opts.json) return out({ lots });
      if (lots.length === 0) process.stdout.write('(no open lots)\n');
      else console.table(lots);
      for (const p of r.problems) process.stderr.write(`note: ${p.message}\n`);
    });

  common(portfolio.command('gains').description('realised gains per lot of taxable accounts in a year, Form 8949 style (code W: wash sale)')
    .requiredOption('--year <year>', 'tax year').addOption(methodOption()))
    .action(async (opts: Opts & { year: string }) => {
      const year = Number(opts.year);
      if (!Number.isInteger(year) || year < 1900 || year > 2200) throw new Error(`--year "${opts.year}" is not a year`);
      const g = await withApp('read', 'portfolio gains', opts.dataDir, (app) => ledgerOf(app).gains(year, opts.method));
      const rows = g.rows.map((r) => ({
        account: r.accountId, symbol: r.symbol, quantity: r.quantity, acquired: r.acquired, sold: r.sold, proceeds: money(r.proceeds), costBasis: money(r.costBasis),
        adjustment: money(r.adjustment), code: r.code, gain: money(r.gain), term: r.term,
      }));
      if (opts.json) return out({ rows, totals: g.totals });
      if (rows.length === 0) process.stdout.write(`(no sales in ${year})\n`);
      else console.table(rows);
      process.stdout.write(`Totals: proceeds ${g.totals.proceeds}, cost basis ${g.totals.costBasis}, adjustment ${g.totals.adjustment}, gain ${g.totals.gain}\n`);
    });
}
