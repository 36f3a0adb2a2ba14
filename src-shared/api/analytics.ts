// Schemas of the analytics.* requests (issue 13: performance, benchmark, contribution, exposure). Returns are fractions
// (0.05 = 5 %); values are numbers in the currency named beside them; a figure that does not exist is null.
import { z } from 'zod';
import { IsoDate } from '../domain/ledger';

export const AnalyticsPeriod = z.enum(['1D', 'MTD', 'YTD', '1Y', '3Y', 'inception', 'custom']);
export type AnalyticsPeriod = z.infer<typeof AnalyticsPeriod>;

const AccountScope = { accountId: z.string().min(1).max(64).optional(), to: IsoDate.optional() };
export const AnalyticsScope = z.object(AccountScope).strict();
export const AnalyticsPeriodRequest = z.object({ ...AccountScope, period: AnalyticsPeriod.default('inception'), from: IsoDate.optional() })
  .strict()
  .refine((r) => r.period !== 'custom' || r.from !== undefined, { message: 'a custom period needs its first day', path: ['from'] });

const n = z.number();
const nn = z.number().nullable();

export const PeriodPerformance = z.object({
  period: AnalyticsPeriod,
  from: IsoDate,
  to: IsoDate,
  /** False when the period reaches back before the first transaction (then measured from inception). */
  complete: z.boolean(),
  startValue: n,
  endValue: n,
  netFlows: n,
  gain: n,
  twr: n,
  /** Only over a year or more. */
  twrAnnual: nn,
  /** At constant FX (without currency effect). */
  twrLocal: nn,
  currencyEffect: nn,
  /** Annual IRR; null when there is none or it is not unique. */
  mwr: nn,
});
export type PeriodPerformance = z.infer<typeof PeriodPerformance>;

export const AccountPerformance = PeriodPerformance.extend({ accountId: z.string().nullable(), currency: z.string() });

export const BenchmarkStats = z.object({ beta: nn, alpha: nn, trackingError: nn, informationRatio: nn, upCapture: nn, downCapture: nn });

export const NavAndBenchmark = z.object({
  currency: z.string(),
  nav: z.array(z.object({ date: IsoDate, nav: n, flows: n })),
  /** The benchmark compared (null when no closes were found for it). */
  benchmark: z.string().nullable(),
  comparison: z.object({
    points: z.array(z.object({ date: IsoDate, portfolio: n, benchmark: nn, relative: nn })),
    portfolioReturn: n,
    benchmarkReturn: nn,
    stats: BenchmarkStats,
    observations: z.number().int(),
  }).nullable(),
});

export const ContributionTable = z.object({
  twr: n,
  /** One row per holding; the row with symbol null is cash (interest, fees, currency moves on cash). Rows add up to twr. */
  rows: z.array(z.object({
    accountId: z.string().nullable(), symbol: z.string().nullable(), contribution: n, gain: n,
    /** The holding's own TWR (on the capital at work each day) and annual MWR; null on the cash row. */
    twr: nn, mwr: nn,
  })),
});

const ExposureRow = z.object({ key: z.string(), value: n, weight: n });
export const Exposures = z.object({
  date: IsoDate,
  currency: z.string(),
  nav: n,
  symbols: z.array(z.string()),
  by: z.object({
    sector: z.array(ExposureRow), industry: z.array(ExposureRow), assetClass: z.array(ExposureRow),
    currency: z.array(ExposureRow), country: z.array(ExposureRow), account: z.array(ExposureRow),
  }),
  concentration: z.object({
    largest: z.array(z.object({ symbol: z.string(), value: n, weight: n })),
    hhi: nn,
    effectiveHoldings: nn,
  }),
});

const ProfileSymbol = z.string().trim().toUpperCase().regex(/^[A-Z0-9.^=_/-]{1,32}$/, 'a symbol');

/** Merged profiles of instruments (user edit > IB > Yahoo > demo); `refresh` waits for the data sources first. */
export const ProfilesRequest = z.object({ symbols: z.array(ProfileSymbol).max(500), refresh: z.boolean().optional() }).strict();

/** The user's profile of one instrument: the fields given override every source; empty ones fall back to them. */
export const ProfileEdit = z.object({
  symbol: ProfileSymbol,
  sector: z.string().max(80).optional(),
  industry: z.string().max(80).optional(),
  assetClass: z.string().max(80).optional(),
  country: z.string().max(80).optional(),
}).strict();
