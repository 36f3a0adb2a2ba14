// Performance and analytics of the ledger's accounts: reads transactions through the LedgerSource port and daily
// closes and FX rates through a DailyPriceSource (the data layer: bar store, failover manager, imported CSVs), values
// them (domain/performance) and answers the analytics.* requests and the CLI's `portfolio performance`.
import type { IsoDate, LedgerAccount, Transaction } from '../../src-shared/domain/ledger';
import type { Bar } from '../../src-shared/domain/types';
import { compareWithBenchmark, type BenchmarkComparison } from '../domain/performance/benchmark';
import { dateOf, dayOf } from '../../src-shared/domain/dates';
import { exposure, type Exposure, type ProfileLookup } from '../domain/performance/exposure';
import { fxLookup, priceLookup, SeriesTable, type DatedClose } from '../domain/performance/lookups';
import { contributions, periodPerformance, periodRange, PERIODS, type Contribution, type PeriodId, type PeriodPerformance } from '../domain/performance/returns';
import { valuePortfolio, type SeriesSet, type Valuation } from '../domain/performance/valuation';
import type { Clock } from '../ports/clock';
import type { DailyPriceSource, LedgerSource } from '../ports/ledger-source';
import type { MarketData } from '../ports/market-data';
import type { Store } from '../ports/store';

export interface PerformanceQuery {
  /** One account, or every account (the total) when absent. */
  accountId?: string;
  /** Last day; today (the clock's UTC date) when absent. */
  to?: IsoDate;
}

export interface PeriodQuery extends PerformanceQuery {
  period: PeriodId;
  /** First day of a custom period. */
  from?: IsoDate;
}

export interface AccountPerformance extends PeriodPerformance {
  /** null: the total of every account, in the reporting currency. */
  accountId: string | null;
  currency: string;
}

export class PerformanceInputError extends Error {}

/** Closes from the first source that has any for the key (e.g. an imported prices file, then the bar store, then the market). */
export function firstPriceSource(sources: DailyPriceSource[]): DailyPriceSource {
  return {
    async closes(key, fromDay, toDay) {
      for (const s of sources) {
        const rows = await s.closes(key, fromDay, toDay);
        if (rows.length) return rows;
      }
      return [];
    },
  };
}

const DAY_S = 86_400;
/** FX pairs are stored and quoted without the slash (EURUSD); prices under their symbol. */
const instrumentOf = (key: string) => key.replace('/', '');

function barsToCloses(bars: Bar[]): { day: number; close: number }[] {
  // Daily bars are stamped at their session's start (UTC seconds); one close per calendar day, the last wins.
  const out: { day: number; close: number }[] = [];
  for (const b of bars) {
    const day = Math.floor(b.time / DAY_S);
    if (out.length && out[out.length - 1]!.day === day) out[out.length - 1]!.close = b.close;
    else out.push({ day, close: b.close });
  }
  return out;
}

/** Daily bars of the local bar store (downloads and imported CSVs), as stored (unadjusted). */
export function storePriceSource(store: Pick<Store, 'bars'>): DailyPriceSource {
  return {
    async closes(key, fromDay, toDay) {
      // A week before the first day: the close on or before it.
      return barsToCloses(await store.bars.range(instrumentOf(key), '1d', (fromDay - 7) * DAY_S, (toDay + 1) * DAY_S - 1));
    },
  };
}

/** Daily history through the market-data layer (the failover manager; the demo market offline) for instruments it knows. */
export function marketPriceSource(market: Pick<MarketData, 'instrument' | 'history'>, clock: Clock): DailyPriceSource {
  return {
    async closes(key, fromDay, toDay) {
      const symbol = instrumentOf(key);
      if (!market.instrument(symbol)) return [];
      const today = Math.floor(clock.now() / 86_400_000);
      const bars = await market.history(symbol, '1d', Math.min(20_000, Math.max(1, today - fromDay + 8)));
      return barsToCloses(bars).filter((c) => c.day <= toDay);
    },
  };
}

