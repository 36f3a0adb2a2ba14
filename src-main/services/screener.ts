// The screener and the factor lab (issue 16) over the stock data ports: a universe's factor values on a date (cached
// per universe and date), ranked by a weighted composite after filters; CSV export; saved screens; the factor lab
// (validation of a factor over the universe's history, fundamentals point in time) and a top-N factor backtest on the
// portfolio engine.
import { randomUUID } from 'node:crypto';
import type { DailyClose, DailyPrices, PointInTimeFundamentals, UniverseSource } from '../ports/fundamentals';
import type { StatementRecord, Universe } from '../../src-shared/domain/fundamentals';
import type { Clock } from '../ports/clock';
import type { ScreenStore } from '../ports/screen-store';
import { FACTORS, factorByName, factorValue, marketCap, parseFactorSpec, type FactorDef, type FactorInput } from '../domain/factors/definitions';
import { fundamentalSeries } from '../domain/factors/point-in-time-series';
import { scoreCrossSection, type CrossSectionInput } from '../domain/factors/cross-section';
import { parseFilter, passes, FilterError } from '../domain/factors/filter';
import { percentiles } from '../domain/factors/stats';
import { factorTest } from '../domain/factors/validation';
import { rankedRotation } from '../domain/strategies/rotation';
import { runPortfolioBacktest } from '../domain/backtest/portfolio-engine';
import { computeMetrics, type Metrics } from '../domain/metrics/metrics';
import { percentOfNotional } from '../domain/backtest/commission';
import type { BarArrays } from '../domain/backtest/types';
import { ScreenDefinition, type FactorInfo, type FactorLabResult, type SavedScreen, type ScreenResult, type ScreenRow } from '../../src-shared/api/screener';
import { addDays } from '../../src-shared/domain/dates';

/** The stock data of issue 16: universes, point-in-time statements, daily closes (src-main/composition/stock-data*.ts). */
export interface StockData {
  universes: UniverseSource;
  fundamentals: PointInTimeFundamentals;
  prices: DailyPrices;
}

/** A request the user can fix (unknown factor, bad filter, empty universe). */
export class ScreenerInputError extends Error {}

export interface ScreenOptions {
  /** A universe id of the data, or a universe given whole (a CSV of symbols). */
  universe: string | Universe;
  factors: readonly { name: string; weight: number }[];
  sectorNeutral?: boolean;
  filter?: string;
  top?: number;
  asOf?: string;
  /** How many last closes each row carries for a sparkline (0: none). */
  sparkline?: number;
}

interface Stock {
  symbol: string;
  name: string;
  sector: string | null;
  closes: DailyClose[];
  input: FactorInput;
  values: Record<string, number | null>;
  fields: { price: number | null; volume: number | null; avg_volume: number | null; market_cap: number | null };
}

interface Snapshot {
  asOf: string;
  universe: Universe;
  stocks: Stock[];
  /** Per factor, the universe percentile of each stock's direction-adjusted raw value (built on first use). */
  pct: Map<string, Map<string, number>>;
}

/** Calendar days of closes loaded before the date: ≥ 253 trading rows for 12-1 momentum and a year of volatility. */
const HISTORY_DAYS = 550;

export class ScreenerService {
  private readonly snapshots = new Map<string, Promise<Snapshot>>();

  constructor(private readonly o: { data: StockData; clock: Clock; screens?: ScreenStore; newId?: () => string }) {}

  factors(): FactorInfo[] {
    return FACTORS.map((f) => ({ name: f.name, label: f.label, group: f.group, direction: f.direction, formula: f.formula, priceOnly: f.kind === 'price' }));
  }

  universes() {
    return this.o.data.universes.list();
  }

  /** Factor values of every member on `asOf` (default: the newest close of the universe), cached. */
  snapshot(universe: string | Universe, asOf?: string): Promise<Snapshot> {
    const key = `${typeof universe === 'string' ? universe : `${universe.id}:${universe.members.map((m) => m.symbol).join(',')}`}@${asOf ?? ''}`;
    let s = this.snapshots.get(key);
    if (!s) {
      s = this.load(universe, asOf);
      this.snapshots.set(key, s);
      s.catch(() => this.snapshots.delete(key));
    }
    return s;
  }

