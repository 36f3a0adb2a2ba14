// Macro data ports: where economic series come from (FRED, adapters/fred) and where they are cached (the SQLite and
// Postgres stores, `store.macro`). The Macro service (services/macro.ts) composes them.
import type { MacroObservation, MacroSeriesInfo } from '../../src-shared/api/macro';

export type MacroErrorReason = 'auth' | 'not-found' | 'rate-limited' | 'unavailable' | 'timeout' | 'bad-data';

/** A failure of the macro source, in plain words (never with the API key or a URL's query in it). */
export class MacroSourceError extends Error {
  constructor(readonly reason: MacroErrorReason, message: string, readonly retryAfterMs?: number) {
    super(message);
    this.name = 'MacroSourceError';
  }
}

export interface MacroSource {
  info(seriesId: string, signal?: AbortSignal): Promise<MacroSeriesInfo>;
  /** Oldest first; from (YYYY-MM-DD) inclusive when given. */
  observations(seriesId: string, opts?: { from?: string; signal?: AbortSignal }): Promise<MacroObservation[]>;
}

export interface CachedMacroSeries {
  info: MacroSeriesInfo;
  observations: MacroObservation[];
  fetchedAt: number;
}

export interface MacroStore {
  get(seriesId: string): Promise<CachedMacroSeries | undefined>;
  /** Replaces the series' info and every observation (FRED revises past values, so the whole series is kept as sent). */
  put(seriesId: string, series: CachedMacroSeries): Promise<void>;
}
