// `npm run cli -- factor-test …` and `npm run cli -- screen …` (issue 16): factor validation on long CSV files, and
// the screener over a universe. A public contract: fractions, not percents (docs/factors.md).
import type { Command } from 'commander';
import { readCsvBytes } from '../adapters/csv/bars';
import { parsePriceFactorSpec } from '../domain/factors/definitions';
import { attachFactor, parseLongCsv, parseSectorsCsv, seriesFromCloses } from '../domain/factors/long-csv';
import { factorTest } from '../domain/factors/validation';

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

export function registerFactorCommands(program: Command): void {
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
