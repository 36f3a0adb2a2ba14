// A fundamental factor on every row of a symbol's daily closes, point in time (the factor lab and the factor backtest):
// row t sees the statements the screener would see on that date (statementsKnownOn: the versions reported on or before
// it, the newest 8 periods) and the closes up to t. No look-ahead: a figure enters on its report date, a restatement
// from its own report date on.
import type { StatementRecord } from '../../../src-shared/domain/fundamentals';
import { DEFAULT_STATEMENT_LIMIT, statementsKnownOn } from '../fundamentals/point-in-time';
import type { FundamentalFactor } from './definitions';

/**
 * The factor on each row (NaN where missing). `dates` are the rows' ISO days, ascending; `versions` every version of the
 * symbol's quarterly statements reported by the last date (more are ignored by date). The statements known only change
 * on a report date, so they are chosen again only then.
 */
export function fundamentalSeries(f: FundamentalFactor, symbol: string, dates: readonly string[], closes: Float64Array, versions: readonly StatementRecord[]): Float64Array {
  const out = new Float64Array(dates.length).fill(NaN);
  const reports = [...new Set(versions.map((v) => v.reportDate))].sort();
  let next = 0;
  let statements: readonly StatementRecord[] = [];
  for (let i = 0; i < dates.length; i++) {
    const date = dates[i]!;
    if (next < reports.length && reports[next]! <= date) {
      while (next < reports.length && reports[next]! <= date) next++;
      statements = statementsKnownOn(versions, date, DEFAULT_STATEMENT_LIMIT).get(symbol) ?? [];
    }
    const v = f.value({ closes: closes.subarray(0, i + 1), statements });
    if (v !== null && Number.isFinite(v)) out[i] = v;
  }
  return out;
}
