// The history VaR, correlation and the limits read: daily closes of the held instruments aligned on common days.
import type { ReturnMatrix } from './var';

export interface CloseSeries {
  symbol: string;
  /** Daily closes, oldest first; `day` = UTC days since 1970 (dayOf). */
  closes: { day: number; close: number }[];
}

export interface AlignedReturns extends ReturnMatrix {
  /** The day each return ends on, oldest first. */
  days: number[];
  /** Instruments left out for lack of history (fewer than `minDays` returns on the common days): not in the VaR. */
  unmodelled: string[];
}

/**
 * Simple returns on the days every modelled instrument has a close, the last `window` of them. An instrument whose own
 * history has fewer than `minDays` returns is left out (and named) rather than shortening everyone's window.
 */
export function alignReturns(series: CloseSeries[], window: number, minDays = 20): AlignedReturns {
  const unmodelled: string[] = [];
  const kept: CloseSeries[] = [];
  for (const s of series) {
    if (s.closes.filter((c) => c.close > 0).length > minDays) kept.push(s);
    else unmodelled.push(s.symbol);
  }
  if (kept.length === 0) return { symbols: [], returns: [], days: [], unmodelled: series.map((s) => s.symbol) };
  const maps = kept.map((s) => new Map(s.closes.filter((c) => c.close > 0).map((c) => [c.day, c.close])));
  let common = [...maps[0]!.keys()].filter((d) => maps.every((m) => m.has(d))).sort((a, b) => a - b);
  common = common.slice(-(window + 1));
  if (common.length - 1 < minDays) {
    // The common days are too few (a recent listing among old ones): model nothing rather than a misleading figure.
    return { symbols: [], returns: [], days: [], unmodelled: series.map((s) => s.symbol) };
  }
  const returns = maps.map((m) => {
    const r = new Float64Array(common.length - 1);
    for (let k = 1; k < common.length; k++) r[k - 1] = m.get(common[k]!)! / m.get(common[k - 1]!)! - 1;
    return r;
  });
  return { symbols: kept.map((s) => s.symbol), returns, days: common.slice(1), unmodelled };
}
