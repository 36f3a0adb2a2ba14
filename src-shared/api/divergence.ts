// Live vs backtest divergence messages (issue 17 item 7): a live strategy's trades beside the backtest of the same
// strategy over the same bars. contract.ts registers them as `divergence.*` methods (figures: domain/divergence).
import { z } from 'zod';

export const DivergenceTrade = z.object({
  /** UTC ms. */
  time: z.number(), side: z.enum(['buy', 'sell']), quantity: z.number(), price: z.number(), commission: z.number(),
});
export type DivergenceTrade = z.infer<typeof DivergenceTrade>;

export const DivergenceReport = z.object({
  strategyId: z.string(),
  name: z.string(),
  strategy: z.string(),
  symbol: z.string(),
  timeframe: z.string(),
  accountId: z.string(),
  /** When it was computed, UTC ms; 'manual' (the button, the API) or 'daily' (the scheduled job). */
  createdAt: z.number(),
  trigger: z.enum(['manual', 'daily']),
  /** The live run's span: from its start to the close of the last bar it saw (UTC ms). */
  from: z.number(),
  to: z.number(),
  bars: z.number().int(),
  /** Trades of the same side this close in time are matched (one bar). */
  windowMs: z.number(),
  liveTrades: z.number().int(),
  backtestTrades: z.number().int(),
  matched: z.array(z.object({ live: DivergenceTrade, backtest: DivergenceTrade, priceDiffBps: z.number(), timeDiffMs: z.number() })),
  missed: z.array(DivergenceTrade),
  extra: z.array(DivergenceTrade),
  /** Over matched trades; positive = live fills worse for the trader. Null: nothing matched. */
  meanAbsBps: z.number().nullable(),
  meanBps: z.number().nullable(),
  /** Live − backtest equity at the last close. */
  finalDrift: z.number(),
  /** Equity of both runs at each bar's close (at most 500 points, evenly thinned), and their difference. */
  equity: z.array(z.object({ time: z.number(), live: z.number(), backtest: z.number(), drift: z.number() })),
});
export type DivergenceReport = z.infer<typeof DivergenceReport>;

const StrategyRef = z.object({ strategyId: z.string().min(1).max(64) }).strict();

export const divergenceMethods = {
  /** Runs the comparison now and stores it. */
  'divergence.run': { request: StrategyRef, response: DivergenceReport },
  /** Stored reports of the strategy, newest first (manual and daily). */
  'divergence.list': { request: StrategyRef, response: z.array(DivergenceReport) },
} as const;