/** In-memory closes (a prices CSV). */
export function tablePriceSource(rows: DatedClose[]): DailyPriceSource {
  const table = new SeriesTable(rows);
  return {
    async closes(key, fromDay, toDay) {
      const s = table.get(key);
      if (!s) return [];
      const out: { day: number; close: number }[] = [];
      for (let i = 0; i < s.day.length; i++) {
        const d = s.day[i]!;
        if (d > toDay) break;
        if (d >= fromDay || i + 1 === s.day.length || s.day[i + 1]! > fromDay) out.push({ day: d, close: s.close[i]! });
      }
      return out;
    },
  };
}

/** A ledger held in memory (the CLI's --transactions file, tests). */
export function memoryLedger(accounts: LedgerAccount[], transactions: Transaction[]): LedgerSource {
  return {
    listAccounts: async () => accounts,
    listTransactions: async (opts) => transactions.filter((t) => (!opts?.accountId || t.accountId === opts.accountId) && (!opts?.to || t.date <= opts.to)),
  };
}

export interface PerformanceServiceDeps {
  ledger: LedgerSource;
  prices: DailyPriceSource;
  clock: Clock;
  /** Reporting currency of totals; default: the accounts' currency when they share one, else USD. */
  baseCurrency?: string;
  /** Sector, industry, asset class and country of these symbols (exposure); "Unknown" without. */
  profiles?: (symbols: readonly string[]) => Promise<ProfileLookup>;
  /** The benchmark when a request names none. */
  defaultBenchmark?: string;
}

interface Loaded {
  valuation: Valuation;
  accounts: LedgerAccount[];
  endDay: number;
  prices: DailyPriceSource;
}

export class PerformanceService {
  constructor(private readonly deps: PerformanceServiceDeps) {}

  private today(): IsoDate {
    return dateOf(Math.floor(this.deps.clock.now() / 86_400_000));
  }

  /** The valuation of one account or all, from the first transaction to `to`. */
  async value(q: PerformanceQuery = {}): Promise<Loaded> {
    const to = q.to ?? this.today();
    const endDay = dayOf(to);
    let accounts = await this.deps.ledger.listAccounts();
    if (q.accountId) {
      accounts = accounts.filter((a) => a.id === q.accountId);
      if (!accounts.length) throw new PerformanceInputError(`No account "${q.accountId}" in the ledger`);
    }
    const transactions = await this.deps.ledger.listTransactions({ accountId: q.accountId, to });
    const currencies = new Set(accounts.map((a) => a.baseCurrency));
    const base = this.deps.baseCurrency ?? (currencies.size === 1 ? [...currencies][0]! : 'USD');
    const first = transactions.reduce((m, t) => (t.date < m ? t.date : m), to);
    const fromDay = dayOf(first);
    // Every symbol traded and every currency pair a value has to cross: their closes over the whole span, once.
    const keys = new Set<string>();
    const acctCcy = new Map(accounts.map((a) => [a.id, a.baseCurrency]));
    for (const t of transactions) {
      const ccy = acctCcy.get(t.accountId);
      if (t.symbol && t.type !== 'DIVIDEND' && t.type !== 'TAX' && t.type !== 'FEE') keys.add(t.symbol);
      if (ccy && t.currency !== ccy) keys.add(`${t.currency}/${ccy}`).add(`${ccy}/${t.currency}`);
      if (ccy && t.toCurrency && t.toCurrency !== ccy) keys.add(`${t.toCurrency}/${ccy}`).add(`${ccy}/${t.toCurrency}`);
    }
    for (const c of currencies) if (c !== base) keys.add(`${c}/${base}`).add(`${base}/${c}`);
    const rows: DatedClose[] = [];
    await Promise.all([...keys].map(async (key) => {
      for (const c of await this.deps.prices.closes(key, fromDay, endDay)) rows.push({ key, day: c.day, close: c.close });
    }));
    const table = new SeriesTable(rows);
    const valuation = valuePortfolio({ accounts, transactions, baseCurrency: base, to: endDay, prices: priceLookup(table), fx: fxLookup(table) });
    return { valuation, accounts, endDay, prices: this.deps.prices };
  }

  private static seriesOf(v: Valuation, accountId: string | undefined): { series: SeriesSet; currency: string } {
    if (!accountId) return { series: v.total, currency: v.baseCurrency };
    const a = v.accounts.find((x) => x.id === accountId)!;
    return { series: a.own, currency: a.currency };
  }

