// Which statements a date sees (issue 16): only those reported on or before it, and of several versions of a period
// (a restatement, or two sources) the one reported last by then. Pure: the stores and the demo universe both use it.
import type { StatementRecord } from '../../../src-shared/domain/fundamentals';

/** Default number of periods per symbol: trailing twelve months and the same a year earlier. */
export const DEFAULT_STATEMENT_LIMIT = 8;

/**
 * Per symbol, the newest `limit` periods known on `asOf` (newest periodEnd first), each in the version reported last
 * on or before `asOf`; a tie of report dates goes to the source first in alphabetical order (stable, not random).
 * Rows reported after `asOf` are ignored whatever the caller passed in.
 */
export function statementsKnownOn(rows: Iterable<StatementRecord>, asOf: string, limit = DEFAULT_STATEMENT_LIMIT): Map<string, StatementRecord[]> {
  const best = new Map<string, Map<string, StatementRecord>>();
  for (const r of rows) {
    if (r.reportDate > asOf) continue;
    let periods = best.get(r.symbol);
    if (!periods) best.set(r.symbol, (periods = new Map()));
    const key = `${r.period}|${r.periodEnd}`;
    const held = periods.get(key);
    if (!held || r.reportDate > held.reportDate || (r.reportDate === held.reportDate && r.source < held.source)) periods.set(key, r);
  }
  const out = new Map<string, StatementRecord[]>();
  for (const [symbol, periods] of best) {
    const list = [...periods.values()].sort((a, b) => (a.periodEnd === b.periodEnd ? a.period.localeCompare(b.period) : b.periodEnd.localeCompare(a.periodEnd)));
    out.set(symbol, list.slice(0, Math.max(0, limit)));
  }
  return out;
}

const FIGURES = ['revenue', 'grossProfit', 'ebitda', 'netIncome', 'eps', 'totalEquity', 'totalDebt', 'cash', 'sharesOutstanding', 'currency'] as const;

/** Whether two versions of a period carry the same figures (a relative 1e-9 on amounts). */
export function sameFigures(a: StatementRecord, b: StatementRecord): boolean {
  return FIGURES.every((f) => {
    const x = a[f];
    const y = b[f];
    if (typeof x === 'number' && typeof y === 'number') return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
    return x === y;
  });
}

/**
 * What to store of a fetched batch, given the versions already stored: a period not seen before is stored as given;
 * the same figures again store nothing (a re-fetch is not news); changed figures are a restatement, stored beside the
 * first version with the report date `seenOn` when the source's own date is not later than the stored one (a source
 * without report dates repeats its estimate, but the change was only known from the day we saw it).
 */
export function newVersions(incoming: readonly StatementRecord[], stored: readonly StatementRecord[], seenOn: string): StatementRecord[] {
  const latest = new Map<string, StatementRecord>();
  const keyOf = (r: StatementRecord) => `${r.symbol}|${r.period}|${r.periodEnd}|${r.source}`;
  for (const r of stored) {
    const held = latest.get(keyOf(r));
    if (!held || r.reportDate > held.reportDate) latest.set(keyOf(r), r);
  }
  const out: StatementRecord[] = [];
  for (const r of incoming) {
    const held = latest.get(keyOf(r));
    if (!held) {
      out.push(r);
      latest.set(keyOf(r), r);
    } else if (!sameFigures(held, r)) {
      const version = r.reportDate > held.reportDate ? r : { ...r, reportDate: seenOn > held.reportDate ? seenOn : held.reportDate };
      out.push(version);
      latest.set(keyOf(r), version);
    }
  }
  return out;
}
