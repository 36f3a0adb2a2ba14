// Execution quality of a fill: where the market was when the order was sent (arrival), the spread then, and how far the
// fill was from it. Plain data shared by main and renderer.
import { z } from 'zod';
import { Money, OrderSide } from './types';

/**
 * Slippage sign convention: positive = worse for the trader (a buy filled above the arrival mid, a sell below it),
 * negative = price improvement. Against the mid, a fill at the touch already costs half the spread.
 */
export const FillQuality = z.object({
  fillId: z.string(),
  orderId: z.string(),
  accountId: z.string(),
  /** The venue's id (paper, ib, oanda…). */
  venue: z.string(),
  symbol: z.string(),
  side: OrderSide,
  quantity: z.number(),
  /** When the order was sent to the venue (UTC ms) and when it filled. */
  sentAt: z.number(),
  time: z.number(),
  arrivalBid: z.number(),
  arrivalAsk: z.number(),
  /** The arrival price: the mid when the order was sent. */
  arrivalMid: z.number(),
  /** The quoted spread then, in price. */
  spread: z.number(),
  fillPrice: z.number(),
  /** The pip of the instrument in price (10^pipLocation; one tick where it has no pip location). */
  pipSize: z.number(),
  /** In price, in pips, in basis points of the arrival mid, and in the account currency over the fill's quantity. */
  slippage: z.number(),
  slippagePips: z.number(),
  slippageBps: z.number(),
  /** Null when no FX rate from the quote currency to the account's was known at the fill. */
  slippageCost: Money.nullable(),
  currency: z.string(),
});
export type FillQuality = z.infer<typeof FillQuality>;

/** One group of the slippage report (a venue, an instrument, an hour of the day). */
export const SlippageGroup = z.object({
  key: z.string(),
  fills: z.number().int(),
  /** Means over the fills, quantity-weighted: slippage in bps and pips, spread in bps of the mid. */
  avgSlippageBps: z.number(),
  avgSlippagePips: z.number(),
  avgSpreadBps: z.number(),
  /** Sum of the costs per account currency ("USD" → "-12.40"). */
  cost: z.record(z.string(), Money),
});
export type SlippageGroup = z.infer<typeof SlippageGroup>;

export const SlippageReport = z.object({
  fills: z.array(FillQuality),
  byVenue: z.array(SlippageGroup),
  bySymbol: z.array(SlippageGroup),
  /** Keyed by the UTC hour of the fill, "00" … "23" (only hours with fills). */
  byHour: z.array(SlippageGroup),
});
export type SlippageReport = z.infer<typeof SlippageReport>;
