// `npm run cli -- factor-test …` and `npm run cli -- screen …` (issue 16): factor validation on long CSV files, and
// the screener over a universe. A public contract: fractions, not percents (docs/factors.md).
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { DataAccess, HeadlessApp } from '../composition/headless';
import { readCsvBytes } from '../adapters/csv/bars';
import { parsePriceFactorSpec } from '../domain/factors/definitions';
import { attachFactor, parseLongCsv, parseSectorsCsv, seriesFromCloses } from '../domain/factors/long-csv';
import { factorTest } from '../domain/factors/validation';
import { parseWeightedFactor } from '../domain/factors/definitions';
import { parseCsv } from '../domain/data/csv';
import { createScreener } from '../composition/screener';
import { systemClock } from '../ports/clock';
import type { Universe } from '../../src-shared/domain/fundamentals';

const wholeList = (text: string, flag: string): number[] => {
  const out = text.split(',').map((x) => Number(x.trim()));
  if (out.length === 0 || out.some((k) => !Number.isInteger(k) || k < 1)) throw new Error(`${flag} must be whole numbers ≥ 1 separated by commas (got "${text}")`);
  return out;
};

interface FactorTestOpts {
  prices: string;
  factorFile?: string;
  factor?: string;
  sectors?: string;
  periods: string;
  quantiles: string;
  bySector?: boolean;
  json?: boolean;
}

/** A universe from a CSV file of symbols (a `symbol` column; `name` and `sector` optional). */
function universeFromCsv(path: string): Universe {
  const { header, rows, rejected } = parseCsv(readCsvBytes(path), path);
  const lower = header.map((h) => h.trim().toLowerCase());
  const si = lower.indexOf('symbol');
  if (si < 0) throw new Error(`${path}: missing column "symbol" (header: ${header.join(', ')})`);
  if (rejected.length) throw new Error(`${path}: row ${rejected[0]!.row} cannot be read (${rejected[0]!.reason})`);
  const ni = lower.indexOf('name');
  const gi = lower.indexOf('sector');
  const members = rows.map((r) => r[si]?.trim().toUpperCase() ?? '').map((symbol, i) => ({
    symbol, name: (ni >= 0 ? rows[i]![ni]?.trim() : '') || symbol, sector: (gi >= 0 ? rows[i]![gi]?.trim() : '') || null, industry: null,
  })).filter((m) => m.symbol !== '');
  return { id: `file:${path}`, kind: 'custom', name: path, asOf: null, source: path, members };
}

interface ScreenOpts {
  dataDir: string;
  universe: string;
  factor: string[];
  sectorNeutral?: boolean;
  filter: string[];
  top?: string;
  asOf?: string;
  json?: boolean;
}

type WithApp = <T>(access: DataAccess, command: string, dataDir: string | undefined, fn: (app: HeadlessApp) => Promise<T> | T) => Promise<T>;

