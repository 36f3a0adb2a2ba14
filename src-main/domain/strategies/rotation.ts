// Factor rotation: every `rebalance` timestamps, rank the universe by momentum (rate of change over `lookback` of
// each instrument's own bars) and hold the top N in equal weights; the rest is sold.
import type { PortfolioStrategy } from '../strategy/strategy';

export interface RotationParams {
  lookback: number;
  top: number;
  rebalance: number;
}

export function factorRotation(p: RotationParams): PortfolioStrategy {
  let step = 0;
  return {
    next(ctx) {
      if (step++ % p.rebalance !== 0) return;
      const ranked = ctx.symbols
        .filter((s) => ctx.count(s) > p.lookback)
        .map((s) => ({ s, momentum: ctx.close(s) / ctx.close(s, p.lookback) - 1 }))
        .filter((r) => Number.isFinite(r.momentum))
        .sort((a, b) => b.momentum - a.momentum);
      if (ranked.length === 0) return;
      const winners = new Set(ranked.slice(0, p.top).map((r) => r.s));
      // Sells first (orders fill in this order at the next opens), then equal weights for the winners.
      for (const s of ctx.symbols) if (!winners.has(s)) ctx.orderTarget(s, 0);
      for (const s of winners) ctx.orderTargetPercent(s, 0.99 / winners.size);
    },
  };
}
