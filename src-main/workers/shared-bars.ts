// Bars in a SharedArrayBuffer seen as typed-array columns, one view object per copy and range in each worker.
import type { BarArrays } from '../domain/backtest/types';

// One view object per shared range, so indicator caches keyed by the close array survive from task to task (an SMA of
// a period is computed once per worker and sweep, not once per backtest). Keyed by the copy's id: every task message
// brings a new SharedArrayBuffer object for the same memory, so keying by the object never hit. The latest few are kept.
const views = new Map<string, BarArrays>();
const KEEP_VIEWS = 4;

export function barsFromShared(buf: SharedArrayBuffer, id: string, n: number, from = 0, to = n): BarArrays {
  const key = `${id}:${n}:${from}:${to}`;
  let bars = views.get(key);
  if (!bars) {
    const col = (k: number) => new Float64Array(buf, k * n * 8, n).subarray(from, to);
    views.set(key, (bars = { time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) }));
    if (views.size > KEEP_VIEWS) views.delete(views.keys().next().value!);
  }
  return bars;
}

const sets = new Map<string, Record<string, BarArrays>>();

/** Several instruments in one buffer: each symbol's six columns in turn, `lengths[k]` bars for `symbols[k]`. */
export function barSetFromShared(buf: SharedArrayBuffer, id: string, symbols: string[], lengths: number[]): Record<string, BarArrays> {
  let set = sets.get(id);
  if (!set) {
    set = {};
    let offset = 0;
    symbols.forEach((symbol, k) => {
      const n = lengths[k]!;
      const col = (c: number) => new Float64Array(buf, (offset + c * n) * 8, n);
      set![symbol] = { time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
      offset += 6 * n;
    });
    sets.set(id, set);
    if (sets.size > KEEP_VIEWS) sets.delete(sets.keys().next().value!);
  }
  return set;
}
