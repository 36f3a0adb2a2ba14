// Mean reversion: buy when the close falls below the lower Bollinger band with RSI oversold; exit at the middle band
// or when RSI is overbought. Long only.
import type { Strategy } from '../strategy/strategy';
import { bbands, rsi } from '../../../src-shared/domain/indicators/batch';

export interface MeanReversionParams {
  period: number;
  k: number;
  rsiPeriod: number;
  oversold: number;
  overbought: number;
}

export function meanReversion(p: MeanReversionParams): Strategy {
  let lower: ArrayLike<number> = [];
  let middle: ArrayLike<number> = [];
  let r: ArrayLike<number> = [];
  return {
    warmup: Math.max(p.period, p.rsiPeriod + 1),
    init(data) {
      const b = bbands(data.close, p.period, p.k);
      lower = b.lower;
      middle = b.middle;
      r = rsi(data.close, p.rsiPeriod);
    },
    next(ctx) {
      const close = ctx.close();
      if (ctx.position === 0 && close < ctx.value(lower) && ctx.value(r) < p.oversold) ctx.buy();
      else if (ctx.position > 0 && (close >= ctx.value(middle) || ctx.value(r) > p.overbought)) ctx.closePosition();
    },
  };
}
