// SMA cross: long when the fast SMA crosses above the slow one; long-short mode reverses on each cross (always in the
// market after the first), long-only mode goes flat on the cross down. Crossovers are strict, as backtesting.py's.
import type { Strategy, StrategyContext } from '../backtest/engine';
import type { BarArrays } from '../backtest/types';
import { sma } from '../indicators/batch';

export interface SmaCrossParams {
  fast: number;
  slow: number;
  mode?: 'long-short' | 'long-only';
  /** 'all' (all-in) or a number of units. */
  size?: number | 'all';
}

export function smaCross(p: SmaCrossParams): Strategy {
  if (!(p.fast > 0 && p.slow > 0 && Number.isInteger(p.fast) && Number.isInteger(p.slow))) throw new RangeError('fast and slow must be positive integers');
  let fast: ArrayLike<number> = new Float64Array(0);
  let slow: ArrayLike<number> = new Float64Array(0);
  const size = p.size ?? 'all';
  const mode = p.mode ?? 'long-short';
  return {
    warmup: Math.max(p.fast, p.slow),
    init(data: BarArrays) {
      fast = sma(data.close, p.fast);
      slow = sma(data.close, p.slow);
    },
    next(ctx: StrategyContext) {
      const f0 = ctx.value(fast), s0 = ctx.value(slow), f1 = ctx.value(fast, 1), s1 = ctx.value(slow, 1);
      if (f1 < s1 && f0 > s0) {
        if (ctx.position < 0) ctx.closePosition();
        if (ctx.position <= 0) ctx.buy({ size });
      } else if (f1 > s1 && f0 < s0) {
        if (ctx.position > 0) ctx.closePosition();
        if (mode === 'long-short' && ctx.position >= 0) ctx.sell({ size });
      }
    },
  };
}
