// The screener's and the factor lab's messages (issue 16). contract.ts registers them as `screener.*` methods.
// Fractions, not percents; dates are ISO days.
import { z } from 'zod';

const FactorName = z.string().trim().toLowerCase().regex(/^[a-z0-9_]{1,40}$/, 'not a factor name');
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const FactorWeightInput = z.object({ name: FactorName, weight: z.number().positive().max(1000).default(1) });

export const ScreenDefinition = z.object({
  universe: z.string().trim().min(1).max(80).default('demo'),
  factors: z.array(FactorWeightInput).min(1, 'Pick at least one factor').max(20),
  sectorNeutral: z.boolean().default(false),
  /** The filter language of domain/factors/filter.ts, e.g. "pe<20 and market_cap>1B". */
  filter: z.string().max(500).default(''),
  top: z.number().int().min(1).max(5000).optional(),
});
export type ScreenDefinition = z.output<typeof ScreenDefinition>;
export type ScreenDefinitionInput = z.input<typeof ScreenDefinition>;

export const ScreenRequest = ScreenDefinition.extend({ asOf: Day.optional(), sparkline: z.number().int().min(0).max(250).default(60) });

const FactorScore = z.object({ value: z.number().nullable(), z: z.number().nullable(), percentile: z.number().nullable() });

export const ScreenRow = z.object({
  symbol: z.string(),
  name: z.string(),
  sector: z.string().nullable(),
  composite: z.number().nullable(),
  rank: z.number().int(),
  percentile: z.number().nullable(),
  factors: z.record(z.string(), FactorScore),
  /** Factors the stock has no value for: left out of its composite (weights renormalised), never counted as 0. */
  missing: z.array(z.string()),
  price: z.number().nullable(),
  volume: z.number().nullable(),
  marketCap: z.number().nullable(),
  /** The last closes, oldest first. */
  spark: z.array(z.number()),
});
export type ScreenRow = z.infer<typeof ScreenRow>;

export const ScreenResult = z.object({
  asOf: Day,
  universe: z.object({ id: z.string(), name: z.string(), size: z.number().int() }),
  /** Stocks that passed the filter (before `top`). */
  matched: z.number().int(),
  rows: z.array(ScreenRow),
});
export type ScreenResult = z.infer<typeof ScreenResult>;

export const FactorInfo = z.object({
  name: z.string(), label: z.string(), group: z.string(), direction: z.union([z.literal(1), z.literal(-1)]), formula: z.string(),
  /** A factor of closes only (it takes lookback arguments); the others read point-in-time statements. */
  priceOnly: z.boolean(),
});
export type FactorInfo = z.infer<typeof FactorInfo>;

export const UniverseSummary = z.object({ id: z.string(), kind: z.string(), name: z.string(), asOf: z.string().nullable(), size: z.number().int() });

export const SavedScreen = z.object({ id: z.string(), name: z.string(), definition: ScreenDefinition, updatedAt: z.number() });
export type SavedScreen = z.infer<typeof SavedScreen>;

export const FactorLabRequest = z.object({
  universe: z.string().trim().min(1).max(80).default('demo'),
  /** Any factor by name; a price factor may take arguments, NAME[:ARGS] as in `cli factor-test --factor`. */
  factor: z.string().trim().min(1).max(60),
  periods: z.array(z.number().int().min(1).max(250)).min(1).max(5).default([1, 5, 10]),
  quantiles: z.number().int().min(2).max(10).default(5),
  bySector: z.boolean().default(false),
});

const PeriodStats = z.object({
  icMean: z.number().nullable(), icStd: z.number().nullable(), icir: z.number().nullable(),
  quantileMeanReturn: z.array(z.number().nullable()), quantileMeanReturnDemeaned: z.array(z.number().nullable()),
  topMinusBottom: z.number().nullable(), turnover: z.object({ top: z.number().nullable(), bottom: z.number().nullable() }),
  ic: z.array(z.object({ date: z.string(), ic: z.number() })),
});

export const FactorLabResult = z.object({
  factor: z.string(),
  rows: z.number().int(),
  dates: z.number().int(),
  periods: z.record(z.string(), PeriodStats),
  /** Top quantile minus bottom, 1-row returns compounded date by date (a long-short line, before costs). */
  cumulative: z.array(z.object({ date: z.string(), value: z.number() })),
});
export type FactorLabResult = z.infer<typeof FactorLabResult>;

export const FactorBacktestRequest = z.object({
  universe: z.string().trim().min(1).max(80).default('demo'),
  factor: z.string().trim().min(1).max(60),
  top: z.number().int().min(1).max(500).default(10),
  rebalance: z.number().int().min(1).max(260).default(21),
});

export const FactorBacktestResult = z.object({
  /** The backtest metrics of any backtest (domain/metrics; percents where the name says Pct). */
  metrics: z.record(z.string(), z.number().nullable()),
  equity: z.array(z.object({ date: z.string(), equity: z.number() })),
  trades: z.number().int(),
});
export type FactorBacktestResult = z.infer<typeof FactorBacktestResult>;

export const screenerMethods = {
  'screener.factors': { request: z.object({}).strict(), response: z.array(FactorInfo) },
  'screener.universes': { request: z.object({}).strict(), response: z.array(UniverseSummary) },
  'screener.run': { request: ScreenRequest, response: ScreenResult },
  /** The same screen as CSV text (every matched row, the factors' values and z-scores). */
  'screener.exportCsv': { request: ScreenRequest, response: z.object({ filename: z.string(), csv: z.string() }) },
  'screener.saved.list': { request: z.object({}).strict(), response: z.array(SavedScreen) },
  'screener.saved.save': { request: z.object({ id: z.string().max(64).optional(), name: z.string().trim().min(1).max(60), definition: ScreenDefinition }), response: SavedScreen },
  'screener.saved.delete': { request: z.object({ id: z.string().min(1).max(64) }), response: z.object({ ok: z.literal(true) }) },
  'screener.factorLab': { request: FactorLabRequest, response: FactorLabResult },
  /** The top N by a factor (fundamentals point in time), rebalanced every R rows, on the portfolio engine (the rotation strategy). */
  'screener.factorBacktest': { request: FactorBacktestRequest, response: FactorBacktestResult },
} as const;
