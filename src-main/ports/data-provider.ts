// Data provider port: one source of market data (IB, Yahoo, Alpha Vantage, Polygon, the demo market, CSV files).
// The failover manager (services/market-data) composes several providers into the MarketData the app uses; every value
// a provider returns carries its source and time, so the UI can say where each price came from.
import type { Bar, Quote, Timeframe } from '../../src-shared/domain/types';
import type { Disposable } from './disposable';
import type { InstrumentProfile } from '../../src-shared/domain/profile';
import type { NewsItem } from '../../src-shared/domain/news';
import type { StatementRecord } from '../../src-shared/domain/fundamentals';

export type ProviderId = 'ib' | 'yahoo' | 'alphavantage' | 'polygon' | 'demo' | 'csv';

/** What a provider can be asked for; the failover manager keeps one priority list per kind. */
export type DataKind = 'bars' | 'quotes' | 'fundamentals' | 'search' | 'corporate-actions';

export interface HistoryRequest {
  symbol: string;
  timeframe: Timeframe;
  /** UTC seconds, inclusive. */
  from: number;
  /** UTC seconds, inclusive. */
  to: number;
  /** Split/dividend-adjusted prices; default raw (the store keeps raw prices plus adjustment factors). */
  adjusted?: boolean;
}

export type FundamentalField =
  | 'marketCap' | 'pe' | 'forwardPe' | 'eps' | 'revenue' | 'pb' | 'evEbitda' | 'roe' | 'debtToEquity' | 'revenueGrowth'
  | 'earningsGrowth' | 'dividendYield';

/**
 * Valuation and quality figures for the screener; null where the source has no value. Ratios are plain fractions
 * (ROE 0.25, dividend yield 0.0044, debt/equity 1.52 — Yahoo's percent-style debt/equity is divided by 100).
 */
export interface Fundamentals {
  symbol: string;
  source: ProviderId;
  /** When the figures were true (the latest reported period or quote), UTC ms. */
  asOf: number;
  /** When we fetched them, UTC ms. */
  fetchedAt: number;
  currency: string | null;
  marketCap: number | null;
  pe: number | null;
  forwardPe: number | null;
  eps: number | null;
  revenue: number | null;
  pb: number | null;
  evEbitda: number | null;
  roe: number | null;
  debtToEquity: number | null;
  revenueGrowth: number | null;
  earningsGrowth: number | null;
  dividendYield: number | null;
  /**
   * Per figure, when it was true (UTC ms): price-based ratios at the quote's time, statement figures (EPS, revenue,
   * ROE, growth) at the end of the reported period they come from. `asOf` is the oldest of these.
   */
  asOfs?: Partial<Record<FundamentalField, number>>;
}

/** A provider's request budget, for the failover manager to pace calls (several windows may apply at once). */
export interface RateLimit {
  requests: number;
  perMs: number;
}

export type CorporateAction =
  | { kind: 'split'; symbol: string; /** ex-date, UTC seconds */ time: number; /** new shares per old share (2 for a 2:1 split) */ ratio: number }
  | { kind: 'dividend'; symbol: string; time: number; /** cash per share as paid on the ex-date (not adjusted for later splits), in the instrument's currency */ amount: number };

export interface SymbolMatch {
  symbol: string;
  name: string;
  exchange: string;
  /** Yahoo's quoteType or the provider's equivalent: EQUITY, ETF, CURRENCY, FUTURE, INDEX, CRYPTOCURRENCY... */
  type: string;
  source: ProviderId;
}

/** A failure the failover manager understands: it decides whether to retry, back off or fail over. */
export class ProviderError extends Error {
  constructor(
    readonly provider: ProviderId,
    /**
     * rate-limited (HTTP 429, IB pacing, Alpha Vantage's 200-with-a-note), timeout, unavailable (down, 5xx,
     * disconnected, provider closed), bad-data (garbage, schema), not-found (unknown symbol, or a range the source does
     * not keep), auth (no key, a rejected key, or data the key's plan does not include).
     */
    readonly reason: 'rate-limited' | 'timeout' | 'unavailable' | 'bad-data' | 'not-found' | 'auth',
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

export interface DataProvider extends Disposable {
  readonly id: ProviderId;
  readonly capabilities: ReadonlySet<DataKind>;
  /** Published limits (Alpha Vantage free: 5/min and 25/day); absent or empty: none published. */
  readonly rateLimits?: readonly RateLimit[];
  /** Oldest first; times in UTC seconds (bar open). Throws ProviderError. */
  history(req: HistoryRequest, signal?: AbortSignal): Promise<Bar[]>;
  /** A snapshot quote (source and time set). Throws ProviderError. */
  quote(symbol: string, signal?: AbortSignal): Promise<Quote>;
  /** Streaming providers (IB, demo) push quotes; pollers (Yahoo...) leave this out and the manager polls `quote`. */
  subscribe?(symbols: string[], onQuote: (q: Quote) => void): Disposable;
  fundamentals?(symbol: string, signal?: AbortSignal): Promise<Fundamentals>;
  /**
   * Statement history (issue 16): quarterly and annual figures per period, each with its report date (estimated and
   * flagged where the source has none). Optional: Yahoo's time series has them; the failover manager asks the
   * fundamentals chain.
   */
  statements?(symbol: string, signal?: AbortSignal): Promise<StatementRecord[]>;
  search?(query: string, signal?: AbortSignal): Promise<SymbolMatch[]>;
  corporateActions?(symbol: string, from: number, to: number, signal?: AbortSignal): Promise<CorporateAction[]>;
  /** Sector, industry, asset class and country (exposure); fields the source does not know are left out. */
  profile?(symbol: string, signal?: AbortSignal): Promise<InstrumentProfile>;
  /** Recent headlines about the instrument, newest first, at most `count` (Yahoo's search news). */
  news?(symbol: string, count: number, signal?: AbortSignal): Promise<NewsItem[]>;
  /** A cheap probe for the periodic health check; resolves when the source answers sensibly. */
  healthCheck(signal?: AbortSignal): Promise<void>;
}
