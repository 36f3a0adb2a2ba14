// Session replay messages (issue 17 item 6): a trading day rebuilt from the audit log and the stored bars, the state at
// any moment of it. contract.ts registers them as `replay.*` methods; main folds the journal (domain/replay/reducer.ts).
import { z } from 'zod';
import { AuditEntry, Bar } from '../domain/types';
import { TradingState } from './risk';

const AccountId = z.string().min(1).max(64);
/** A trading day, YYYY-MM-DD (UTC). */
export const ReplayDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'A date as YYYY-MM-DD');

export const ReplayOrder = z.object({
  id: z.string(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  type: z.string(),
  quantity: z.number(),
  limitPrice: z.number().nullable(),
  stopPrice: z.number().nullable(),
  source: z.string(),
  /** As the journal had it at that moment: new, submitted, working, partially-filled, filled, cancelled, rejected. */
  status: z.string(),
  filledQuantity: z.number(),
  avgFillPrice: z.number().nullable(),
  rejectReason: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type ReplayOrder = z.infer<typeof ReplayOrder>;

export const ReplayPosition = z.object({
  symbol: z.string(),
  quantity: z.number(),
  avgPrice: z.number(),
  /** Decimal string, net of commissions, since the account began. */
  realizedPnl: z.string(),
  /** The close of the last bar at or before the moment (null without a bar). */
  marketPrice: z.number().nullable(),
  unrealizedPnl: z.number().nullable(),
});
export type ReplayPosition = z.infer<typeof ReplayPosition>;

export const ReplayFill = z.object({
  time: z.number(), orderId: z.string(), execId: z.string(), symbol: z.string(), side: z.enum(['buy', 'sell']),
  quantity: z.number(), price: z.number(), commission: z.string(),
});
export type ReplayFill = z.infer<typeof ReplayFill>;

export const ReplayDecision = z.object({
  time: z.number(), orderId: z.string().nullable(), ok: z.boolean(), rule: z.string().nullable(), message: z.string().nullable(),
});
export type ReplayDecision = z.infer<typeof ReplayDecision>;

export const ReplayState = z.object({
  accountId: z.string(),
  /** The moment asked for (UTC ms); every journal entry at or before it is applied. */
  time: z.number(),
  /** The last entry applied (0: none). */
  seq: z.number().int(),
  /** Orders working at that moment and those the day had touched by then, newest first. */
  orders: z.array(ReplayOrder),
  positions: z.array(ReplayPosition),
  /** Decimal strings: cash from the starting cash and every fill; realised P&L summed over the positions. */
  cash: z.string(),
  realizedPnl: z.string(),
  state: z.object({ account: TradingState, terminal: TradingState, killSwitch: z.boolean(), effective: TradingState, reason: z.string().nullable() }),
  /** The day's risk decisions and fills up to that moment, oldest first. */
  decisions: z.array(ReplayDecision),
  fills: z.array(ReplayFill),
});
export type ReplayState = z.infer<typeof ReplayState>;

export const ReplayEvent = AuditEntry.extend({
  /** One line in plain words ("Fill: buy 5 AAPL @ 101.20"). */
  summary: z.string(),
  symbol: z.string().nullable(),
});
export type ReplayEvent = z.infer<typeof ReplayEvent>;

export const ReplayDay = z.object({
  accountId: z.string(),
  date: ReplayDate,
  /** The day's span, UTC ms [from, to). */
  from: z.number(),
  to: z.number(),
  /** The day's journal entries of the account, in journal order. */
  events: z.array(ReplayEvent),
  /** Symbols traded or held that day, and their bars of the day (oldest first) at `timeframe`. */
  symbols: z.array(z.string()),
  timeframe: z.string(),
  bars: z.record(z.string(), z.array(Bar)),
  /** Where the bars came from: 'store' (stored bars) or 'market' (the market's history, nothing was stored). */
  barSource: z.record(z.string(), z.enum(['store', 'market', 'none'])),
});
export type ReplayDay = z.infer<typeof ReplayDay>;

const DayRef = z.object({ date: ReplayDate, accountId: AccountId.optional() }).strict();

export const replayMethods = {
  /** The days with journal entries of the account, newest first. */
  'replay.days': { request: z.object({ accountId: AccountId.optional(), limit: z.number().int().positive().max(400).default(60) }).strict(), response: z.array(ReplayDate) },
  'replay.day': { request: DayRef, response: ReplayDay },
  'replay.state': { request: DayRef.extend({ time: z.number() }).strict(), response: ReplayState },
  'replay.events': { request: DayRef.extend({ from: z.number(), to: z.number() }).strict(), response: z.array(ReplayEvent) },
} as const;
