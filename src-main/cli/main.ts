// `npm run cli -- <command>`: headless commands on the app the terminal builds (src-main/composition/headless.ts),
// without a transport: the same store ports and services.
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Command } from 'commander';
import { damagedMessage, isCorrupt, unreadableMessage } from '../adapters/sqlite/check';
import { PAPER_ACCOUNT_ID } from '../adapters/paper/session';
import { createHeadlessApp, type DataAccess, type HeadlessApp } from '../composition/headless';
import { databaseFile, openSqliteFileReadonly } from '../composition/store';
import type { Store } from '../ports/store';
import { readBarsCsv, readCsvBytes } from '../adapters/csv/bars';
import { guessMapping } from '../domain/data/csv';
import { SessionKind, Timeframe } from '../../src-shared/domain/types';
import { importCsvBars } from '../services/market-data/csv-import';
import type { FillModel } from '../domain/backtest/engine';
import { computeIndicator } from '../domain/indicators/spec';
import { createPortfolioStrategy, createStrategy, isPortfolioStrategy } from '../domain/strategies/registry';
import type { BarArrays } from '../domain/backtest/types';
import { optimize, type Objective } from '../services/optimizer';
import { parseSpace, validFor } from '../domain/backtest/param-space';
import { registerPerformanceCommands } from './performance';
import { existsSync, mkdirSync } from 'node:fs';
import { fileBackup, restoreNow } from '../composition/backups';
import { lockDataFolder } from '../data-folder-lock';
import { systemClock } from '../ports/clock';
import { realTimers } from '../ports/timers';
import { BackupService } from '../services/backups';
import { addLedgerCommands } from './portfolio';
import { registerUniverseCommands } from './universe';
import { registerFactorCommands } from './factors';
import { folderHealthReport } from '../composition/health';

interface Common {
  dataDir: string;
  json?: boolean;
}

/** Runs `fn` on the headless app opened for `access`, and closes it. */
async function withApp<T>(access: DataAccess, command: string, dataDir: string | undefined, fn: (app: HeadlessApp) => Promise<T> | T): Promise<T> {
  const app = await createHeadlessApp({ dataDir, access, command });
  try {
    return await fn(app);
  } finally {
    await app.dispose();
  }
}

function print(rows: Record<string, unknown>[], json: boolean | undefined): void {
  if (json) process.stdout.write(`${JSON.stringify(rows)}\n`);
  else if (rows.length === 0) process.stdout.write('(none)\n');
  else console.table(rows);
}

/** Reads open the database read-only and take no lock: they work while the terminal holds the folder. */
async function withStore<T>(opts: Common, fn: (store: Store) => Promise<T>): Promise<T> {
  return withApp('read', 'read', opts.dataDir, (app) => fn(app.store!));
}

/** A writing command: one writer per data folder, so it refuses while the terminal (or another command) holds it. */
async function withWritableStore<T>(opts: Common, command: string, fn: (store: Store) => Promise<T>): Promise<T> {
  return withApp('write', command, opts.dataDir, (app) => fn(app.store!));
}

const program = new Command('quant-claude')
  .description('Quant Claude headless commands')
  .showHelpAfterError();

const common = (cmd: Command) =>
  cmd.option('--data-dir <dir>', 'data folder', join(homedir(), '.quant-claude')).option('--json', 'print JSON instead of a table');

common(program.command('account').description('the paper account: cash and realised P&L')).action(async (opts: Common) => {
  await withStore(opts, async (store) => {
    const a = await store.accounts.get(PAPER_ACCOUNT_ID);
    if (!a) throw new Error(`No account yet in ${opts.dataDir}: start the terminal once.`);
    print([{ broker: a.broker, currency: a.currency, cash: a.cash, initialCash: a.initialCash, database: store.kind }], opts.json);
  });
});

