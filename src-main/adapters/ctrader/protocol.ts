// cTrader Open API's JSON wire format: payload type numbers, enums and scales, as in Spotware's OpenApiMessages.proto,
// OpenApiModelMessages.proto and OpenApiCommonModelMessages.proto (github.com/spotware/openapi-proto-messages, checked
// at commit 40b9b1d, 2025-07-16). Every frame is one JSON object: { clientMsgId?, payloadType, payload }; an answer
// echoes the request's clientMsgId. The simulator (tools/ctrader-sim) speaks the same numbers from this file.

/** ProtoPayloadType (common) and ProtoOAPayloadType: only the messages this venue uses. */
export const PT = {
  ERROR_RES: 50,
  HEARTBEAT_EVENT: 51,
  APPLICATION_AUTH_REQ: 2100,
  APPLICATION_AUTH_RES: 2101,
  ACCOUNT_AUTH_REQ: 2102,
  ACCOUNT_AUTH_RES: 2103,
  NEW_ORDER_REQ: 2106,
  CANCEL_ORDER_REQ: 2108,
  AMEND_ORDER_REQ: 2109,
  ASSET_LIST_REQ: 2112,
  ASSET_LIST_RES: 2113,
  SYMBOLS_LIST_REQ: 2114,
  SYMBOLS_LIST_RES: 2115,
  SYMBOL_BY_ID_REQ: 2116,
  SYMBOL_BY_ID_RES: 2117,
  TRADER_REQ: 2121,
  TRADER_RES: 2122,
  RECONCILE_REQ: 2124,
  RECONCILE_RES: 2125,
  EXECUTION_EVENT: 2126,
  SUBSCRIBE_SPOTS_REQ: 2127,
  SUBSCRIBE_SPOTS_RES: 2128,
  SPOT_EVENT: 2131,
  ORDER_ERROR_EVENT: 2132,
  DEAL_LIST_REQ: 2133,
  DEAL_LIST_RES: 2134,
  GET_TRENDBARS_REQ: 2137,
  GET_TRENDBARS_RES: 2138,
  OA_ERROR_RES: 2142,
  GET_ACCOUNTS_BY_ACCESS_TOKEN_REQ: 2149,
  GET_ACCOUNTS_BY_ACCESS_TOKEN_RES: 2150,
  ORDER_LIST_REQ: 2175,
  ORDER_LIST_RES: 2176,
} as const;

/** Requests cTrader counts against its historical-data limit (5 a second); all others share 50 a second. */
export const HISTORICAL_REQUESTS: ReadonlySet<number> = new Set([PT.DEAL_LIST_REQ, PT.GET_TRENDBARS_REQ, PT.ORDER_LIST_REQ]);

export const OrderType = { MARKET: 1, LIMIT: 2, STOP: 3, STOP_LOSS_TAKE_PROFIT: 4, MARKET_RANGE: 5, STOP_LIMIT: 6 } as const;
export const TradeSide = { BUY: 1, SELL: 2 } as const;
export const ExecutionType = {
  ORDER_ACCEPTED: 2, ORDER_FILLED: 3, ORDER_REPLACED: 4, ORDER_CANCELLED: 5, ORDER_EXPIRED: 6, ORDER_REJECTED: 7, ORDER_CANCEL_REJECTED: 8,
  SWAP: 9, DEPOSIT_WITHDRAW: 10, ORDER_PARTIAL_FILL: 11, BONUS_DEPOSIT_WITHDRAW: 12,
} as const;
export const OrderStatus = { ACCEPTED: 1, FILLED: 2, REJECTED: 3, EXPIRED: 4, CANCELLED: 5 } as const;
export const PositionStatus = { OPEN: 1, CLOSED: 2, CREATED: 3, ERROR: 4 } as const;
export const DealStatus = { FILLED: 2, PARTIALLY_FILLED: 3, REJECTED: 4, INTERNALLY_REJECTED: 5, ERROR: 6, MISSED: 7 } as const;
export const TimeInForce = { GOOD_TILL_DATE: 1, GOOD_TILL_CANCEL: 2, IMMEDIATE_OR_CANCEL: 3, FILL_OR_KILL: 4, MARKET_ON_OPEN: 5 } as const;
export const TrendbarPeriod = { M1: 1, M5: 5, H1: 9, D1: 12 } as const;
export const SwapCalculationType = { PIPS: 0, PERCENTAGE: 1, POINTS: 2 } as const;

/** Spot prices, relative SL/TP and trendbar prices travel as integers in 1/100000 of a price unit. */
export const PRICE_SCALE = 100_000;
/** Volumes travel in cents of a unit (1000 = 10.00 units). */
export const VOLUME_SCALE = 100;

export const toPrice = (raw: number): number => raw / PRICE_SCALE;
export const fromPrice = (price: number): number => Math.round(price * PRICE_SCALE);
export const toUnits = (volume: number): number => volume / VOLUME_SCALE;
export const fromUnits = (units: number): number => Math.round(units * VOLUME_SCALE);

export type Json = Record<string, unknown>;

/** One frame of the JSON protocol. */
export interface Frame {
  clientMsgId?: string;
  payloadType: number;
  payload?: Json;
}

/** Reads a frame; null when the text is not one. */
export function parseFrame(text: string): Frame | null {
  try {
    const v = JSON.parse(text) as unknown;
    if (!v || typeof v !== 'object' || typeof (v as Frame).payloadType !== 'number') return null;
    return v as Frame;
  } catch {
    return null;
  }
}

/** Enums may arrive as their number or, from other JSON encoders, their name: both are read as the number. */
export function enumValue<T extends Record<string, number>>(table: T, v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return table[v] ?? (table[v.replace(/^ORDER_STATUS_|^POSITION_STATUS_/, '')] as number | undefined);
  return undefined;
}
