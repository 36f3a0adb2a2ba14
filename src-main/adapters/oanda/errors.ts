// OANDA v20 errors in plain words: HTTP statuses, errorCodes of rejected orders, and the reasons orders are cancelled.

/** A REST answer that was not 2xx, or a request that got no answer (status 0). */
export class OandaHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string | null,
    readonly errorMessage: string,
    /** The answer's JSON (a reject transaction, lastTransactionID), when there was one. */
    readonly body: Record<string, unknown> | null,
    /** True when the request may have been carried out (no answer, or a 5xx after the server processed it). */
    readonly uncertain: boolean,
  ) {
    super(describeOandaError(status, errorCode, errorMessage));
  }
}

const CODES: Record<string, string> = {
  INSUFFICIENT_MARGIN: 'not enough free margin in the OANDA account for this order',
  INSUFFICIENT_LIQUIDITY: 'OANDA had not enough liquidity to fill the order at once',
  MARKET_HALTED: 'the market is closed or halted at OANDA',
  ACCOUNT_NOT_ACTIVE: 'the OANDA account is not active',
  ACCOUNT_LOCKED: 'the OANDA account is locked',
  ACCOUNT_ORDER_CREATION_LOCKED: 'the OANDA account may not create orders now',
  INSTRUMENT_UNKNOWN: 'OANDA does not offer this instrument on this account',
  INSTRUMENT_NOT_TRADEABLE: 'OANDA does not let this account trade this instrument',
  UNITS_INVALID: 'the quantity is not a valid number of units',
  UNITS_PRECISION_EXCEEDED: 'the quantity has more decimals than OANDA allows for this instrument',
  UNITS_MINIMUM_NOT_MET: 'the quantity is below OANDA\'s minimum trade size for this instrument',
  UNITS_LIMIT_EXCEEDED: 'the quantity is above OANDA\'s maximum order size for this instrument',
  PRICE_INVALID: 'the order price is not valid',
  PRICE_PRECISION_EXCEEDED: 'the price has more decimals than OANDA allows for this instrument',
  BOUNDS_VIOLATION: 'the market moved beyond the price bound before the order could fill',
  CLIENT_ORDER_ID_ALREADY_EXISTS: 'OANDA already holds a pending order with this id',
  ORDER_DOESNT_EXIST: 'OANDA does not know this order',
  ORDER_NOT_PENDING: 'the order is no longer pending at OANDA (filled or cancelled)',
  NO_SUCH_ORDER: 'OANDA does not know this order',
  TRADE_DOESNT_EXIST: 'OANDA does not know this trade',
  POSITION_AGGREGATE_LIMIT_EXCEEDED: 'the position would exceed OANDA\'s limit for this account',
  TRAILING_STOP_LOSS_ON_FILL_PRICE_DISTANCE_MAXIMUM_EXCEEDED: 'the trailing stop distance is outside what OANDA allows for this instrument',
  TRAILING_STOP_LOSS_ON_FILL_PRICE_DISTANCE_MINIMUM_NOT_MET: 'the trailing stop distance is below OANDA\'s minimum for this instrument',
  STOP_LOSS_ON_FILL_PRICE_INVALID: 'the stop-loss price is not valid',
  TAKE_PROFIT_ON_FILL_PRICE_INVALID: 'the take-profit price is not valid',
  FIFO_VIOLATION_SAFEGUARD_VIOLATION: 'the order would break OANDA\'s first-in-first-out rule for this account',
  INVALID_ORDER_TYPE: 'OANDA does not take this order type here',
};

/** Words for an order the user sees as rejected or cancelled by OANDA. */
export function describeOandaCode(code: string): string {
  return CODES[code] ?? `OANDA refused the order (${code.toLowerCase().replace(/_/g, ' ')})`;
}

const CANCEL_REASONS: Record<string, string> = {
  CLIENT_REQUEST: 'cancelled on request',
  INSUFFICIENT_LIQUIDITY: CODES['INSUFFICIENT_LIQUIDITY']!,
  INSUFFICIENT_MARGIN: CODES['INSUFFICIENT_MARGIN']!,
  MARKET_HALTED: CODES['MARKET_HALTED']!,
  BOUNDS_VIOLATION: CODES['BOUNDS_VIOLATION']!,
  LINKED_TRADE_CLOSED: 'its trade was closed, so OANDA cancelled it',
  TIME_IN_FORCE_EXPIRED: 'its time in force expired',
  ACCOUNT_LOCKED: CODES['ACCOUNT_LOCKED']!,
};

export function describeCancelReason(reason: string | undefined): string {
  return (reason && CANCEL_REASONS[reason]) ?? `cancelled by OANDA (${(reason ?? 'no reason given').toLowerCase().replace(/_/g, ' ')})`;
}

/** One sentence for the connection line or a rejected order. */
export function describeOandaError(status: number, errorCode: string | null, errorMessage: string): string {
  if (errorCode && CODES[errorCode]) return `OANDA: ${CODES[errorCode]}`;
  switch (status) {
    case 0: return `OANDA did not answer (${errorMessage})`;
    case 400: return `OANDA refused the request as invalid: ${errorMessage}`;
    case 401: return 'OANDA refused the API token: check that it is current and belongs to this environment (practice or live)';
    case 403: return 'OANDA refused access to this account with this token: check the account id';
    case 404: return `OANDA does not know what was asked for: ${errorMessage}`;
    case 405: return `OANDA does not allow this request: ${errorMessage}`;
    case 429: return 'OANDA is rate-limiting requests: waiting as it asked before trying again';
    default:
      if (status >= 500) return `OANDA's servers had a problem (HTTP ${status}); retrying`;
      return `OANDA answered HTTP ${status}: ${errorMessage}`;
  }
}
