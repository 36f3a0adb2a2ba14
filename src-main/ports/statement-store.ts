// Storage port of point-in-time statements (issue 16): every published version of a period's figures, keyed by
// (symbol, period, periodEnd, source, reportDate). Implemented by the SQLite and Postgres stores (`store.statements`);
// which version a date sees is decided by domain/fundamentals/point-in-time.ts.
import type { StatementRecord } from '../../src-shared/domain/fundamentals';

export interface StatementStore {
  /** Inserts, or replaces the row with the same (symbol, period, periodEnd, source, reportDate). */
  put(rows: readonly StatementRecord[]): Promise<void>;
  /**
   * Every version of these symbols' statements of a period kind reported on or before `asOf` (YYYY-MM-DD); with
   * `periods`, only those of each symbol's newest `periods` period ends known by then (all their versions).
   */
  reportedBy(symbols: readonly string[], asOf: string, period: StatementRecord['period'], periods?: number): Promise<StatementRecord[]>;
  /** Every stored version of one symbol's statements (both period kinds), any report date. */
  versions(symbol: string): Promise<StatementRecord[]>;
}
