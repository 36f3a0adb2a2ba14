// Domain value types shared by main and renderer: plain data, no behaviour, no Node or DOM.
import { z } from 'zod';

/** A decimal amount of money, transported as a string so no precision is lost ("1234.56"). */
export const Money = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal number as a string');
export type Money = z.infer<typeof Money>;

export const AssetClass = z.enum(['stock', 'index-cfd', 'fx', 'commodity-cfd', 'crypto']);
export type AssetClass = z.infer<typeof AssetClass>;

/** Trading sessions: named calendars the demo market and the paper broker understand. */
export const SessionKind = z.enum(['us-equity', 'fx-24x5', 'cfd-23x5', 'crypto-24x7']);
export type SessionKind = z.infer<typeof SessionKind>;

export const Instrument = z.object({
  symbol: z.string().min(1),
  name: z.string(),
  assetClass: AssetClass,
  currency: z.string().length(3),
  exchange: z.string(),
  tickSize: z.number().positive(),
  /** Smallest tradable quantity step (1 share, 1000 units of FX, 0.001 BTC...). */
  lotSize: z.number().positive(),
  session: SessionKind,
});
export type Instrument = z.infer<typeof Instrument>;

export const Timeframe = z.enum(['1m', '5m', '1h', '1d']);
export type Timeframe = z.infer<typeof Timeframe>;
export const TIMEFRAME_SECONDS: Record<Timeframe, number> = { '1m': 60, '5m': 300, '1h': 3600, '1d': 86400 };

/** OHLCV bar; `time` is the bar's open time in UTC seconds (lightweight-charts' UTCTimestamp). */
export const Bar = z.object({
  time: z.number().int(),
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number().nonnegative(),
});
export type Bar = z.infer<typeof Bar>;

/** A top-of-book update with the last trade; `time` in UTC milliseconds. */
export const Quote = z.object({
  symbol: z.string(),
  time: z.number(),
  bid: z.number(),
  ask: z.number(),
  last: z.number(),
  /** Size of the last trade (units), 0 when the update is quote-only. */
  lastSize: z.number().nonnegative(),
  source: z.string(),
});
export type Quote = z.infer<typeof Quote>;

export const OrderSide = z.enum(['buy', 'sell']);
export type OrderSide = z.infer<typeof OrderSide>;
/** stop-limit: a limit order once the stop is touched; trailing-stop: a stop that follows the best price by trailPercent. */
export const OrderType = z.enum(['market', 'limit', 'stop', 'stop-limit', 'trailing-stop']);
export type OrderType = z.infer<typeof OrderType>;
export const TimeInForce = z.enum(['day', 'gtc']);
export type TimeInForce = z.infer<typeof TimeInForce>;

export const OrderStatus = z.enum([
  'new', // recorded, not yet risk-checked
  'rejected', // refused by the risk gate or the broker
  'submitted', // sent to the broker, not acknowledged
  'working', // acknowledged by the broker, not (fully) filled
  'partially-filled',
  'filled',
  'cancelled',
]);
export type OrderStatus = z.infer<typeof OrderStatus>;
export const OPEN_ORDER_STATUSES: readonly OrderStatus[] = ['new', 'submitted', 'working', 'partially-filled'];

/** stop-out: closed by the margin stop-out of a CFD account (the order's note says why). */
export const OrderSource = z.enum(['manual', 'strategy', 'bracket', 'external', 'flatten', 'stop-out']);
export type OrderSource = z.infer<typeof OrderSource>;

export const Order = z.object({
  /** Our client order id (a UUID), stable across restarts and reconnects. */
  id: z.string(),
  accountId: z.string(),
  brokerOrderId: z.string().nullable(),
  symbol: z.string(),
  side: OrderSide,
  type: OrderType,
  quantity: z.number(),
  limitPrice: z.number().nullable(),
  stopPrice: z.number().nullable(),
  /** Trailing stops: the distance from the best price, in percent (5 = 5 %). */
  trailPercent: z.number().nullable().optional(),
  timeInForce: TimeInForce,
  /** Protective legs requested with the order, submitted as an OCO pair once it fills. */
  stopLoss: z.number().nullable(),
  takeProfit: z.number().nullable(),
  /** Set on the children of a bracket (stop-loss and take-profit legs). */
  parentId: z.string().nullable(),
  source: OrderSource,
  status: OrderStatus,
  filledQuantity: z.number(),
  avgFillPrice: z.number().nullable(),
  rejectReason: z.string().nullable(),
  /** Why the app placed the order itself, for the blotter ("stop-out: margin level 48 % < 50 %"). */
  note: z.string().nullable().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Order = z.infer<typeof Order>;

export const Fill = z.object({
  id: z.string(),
  orderId: z.string(),
  accountId: z.string(),
  symbol: z.string(),
  side: OrderSide,
  quantity: z.number().positive(),
  price: z.number(),
  commission: Money,
  time: z.number(),
});
export type Fill = z.infer<typeof Fill>;

export const Position = z.object({
  accountId: z.string(),
  symbol: z.string(),
  /** Signed: negative is short. */
  quantity: z.number(),
  avgPrice: z.number(),
  realizedPnl: Money,
  /** Overnight financing booked on the position (CFD accounts; account currency, already in realizedPnl). */
  financing: Money.optional(),
  /** Mark-to-market fields, filled in when a price is known. */
  marketPrice: z.number().nullable(),
  marketValue: Money.nullable(),
  unrealizedPnl: Money.nullable(),
});
export type Position = z.infer<typeof Position>;

export const AccountSummary = z.object({
  accountId: z.string(),
  broker: z.string(),
  currency: z.string(),
  cash: Money,
  nav: Money,
  /** NAV now minus NAV at the start of the trading day (UTC midnight). */
  dayPnl: Money,
  realizedPnl: Money,
  unrealizedPnl: Money,
  grossExposure: Money,
  /** Overnight financing booked on the positions (included in realizedPnl); present when any was booked. */
  financing: Money.optional(),
});
export type AccountSummary = z.infer<typeof AccountSummary>;

export const EquityPoint = z.object({ time: z.number().int(), nav: Money });
export type EquityPoint = z.infer<typeof EquityPoint>;

export const AuditEntry = z.object({
  seq: z.number().int(),
  time: z.number(),
  kind: z.string(),
  orderId: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