common(program.command('risk').description('portfolio risk of an account: trading state, 1-day 95 % VaR/CVaR by method and limit usage, as fractions of NAV (docs/risk.md)')
  .option('--account <id>', 'account id', PAPER_ACCOUNT_ID)).action(async (opts: Common & { account: string }) => {
  await withApp('read', 'risk', opts.dataDir, async (app) => {
    const s = await app.risk(opts.account);
    const out = {
      state: s.state, nav: s.nav, var95: s.var95, cvar95: s.cvar95, var95Parametric: s.var95Parametric, var95MonteCarlo: s.var95MonteCarlo,
      limits: s.limits.map((l) => ({ name: l.name, value: l.value, limit: l.limit, headroom: l.headroom })),
    };
    if (opts.json) process.stdout.write(`${JSON.stringify(out)}\n`);
    else {
      const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
      process.stdout.write(`${s.accountId}: ${s.state}, NAV ${s.nav.toFixed(2)} ${s.currency}; history ${s.historyDays} days${s.unmodelled.length ? `; not modelled: ${s.unmodelled.join(', ')}` : ''}\n`);
      console.table(s.table.map((f) => ({ method: f.method, confidence: f.confidence, days: f.horizonDays, VaR: pct(f.var), CVaR: pct(f.cvar) })));
      print(out.limits.map((l) => ({ limit: l.name, value: pct(l.value), max: pct(l.limit), headroom: pct(l.headroom) })), false);
    }
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

common(program.command('check').description('check the database file for damage (PRAGMA quick_check; --full: integrity_check, slower)').option('--full', 'the full integrity check, indexes included'))
  .action(async (opts: Common & { full?: boolean }) => {
    if (process.env['QUANT_DB_URL']) throw new Error('check reads the SQLite file of a data folder; PostgreSQL has its own tools (amcheck)');
    const file = databaseFile(resolve(opts.dataDir));
    const store = openSqliteFileReadonly(resolve(opts.dataDir));
    try {
      let problems: string[];
      try {
        problems = store.check(opts.full);
      } catch (err) {
        // Damage bad enough that the check itself cannot read the file.
        if (isCorrupt(err)) throw new Error(unreadableMessage(file, err), { cause: err });
        throw err;
      }
      const check = opts.full ? 'integrity_check' : 'quick_check';
      if (opts.json) process.stdout.write(`${JSON.stringify({ file, check, ok: problems.length === 0, problems })}\n`);
      else if (problems.length === 0) process.stdout.write(`${file}: ${check} ok\n`);
      else {
        for (const p of problems) process.stdout.write(`${p}\n`);
        throw new Error(damagedMessage(file, problems, check));
      }
    } finally {
      await store.dispose();
    }
  });

const collect = (value: string, previous: string[]) => [...previous, value];
/**
 * UTC seconds as 'YYYY-MM-DDTHH:MM:SSZ'. Written out rather than with toISOString: a backtest over 1M bars prints tens
 * of thousands of trades, and Date's formatting was a fifth of the command's time.
 */
function iso(t: number): string {
  if (!Number.isInteger(t) || t < 0 || t >= 253_402_300_800) return new Date(t * 1000).toISOString().replace('.000Z', 'Z');
  const days = Math.floor(t / 86_400);
  let s = t - days * 86_400;
  if (days !== isoDay) {
    isoDay = days;
    isoDate = new Date(days * 86_400_000).toISOString().slice(0, 11);
  }
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${isoDate}${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${s < 10 ? '0' : ''}${s}Z`;
}
let isoDay = NaN;
let isoDate = '';

const TEN = Array.from({ length: 16 }, (_, i) => 10 ** i);
/**
 * v to d decimals, as Number(v.toFixed(d)) gives it (null when not finite). k / 10^d is the double nearest to the
 * decimal k·10^-d, as Number() of toFixed's text is, so the two agree whenever they round v·10^d to the same k; only
 * near a half, where the product's own rounding could tip it, does toFixed decide.
 */
function round(v: number, d = 6): number | null {
  if (!Number.isFinite(v)) return null;
  const p = TEN[d]!;
  const x = v * p;
  const k = Math.round(x);
  return Math.abs(x - k) < 0.499 && Math.abs(k) < 2 ** 52 ? k / p : Number(v.toFixed(d));
}

function parseParams(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--param expects name=value (got "${pair}")`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

function positiveNumber(name: string, v: string, min = 0): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min} (got "${v}")`);
  return n;
}

/** pairs / rotation over several files; each file's name (without extension) is its symbol. */
function readInstruments(files: string[]): Record<string, BarArrays> {
  const data = Object.fromEntries(files.map((f) => [basename(f).replace(/\.[^.]+$/, ''), readBarsCsv(f)]));
  if (Object.keys(data).length !== files.length) throw new Error('Two --data files have the same name: symbols come from file names');
  return data;
}

type EquitySampling = 'full' | 'daily' | 'none';
/** Files with more bars than this get one equity point per day unless --equity says otherwise (1M points are 63 MB of JSON). */
const FULL_EQUITY_MAX_BARS = 100_000;

function equitySampling(option: string | undefined, bars: number): EquitySampling {
  if (option === undefined) return bars < FULL_EQUITY_MAX_BARS ? 'full' : 'daily';
  if (option !== 'full' && option !== 'daily' && option !== 'none') throw new Error(`--equity must be full, daily or none (got "${option}")`);
  return option;
}

/** The equity curve as printed: every bar, the last bar of each UTC day, or nothing. */
function equityPoints(time: Float64Array, equity: ArrayLike<number>, sampling: EquitySampling): { time: string; equity: number | null }[] {
  const out: { time: string; equity: number | null }[] = [];
  if (sampling === 'none') return out;
  const n = equity.length;
  for (let i = 0; i < n; i++) {
    if (sampling === 'daily' && i + 1 < n && Math.floor(time[i + 1]! / 86_400) === Math.floor(time[i]! / 86_400)) continue;
    out.push({ time: iso(time[i]!), equity: round(equity[i]!, 4) });
  }
  return out;
}

const equityLine = (sampling: EquitySampling) => `Equity curve (--json): ${sampling === 'full' ? 'every bar' : sampling === 'daily' ? 'the last bar of each UTC day' : 'not written'} (--equity ${sampling})\n`;

async function portfolioBacktest(files: string[], strategyName: string, params: Record<string, string>, cash: number, commission: number, json?: boolean, equityOption?: string): Promise<void> {
  const data = readInstruments(files);
  const symbols = Object.keys(data);
  const { result: r, metrics: m } = await withApp('none', 'backtest', undefined, (app) => app.backtests.computePortfolio(data, { strategy: strategyName, params, cash, commission }));
  const sampling = equitySampling(equityOption, r.time.length);
  const metrics = {
    trades: m.trades, finalEquity: round(m.finalEquity, 2), returnPct: round(m.returnPct, 4), maxDrawdownPct: round(m.maxDrawdownPct, 4),
    sharpe: round(m.sharpe, 4), sortino: round(m.sortino, 4), winRatePct: round(m.winRatePct, 4), exposurePct: round(m.exposurePct, 4), cagrPct: round(m.cagrPct, 4),
  };
  if (json) {
    process.stdout.write(`${JSON.stringify({
      metrics,
      trades: r.trades.map((t) => ({ symbol: t.symbol, entryTime: iso(t.entryTime), exitTime: iso(t.exitTime), side: t.side, size: t.size, entryPrice: round(t.entryPrice), exitPrice: round(t.exitPrice), pnl: round(t.pnl, 4), commission: round(t.commission, 4) })),
      equity: equityPoints(r.time, r.equity, sampling),
      equitySampling: sampling,
    })}\n`);
    return;
  }
  console.table({ ...metrics, instruments: symbols.join(', ') });
  process.stdout.write(equityLine(sampling));
}

program
  .command('backtest')
  .description('backtest a built-in strategy on an OHLCV CSV file (conventions: docs/backtesting.md)')
  .requiredOption('--data <file>', 'CSV with a header: date, Open, High, Low, Close[, Volume] (repeatable for pairs/rotation)', collect, [])
  .requiredOption('--strategy <name>', 'built-in strategy: sma-cross, mean-reversion, donchian-breakout, pairs, rotation')
  .option('--param <name=value>', 'strategy parameter (repeatable)', collect, [])
  .option('--cash <amount>', 'starting cash', '10000')
  .option('--commission <fraction>', 'commission as a fraction of notional, on entry and exit', '0')
  .option('--fill <model>', 'next-open | close', 'next-open')
  .option('--json', 'print one JSON object')
  .option('--equity <points>', `equity curve in --json: full (every bar) | daily (last bar of each UTC day) | none; default full below ${FULL_EQUITY_MAX_BARS.toLocaleString('en-US')} bars, daily above`)
  .action(async (opts: { data: string[]; strategy: string; param: string[]; cash: string; commission: string; fill: string; json?: boolean; equity?: string }) => {
    if (opts.fill !== 'next-open' && opts.fill !== 'close') throw new Error(`--fill must be next-open or close (got "${opts.fill}")`);
    const cash = positiveNumber('cash', opts.cash, Number.MIN_VALUE);
    const commission = positiveNumber('commission', opts.commission);
    if (commission >= 1) throw new Error('--commission is a fraction of notional (0.002 = 0.2 %): it must be below 1');
    if (isPortfolioStrategy(opts.strategy)) return portfolioBacktest(opts.data, opts.strategy, parseParams(opts.param), cash, commission, opts.json, opts.equity);
    if (opts.data.length !== 1) throw new Error(`${opts.strategy} trades one instrument: give exactly one --data`);
    const data = readBarsCsv(opts.data[0]!);
    const sampling = equitySampling(opts.equity, data.time.length);
    const spec = { strategy: opts.strategy, params: parseParams(opts.param), cash, commission, fill: opts.fill as FillModel };
    const { result, metrics: m, warnings } = await withApp('none', 'backtest', undefined, (app) => app.backtests.compute(data, spec));
    // On stderr: with --json, stdout stays one JSON object.
    for (const warning of warnings) process.stderr.write(`Warning: ${warning}\n`);
    const metrics = {
      trades: m.trades, finalEquity: round(m.finalEquity, 2), returnPct: round(m.returnPct, 4), maxDrawdownPct: round(m.maxDrawdownPct, 4),
      sharpe: round(m.sharpe, 4), sortino: round(m.sortino, 4), winRatePct: round(m.winRatePct, 4), exposurePct: round(m.exposurePct, 4), cagrPct: round(m.cagrPct, 4),
    };
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({
        metrics,
        trades: result.trades.map((t) => ({ entryTime: iso(t.entryTime), exitTime: iso(t.exitTime), side: t.side, size: t.size, entryPrice: round(t.entryPrice), exitPrice: round(t.exitPrice), pnl: round(t.pnl, 4), commission: round(t.commission, 4) })),
        equity: equityPoints(data.time, result.equity, sampling),
        equitySampling: sampling,
      })}\n`);
      return;
    }
    console.table({
      'Trades': m.trades, 'Final equity': m.finalEquity.toFixed(2), 'Return %': m.returnPct.toFixed(2), 'Buy & hold %': m.buyHoldReturnPct.toFixed(2),
      'CAGR %': m.cagrPct.toFixed(2), 'Annual return %': m.annualReturnPct.toFixed(2), 'Volatility %': m.volatilityPct.toFixed(2), 'Sharpe': m.sharpe.toFixed(3),
      'Sortino': m.sortino.toFixed(3), 'Calmar': m.calmar.toFixed(3), 'Max drawdown %': m.maxDrawdownPct.toFixed(2), 'Max drawdown days': m.maxDrawdownDays,
      'Win rate %': m.winRatePct.toFixed(2), 'Profit factor': m.profitFactor.toFixed(3), 'Expectancy %': m.expectancyPct.toFixed(3), 'SQN': m.sqn.toFixed(3),
      'Exposure %': m.exposurePct.toFixed(2),
    });
    process.stdout.write(equityLine(sampling));
  });

program
  .command('indicators')
  .description('indicator columns for an OHLCV CSV: one row per bar, empty until defined')
  .requiredOption('--data <file>', 'CSV with a header: date, Open, High, Low, Close[, Volume]')
  .option('--ind <spec>', 'indicator, e.g. sma:30, rsi:14, macd:12:26:9, bbands:20:2, atr:14, stoch:14:3:3 (repeatable)', collect, [])
  .option('--format <format>', 'csv | json', 'csv')
  .action((opts: { data: string; ind: string[]; format: string }) => {
    if (opts.format !== 'csv' && opts.format !== 'json') throw new Error(`--format must be csv or json (got "${opts.format}")`);
    if (opts.ind.length === 0) throw new Error('give at least one --ind, e.g. --ind sma:30');
    const data = readBarsCsv(opts.data);
    const columns: [string, Float64Array][] = opts.ind.flatMap((spec) => Object.entries(computeIndicator(spec, data)));
    const n = data.close.length;
    if (opts.format === 'json') {
      const rows = Array.from({ length: n }, (_, i) => Object.fromEntries([['time', iso(data.time[i]!)], ...columns.map(([k, v]) => [k, Number.isNaN(v[i]!) ? null : v[i]])]));
      process.stdout.write(`${JSON.stringify(rows)}\n`);
      return;
    }
    const lines = [['time', ...columns.map(([k]) => k)].join(',')];
    for (let i = 0; i < n; i++) lines.push([iso(data.time[i]!), ...columns.map(([, v]) => (Number.isNaN(v[i]!) ? '' : String(v[i])))].join(','));
    process.stdout.write(`${lines.join('\n')}\n`);
  });

const OBJECTIVES = ['sharpe', 'sortino', 'calmar', 'returnPct', 'cagrPct', 'profitFactor', 'sqn'];

program
  .command('optimize')
  .description('search strategy parameters on a worker pool (grid, or random with --samples)')
  .requiredOption('--data <file>', 'CSV with a header: date, Open, High, Low, Close[, Volume] (repeatable for pairs/rotation)', collect, [])
  .requiredOption('--strategy <name>', 'built-in strategy, e.g. sma-cross, pairs')
  .option('--param <name=spec>', 'values: start:end:step, a,b,c or one value (repeatable)', collect, [])
  .option('--workers <n>', 'worker threads (default: one per core)')
  .option('--samples <n>', 'random search: evaluate this many combinations')
  .option('--objective <metric>', OBJECTIVES.join(' | '), 'sharpe')
  .option('--cash <amount>', 'starting cash', '10000')
  .option('--commission <fraction>', 'commission as a fraction of notional, on entry and exit', '0')
  .option('--fill <model>', 'next-open | close', 'next-open')
  .option('--top <n>', 'rows to print', '10')
  .option('--json', 'print one JSON object')
  .action(async (opts: { data: string[]; strategy: string; param: string[]; workers?: string; samples?: string; objective: string; cash: string; commission: string; fill: string; top: string; json?: boolean }) => {
    if (!OBJECTIVES.includes(opts.objective)) throw new Error(`--objective must be one of ${OBJECTIVES.join(', ')}`);
    if (opts.fill !== 'next-open' && opts.fill !== 'close') throw new Error(`--fill must be next-open or close (got "${opts.fill}")`);
    const space = parseSpace(parseParams(opts.param));
    const first = Object.fromEntries(Object.entries(space).map(([k, v]) => [k, v[0]!]));
    let input: { data: BarArrays } | { instruments: Record<string, BarArrays> };
    if (isPortfolioStrategy(opts.strategy)) {
      const instruments = readInstruments(opts.data);
      createPortfolioStrategy(opts.strategy, first, Object.keys(instruments));
      input = { instruments };
    } else {
      createStrategy(opts.strategy, first);
      if (opts.data.length !== 1) throw new Error(`${opts.strategy} trades one instrument: give exactly one --data`);
      input = { data: readBarsCsv(opts.data[0]!) };
    }
    const started = performance.now();
    const result = await optimize({
      ...input, strategy: opts.strategy, space, objective: opts.objective as Objective,
      workers: opts.workers ? positiveNumber('workers', opts.workers, 1) : undefined,
      samples: opts.samples ? positiveNumber('samples', opts.samples, 1) : undefined,
      cash: positiveNumber('cash', opts.cash, Number.MIN_VALUE), commission: positiveNumber('commission', opts.commission), fill: opts.fill as FillModel,
      valid: validFor(opts.strategy),
      onProgress: opts.json ? undefined : (done, total) => process.stderr.write(`\r${done}/${total} backtests`),
    });
    const seconds = (performance.now() - started) / 1000;
    const rows = result.results.slice(0, positiveNumber('top', opts.top, 1)).map((r) => ({ ...r.params, [opts.objective]: round(r.metrics[opts.objective as Objective], 4), returnPct: round(r.metrics.returnPct, 2), maxDrawdownPct: round(r.metrics.maxDrawdownPct, 2), trades: r.metrics.trades }));
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ objective: opts.objective, evaluated: result.evaluated, seconds: round(seconds, 3), deflatedSharpe: round(result.deflatedSharpe, 4), warning: result.warning, best: rows[0] ?? null, results: result.results.map((r) => ({ params: r.params, [opts.objective]: round(r.metrics[opts.objective as Objective], 6), returnPct: round(r.metrics.returnPct, 4), trades: r.metrics.trades })) })}\n`);
      return;
    }
    process.stderr.write('\n');
    console.table(rows);
    process.stdout.write(`${result.evaluated} backtests in ${seconds.toFixed(2)} s; deflated Sharpe of the best: ${result.deflatedSharpe.toFixed(3)}\n`);
    if (result.warning) process.stdout.write(`Warning: ${result.warning}\n`);
  });

common(program.command('import').description('validate an OHLCV CSV and store its bars; report every rejected row with its reason'))
  .requiredOption('--data <file>', 'CSV: a date column first (or "time" in decimal years), then Open/High/Low/Close[/Volume] or close-only series')
  .requiredOption('--symbol <symbol>', 'instrument the bars belong to')
  .option('--timeframe <tf>', '1m | 5m | 1h | 1d', '1d')
  .option('--column <name>', 'for close-only files with several series (e.g. EuStockMarkets: DAX, SMI, CAC, FTSE)')
  .option('--session <kind>', 'trading calendar for gap reports: us-equity | fx-24x5 | cfd-23x5 | crypto-24x7')
  .action(async (opts: Common & { data: string; symbol: string; timeframe: string; column?: string; session?: string }) => {
    const tf = Timeframe.safeParse(opts.timeframe);
    if (!tf.success) throw new Error(`--timeframe must be one of 1m, 5m, 1h, 1d (got "${opts.timeframe}")`);
    const symbol = opts.symbol.trim().toUpperCase();
    if (!/^[A-Z0-9.^=_-]{1,32}$/.test(symbol)) throw new Error(`--symbol "${opts.symbol}" is not a symbol`);
    const session = opts.session === undefined ? undefined : SessionKind.safeParse(opts.session);
    if (session && !session.success) throw new Error(`--session must be one of ${SessionKind.options.join(', ')} (got "${opts.session}")`);
    const text = readCsvBytes(opts.data);
    const mapping = (header: string[]) => guessMapping(header, opts.column);
    const report = await withWritableStore(opts, 'import', (store) => importCsvBars(store, {
      symbol, timeframe: tf.data, session: session?.data, source: basename(opts.data), now: Date.now(), text, mapping,
    }));
    const { rejected, flagged, gaps } = report;
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return;
    }
    process.stdout.write(`Imported ${report.accepted} ${tf.data} bars of ${symbol} from ${opts.data}; ${rejected.length} row${rejected.length === 1 ? '' : 's'} rejected${rejected.length ? ' (kept in quarantine):' : '.'}\n`);
    for (const r of rejected.slice(0, 50)) process.stdout.write(`  row ${r.row}: ${r.reason}\n`);
    if (rejected.length > 50) process.stdout.write(`  … and ${rejected.length - 50} more (--json lists all)\n`);
    if (flagged.length) process.stdout.write(`${flagged.length} bar${flagged.length === 1 ? '' : 's'} stored but flagged, e.g. row ${flagged[0]!.row}: ${flagged[0]!.reason}\n`);
    for (const g of gaps.slice(0, 20)) process.stdout.write(`  gap: ${g.bars} bar${g.bars === 1 ? '' : 's'} missing from ${g.from} to ${g.to}\n`);
    if (report.restated) process.stdout.write(`${report.restated} stored bar(s) differed from this file and were replaced (recorded as a restatement)\n`);
  });

// Issue 18: the checks that need no running app (database, disk, backups); exit code 1 when one fails.
common(program.command('health').description('health of the data folder: database (read-only, quick_check), disk space, age of the last backup'))
  .action(async (opts: Common) => {
    const report = await folderHealthReport(opts.dataDir, systemClock);
    if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else {
      process.stdout.write(`${report.status}\n`);
      for (const [key, results] of Object.entries(report.checks)) {
        for (const r of results) process.stdout.write(`  ${r.status.padEnd(4)} ${key} ${r.observedValue ?? ''}${r.observedUnit && r.observedValue != null ? ` ${r.observedUnit}` : ''}${r.output ? ` (${r.output})` : ''}\n`);
      }
    }
    if (report.status === 'fail') process.exitCode = 1;
  });

// Backups and restore (issue 18): an online copy beside a running terminal; a restore only while none runs.
common(program.command('backup').description('an online, checked copy of the database (default: <data-dir>/backups/qc-manual-<time>.sqlite)')
  .option('--to <file>', 'where to write the copy'))
  .action(async (opts: Common & { to?: string }) => {
    if (process.env['QUANT_DB_URL']) throw new Error('backup copies the SQLite file of a data folder; back PostgreSQL up with pg_dump (docs/operations.md)');
    const dir = resolve(opts.dataDir);
    if (!existsSync(databaseFile(dir))) throw new Error(`No database yet at ${databaseFile(dir)}: start the terminal once.`);
    const backups = new BackupService({ dataDir: dir, db: fileBackup(dir), clock: systemClock, timers: realTimers, onFailure: () => undefined });
    const r = await backups.backup('manual', opts.to);
    if (opts.json) process.stdout.write(`${JSON.stringify({ file: r.file, bytes: r.bytes, integrity: r.integrity })}\n`);
    else process.stdout.write(`${r.file}: ${r.bytes} bytes, integrity ok\n`);
  });

common(program.command('restore').description('put a backup in place of the database (refused while a terminal runs on the folder); the current one is kept aside')
  .requiredOption('--from <file>', 'the backup to restore'))
  .action((opts: Common & { from: string }) => {
    if (process.env['QUANT_DB_URL']) throw new Error('restore replaces the SQLite file of a data folder; restore PostgreSQL with pg_restore (docs/operations.md)');
    const dir = resolve(opts.dataDir);
    mkdirSync(dir, { recursive: true });
    const lock = lockDataFolder(dir, { role: 'cli', detail: 'restore' });
    try {
      const r = restoreNow(dir, resolve(opts.from), Date.now());
      const out = { restored: resolve(opts.from), file: r.file, keptAside: r.keptAside ?? null };
      if (opts.json) process.stdout.write(`${JSON.stringify(out)}\n`);
      else process.stdout.write(`Restored ${out.restored} to ${out.file}${out.keptAside ? `; the previous database is kept as ${out.keptAside}` : ''}. The next start uses it.\n`);
    } finally {
      lock.release();
    }
  });

// The portfolio tracker (issue 13): the ledger's import, lots and gains.
const portfolio = program.command('portfolio').description('the investment ledger: imports, tax lots, realised gains');
addLedgerCommands(portfolio, common, withApp);
// Issue 13: analytics and portfolio performance (src-main/cli/performance.ts).
registerPerformanceCommands(program);
// Issue 16: universes for the screener (src-main/cli/universe.ts).
registerUniverseCommands(program, common, withApp);
// Issue 16: factor validation and the screener (src-main/cli/factors.ts).
registerFactorCommands(program, withApp);

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`quant-claude: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
