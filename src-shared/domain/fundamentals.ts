// Stock analysis (issue 16): universes and point-in-time statements, the shapes shared by the data layer that stores
// them and the factor engine that ranks them. Dates are ISO calendar days (YYYY-MM-DD, exchange-local).
import { z } from 'zod';

/** The 11 GICS sectors, as S&P names them. */
export const GICS_SECTORS = [
  'Communication Services', 'Consumer Discretionary', 'Consumer Staples', 'Energy', 'Financials', 'Health Care',
  'Industrials', 'Information Technology', 'Materials', 'Real Estate', 'Utilities',
] as const;
export type GicsSector = (typeof GICS_SECTORS)[number];

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const UniverseMember = z.object({
  symbol: z.string().min(1).max(32),
  name: z.string().max(200),
  /** A GICS sector where known; other classifications pass through as given. */
  sector: z.string().max(80).nullable(),
  industry: z.string().max(120).nullable(),
});
export type UniverseMember = z.infer<typeof UniverseMember>;

export const UniverseKind = z.enum(['sp500', 'russell2000', 'demo', 'custom', 'watchlist']);
export type UniverseKind = z.infer<typeof UniverseKind>;

/** A list of stocks to screen: shipped (S&P 500), imported (an ETF's holdings), the demo market's, custom or a watchlist. */
export const Universe = z.object({
  id: z.string().min(1).max(80),
  kind: UniverseKind,
  name: z.string().max(120),
  /** When the constituents were true (the shipped file's or the import's date); null for custom lists and watchlists. */
  asOf: Day.nullable(),
  /** Where the list came from, in words (a file, an issuer's holdings CSV, "demo market"). */
  source: z.string().max(300),
  members: z.array(UniverseMember),
});
export type Universe = z.infer<typeof Universe>;

const Amount = z.number().nullable();
/**
 * One reported period's statement figures as published: true at `periodEnd`, known from `reportDate` on (the filing
 * or earnings release). A factor evaluated on a date only sees statements whose reportDate is on or before it.
 * Amounts are in `currency` units (not thousands); per-share figures per share.
 */
export const StatementRecord = z.object({
  symbol: z.string().min(1).max(32),
  period: z.enum(['quarter', 'annual']),
  periodEnd: Day,
  reportDate: Day,
  currency: z.string().length(3).nullable(),
  revenue: Amount,
  grossProfit: Amount,
  ebitda: Amount,
  netIncome: Amount,
  /** Diluted EPS for the period. */
  eps: Amount,
  totalEquity: Amount,
  totalDebt: Amount,
  cash: Amount,
  sharesOutstanding: Amount,
  /** yahoo, alphavantage, demo, import. */
  source: z.string().max(40),
  /**
   * True when the source gives no report date and `reportDate` is an estimate (Yahoo's time series: period end + 45
   * days for a quarter, + 90 for a year). Absent: the date as published.
   */
  estimatedReportDate: z.boolean().optional(),
});
export type StatementRecord = z.infer<typeof StatementRecord>;
