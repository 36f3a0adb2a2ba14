// The statement port on SQLite: prepared statements over the statements table (migration drizzle/0011_statements.sql).
import type Database from 'better-sqlite3';
import type { StatementRecord } from '../../../src-shared/domain/fundamentals';
import type { StatementStore } from '../../ports/statement-store';

interface Row {
  symbol: string; period: string; period_end: string; source: string; report_date: string; estimated: number; currency: string | null;
  revenue: number | null; gross_profit: number | null; ebitda: number | null; net_income: number | null; eps: number | null;
  total_equity: number | null; total_debt: number | null; cash: number | null; shares_outstanding: number | null;
}

const toRecord = (r: Row): StatementRecord => ({
  symbol: r.symbol, period: r.period === 'annual' ? 'annual' : 'quarter', periodEnd: r.period_end, reportDate: r.report_date, currency: r.currency,
  revenue: r.revenue, grossProfit: r.gross_profit, ebitda: r.ebitda, netIncome: r.net_income, eps: r.eps,
  totalEquity: r.total_equity, totalDebt: r.total_debt, cash: r.cash, sharesOutstanding: r.shares_outstanding, source: r.source,
  ...(r.estimated ? { estimatedReportDate: true } : {}),
});

/** SQLite's default limit of bound parameters is 32,766; symbols go in chunks well below it. */
const CHUNK = 500;

export function createSqliteStatementStore(sqlite: Database.Database): StatementStore {
  // Prepared on first write: a read-only store opened on a file from before migration 0011 must still open.
  let putAll: ((rows: readonly StatementRecord[], at: number) => void) | undefined;
  const writer = () => (putAll ??= prepareWriter(sqlite));
  return {
    put: async (rows) => void writer()(rows, Date.now()),
    async reportedBy(symbols, asOf, period, periods) {
      const out: StatementRecord[] = [];
      for (let i = 0; i < symbols.length; i += CHUNK) {
        const part = symbols.slice(i, i + CHUNK);
        const where = `symbol IN (${part.map(() => '?').join(',')}) AND report_date <= ? AND period = ?`;
        // The newest `periods` period ends per symbol in SQL: a screen on a date reads a few rows per symbol, not its history.
        const rows = periods === undefined
          ? sqlite.prepare<unknown[], Row>(`SELECT * FROM statements WHERE ${where}`).all(...part, asOf, period)
          : sqlite.prepare<unknown[], Row>(
            `SELECT * FROM (SELECT *, DENSE_RANK() OVER (PARTITION BY symbol ORDER BY period_end DESC) AS newest FROM statements WHERE ${where}) WHERE newest <= ?`,
          ).all(...part, asOf, period, periods);
        for (const r of rows) out.push(toRecord(r));
      }
      return out;
    },
    versions: async (symbol) =>
      sqlite.prepare<[string], Row>('SELECT * FROM statements WHERE symbol = ? ORDER BY period_end DESC, report_date DESC').all(symbol).map(toRecord),
  };
}

function prepareWriter(sqlite: Database.Database) {
  const insert = sqlite.prepare(
    `INSERT OR REPLACE INTO statements (symbol, period, period_end, source, report_date, estimated, currency, revenue, gross_profit, ebitda,
       net_income, eps, total_equity, total_debt, cash, shares_outstanding, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return sqlite.transaction((rows: readonly StatementRecord[], at: number) => {
    for (const r of rows) {
      insert.run(r.symbol, r.period, r.periodEnd, r.source, r.reportDate, r.estimatedReportDate ? 1 : 0, r.currency, r.revenue, r.grossProfit,
        r.ebitda, r.netIncome, r.eps, r.totalEquity, r.totalDebt, r.cash, r.sharesOutstanding, at);
    }
  });
}
