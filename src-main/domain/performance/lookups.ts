// Price and FX lookups over in-memory series (a prices CSV, bars from the store, a test's table): on or before a day,
// by binary search over each symbol's days.
import type { FxLookup, PriceLookup } from './valuation';

export interface DatedClose {
  key: string;
  day: number;
  close: number;
}

/** key → ascending days and closes; the close on or before a day, or undefined before the first. */
export class SeriesTable {
  private readonly series = new Map<string, { day: Float64Array; close: Float64Array }>();

  constructor(rows: Iterable<DatedClose>) {
    const grouped = new Map<string, DatedClose[]>();
    for (const r of rows) {
      let g = grouped.get(r.key);
      if (!g) grouped.set(r.key, (g = []));
      g.push(r);
    }
    for (const [key, g] of grouped) {
      g.sort((a, b) => a.day - b.day);
      this.series.set(key, { day: Float64Array.from(g, (r) => r.day), close: Float64Array.from(g, (r) => r.close) });
    }
  }

  keys(): string[] {
    return [...this.series.keys()];
  }

  /** The series of one key (ascending days), for benchmarks. */
  get(key: string): { day: Float64Array; close: Float64Array } | undefined {
    return this.series.get(key);
  }

  onOrBefore(key: string, day: number): number | undefined {
    const s = this.series.get(key);
    if (!s) return undefined;
    let lo = 0;
    let hi = s.day.length - 1;
    if (hi < 0 || s.day[0]! > day) return undefined;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s.day[mid]! <= day) lo = mid;
      else hi = mid - 1;
    }
    return s.close[lo]!;
  }

  last(): number | undefined {
    let m: number | undefined;
    for (const s of this.series.values()) if (s.day.length) m = Math.max(m ?? -Infinity, s.day[s.day.length - 1]!);
    return m;
  }
}

export function priceLookup(table: SeriesTable): PriceLookup {
  return (symbol, day) => table.onOrBefore(symbol, day);
}

/** FX rates keyed "EUR/USD" (units of USD per EUR). */
export function fxLookup(table: SeriesTable): FxLookup {
  return (from, to, day) => table.onOrBefore(`${from}/${to}`, day);
}
