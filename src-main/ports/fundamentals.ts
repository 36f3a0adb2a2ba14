// Ports of stock analysis (issue 16): where universes, point-in-time statements and daily closes come from. The
// factor engine and the screener depend only on these; the demo market, the shipped S&P 500 file, imports and the
// stores implement them.
import type { StatementRecord, Universe, UniverseKind } from '../../src-shared/domain/fundamentals';

export interface UniverseInfo {
  id: string;
  kind: UniverseKind;
  name: string;
  asOf: string | null;
  size: number;
}

export interface UniverseSource {
  list(): Promise<UniverseInfo[]>;
  /** Rejects with a plain-words error for an unknown id. */
  get(id: string): Promise<Universe>;
}

export interface PointInTimeFundamentals {
  /**
   * Per symbol, the statements published on or before `asOf` (reportDate ≤ asOf), newest periodEnd first, at most
   * `limit` per symbol (default 8: enough for trailing-twelve-month figures and their year-earlier comparison), of
   * `period` kind (default 'quarter'). Of a restated period, the version published last on or before `asOf`.
   * Symbols without any are absent from the map.
   */
  statementsAsOf(symbols: readonly string[], asOf: string, limit?: number, period?: StatementRecord['period']): Promise<Map<string, StatementRecord[]>>;
  /**
   * Every version of these symbols' statements of `period` kind (default 'quarter') reported on or before `asOf`: what
   * `statementsAsOf` chooses from, for a factor evaluated on many dates (domain/factors/point-in-time-series.ts applies
   * the same choice per date with `statementsKnownOn`).
   */
  versionsReportedBy(symbols: readonly string[], asOf: string, period?: StatementRecord['period']): Promise<StatementRecord[]>;
}

export interface DailyClose {
  date: string;
  close: number;
  volume: number;
}

export interface DailyPrices {
  /** Per symbol, daily closes from `from` to `to` inclusive, oldest first (split-adjusted); missing symbols absent. */
  dailyCloses(symbols: readonly string[], from: string, to: string): Promise<Map<string, DailyClose[]>>;
}
