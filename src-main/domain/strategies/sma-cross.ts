// SMA cross: long when the fast SMA crosses above the slow one; long-short mode reverses on each cross (always in the
// market after the first), long-only mode goes flat on the cross down. Crossovers are strict, as backtesting.py's.
import type { Strategy, StrategyContext } from '../strategy/strategy';
import type { BarArrays } from '../backtest/types';
import { smaCached } from '../../../src-shared/domain/indicators/batch';

export interface SmaCrossParams {
  fast: number;
  slow: number;
  mode?: 'long-short' | 'long-only';
  /** 'all' (all-in) or a number of units. */
  size?: number | 'all';
}

export function smaCross(p: SmaCrossParams): Strategy {
  if (!(p.fast > 0 && p.slow > 0 && Number.isInteger(p.fast) && Number.isInteger(p.slow))) throw new RangeError('fast and slow must be positive integers');
  // +1 where the fast SMA crossed above the slow one on this bar, −1 below, 0 otherwise. Each value depends only on
  // bars up to its own, so precomputing it in init is causal; the engine still reveals it one closed bar at a time.
  let cross: ArrayLike<number> = new Int8Array(0);
  const size = p.size ?? 'all';
  const mode = p.mode ?? 'long-short';
  return {
    warmup: Math.max(p.fast, p.slow),
    init(data: BarArrays) {
      const fast = smaCached(data.close, p.fast);
      const slow = smaCached(data.close, p.slow);
      const c = new Int8Array(fast.length);
      for (let i = 1; i < c.length; i++) {
        const f0 = fast[i]!, s0 = slow[i]!, f1 = fast[i - 1]!, s1 = slow[i - 1]!;
        c[i] = f1 < s1 && f0 > s0 ? 1 : f1 > s1 && f0 < s0 ? -1 : 0;
      }
      cross = c;
    },
    next(ctx: StrategyContext) {
      const signal = ctx.value(cross);
      if (signal === 0) return;
      // As backtesting.py's SmaCross: close whatever is open, then enter the cross's side (a cross down while already
      // short — possible after a cross up through an exact tie, which strict crossovers do not see — re-enters).
      if (ctx.position !== 0) ctx.closePosition();
      if (signal > 0) ctx.buy({ size });
      else if (mode === 'long-short') ctx.sell({ size });
    },
  };
}
