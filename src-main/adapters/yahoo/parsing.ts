// Yahoo's chart, quote, quoteSummary and fundamentals-timeseries results (as yahoo-finance2 returns them) → our bars,
// quotes, fundamentals, actions and statements.
import type { StatementRecord } from '../../../src-shared/domain/fundamentals';
import type { ChartResultArray } from 'yahoo-finance2/modules/chart';
import type { Quote as YahooQuote } from 'yahoo-finance2/modules/quote';
import type { QuoteSummaryResult } from 'yahoo-finance2/modules/quoteSummary';
import type { Bar, Quote, Timeframe } from '../../../src-shared/domain/types';
import type { CorporateAction, FundamentalField, Fundamentals } from '../../ports/data-provider';
import type { InstrumentProfile } from '../../../src-shared/domain/profile';

const DAY = 86400;

/**
 * Yahoo stamps a daily bar with the session's open (14:30 UTC for New York); ours is the exchange-local date at 00:00
 * UTC, so shift by the exchange's UTC offset before flooring to the day.
 */
export function dailyTime(t: number, gmtoffset: number): number {
  return Math.floor((t + gmtoffset) / DAY) * DAY;
}

/** A split as Yahoo dates it (UTC seconds of the ex-date's session open) with new shares per old share. */
export interface YahooSplit {
  time: number;
  ratio: number;
}

export function chartSplits(chart: ChartResultArray): YahooSplit[] {
  return (chart.events?.splits ?? [])
    .filter((s) => s.numerator > 0 && s.denominator > 0)
    .map((s) => ({ time: Math.floor(s.date.getTime() / 1000), ratio: s.numerator / s.denominator }));
}

/** Twelve significant digits: undoes the float noise of multiplying by a split ratio (123.45 × 10 ≠ 1234.5 exactly). */
const clean = (x: number) => Number(x.toPrecision(12));

/**
 * Yahoo's chart OHLCV is split-adjusted (adjclose also for dividends). Raw prices (the default) multiply bars before
 * each later split back by its ratio, dividing volume; adjusted prices scale by adjclose / close.
 * `splits` must cover every split from the first bar to today, not only the bars' window.
 */
export function chartToBars(chart: ChartResultArray, timeframe: Timeframe, adjusted: boolean, splits: readonly YahooSplit[] = []): Bar[] {
  const offset = chart.meta.gmtoffset ?? 0;
  const bars: Bar[] = [];
  for (const q of chart.quotes) {
    const { open, high, low, close } = q;
    // Yahoo leaves holes as nulls (halts, thin minutes): no bar, not a zero bar.
    if (open == null || high == null || low == null || close == null) continue;
    if (![open, high, low, close].every((x) => Number.isFinite(x) && x > 0)) continue;
    const t = Math.floor(q.date.getTime() / 1000);
    let factor = 1;
    if (adjusted) factor = q.adjclose != null && q.adjclose > 0 ? q.adjclose / close : 1;
    else for (const s of splits) if (t < s.time) factor *= s.ratio;
    const volume = q.volume != null && q.volume >= 0 ? q.volume : 0;
    bars.push({
      time: timeframe === '1d' ? dailyTime(t, offset) : t,
      open: clean(open * factor), high: clean(high * factor), low: clean(low * factor), close: clean(close * factor),
      volume: adjusted || factor === 1 ? volume : Math.round(volume / factor),
    });
  }
  return bars;
}

export function chartToActions(chart: ChartResultArray, symbol: string): CorporateAction[] {
  const offset = chart.meta.gmtoffset ?? 0;
  const toTime = (d: Date) => dailyTime(Math.floor(d.getTime() / 1000), offset);
  const actions: CorporateAction[] = [];
  for (const s of chart.events?.splits ?? []) {
    if (s.numerator > 0 && s.denominator > 0) actions.push({ kind: 'split', symbol, time: toTime(s.date), ratio: s.numerator / s.denominator });
  }
  for (const d of chart.events?.dividends ?? []) {
    if (Number.isFinite(d.amount) && d.amount > 0) actions.push({ kind: 'dividend', symbol, time: toTime(d.date), amount: d.amount });
  }
  return actions.sort((a, b) => a.time - b.time || a.kind.localeCompare(b.kind));
}

export function toQuote(q: YahooQuote, symbol: string, fetchedAt: number): Quote | undefined {
  const last = q.regularMarketPrice;
  if (last === undefined || !Number.isFinite(last) || last <= 0) return undefined;
  // Outside hours Yahoo reports bid/ask as 0: fall back to the last price rather than show a zero quote.
  const bid = q.bid !== undefined && q.bid > 0 ? q.bid : last;
  const ask = q.ask !== undefined && q.ask > 0 ? q.ask : last;
  return { symbol, time: q.regularMarketTime?.getTime() ?? fetchedAt, bid, ask, last, lastSize: 0, source: 'yahoo' };
}

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