  private async load(u: string | Universe, asOfArg?: string): Promise<Snapshot> {
    const universe = typeof u === 'string' ? await this.o.data.universes.get(u) : u;
    if (universe.members.length === 0) throw new ScreenerInputError(`Universe ${universe.name} has no members`);
    const symbols = universe.members.map((m) => m.symbol);
    const today = new Date(this.o.clock.now()).toISOString().slice(0, 10);
    const to = asOfArg ?? today;
    const closes = await this.o.data.prices.dailyCloses(symbols, addDays(to, -HISTORY_DAYS), to);
    let asOf = asOfArg;
    if (!asOf) {
      // The newest close of any member: the screen is "as of" the data, not the wall clock.
      asOf = '';
      for (const rows of closes.values()) if (rows.length && rows[rows.length - 1]!.date > asOf) asOf = rows[rows.length - 1]!.date;
      if (!asOf) throw new ScreenerInputError(`No closes for any member of ${universe.name} up to ${to}`);
    }
    const statements = await this.o.data.fundamentals.statementsAsOf(symbols, asOf, 8);
    const stocks = universe.members.map((m): Stock => {
      const rows = (closes.get(m.symbol) ?? []).filter((r) => r.date <= asOf);
      const input: FactorInput = { closes: Float64Array.from(rows, (r) => r.close), statements: statements.get(m.symbol) ?? [] };
      const values: Record<string, number | null> = {};
      for (const f of FACTORS) values[f.name] = factorValue(f, input);
      const last = rows[rows.length - 1];
      const recent = rows.slice(-20);
      return {
        symbol: m.symbol, name: m.name, sector: m.sector, closes: rows, input, values,
        fields: {
          price: last?.close ?? null,
          volume: last?.volume ?? null,
          avg_volume: recent.length ? recent.reduce((a, r) => a + r.volume, 0) / recent.length : null,
          market_cap: marketCap(input),
        },
      };
    });
    return { asOf, universe, stocks, pct: new Map() };
  }

  /** Ranks a universe: z-scores over the whole universe, then the filter, then rank among the stocks that passed. */
  async screen(opts: ScreenOptions): Promise<ScreenResult> {
    const snap = await this.snapshot(opts.universe, opts.asOf);
    return this.rank(snap, opts);
  }

  /** The ranking on a loaded snapshot (the part `screen_ms` measures). */
  rank(snap: Snapshot, opts: ScreenOptions): ScreenResult {
    const weights = opts.factors.map(({ name, weight }) => {
      const f = this.factor(name);
      return { name: f.name, weight, direction: f.direction };
    });
    if (weights.length === 0) throw new ScreenerInputError('Pick at least one factor');
    let conditions;
    try {
      conditions = parseFilter(opts.filter ?? '');
    } catch (err) {
      if (err instanceof FilterError) throw new ScreenerInputError(`Filter: ${err.message}`);
      throw err;
    }
    const inputs: CrossSectionInput[] = snap.stocks.map((s) => ({ symbol: s.symbol, sector: s.sector, values: s.values }));
    const scored = scoreCrossSection(inputs, weights, { sectorNeutral: opts.sectorNeutral });
    const bySymbol = new Map(snap.stocks.map((s) => [s.symbol, s]));
    const kept = scored.filter((r) => {
      const s = bySymbol.get(r.symbol)!;
      return passes(conditions, (field) => {
        if (field === 'sector') return s.sector;
        if (field in s.fields) return s.fields[field as keyof Stock['fields']];
        if (field.endsWith('.pct')) return this.percentile(snap, field.slice(0, -4)).get(s.symbol) ?? null;
        return s.values[field] ?? null;
      });
    });
    const spark = opts.sparkline ?? 60;
    const limited = opts.top === undefined ? kept : kept.slice(0, opts.top);
    const rows: ScreenRow[] = limited.map((r, i) => {
      const s = bySymbol.get(r.symbol)!;
      return {
        symbol: r.symbol, name: s.name, sector: r.sector, composite: r.composite,
        // Among the stocks that passed; unranked ones (no factor at all) keep their place at the end.
        rank: i + 1, percentile: r.percentile, factors: r.factors, missing: r.missing,
        price: s.fields.price, volume: s.fields.volume, marketCap: s.fields.market_cap,
        spark: spark > 0 ? s.closes.slice(-spark).map((c) => c.close) : [],
      };
    });
    return { asOf: snap.asOf, universe: { id: snap.universe.id, name: snap.universe.name, size: snap.universe.members.length }, matched: kept.length, rows };
  }