export function registerFactorCommands(program: Command, withApp: WithApp): void {
  program
    .command('screen')
    .option('--data-dir <dir>', 'data folder (stored statements and bars, imported universes)', join(homedir(), '.quant-claude'))
    .description('rank a universe by weighted factors (winsorised z-scores, optionally within sector) after filters (docs/factors.md)')
    .option('--universe <id|file.csv>', 'sp500, demo, or a CSV with a symbol column (name, sector optional)', 'demo')
    .option('--factor <name[:weight]>', 'a factor and its weight (repeat for several)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--sector-neutral', 'z-scores within each sector')
    .option('--filter <conditions>', "e.g. 'pe<20', 'market_cap>10B and sector!=Energy', 'mom_12_1.pct>=0.8' (repeat to add)", (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--top <n>', 'print the best N')
    .option('--as-of <date>', 'the date to rank on (default: the newest close)')
    .option('--json', 'print one JSON object')
    .action(async (opts: ScreenOpts) => {
      if (opts.factor.length === 0) throw new Error('give at least one --factor NAME[:WEIGHT]');
      const factors = opts.factor.map((f) => {
        const { factor, weight } = parseWeightedFactor(f);
        return { name: factor.name, weight };
      });
      const top = opts.top === undefined ? undefined : Number(opts.top);
      if (top !== undefined && !(Number.isInteger(top) && top >= 1)) throw new Error(`--top must be a whole number ≥ 1 (got "${opts.top}")`);
      if (opts.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) throw new Error(`--as-of must be YYYY-MM-DD (got "${opts.asOf}")`);
      const universe = /\.csv$/i.test(opts.universe) ? universeFromCsv(opts.universe) : opts.universe;
      // Read-only on the data folder: works while the terminal runs on it.
      const r = await withApp('read', 'screen', opts.dataDir, (app) => createScreener({ clock: systemClock, data: app.stockData() }).screen({ universe, factors, sectorNeutral: opts.sectorNeutral, filter: opts.filter.join(' and '), top, asOf: opts.asOf, sparkline: 0 }));
      if (opts.json) {
        const rows = r.rows.map((row) => ({
          symbol: row.symbol, sector: row.sector, composite: row.composite, rank: row.rank,
          factors: Object.fromEntries(Object.entries(row.factors).map(([k, v]) => [k, { value: v.value, z: v.z }])),
        }));
        process.stdout.write(`${JSON.stringify({ asOf: r.asOf, rows })}\n`);
        return;
      }
      process.stdout.write(`${r.universe.name} as of ${r.asOf}: ${r.matched} of ${r.universe.size} passed${opts.filter.length ? ` (${opts.filter.join(' and ')})` : ''}\n`);
      const num = (x: number | null, d = 3) => (x === null ? '—' : x.toFixed(d));
      console.table(r.rows.map((row) => ({
        rank: row.rank, symbol: row.symbol, sector: row.sector ?? '', composite: num(row.composite),
        ...Object.fromEntries(Object.entries(row.factors).map(([k, v]) => [k, `${num(v.value, 4)} (z ${num(v.z, 2)})`])),
        missing: row.missing.join(' '),
      })));
    });

  program
    .command('factor-test')
    .description('does a factor work? IC (Spearman) per date, quantile mean forward returns, spread and turnover, with alphalens\' conventions (docs/factors.md)')
    .requiredOption('--prices <file>', 'long CSV: date,symbol,close')
    .option('--factor-file <file>', 'long CSV: date,symbol,value')
    .option('--factor <name[:args]>', 'a factor of closes, e.g. mom_12_1, momentum:126,0, rsi_14:14')
    .option('--sectors <file>', 'CSV: symbol,sector')
    .option('--periods <list>', 'forward periods in rows', '1,5,10')
    .option('--quantiles <n>', 'quantiles per date', '5')
    .option('--by-sector', 'quantiles within sectors; returns demeaned by date and sector')
    .option('--json', 'print one JSON object')
    .action((opts: FactorTestOpts) => {
      if ((opts.factorFile === undefined) === (opts.factor === undefined)) throw new Error('give exactly one of --factor-file and --factor');
      if (opts.bySector && !opts.sectors) throw new Error('--by-sector needs --sectors');
      const periods = wholeList(opts.periods, '--periods');
      const [quantiles] = wholeList(opts.quantiles, '--quantiles');
      const sectors = opts.sectors ? parseSectorsCsv(readCsvBytes(opts.sectors), opts.sectors) : new Map<string, string | null>();
      const series = seriesFromCloses(parseLongCsv(readCsvBytes(opts.prices), opts.prices, 'close'), sectors);
      let label: string;
      if (opts.factorFile) {
        const { unmatched } = attachFactor(series, parseLongCsv(readCsvBytes(opts.factorFile), opts.factorFile, 'value'));
        // On stderr: with --json, stdout stays one JSON object.
        if (unmatched) process.stderr.write(`Warning: ${opts.factorFile}: ${unmatched} value(s) on a date without a close of their symbol were left out\n`);
        label = opts.factorFile;
      } else {
        const { factor, args } = parsePriceFactorSpec(opts.factor!);
        for (const s of series) s.factor = factor.series(s.closes, args);
        label = `${factor.name}(${args.join(',')})`;
      }
      const r = factorTest(series, { periods, quantiles: quantiles!, bySector: opts.bySector });
      if (r.rows === 0) throw new Error(`no (date, symbol) row has a factor value and a close ${Math.max(...periods)} rows ahead: nothing to test`);
      const periodsOut = Object.fromEntries(Object.entries(r.periods).map(([k, p]) => [k, {
        icMean: p.icMean, icStd: p.icStd, icir: p.icir, quantileMeanReturn: p.quantileMeanReturn, quantileMeanReturnDemeaned: p.quantileMeanReturnDemeaned,
        topMinusBottom: p.topMinusBottom, turnover: p.turnover,
      }]));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ rows: r.rows, periods: periodsOut })}\n`);
        return;
      }
      const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(3)} %`);
      const num = (x: number | null) => (x === null ? '—' : x.toFixed(4));
      process.stdout.write(`${label}: ${r.rows} rows on ${r.dates} dates (dropped: ${r.dropped.noForwardReturn} without a forward close, ${r.dropped.noSector} without a sector, ${r.dropped.uncuttable} in groups too uniform for ${quantiles} quantiles)\n`);
      console.table(Object.entries(r.periods).map(([k, p]) => ({ period: k, 'IC mean': num(p.icMean), 'IC std': num(p.icStd), IR: num(p.icir), 'top − bottom': pct(p.topMinusBottom), 'turnover top': num(p.turnover.top) })));
      console.table(Object.entries(r.periods).map(([k, p]) => Object.fromEntries([['period', k], ...p.quantileMeanReturn.map((v, i) => [`Q${i + 1}`, pct(v)])])));
    });
}
