// Trend following: enter on a close beyond the previous `entry`-bar Donchian channel, exit on the opposite
// `exit`-bar channel. Long-short or long-only.
import type { Strategy } from '../strategy/strategy';
import { highest, lowest } from '../../../src-shared/domain/indicators/batch';

export interface DonchianParams {
  entry: number;
  exit: number;
  mode: 'long-short' | 'long-only';
}

export function donchianBreakout(p: DonchianParams): Strategy {
  let hiEntry: ArrayLike<number> = [];
  let loEntry: ArrayLike<number> = [];
  let hiExit: ArrayLike<number> = [];
  let loExit: ArrayLike<number> = [];
  return {
    warmup: Math.max(p.entry, p.exit) + 1,
    init(data) {
      hiEntry = highest(data.high, p.entry);
      loEntry = lowest(data.low, p.entry);
      hiExit = highest(data.high, p.exit);
      loExit = lowest(data.low, p.exit);
    },
    next(ctx) {
      // Channels of the bars before this one: a close beyond them is a breakout.
      const close = ctx.close();
      if (ctx.position > 0 && close < ctx.value(loExit, 1)) ctx.closePosition();
      else if (ctx.position < 0 && close > ctx.value(hiExit, 1)) ctx.closePosition();
      else if (ctx.position === 0) {
        if (close > ctx.value(hiEntry, 1)) ctx.buy();
        else if (p.mode === 'long-short' && close < ctx.value(loEntry, 1)) ctx.sell();
      }
    },
  };
}
