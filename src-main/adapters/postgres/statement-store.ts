// The statement port on PostgreSQL: the same semantics as the SQLite one (migration drizzle-pg/0011_statements.sql).
import type pg from 'pg';
import type { StatementRecord } from '../../../src-shared/domain/fundamentals';
import type { StatementStore } from '../../ports/statement-store';

interface Row {
  symbol: string; period: string; period_end: string; source: string; report_date: string; estimated: boolean; currency: string | null;
  revenue: number | null; gross_profit: number | null; ebitda: number | null; net_income: number | null; eps: number | null;
  total_equity: number | null; total_debt: number | null; cash: number | null; shares_outstanding: number | null;
}

const toRecord = (r: Row): StatementRecord => ({
  symbol: r.symbol, period: r.period === 'annual' ? 'annual' : 'quarter', periodEnd: r.period_end, reportDate: r.report_date, currency: r.currency,
  revenue: r.revenue, grossProfit: r.gross_profit, ebitda: r.ebitda, netIncome: r.net_income, eps: r.eps,
  totalEquity: r.total_equity, totalDebt: r.total_debt, cash: r.cash, sharesOutstanding: r.shares_outstanding, source: r.source,
  ...(r.estimated ? { estimatedReportDate: true } : {}),
});

const COLUMNS = 17;
/** Rows per INSERT: PostgreSQL allows 65,535 bound parameters. */
const ROWS_PER_INSERT = 1000;

export function createPostgresStatementStore(pool: pg.Pool): StatementStore {
  return {
    async put(rows) {
      if (rows.length === 0) return;
      const at = Date.now();
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
          // Of two rows with the same key in one batch the later wins, as in SQLite (ON CONFLICT cannot touch a row twice).
          const part = [...new Map(rows.slice(i, i + ROWS_PER_INSERT).map((r) => [`${r.symbol}|${r.period}|${r.periodEnd}|${r.source}|${r.reportDate}`, r])).values()];
          const values: unknown[] = [];
          const tuples = part.map((r, k) => {
            values.push(r.symbol, r.period, r.periodEnd, r.source, r.reportDate, r.estimatedReportDate === true, r.currency, r.revenue, r.grossProfit,
              r.ebitda, r.netIncome, r.eps, r.totalEquity, r.totalDebt, r.cash, r.sharesOutstanding, at);
            return `(${Array.from({ length: COLUMNS }, (_, c) => `$${k * COLUMNS + c + 1}`).join(',')})`;
          });
          await client.query(
            `INSERT INTO statements (symbol, period, period_end, source, report_date, estimated, currency, revenue, gross_profit, ebitda,
               net_income, eps, total_equity, total_debt, cash, shares_outstanding, stored_at) VALUES ${tuples.join(',')}
             ON CONFLICT (symbol, period, period_end, source, report_date) DO UPDATE SET estimated = excluded.estimated, currency = excluded.currency,
               revenue = excluded.revenue, gross_profit = excluded.gross_profit, ebitda = excluded.ebitda, net_income = excluded.net_income,
               eps = excluded.eps, total_equity = excluded.total_equity, total_debt = excluded.total_debt, cash = excluded.cash,
               shares_outstanding = excluded.shares_outstanding, stored_at = excluded.stored_at`,
            values,
          );
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    reportedBy: async (symbols, asOf, period, periods) => {
      const where = 'symbol = ANY($1::text[]) AND report_date <= $2 AND period = $3';
      const r = periods === undefined
        ? await pool.query<Row>(`SELECT * FROM statements WHERE ${where}`, [symbols, asOf, period])
        : await pool.query<Row>(
          `SELECT * FROM (SELECT *, DENSE_RANK() OVER (PARTITION BY symbol ORDER BY period_end DESC) AS newest FROM statements WHERE ${where}) AS s WHERE newest <= $4`,
          [symbols, asOf, period, periods],
        );
      return r.rows.map(toRecord);
    },
    versions: async (symbol) =>
      (await pool.query<Row>('SELECT * FROM statements WHERE symbol = $1 ORDER BY period_end DESC, report_date DESC', [symbol])).rows.map(toRecord),
  };
}
