// `npm run cli -- analytics …` and `npm run cli -- portfolio performance …`: return statistics of a price series, and
// the ledger's performance (issue 13). Registered on the program by src-main/cli/main.ts.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readCsvBytes } from '../adapters/csv/bars';
import { alignedReturns, returnStats, simpleReturns } from '../domain/analytics/return-stats';
import { CsvError, guessMapping, readOhlcv } from '../domain/data/csv';
import { dateOf, dayOf, isCalendarDate } from '../../src-shared/domain/dates';
import { parsePricesCsv } from '../domain/performance/ledger-csv';
import { parseLedgerCsv } from '../domain/ledger/csv-import';
import type { DatedClose } from '../domain/performance/lookups';
import { periodPerformance, periodRange } from '../domain/performance/returns';
import { ValuationError } from '../domain/performance/valuation';
import { databaseFile } from '../composition/store';
import { createHeadlessApp } from '../composition/headless';
import type { DailyPriceSource } from '../ports/ledger-source';
import { firstPriceSource, memoryLedger, PerformanceInputError, PerformanceService, storePriceSource, tablePriceSource } from '../services/performance';
import { systemClock } from '../ports/clock';

function readSeries(file: string, column: string | undefined): { time: Float64Array; value: Float64Array } {
  const { columns, rejected } = readOhlcv(readCsvBytes(file), file, (h) => guessMapping(h, column));
  // On stderr: with --json, stdout stays one JSON object.
  if (rejected.length) process.stderr.write(`Warning: ${file}: ${rejected.length} row(s) skipped, e.g. row ${rejected[0]!.row}: ${rejected[0]!.reason}\n`);
  if (columns.close.length < 3) throw new CsvError(`${file}: at least 3 closes are needed for returns (got ${columns.close.length})`);
  return { time: columns.time, value: columns.close };
}

