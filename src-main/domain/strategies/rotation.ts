// Factor rotation: every `rebalance` timestamps, rank the universe by a score (momentum by default: the rate of change
// over `lookback` of each instrument's own bars) and hold the top N in equal weights; the rest is sold. The screener's
// factor backtest (issue 16) passes its factor as the score.
import type { PortfolioContext, PortfolioStrategy } from '../strategy/strategy';

export interface RotationParams {
  lookback: number;
  top: number;
  rebalance: number;
}

/** A symbol's score at the current timestamp (higher ranks first); NaN leaves it out of the ranking. */
export type RotationScore = (ctx: PortfolioContext, symbol: string) => number;

export function factorRotation(p: RotationParams): PortfolioStrategy {
  return rankedRotation({ top: p.top, rebalance: p.rebalance }, (ctx, s) => (ctx.count(s) > p.lookback ? ctx.close(s) / ctx.close(s, p.lookback) - 1 : NaN));
}

export function rankedRotation(p: Omit<RotationParams, 'lookback'>, score: RotationScore): PortfolioStrategy {
  let step = 0;
  return {
    next(ctx) {
      if (step++ % p.rebalance !== 0) return;
      const ranked = ctx.symbols
        .map((s) => ({ s, score: score(ctx, s) }))
        .filter((r) => Number.isFinite(r.score))
        .sort((a, b) => b.score - a.score);
      if (ranked.length === 0) return;
      const winners = new Set(ranked.slice(0, p.top).map((r) => r.s));
      // Sells first (orders fill in this order at the next opens), then equal weights for the winners.
      for (const s of ctx.symbols) if (!winners.has(s)) ctx.orderTarget(s, 0);
      for (const s of winners) ctx.orderTargetPercent(s, 0.99 / winners.size);
    },
  };
}