  /** TWR, MWR, flows and values over one period: the total (in the reporting currency) and each account (in its own). */
  async summary(q: PeriodQuery): Promise<AccountPerformance[]> {
    const { valuation: v, endDay } = await this.value(q);
    const range = periodRange(v, q.period, endDay, q.from ? dayOf(q.from) : undefined);
    const rows: AccountPerformance[] = [];
    if (!q.accountId) rows.push({ accountId: null, currency: v.baseCurrency, ...periodPerformance(v, v.total, range) });
    for (const a of v.accounts) rows.push({ accountId: a.id, currency: a.currency, ...periodPerformance(v, a.own, range) });
    return rows;
  }

  /** Every standard period for one account or the total. */
  async returnsTable(q: PerformanceQuery): Promise<PeriodPerformance[]> {
    const { valuation: v, endDay } = await this.value(q);
    const { series } = PerformanceService.seriesOf(v, q.accountId);
    return PERIODS.map((p) => periodPerformance(v, series, periodRange(v, p, endDay)));
  }

  /** The NAV per day and the comparison with a benchmark (its daily closes from the price source). */
  async navAndBenchmark(q: PeriodQuery & { benchmark?: string }): Promise<{ currency: string; nav: { date: string; nav: number; flows: number }[]; benchmark: string | null; comparison: BenchmarkComparison | null }> {
    const { valuation: v, endDay, prices } = await this.value(q);
    const { series, currency } = PerformanceService.seriesOf(v, q.accountId);
    const range = periodRange(v, q.period, endDay, q.from ? dayOf(q.from) : undefined);
    const nav: { date: string; nav: number; flows: number }[] = [];
    for (let t = Math.max(0, range.startIndex); t <= range.endIndex; t++) nav.push({ date: dateOf(v.start + t), nav: series.nav[t]!, flows: series.flows[t]! });
    const symbol = q.benchmark ?? this.deps.defaultBenchmark ?? 'SPY';
    const closes = await prices.closes(symbol, v.start + Math.max(0, range.startIndex), v.start + range.endIndex);
    const comparison = closes.length
      ? compareWithBenchmark(series, v.start, range.startIndex, range.endIndex, { day: closes.map((c) => c.day), close: closes.map((c) => c.close) })
      : null;
    return { currency, nav, benchmark: comparison ? symbol : null, comparison };
  }

  /**
   * Contribution per holding (and cash) to the TWR over a period, in the reporting currency: the total's, or with
   * accountId that account's (its TWR in the reporting currency, which includes the currency effect).
   */
  async contribution(q: PeriodQuery): Promise<{ twr: number; rows: (Contribution & { twr: number | null; mwr: number | null })[] }> {
    const { valuation: v, endDay } = await this.value(q);
    const range = periodRange(v, q.period, endDay, q.from ? dayOf(q.from) : undefined);
    const series = q.accountId ? v.accounts[0]!.base : v.total;
    const rows = contributions(v, range.startIndex, range.endIndex, q.accountId).map((c) => {
      // The holding's own TWR (on the capital at work each day) and MWR, in the reporting currency.
      const h = c.symbol === null ? undefined : v.holdings.find((x) => x.accountId === c.accountId && x.symbol === c.symbol);
      const own = h ? periodPerformance(v, h.base, range) : undefined;
      return { ...c, twr: own ? own.twr : null, mwr: own ? own.mwr : null };
    });
    return { twr: periodPerformance(v, series, range).twr, rows };
  }

  /** Exposure and concentration at the last day. */
  async exposures(q: PerformanceQuery): Promise<Exposure & { currency: string }> {
    const { valuation: v, endDay } = await this.value({ to: q.to });
    const profiles = this.deps.profiles ? await this.deps.profiles([...new Set(v.holdings.map((h) => h.symbol))]) : () => undefined;
    const e = exposure(v, Math.min(endDay - v.start, v.days - 1), profiles, q.accountId ? new Set([q.accountId]) : undefined);
    return { ...e, currency: v.baseCurrency };
  }
}