export function registerPerformanceCommands(program: Command): void {
  program
    .command('analytics')
    .description('return statistics of a close series (empyrical definitions; fractions, 252 periods a year, risk-free 0; docs/portfolio-analytics.md)')
    .requiredOption('--data <file>', 'CSV with a date column and Close (or the series named by --column)')
    .option('--column <name>', 'the series to read (e.g. DAX in EuStockMarkets.csv)')
    .option('--benchmark <file>', 'CSV of the benchmark, for beta and alpha (may be the same file with another --benchmark-column)')
    .option('--benchmark-column <name>', 'the benchmark file\'s series')
    .option('--json', 'print one JSON object')
    .action((opts: { data: string; column?: string; benchmark?: string; benchmarkColumn?: string; json?: boolean }) => {
      const series = readSeries(opts.data, opts.column);
      const r = simpleReturns(series.value);
      let stats = returnStats(r);
      if (opts.benchmark) {
        const bench = readSeries(opts.benchmark, opts.benchmarkColumn);
        const aligned = alignedReturns(series, bench);
        if (aligned.r.length < 2) throw new CsvError(`${opts.data} and ${opts.benchmark} share fewer than 3 dates: no beta or alpha`);
        const against = returnStats(aligned.r, aligned.b);
        stats = { ...stats, beta: against.beta, alpha: against.alpha };
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(stats)}\n`);
      else console.table(Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, v === null ? '—' : v.toFixed(6)])));
    });

  const portfolio = program.commands.find((c) => c.name() === 'portfolio') ?? program.command('portfolio').description('the investment tracker: ledger, performance, tax lots');
  portfolio
    .command('performance')
    .description('value, flows, TWR and MWR since inception (fractions; MWR annual; docs/portfolio-analytics.md)')
    .option('--data-dir <dir>', 'data folder (its bar store prices what --prices does not)')
    .option('--account <id>', 'one account (default: all, in the reporting currency)')
    .option('--transactions <file>', 'a ledger CSV (date,account,type,symbol,quantity,price,fee,amount,currency) instead of the data folder\'s ledger')
    .option('--prices <file>', 'long CSV date,symbol,close (a symbol "EUR/USD" is an FX rate)')
    .option('--to <date>', 'last day, YYYY-MM-DD (default: the latest transaction or price date)')
    .option('--base <currency>', 'reporting currency of the total (default: the accounts\' when they share one, else USD)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { dataDir?: string; account?: string; transactions?: string; prices?: string; to?: string; base?: string; json?: boolean }) => {
      if (opts.to !== undefined && !isCalendarDate(opts.to)) throw new Error(`--to must be a date YYYY-MM-DD (got "${opts.to}")`);
      if (opts.base !== undefined && !/^[A-Z]{3}$/.test(opts.base)) throw new Error(`--base must be a currency code such as USD (got "${opts.base}")`);
      // The ledger: a --transactions file, else the data folder's (what `portfolio import` and the fills wrote).
      // The same reader as `portfolio import` (one format, one set of rules).
      const file = opts.transactions ? parseLedgerCsv(new TextDecoder().decode(readCsvBytes(opts.transactions)), []) : undefined;
      if (file) {
        for (const r of file.rejected.slice(0, 20)) process.stderr.write(`Warning: ${opts.transactions} row ${r.row} skipped: ${r.reason}\n`);
        if (!file.transactions.length) throw new Error(`${opts.transactions}: no transaction could be read`);
      }
      let closes: DatedClose[] = [];
      if (opts.prices) {
        const p = parsePricesCsv(readCsvBytes(opts.prices), opts.prices);
        for (const r of p.rejected.slice(0, 20)) process.stderr.write(`Warning: ${opts.prices} row ${r.row} skipped: ${r.reason}\n`);
        closes = p.closes;
      }
      const sources: DailyPriceSource[] = [tablePriceSource(closes)];
      // The data folder's bar store (downloads, `import`ed CSVs) prices what --prices does not; with a file the folder
      // is only read when it exists (never created here).
      const dataDir = opts.dataDir ? resolve(opts.dataDir) : undefined;
      const app = !file || (dataDir && existsSync(databaseFile(dataDir))) ? await createHeadlessApp({ dataDir, access: 'read', command: 'read' }) : undefined;
      try {
        if (app?.store) sources.push(storePriceSource(app.store));
        const ledger = file ? memoryLedger(file.accounts, file.transactions) : app!.ledger!.source;
        // --account by id, or by the name the file or the UI gave it.
        const accounts = await ledger.listAccounts();
        const account = opts.account === undefined ? undefined
          : accounts.find((a) => a.id === opts.account) ?? accounts.find((a) => a.name.toLowerCase() === opts.account!.toLowerCase());
        if (opts.account !== undefined && !account) throw new Error(`No account ${opts.account} in the ledger (accounts: ${accounts.map((a) => a.name).join(', ') || 'none'})`);
        const transactions = await ledger.listTransactions({ accountId: account?.id });
        if (!transactions.length) throw new Error(account ? `No transactions of account ${account.name} in the ledger` : 'The ledger is empty: import transactions with `portfolio import --file F`, or give --transactions FILE');
        const lastDay = Math.max(...transactions.map((t) => dayOf(t.date)), ...closes.map((c) => c.day));
        const to = opts.to ?? dateOf(lastDay);
        const service = new PerformanceService({ ledger, prices: firstPriceSource(sources), clock: systemClock, baseCurrency: opts.base });
        const { valuation: v, endDay } = await service.value({ accountId: account?.id, to });
        const series = opts.account ? v.accounts[0]!.own : v.total;
        const p = periodPerformance(v, series, periodRange(v, 'inception', endDay));
        const out = { startValue: p.startValue, endValue: p.endValue, netFlows: p.netFlows, twr: p.twr, twrAnnual: p.twrAnnual, mwr: p.mwr };
        if (opts.json) process.stdout.write(`${JSON.stringify(out)}\n`);
        else {
          console.table(Object.fromEntries(Object.entries(out).map(([k, x]) => [k, x === null ? '—' : x.toFixed(6)])));
          process.stdout.write(`${p.from} to ${p.to}, in ${opts.account ? v.accounts[0]!.currency : v.baseCurrency}; money in counts from the start of its day, money out at its end\n`);
        }
      } catch (err) {
        if (err instanceof ValuationError || err instanceof PerformanceInputError) throw new Error(`${err.message}${err instanceof ValuationError ? ' (add it to --prices)' : ''}`, { cause: err });
        throw err;
      } finally {
        await app?.dispose();
      }
    });
}