  async exportCsv(opts: ScreenOptions): Promise<{ filename: string; csv: string }> {
    const r = await this.screen({ ...opts, top: undefined, sparkline: 0 });
    const names = opts.factors.map((f) => this.factor(f.name).name);
    const cell = (v: string | number | null) => (v === null ? '' : typeof v === 'number' ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const header = ['rank', 'symbol', 'name', 'sector', 'composite', 'percentile', 'price', 'market_cap', ...names.flatMap((n) => [n, `${n}_z`]), 'missing'];
    const lines = r.rows.map((row) => [row.rank, row.symbol, row.name, row.sector, row.composite, row.percentile, row.price, row.marketCap,
      ...names.flatMap((n) => [row.factors[n]!.value, row.factors[n]!.z]), row.missing.join(' ')].map(cell).join(','));
    return { filename: `screen-${r.universe.id}-${r.asOf}.csv`, csv: `${header.join(',')}\n${lines.join('\n')}\n` };
  }

  private factor(name: string): FactorDef {
    const f = factorByName(name);
    if (!f) throw new ScreenerInputError(`Unknown factor "${name}" (known: ${FACTORS.map((x) => x.name).join(', ')})`);
    return f;
  }

  private percentile(snap: Snapshot, name: string): Map<string, number> {
    let m = snap.pct.get(name);
    if (!m) {
      const f = this.factor(name);
      const have = snap.stocks.filter((s) => s.values[f.name] !== null);
      const p = percentiles(have.map((s) => f.direction * s.values[f.name]!));
      m = new Map(have.map((s, i) => [s.symbol, p[i]!]));
      snap.pct.set(name, m);
    }
    return m;
  }

  // Saved screens.
  private store(): ScreenStore {
    if (!this.o.screens) throw new Error('Saved screens need a data folder');
    return this.o.screens;
  }

  async savedScreens(): Promise<SavedScreen[]> {
    const rows = await this.store().list();
    return rows.flatMap((r) => {
      const d = ScreenDefinition.safeParse(r.definition);
      return d.success ? [{ id: r.id, name: r.name, definition: d.data, updatedAt: r.updatedAt }] : [];
    });
  }

  async saveScreen(s: { id?: string; name: string; definition: ScreenDefinition }): Promise<SavedScreen> {
    const now = this.o.clock.now();
    const id = s.id ?? (this.o.newId ?? randomUUID)();
    const existing = (await this.store().list()).find((r) => r.id === id);
    await this.store().upsert({ id, name: s.name, definition: s.definition, createdAt: existing?.createdAt ?? now, updatedAt: now });
    return { id, name: s.name, definition: s.definition, updatedAt: now };
  }

  deleteScreen(id: string): Promise<boolean> {
    return this.store().delete(id);
  }

  /**
   * The factor on every date of every member's closes over the universe's history (oldest first per symbol). A
   * fundamental factor sees on each date what the screener would (the statements reported by then, point in time).
   */
  private async factorHistory(universe: string | Universe, factorSpec: string, years: number) {
    let spec;
    try {
      spec = parseFactorSpec(factorSpec);
    } catch (err) {
      throw new ScreenerInputError((err as Error).message);
    }
    const snap = await this.snapshot(universe);
    const u = snap.universe;
    const symbols = u.members.map((m) => m.symbol);
    const closes = await this.o.data.prices.dailyCloses(symbols, addDays(snap.asOf, -Math.round(365.25 * years)), snap.asOf);
    const versions = new Map<string, StatementRecord[]>();
    if (spec.factor.kind === 'fundamental') {
      for (const r of await this.o.data.fundamentals.versionsReportedBy(symbols, snap.asOf)) {
        let list = versions.get(r.symbol);
        if (!list) versions.set(r.symbol, (list = []));
        list.push(r);
      }
    }
    const { factor, args } = spec;
    const series = u.members.flatMap((m) => {
      const rows = closes.get(m.symbol);
      if (!rows?.length) return [];
      const c = Float64Array.from(rows, (r) => r.close);
      const dates = rows.map((r) => r.date);
      const values = factor.kind === 'price' ? factor.series(c, args) : fundamentalSeries(factor, m.symbol, dates, c, versions.get(m.symbol) ?? []);
      return [{ symbol: m.symbol, sector: m.sector, rows, dates, closes: c, factor: values }];
    });
    return { factor, label: args.length ? `${factor.name}(${args.join(',')})` : factor.name, series };
  }

  /** Does a factor work on this universe? IC, quantile returns, turnover (alphalens' conventions) and a long-short line. */
  async factorLab(req: { universe: string | Universe; factor: string; periods: number[]; quantiles: number; bySector: boolean; years?: number }): Promise<FactorLabResult> {
    const { label, series } = await this.factorHistory(req.universe, req.factor, req.years ?? 10);
    const run = (periods: number[]) => {
      try {
        return factorTest(series, { periods, quantiles: req.quantiles, bySector: req.bySector });
      } catch (err) {
        throw new ScreenerInputError((err as Error).message);
      }
    };
    const r = run(req.periods);
    // The long-short line compounds 1-row spreads (a k-row spread overlaps its neighbours).
    const daily = req.periods.includes(1) ? r.periods['1']! : run([1]).periods['1']!;
    let acc = 1;
    const cumulative = daily.spread.map((s) => ({ date: s.date, value: (acc *= 1 + s.value) - 1 }));
    const periods = Object.fromEntries(Object.entries(r.periods).map(([k, p]) => [k, {
      icMean: p.icMean, icStd: p.icStd, icir: p.icir, quantileMeanReturn: p.quantileMeanReturn, quantileMeanReturnDemeaned: p.quantileMeanReturnDemeaned,
      topMinusBottom: p.topMinusBottom, turnover: p.turnover, ic: p.ic,
    }]));
    return { factor: label, rows: r.rows, dates: r.dates, periods, cumulative };
  }

  /**
   * A top-N portfolio on the factor (the rotation strategy with the factor as its ranking, direction applied), on the
   * portfolio engine with the same metrics as any backtest. Daily closes only: orders fill at the next close.
   */
  async factorBacktest(req: { universe: string | Universe; factor: string; top: number; rebalance: number; cash?: number; commission?: number; years?: number }): Promise<{ metrics: Metrics; equity: { date: string; equity: number }[]; trades: number }> {
    const { factor, series } = await this.factorHistory(req.universe, req.factor, req.years ?? 10);
    const data: Record<string, BarArrays> = {};
    const scores = new Map<string, Float64Array>();
    for (const s of series) {
      const c = s.closes;
      data[s.symbol] = { time: Float64Array.from(s.rows, (r) => Date.parse(`${r.date}T00:00:00Z`) / 1000), open: c, high: c, low: c, close: c, volume: Float64Array.from(s.rows, (r) => r.volume) };
      scores.set(s.symbol, s.factor);
    }
    if (Object.keys(data).length < 2) throw new ScreenerInputError('A factor backtest needs at least 2 symbols with closes');
    const strategy = rankedRotation({ top: req.top, rebalance: req.rebalance }, (ctx, s) => (ctx.has(s) ? factor.direction * scores.get(s)![ctx.count(s) - 1]! : NaN));
    const cash = req.cash ?? 100_000;
    const result = runPortfolioBacktest(data, strategy, { cash, instruments: Object.fromEntries(Object.keys(data).map((s) => [s, { commission: percentOfNotional(req.commission ?? 0.0005) }])) });
    const metrics = computeMetrics({ time: result.time, equity: result.equity, close: [], trades: result.trades, inMarket: result.inMarket, initialCash: cash });
    return { metrics, equity: Array.from(result.time, (t, i) => ({ date: new Date(t * 1000).toISOString().slice(0, 10), equity: result.equity[i]! })), trades: result.trades.length };
  }
}
