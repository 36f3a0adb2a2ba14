// Point-in-time statements (issue 16): the PointInTimeFundamentals port over the store's statements table and the demo
// universe's generated statements, and the one way fetched statements enter the store (restatements kept beside the
// first version, a re-fetch of the same figures storing nothing).
import type { StatementRecord } from '../../src-shared/domain/fundamentals';
import { DEFAULT_STATEMENT_LIMIT, newVersions, statementsKnownOn } from '../domain/fundamentals/point-in-time';
import type { Clock } from '../ports/clock';
import type { PointInTimeFundamentals } from '../ports/fundamentals';
import type { StatementStore } from '../ports/statement-store';

/** Statements that live in memory and never in the store (the demo universe's: simulated figures stay out of it). */
export interface InMemoryStatements {
  /** Every version of a symbol's statements; empty for a symbol it does not have. */
  statements(symbol: string): readonly StatementRecord[];
}

export class StatementsService implements PointInTimeFundamentals {
  constructor(private readonly o: {
    store: StatementStore; clock: Clock; demo?: InMemoryStatements;
    /** Statement history from the data sources (the failover manager's fundamentals chain: Yahoo's time series). */
    fetch?: (symbol: string) => Promise<StatementRecord[]>;
  }) {}

  /**
   * Fetches the symbols' statements and records them (see record); one symbol's failure is its own row, never the
   * list's. Demo-universe symbols are skipped: their statements live in memory.
   */
  async refresh(symbols: readonly string[]): Promise<{ symbol: string; stored: number; error?: string }[]> {
    const out: { symbol: string; stored: number; error?: string }[] = [];
    for (const symbol of new Set(symbols)) {
      if ((this.o.demo?.statements(symbol).length ?? 0) > 0) continue;
      if (!this.o.fetch) {
        out.push({ symbol, stored: 0, error: 'no data source for statements in this session' });
        continue;
      }
      try {
        out.push({ symbol, stored: (await this.record(await this.o.fetch(symbol))).length });
      } catch (err) {
        out.push({ symbol, stored: 0, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return out;
  }

  async statementsAsOf(symbols: readonly string[], asOf: string, limit = DEFAULT_STATEMENT_LIMIT, period: StatementRecord['period'] = 'quarter'): Promise<Map<string, StatementRecord[]>> {
    return statementsKnownOn(await this.reportedBy(symbols, asOf, period, limit), asOf, limit);
  }

  versionsReportedBy(symbols: readonly string[], asOf: string, period: StatementRecord['period'] = 'quarter'): Promise<StatementRecord[]> {
    return this.reportedBy(symbols, asOf, period);
  }

  /** The demo universe's versions from memory, the others' from the store; with `limit`, the store reads only the newest periods. */
  private async reportedBy(symbols: readonly string[], asOf: string, period: StatementRecord['period'], limit?: number): Promise<StatementRecord[]> {
    const rows: StatementRecord[] = [];
    const stored: string[] = [];
    for (const symbol of new Set(symbols)) {
      const demo = this.o.demo?.statements(symbol);
      if (demo && demo.length > 0) {
        for (const r of demo) if (r.period === period && r.reportDate <= asOf) rows.push(r);
      } else {
        stored.push(symbol);
      }
    }
    if (stored.length > 0) rows.push(...(await this.o.store.reportedBy(stored, asOf, period, limit)));
    return rows;
  }

  /**
   * Stores fetched statements: new periods as given, changed figures as a restatement beside the first version (with
   * the report date today when the source's own is not later), the same figures again not at all. Returns what was stored.
   */
  async record(incoming: readonly StatementRecord[]): Promise<StatementRecord[]> {
    const seenOn = new Date(this.o.clock.now()).toISOString().slice(0, 10);
    const fresh: StatementRecord[] = [];
    const bySymbol = new Map<string, StatementRecord[]>();
    for (const r of incoming) bySymbol.set(r.symbol, [...(bySymbol.get(r.symbol) ?? []), r]);
    for (const [symbol, rows] of bySymbol) fresh.push(...newVersions(rows, await this.o.store.versions(symbol), seenOn));
    await this.o.store.put(fresh);
    return fresh;
  }
}