export function toFundamentals(r: QuoteSummaryResult, symbol: string, fetchedAt: number): Fundamentals {
  const sd = r.summaryDetail;
  const ks = r.defaultKeyStatistics;
  const fd = r.financialData;
  const price = r.price;
  const priceTime = price?.regularMarketTime?.getTime() ?? fetchedAt;
  // TTM statement figures are as of the latest reported quarter; fall back to the fiscal year end.
  const periodEnd = ks?.mostRecentQuarter?.getTime() ?? ks?.lastFiscalYearEnd?.getTime() ?? null;
  const figures: Record<FundamentalField, number | null> = {
    marketCap: num(sd?.marketCap ?? price?.marketCap),
    pe: num(sd?.trailingPE),
    forwardPe: num(sd?.forwardPE),
    eps: num(ks?.trailingEps),
    revenue: num(fd?.totalRevenue),
    pb: num(ks?.priceToBook),
    evEbitda: num(ks?.enterpriseToEbitda),
    roe: num(fd?.returnOnEquity),
    // Yahoo gives debt/equity in percent (152.4 = 1.524×).
    debtToEquity: num(fd?.debtToEquity) === null ? null : fd!.debtToEquity! / 100,
    revenueGrowth: num(fd?.revenueGrowth),
    earningsGrowth: num(fd?.earningsGrowth),
    dividendYield: num(sd?.dividendYield),
  };
  const priceBased: FundamentalField[] = ['marketCap', 'pe', 'forwardPe', 'pb', 'evEbitda', 'dividendYield'];
  const asOfs: Partial<Record<FundamentalField, number>> = {};
  for (const [field, value] of Object.entries(figures) as [FundamentalField, number | null][]) {
    if (value === null) continue;
    const at = priceBased.includes(field) ? priceTime : periodEnd;
    if (at !== null) asOfs[field] = at;
  }
  const times = Object.values(asOfs);
  return {
    symbol, source: 'yahoo', asOf: times.length ? Math.min(...times) : priceTime, fetchedAt,
    currency: fd?.financialCurrency ?? sd?.currency ?? price?.currency ?? null,
    ...figures,
    asOfs,
  };
}

/** Yahoo's quoteType → the asset class shown in exposure. */
const YAHOO_ASSET_CLASS: Record<string, string> = {
  EQUITY: 'Equity', ETF: 'ETF', MUTUALFUND: 'Fund', INDEX: 'Index', CURRENCY: 'FX', CRYPTOCURRENCY: 'Crypto', FUTURE: 'Future', OPTION: 'Option',
};

/** quoteSummary's assetProfile (or summaryProfile) and price modules → a profile; fields Yahoo leaves out stay out. */
export function toProfile(r: QuoteSummaryResult): InstrumentProfile {
  const a = r.assetProfile ?? r.summaryProfile;
  const text = (x: unknown) => (typeof x === 'string' && x.trim() ? x.trim() : undefined);
  const type = text(r.price?.quoteType)?.toUpperCase();
  const out: InstrumentProfile = {};
  const sector = text(a?.sectorDisp) ?? text(a?.sector);
  const industry = text(a?.industryDisp) ?? text(a?.industry);
  const country = text(a?.country);
  const assetClass = type ? (YAHOO_ASSET_CLASS[type] ?? type) : undefined;
  if (sector) out.sector = sector;
  if (industry) out.industry = industry;
  if (country) out.country = country;
  if (assetClass) out.assetClass = assetClass;
  return out;
}

/** One row of yahoo-finance2's fundamentalsTimeSeries answer (the fields we read; the rest pass by). */
export interface YahooTimeSeriesRow {
  date: Date | number;
  periodType?: string;
  totalRevenue?: number;
  grossProfit?: number;
  EBITDA?: number;
  netIncome?: number;
  dilutedEPS?: number;
  stockholdersEquity?: number;
  totalDebt?: number;
  cashAndCashEquivalents?: number;
  ordinarySharesNumber?: number;
}

const DAY_MS = 86_400_000;
/**
 * Yahoo's time series carries no report date: an estimate, flagged, of when the figures were public. US filers must
 * file a 10-Q within 40-45 days of the quarter end and a 10-K within 60-90 days of the year end; the later bound is
 * used so that a backtest never sees a figure before it was public.
 */
export const ESTIMATED_REPORT_LAG_DAYS = { quarter: 45, annual: 90 } as const;

/**
 * The rows of the financials and balance-sheet time series (one request each, same period kind) → one StatementRecord
 * per period end. Amounts as reported; a field Yahoo leaves out (or reports as 0, which yahoo-finance2 drops) is null.
 * The currency is not in yahoo-finance2's answer (it drops currencyCode), so it is null: the financial currency is
 * not always the quote's.
 */
export function timeSeriesToStatements(rows: readonly YahooTimeSeriesRow[], symbol: string, period: 'quarter' | 'annual'): StatementRecord[] {
  const byEnd = new Map<string, YahooTimeSeriesRow>();
  for (const r of rows) {
    const ms = r.date instanceof Date ? r.date.getTime() : r.date * (r.date < 1e11 ? 1000 : 1);
    if (!Number.isFinite(ms)) continue;
    const end = new Date(ms).toISOString().slice(0, 10);
    byEnd.set(end, { ...byEnd.get(end), ...r });
  }
  const num = (v: number | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const out: StatementRecord[] = [];
  for (const [periodEnd, r] of [...byEnd].sort(([a], [b]) => a.localeCompare(b))) {
    const record: StatementRecord = {
      symbol, period, periodEnd, reportDate: new Date(Date.parse(`${periodEnd}T00:00:00Z`) + ESTIMATED_REPORT_LAG_DAYS[period] * DAY_MS).toISOString().slice(0, 10),
      currency: null, revenue: num(r.totalRevenue), grossProfit: num(r.grossProfit), ebitda: num(r.EBITDA), netIncome: num(r.netIncome),
      eps: num(r.dilutedEPS), totalEquity: num(r.stockholdersEquity), totalDebt: num(r.totalDebt), cash: num(r.cashAndCashEquivalents),
      sharesOutstanding: num(r.ordinarySharesNumber), source: 'yahoo', estimatedReportDate: true,
    };
    if ([record.revenue, record.netIncome, record.eps, record.totalEquity].some((v) => v !== null)) out.push(record);
  }
  return out;
}
