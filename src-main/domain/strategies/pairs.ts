// Pairs trading: the spread y − β·x with β the rolling OLS hedge ratio; enter when its rolling z-score passes ±entry
// (short the spread above, long below), exit when it returns inside ±exit. Both legs are sized to `fraction` of equity.
import type { PortfolioStrategy } from '../strategy/strategy';

export interface PairsParams {
  y: string;
  x: string;
  lookback: number;
  entry: number;
  exit: number;
  fraction: number;
}

export function pairsTrading(p: PairsParams): PortfolioStrategy {
  const ys: number[] = [];
  const xs: number[] = [];
  return {
    next(ctx) {
      // Act only on timestamps where both instruments traded, so the spread uses prices of the same moment.
      if (!ctx.has(p.y) || !ctx.has(p.x)) return;
      ys.push(ctx.close(p.y));
      xs.push(ctx.close(p.x));
      if (ys.length < p.lookback) return;
      const y = ys.slice(-p.lookback);
      const x = xs.slice(-p.lookback);
      const mx = x.reduce((a, b) => a + b, 0) / p.lookback;
      const my = y.reduce((a, b) => a + b, 0) / p.lookback;
      let cov = 0;
      let vx = 0;
      for (let i = 0; i < p.lookback; i++) {
        cov += (x[i]! - mx) * (y[i]! - my);
        vx += (x[i]! - mx) ** 2;
      }
      if (vx === 0) return;
      const beta = cov / vx;
      const spread = y.map((v, i) => v - beta * x[i]!);
      const ms = spread.reduce((a, b) => a + b, 0) / p.lookback;
      const sd = Math.sqrt(spread.reduce((a, b) => a + (b - ms) ** 2, 0) / p.lookback);
      if (sd === 0) return;
      const z = (spread[spread.length - 1]! - ms) / sd;
      const inTrade = ctx.position(p.y) !== 0;
      if (!inTrade && Math.abs(z) > p.entry) {
        const dir = z > 0 ? -1 : 1; // spread rich: short y, long x
        const yUnits = Math.trunc((ctx.equity * p.fraction) / ctx.close(p.y));
        ctx.orderTarget(p.y, dir * yUnits);
        ctx.orderTarget(p.x, -dir * Math.trunc(yUnits * beta));
      } else if (inTrade && Math.abs(z) < p.exit) {
        ctx.orderTarget(p.y, 0);
        ctx.orderTarget(p.x, 0);
      }
    },
  };
}
