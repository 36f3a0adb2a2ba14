// `npm run cli -- universe list|show|refresh|import` (issue 16): the lists of stocks a screen runs over. The S&P 500
// ships with the app (resources/universes/sp500.csv); `refresh sp500` reads Wikipedia's "List of S&P 500 companies"
// (or a saved copy, or a constituents CSV) and stores it over the shipped file; `import` reads an ETF issuer's
// holdings CSV (iShares IWM for the Russell 2000) or a custom list of symbols.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Option, type Command } from 'commander';
import type { DataAccess, HeadlessApp } from '../composition/headless';

type WithApp = <T>(access: DataAccess, command: string, dataDir: string | undefined, fn: (app: HeadlessApp) => Promise<T> | T) => Promise<T>;
interface Opts {
  dataDir: string;
  json?: boolean;
}

/** Wikipedia's page of the constituents (the table with id "constituents"). */
export const SP500_WIKIPEDIA_URL = 'https://en.wikipedia.org/wiki/List_of_S%26P_500_companies';

const out = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value)}\n`);

/** A URL is downloaded (30 s at most), anything else read as a file. */
async function readSource(from: string): Promise<{ text: string; source: string }> {
  if (/^https?:\/\//i.test(from)) {
    const res = await fetch(from, { signal: AbortSignal.timeout(30_000), headers: { 'user-agent': 'QuantClaude/0.1 (universe refresh)' } });
    if (!res.ok) throw new Error(`${from}: HTTP ${res.status} ${res.statusText}`);
    return { text: await res.text(), source: from };
  }
  return { text: readFileSync(from, 'utf8'), source: basename(from) };
}

export function registerUniverseCommands(program: Command, common: (cmd: Command) => Command, withApp: WithApp): void {
  const universe = program.command('universe').description('universes for the screener: list, show, refresh the S&P 500, import the Russell 2000 or a custom list');

  common(universe.command('list').description('every universe: id, kind, name, as-of date, size')).action(async (opts: Opts) => {
    const rows = await withApp('read', 'universe list', opts.dataDir, (app) => app.stockData().universes.list());
    if (opts.json) return out(rows);
    console.table(rows);
  });

  common(universe.command('show').description('the members of a universe (symbol, name, sector, industry)').argument('<id>', 'universe id (universe list)'))
    .action(async (id: string, opts: Opts) => {
      const u = await withApp('read', 'universe show', opts.dataDir, (app) => app.stockData().universes.get(id));
      if (opts.json) return out(u);
      process.stdout.write(`${u.name} (${u.kind}), ${u.members.length} members, as of ${u.asOf ?? 'n/a'}, from ${u.source}\n`);
      console.table(u.members);
    });

  common(universe.command('refresh').description(`read the S&P 500 constituents again (default: ${SP500_WIKIPEDIA_URL}) and store them over the shipped list`)
    .argument('<id>', 'sp500').option('--from <url|file>', "Wikipedia's page (URL or a saved copy) or a Symbol,Security,GICS Sector,GICS Sub-Industry CSV")
    .option('--as-of <date>', 'the date the list is true (default: today)'))
    .action(async (id: string, opts: Opts & { from?: string; asOf?: string }) => {
      if (id !== 'sp500') throw new Error(`Only sp500 can be refreshed (the Russell 2000 is imported: universe import --kind russell2000 --file F.csv)`);
      const { text, source } = await readSource(opts.from ?? SP500_WIKIPEDIA_URL);
      const u = await withApp('write', 'universe refresh', opts.dataDir, (app) => app.stockData().universes.import({ kind: 'sp500', text, source, ...(opts.asOf ? { asOf: opts.asOf } : {}) }));
      const summary = { id: u.id, kind: u.kind, name: u.name, asOf: u.asOf, size: u.members.length, source: u.source };
      if (opts.json) return out(summary);
      process.stdout.write(`Stored ${u.members.length} constituents of the S&P 500 as of ${u.asOf} from ${source}\n`);
    });

  common(universe.command('import').description("store a universe from a file: an ETF issuer's holdings CSV (iShares IWM: --kind russell2000) or a list of symbols (--kind custom --name N)")
    .addOption(new Option('--kind <kind>', 'what the file is').choices(['russell2000', 'custom', 'sp500']).makeOptionMandatory())
    .requiredOption('--file <file>', 'the file').option('--name <name>', "a custom list's name").option('--as-of <date>', 'the date the list is true'))
    .action(async (opts: Opts & { kind: 'russell2000' | 'custom' | 'sp500'; file: string; name?: string; asOf?: string }) => {
      const { text, source } = await readSource(opts.file);
      const u = await withApp('write', 'universe import', opts.dataDir, (app) => app.stockData().universes.import({
        kind: opts.kind, text, source, ...(opts.name ? { name: opts.name } : {}), ...(opts.asOf ? { asOf: opts.asOf } : {}),
      }));
      const summary = { id: u.id, kind: u.kind, name: u.name, asOf: u.asOf, size: u.members.length, source: u.source };
      if (opts.json) return out(summary);
      process.stdout.write(`Stored ${u.name} (${u.id}): ${u.members.length} members, as of ${u.asOf ?? 'n/a'}\n`);
    });
}
