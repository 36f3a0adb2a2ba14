// Macro data (issue 16 item 6): economic series from FRED as the Macro screen shows them. contract.ts registers these
// as `macro.*` methods.
import { z } from 'zod';

/** The series every new install shows: GDP, CPI, unemployment, fed funds, the 10-year Treasury yield. */
export const DEFAULT_MACRO_SERIES = ['GDP', 'CPIAUCSL', 'UNRATE', 'FEDFUNDS', 'DGS10'] as const;
export const MACRO_MAX_SERIES = 20;

/**
 * A FRED series id as FRED spells them: upper-case letters, digits and underscores (GDP, DGS10, BAMLH0A0HYM2,
 * T10Y2Y); FRED itself matches ids without regard to case, so the input is upper-cased first.
 */
export const MacroSeriesId = z.string().trim().toUpperCase().regex(/^[A-Z0-9_]{1,40}$/, 'A FRED series id is letters, digits and underscores (e.g. DGS10)');

export const MacroObservation = z.object({
  /** YYYY-MM-DD, the start of the period the value is for (FRED's convention: 2026-07-01 is Q3 for GDP). */
  date: z.string(),
  /** null where FRED has no value (its "."), e.g. a holiday in a daily series. */
  value: z.number().nullable(),
});
export type MacroObservation = z.infer<typeof MacroObservation>;

export const MacroSeriesInfo = z.object({
  id: z.string(),
  title: z.string(),
  /** FRED's units, e.g. "Billions of Dollars", "Percent", "Index 1982-1984=100". */
  units: z.string(),
  unitsShort: z.string(),
  frequency: z.string(),
  /** SA, NSA, SAAR… */
  seasonalAdjustment: z.string(),
  /** FRED's last_updated, as it sends it ("2026-11-26 07:51:04-06"). */
  lastUpdated: z.string(),
});
export type MacroSeriesInfo = z.infer<typeof MacroSeriesInfo>;

export const MacroSeries = z.object({
  id: z.string(),
  info: MacroSeriesInfo.nullable(),
  observations: z.array(MacroObservation),
  /** The date of the newest observation with a value; null when none. */
  lastObservation: z.string().nullable(),
  /** When these were fetched from FRED, UTC ms; null when never. */
  fetchedAt: z.number().nullable(),
  /** Why the series could not be refreshed (no key, unknown id, FRED down); the cached values, if any, still come. */
  error: z.string().nullable(),
});
export type MacroSeries = z.infer<typeof MacroSeries>;

export const MacroOverview = z.object({
  /** Whether a FRED API key is stored (Settings → Data providers → FRED). */
  hasKey: z.boolean(),
  series: z.array(MacroSeries),
});
export type MacroOverview = z.infer<typeof MacroOverview>;

export const macroMethods = {
  /** The chosen series, from the cache, refreshed from FRED when older than a few hours. */
  'macro.series': { request: z.object({ refresh: z.boolean().default(false) }), response: MacroOverview },
  /** Adds a series by id; FRED is asked for it first, so an unknown id is refused (BAD_REQUEST). */
  'macro.add': { request: z.object({ id: MacroSeriesId }), response: MacroSeries },
  'macro.remove': { request: z.object({ id: MacroSeriesId }), response: z.object({ ok: z.literal(true) }) },
} as const;
