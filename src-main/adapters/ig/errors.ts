// IG's errors in plain words: HTTP statuses, the gateway's errorCode strings and the reasons of rejected deals.

/** A REST answer that was not 2xx, or a request that got no answer (status 0). */
export class IgHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string | null,
    /** True when the request may have been carried out (no answer, or a 5xx after IG processed it). */
    readonly uncertain: boolean,
    detail = '',
  ) {
    super(describeIgError(status, errorCode, detail));
  }
}

const ERROR_CODES: Record<string, string> = {
  'error.security.invalid-details': 'IG refused the identifier or password: check them in Settings → Connections',
  'error.security.api-key-invalid': 'IG refused the API key: check that it belongs to this environment (demo or live)',
  'error.security.api-key-missing': 'no IG API key was sent',
  'error.security.api-key-disabled': 'this IG API key is disabled (My IG → Settings → API keys)',
  'error.security.api-key-restricted': 'this IG API key may not be used for this account',
  'error.security.account-suspended': 'the IG account is suspended',
  'error.security.client-token-invalid': 'the IG session expired; logging in again',
  'error.security.oauth-token-invalid': 'the IG session token expired; logging in again',
  'error.security.account-token-invalid': 'the IG session is not for this account',
  'error.public-api.exceeded-api-key-allowance': 'IG says this API key used up its requests for the minute: waiting before trying again',
  'error.public-api.exceeded-account-allowance': 'IG says this account used up its requests for the minute: waiting before trying again',
  'error.public-api.exceeded-account-trading-allowance': 'IG says this account used up its trading requests for the minute: waiting before trying again',
  'error.public-api.exceeded-account-historical-data-allowance': "IG's weekly allowance of historical prices is used up",
  'error.public-api.too-many-requests': 'IG is rate-limiting requests: waiting as it asked before trying again',
  'error.service.marketdata.instrument.epic.unavailable': 'IG does not offer this market (epic) on this account',
  'error.confirms.deal-not-found': 'IG has no confirmation for this deal reference (yet)',
  'error.service.otc.position.not-found': 'IG has no such open position',
  'error.service.delete.working.order.not.found': 'IG has no such working order (filled or deleted already)',
  'error.switch.accountId-must-be-different': 'IG is already on this account',
};

/** Words for IG's deal rejection reasons (a confirm's `reason` when `dealStatus` is REJECTED). */
const REASONS: Record<string, string> = {
  INSUFFICIENT_FUNDS: 'not enough funds in the IG account for this deal',
  MINIMUM_ORDER_SIZE_ERROR: "the size is below IG's minimum deal size for this market",
  MARKET_CLOSED: 'the market is closed at IG',
  MARKET_CLOSED_WITH_EDITS: 'the market is closed at IG',
  MARKET_OFFLINE: 'the market is offline at IG',
  MARKET_PRICE_MOVED: 'the market moved away from the limit before IG could deal',
  MARKET_NOT_BORROWABLE: 'IG cannot borrow this market to sell it',
  ATTACHED_ORDER_LEVEL_ERROR: 'the order level is on the wrong side of the market',
  DUPLICATE_ORDER_ERROR: 'IG saw this order as a duplicate of one just sent',
  POSITION_NOT_AVAILABLE_TO_CLOSE: 'IG has no position to close',
  REJECT_SPREADBET_ORDER_ON_CFD_ACCOUNT: 'a spread bet cannot be dealt on a CFD account',
  SIZE_INCREMENT: "the size does not match IG's size increment for this market",
  MAX_AUTO_SIZE_EXCEEDED: "the size is above IG's maximum for an automatic deal",
  ACCOUNT_NOT_ENABLED_TO_TRADING: 'the IG account is not enabled for trading',
  UNKNOWN: 'IG rejected the deal without saying why',
};

export function describeIgReason(reason: string | null | undefined): string {
  const r = reason ?? 'UNKNOWN';
  return `IG: ${REASONS[r] ?? `the deal was rejected (${r.toLowerCase().replace(/_/g, ' ')})`}`;
}

export const isAllowanceError = (code: string | null): boolean => !!code && code.startsWith('error.public-api.exceeded-');

/** One sentence for the connection line or a refused request. */
export function describeIgError(status: number, errorCode: string | null, detail = ''): string {
  if (errorCode && ERROR_CODES[errorCode]) return `IG: ${ERROR_CODES[errorCode]}`;
  switch (status) {
    case 0: return `IG did not answer (${detail || 'no answer'})`;
    case 400: return `IG refused the request as invalid${errorCode ? ` (${errorCode})` : ''}`;
    case 401: return 'IG refused the session: check the identifier, password and API key';
    case 403: return `IG refused access${errorCode ? ` (${errorCode})` : ''}`;
    case 404: return `IG does not know what was asked for${errorCode ? ` (${errorCode})` : ''}`;
    case 429: return 'IG is rate-limiting requests: waiting before trying again';
    default:
      if (status >= 500) return `IG's servers had a problem (HTTP ${status}); retrying`;
      return `IG answered HTTP ${status}${errorCode ? ` (${errorCode})` : ''}`;
  }
}
