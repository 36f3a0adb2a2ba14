// cTrader Open API errors in plain words: ProtoErrorCode, ProtoOAErrorCode and the order errors of ProtoOAOrderErrorEvent.

/** A request answered with ProtoOAErrorRes / ProtoErrorRes / ProtoOAOrderErrorEvent, or not answered (code NO_ANSWER). */
export class CtraderError extends Error {
  constructor(
    readonly code: string,
    readonly description: string,
    /** True when the request may have been carried out (no answer came). */
    readonly uncertain = false,
  ) {
    super(describeCtraderCode(code, description));
  }
}

const CODES: Record<string, string> = {
  // authorisation
  OA_AUTH_TOKEN_EXPIRED: 'the cTrader access token has expired: create a new one for the application and save it in Settings → Connections',
  ACCOUNT_NOT_AUTHORIZED: 'the cTrader account is not authorised on this connection',
  RET_NO_SUCH_LOGIN: 'this cTrader account no longer exists',
  RET_ACCOUNT_DISABLED: 'the cTrader account is disabled',
  CH_CLIENT_AUTH_FAILURE: 'cTrader refused the application: check the client id and client secret (and that the application is activated)',
  CH_CLIENT_NOT_AUTHENTICATED: 'the application is not authorised on this connection',
  CH_ACCESS_TOKEN_INVALID: 'cTrader refused the access token: check that it is current and was issued for this application',
  CH_SERVER_NOT_REACHABLE: 'cTrader\'s trading service is not reachable now',
  CH_CTID_TRADER_ACCOUNT_NOT_FOUND: 'the access token does not give access to this cTrader account: check the account id',
  CH_OA_CLIENT_NOT_FOUND: 'cTrader does not know this client id',
  // general
  REQUEST_FREQUENCY_EXCEEDED: 'cTrader\'s request limit was reached (50 a second, 5 a second for history): waiting before trying again',
  BLOCKED_PAYLOAD_TYPE: 'cTrader blocked this kind of request for a while (rate limit)',
  SERVER_IS_UNDER_MAINTENANCE: 'cTrader is under maintenance',
  CHANNEL_IS_BLOCKED: 'operations are not allowed for this cTrader account',
  CONNECTIONS_LIMIT_EXCEEDED: 'the application has too many open connections to cTrader',
  CANT_ROUTE_REQUEST: 'cTrader could not route the request (its link to the trading server is down)',
  TIMEOUT_ERROR: 'the deal timed out at cTrader and was rejected',
  UNKNOWN_ERROR: 'cTrader reported an unknown error',
  INVALID_REQUEST: 'cTrader refused the request as invalid',
  UNSUPPORTED_MESSAGE: 'cTrader does not support this request',
  MARKET_CLOSED: 'the market is closed at cTrader',
  CONCURRENT_MODIFICATION: 'the order is being executed and cannot be changed now',
  SYMBOL_HAS_HOLIDAY: 'the symbol is on holiday at this broker',
  // pricing
  SYMBOL_NOT_FOUND: 'this broker does not offer the symbol on this account',
  UNKNOWN_SYMBOL: 'this broker does not offer the symbol on this account',
  ALREADY_SUBSCRIBED: 'already subscribed to these prices',
  NOT_SUBSCRIBED_TO_SPOTS: 'not subscribed to this symbol\'s prices',
  INCORRECT_BOUNDARIES: 'the requested period is too long or invalid',
  // trading
  NO_QUOTES: 'there are no prices for the symbol now, so the order cannot trade',
  NOT_ENOUGH_MONEY: 'not enough free margin in the cTrader account for this order',
  MAX_EXPOSURE_REACHED: 'the broker\'s maximum exposure for this symbol would be exceeded',
  POSITION_NOT_FOUND: 'cTrader does not know this position',
  ORDER_NOT_FOUND: 'cTrader does not know this order, or it is no longer pending (filled or cancelled)',
  POSITION_NOT_OPEN: 'the position is not open',
  POSITION_LOCKED: 'the position is locked for this operation',
  TOO_MANY_POSITIONS: 'the account has reached its limit of open positions and orders',
  TRADING_BAD_VOLUME: 'the quantity is not valid for this symbol (below the minimum, above the maximum, or off the size step)',
  TRADING_BAD_STOPS: 'the stop-loss or take-profit price is not valid',
  TRADING_BAD_PRICES: 'the order price is not valid',
  PROTECTION_IS_TOO_CLOSE_TO_MARKET: 'the stop-loss or take-profit is too close to the market',
  TRADING_BAD_EXPIRATION_DATE: 'the expiry is not valid',
  PENDING_EXECUTION: 'the position has an order under execution',
  TRADING_DISABLED: 'trading is disabled for this symbol',
  TRADING_NOT_ALLOWED: 'the cTrader account is read-only',
  UNABLE_TO_CANCEL_ORDER: 'cTrader could not cancel the order',
  UNABLE_TO_AMEND_ORDER: 'cTrader could not change the order',
  SHORT_SELLING_NOT_ALLOWED: 'short selling is not allowed for this symbol',
  NO_ANSWER: 'cTrader did not answer',
};

/** Codes after which reconnecting cannot help: the user must change a setting or a credential. */
export const FATAL_CODES: ReadonlySet<string> = new Set([
  'OA_AUTH_TOKEN_EXPIRED', 'RET_NO_SUCH_LOGIN', 'RET_ACCOUNT_DISABLED', 'CH_CLIENT_AUTH_FAILURE', 'CH_ACCESS_TOKEN_INVALID', 'CH_CTID_TRADER_ACCOUNT_NOT_FOUND', 'CH_OA_CLIENT_NOT_FOUND',
]);

export function describeCtraderCode(code: string, description?: string): string {
  const words = CODES[code];
  if (words) return `cTrader: ${words}`;
  return `cTrader refused the request (${code.toLowerCase().replace(/_/g, ' ')}${description ? `: ${description}` : ''})`;
}
