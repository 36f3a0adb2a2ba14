// IB error/warning codes (EWrapper.error) mapped to plain words for the user and a class the clients act on.
// Source: IB's "Message Codes" table (TWS API docs, error handling chapter) and the @stoqey/ib ErrorCode enum; where
// one code means several things (162, 200, 420) the TWS text decides.

/**
 * What a code means to the app:
 * - connection: the API socket or TWS↔IB link (reconnect, resubscribe, status);
 * - data-farm: a TWS data farm went up/down (status shows it; data may pause);
 * - pacing: too many messages or historical requests (slow down, retry later);
 * - order-reject: an order was refused or cancelled by IB;
 * - order-warning: an order went through with a caveat;
 * - market-data-permission: no subscription / delayed only / competing session / line limit;
 * - request: a request was malformed or found nothing (unknown contract, no data, unknown id);
 * - info: nothing is wrong.
 */
export type IbErrorClass =
  | 'connection'
  | 'data-farm'
  | 'pacing'
  | 'order-reject'
  | 'order-warning'
  | 'market-data-permission'
  | 'request'
  | 'info';

export type IbSeverity = 'info' | 'warning' | 'error';

/** What a client does on receipt; the connection manager and the data client switch on this. */
export type IbErrorAction =
  | 'none'
  /** TWS lost its link to IB: data stops until 1101/1102. */
  | 'wait-for-ib'
  /** Market data requests were dropped by TWS: issue them again. */
  | 'resubscribe'
  /** The socket is (about to be) dropped: reconnect. */
  | 'reconnect'
  /** Retry the request later (pacing). */
  | 'retry-later'
  /** Fails the request it belongs to. */
  | 'fail-request';

export interface IbErrorSpec {
  class: IbErrorClass;
  severity: IbSeverity;
  action: IbErrorAction;
  /** Plain words for the user: what happened and what to do. */
  message: string;
}

export interface IbErrorInfo extends IbErrorSpec {
  code: number;
  /** TWS's own text (may name a contract or an order; the caller decides what to log). */
  twsText: string;
  /** Whether the code is in our table (false ⇒ the class and message come from the code's range). */
  known: boolean;
}

type Row = [code: number, cls: IbErrorClass, severity: IbSeverity, action: IbErrorAction, message: string];

const ROWS: Row[] = [
  // System messages: the link between TWS and IB's servers.
  [1100, 'connection', 'error', 'wait-for-ib', 'TWS lost its connection to IB servers; market data and order updates pause until it is restored (often the nightly reset).'],
  [1101, 'connection', 'warning', 'resubscribe', 'TWS reconnected to IB servers, but market data subscriptions were lost; they are being requested again.'],
  [1102, 'connection', 'info', 'none', 'TWS reconnected to IB servers; market data subscriptions were kept.'],
  [1300, 'connection', 'error', 'reconnect', 'The TWS API port was changed in TWS settings and this connection is being dropped; reconnect on the new port.'],
  [2110, 'connection', 'warning', 'wait-for-ib', 'TWS cannot reach IB servers right now; it will reconnect by itself.'],
  // Client-side errors raised by the API library.
  [501, 'connection', 'warning', 'none', 'Already connected to TWS.'],
  [502, 'connection', 'error', 'reconnect', 'Could not connect to TWS / IB Gateway: check that it is running, that "Enable ActiveX and Socket Clients" is on, and that the port matches (TWS 7496 live / 7497 paper, Gateway 4001 / 4002).'],
  [503, 'connection', 'error', 'none', 'TWS / IB Gateway is too old for this application; please update it.'],
  [504, 'connection', 'error', 'reconnect', 'Not connected to TWS; the request was not sent.'],
  [505, 'connection', 'error', 'reconnect', 'TWS sent a message this application does not understand; reconnecting.'],
  [506, 'connection', 'error', 'reconnect', 'TWS uses an unsupported API version.'],
  [507, 'connection', 'error', 'reconnect', 'The connection to TWS was closed (bad message length / end of stream): TWS may have closed, locked, or refused a duplicate client id.'],
  [508, 'connection', 'error', 'reconnect', 'TWS sent a malformed message; reconnecting.'],
  [509, 'connection', 'error', 'reconnect', 'Sending to TWS failed; reconnecting.'],
  [520, 'connection', 'error', 'reconnect', 'Could not open a socket to TWS.'],
  [586, 'connection', 'error', 'reconnect', 'Could not read from TWS: not connected.'],
  [326, 'connection', 'error', 'reconnect', 'TWS refused the connection: this client id is already in use by another application; choose another client id.'],
  [100, 'pacing', 'error', 'retry-later', 'Too many messages per second were sent to TWS (limit 50/s); TWS may disconnect. Requests are being slowed down.'],
  // Data farms: informational on connect, warnings when a farm drops.
  [2103, 'data-farm', 'warning', 'none', 'A market data farm is disconnected: live quotes for some markets pause until it reconnects.'],
  [2104, 'data-farm', 'info', 'none', 'Market data farm connection is OK.'],
  [2105, 'data-farm', 'warning', 'none', 'A historical data farm is disconnected: chart history requests may fail until it reconnects.'],
  [2106, 'data-farm', 'info', 'none', 'Historical data farm connection is OK.'],
  [2107, 'data-farm', 'info', 'none', 'Historical data farm is idle; it reconnects on the next history request.'],
  [2108, 'data-farm', 'info', 'none', 'Market data farm is idle; it reconnects when data is requested.'],
  [2119, 'data-farm', 'info', 'none', 'Market data farm is connecting.'],
  [2157, 'data-farm', 'warning', 'none', 'The security definition farm is disconnected: contract look-ups may fail until it reconnects.'],
  [2158, 'data-farm', 'info', 'none', 'Security definition farm connection is OK.'],
  // Pacing and request errors.
  [162, 'request', 'error', 'fail-request', 'IB historical data service error.'],
  [165, 'info', 'info', 'none', 'IB historical data service notice.'],
  [166, 'request', 'error', 'fail-request', 'IB has no historical data for this expired contract.'],
  [420, 'request', 'error', 'fail-request', 'IB refused the real-time data request.'],
  [101, 'market-data-permission', 'error', 'fail-request', 'TWS market data line limit reached: unsubscribe some symbols (the limit depends on the account: usually 100 lines).'],
  [102, 'request', 'error', 'fail-request', 'Duplicate ticker id: a market data request reused the id of an active one.'],
  [200, 'request', 'error', 'fail-request', 'IB found no contract for this symbol (check symbol, exchange and currency).'],
  [203, 'request', 'error', 'fail-request', 'This security is not available or not allowed for this account.'],
  [300, 'request', 'info', 'none', 'TWS had no subscription with this id to cancel (already gone).'],
  [309, 'market-data-permission', 'error', 'fail-request', 'TWS allows at most 3 market depth subscriptions at a time.'],
  [310, 'request', 'info', 'none', 'TWS had no market depth subscription with this id to cancel.'],
  [316, 'request', 'warning', 'resubscribe', 'Market depth data was halted; resubscribe.'],
  [317, 'request', 'info', 'none', 'Market depth was reset; the order book is rebuilt.'],
  [320, 'request', 'error', 'fail-request', 'TWS could not read the request (server error).'],
  [321, 'request', 'error', 'fail-request', 'TWS rejected the request as invalid.'],
  [322, 'request', 'error', 'fail-request', 'TWS failed to process the request (for history: often a duplicate request id or too many open requests).'],
  [323, 'request', 'error', 'fail-request', 'TWS server error.'],
  [354, 'market-data-permission', 'error', 'fail-request', 'No market data subscription for this instrument, and delayed data is not available; subscribe in IB Account Management or use delayed data.'],
  [365, 'request', 'info', 'none', 'TWS had no scanner subscription with this id.'],
  [366, 'request', 'info', 'none', 'TWS had no historical data request with this id (already finished or cancelled).'],
  [386, 'request', 'error', 'fail-request', 'Duplicate ticker id for a historical data request.'],
  [430, 'request', 'error', 'fail-request', 'IB has no fundamental data for this security.'],
  [10089, 'market-data-permission', 'error', 'fail-request', 'Your market data subscription does not cover API use for this instrument; delayed data may be available.'],
  [10090, 'market-data-permission', 'warning', 'none', 'Part of the requested market data is not subscribed; some fields will stay empty.'],
  [10091, 'market-data-permission', 'warning', 'none', 'Part of the requested market data needs an additional subscription for API use.'],
  [10167, 'market-data-permission', 'warning', 'none', 'No live market data subscription for this instrument: showing delayed data (15–20 minutes old).'],
  [10168, 'market-data-permission', 'error', 'fail-request', 'No live market data subscription for this instrument, and delayed data is not enabled.'],
  [10186, 'market-data-permission', 'error', 'fail-request', 'No live market data subscription for this instrument, and delayed data is not enabled.'],
  [10187, 'market-data-permission', 'error', 'fail-request', 'No market data permission for historical ticks of this instrument.'],
  [10189, 'market-data-permission', 'error', 'fail-request', 'Tick-by-tick data refused: no permission, or the trading session is logged in from another IP address.'],
  [10197, 'market-data-permission', 'error', 'fail-request', 'No market data: the same IB user is logged in elsewhere (a competing live session, e.g. TWS or the mobile app); log out there or use a separate market data user.'],
  [10225, 'request', 'warning', 'resubscribe', 'A bust event deactivated the real-time bars subscription; resubscribe.'],
  [10276, 'market-data-permission', 'error', 'fail-request', 'News feed is not allowed for this account.'],
  // Orders.
  [103, 'order-reject', 'error', 'fail-request', 'Duplicate order id: the order was not sent.'],
  [104, 'order-reject', 'error', 'fail-request', 'A filled order cannot be modified.'],
  [105, 'order-reject', 'error', 'fail-request', 'The modification does not match the original order.'],
  [106, 'order-reject', 'error', 'fail-request', 'TWS cannot transmit this order (invalid order type or fields).'],
  [107, 'order-reject', 'error', 'fail-request', 'The order is missing a required field.'],
  [109, 'order-reject', 'error', 'fail-request', "The price is outside TWS's precautionary percentage range; the order was not sent."],
  [110, 'order-reject', 'error', 'fail-request', "The price does not fit the contract's minimum tick size."],
  [111, 'order-reject', 'error', 'fail-request', 'The time in force does not fit the order type.'],
  [116, 'order-reject', 'error', 'fail-request', 'The order cannot be sent to this exchange (closed or invalid).'],
  [133, 'order-reject', 'error', 'fail-request', 'Submitting the order failed.'],
  [134, 'order-reject', 'error', 'fail-request', 'Modifying the order failed; it may have been filled or cancelled already.'],
  [135, 'order-reject', 'error', 'fail-request', 'IB cannot find the order to cancel.'],
  [136, 'order-reject', 'error', 'fail-request', 'This order cannot be cancelled.'],
  [154, 'order-reject', 'error', 'fail-request', 'Orders cannot be sent for a halted security.'],
  [160, 'order-reject', 'error', 'fail-request', 'The order size cannot be zero.'],
  [161, 'order-reject', 'warning', 'none', 'The order is not in a cancellable state (already filled or cancelled).'],
  [163, 'order-reject', 'error', 'fail-request', "The price violates TWS's precautionary percentage setting."],
  [201, 'order-reject', 'error', 'fail-request', 'IB rejected the order.'],
  [202, 'order-reject', 'info', 'none', 'The order was cancelled.'],
  [355, 'order-reject', 'error', 'fail-request', "The order size does not fit the contract's size rules."],
  [387, 'order-reject', 'error', 'fail-request', 'This order type is not supported for this exchange and security type.'],
  [388, 'order-reject', 'error', 'fail-request', 'The order size is below the minimum.'],
  [392, 'order-reject', 'error', 'fail-request', 'The contract has expired.'],
  [434, 'order-reject', 'error', 'fail-request', 'The order size cannot be zero.'],
  [435, 'order-reject', 'error', 'fail-request', 'An account must be specified for this order.'],
  [460, 'order-reject', 'error', 'fail-request', 'This account has no trading permission for this instrument.'],
  [10147, 'order-reject', 'warning', 'none', 'The order to cancel was not found at IB.'],
  [10148, 'order-reject', 'warning', 'none', 'The order can no longer be cancelled (it is filled or being processed).'],
  [10006, 'order-reject', 'error', 'fail-request', 'The parent order of this bracket leg was not found.'],
  [10015, 'order-reject', 'error', 'fail-request', 'Trading through the API is not allowed for this account (TWS API settings).'],
  [10243, 'order-reject', 'error', 'fail-request', 'Fractional-sized orders cannot be placed through the API.'],
  [399, 'order-warning', 'warning', 'none', 'IB accepted the order with a warning (e.g. it will not be placed until the market opens).'],
  [404, 'order-warning', 'warning', 'none', 'Shares are not available for short sale now; IB holds the order while it locates them.'],
  [481, 'order-warning', 'warning', 'none', 'IB reduced the order size.'],
  [2102, 'order-warning', 'warning', 'none', 'The order cannot be modified while it is still being processed; try again shortly.'],
  [2109, 'order-warning', 'info', 'none', 'The "outside regular trading hours" flag was ignored for this order type and exchange.'],
  [2137, 'order-warning', 'warning', 'none', 'Cross side warning: this order would flip the position from long to short or back (the closing quantity exceeds the position).'],
  [2168, 'order-warning', 'warning', 'none', 'The "E-trade only" order attribute is no longer supported and was ignored.'],
  [2169, 'order-warning', 'warning', 'none', 'The "firm quote only" order attribute is no longer supported and was ignored.'],
  // Account notices.
  [2100, 'info', 'info', 'none', 'Account updates were taken over by a new request.'],
  [2101, 'info', 'warning', 'none', 'Cannot subscribe to this account: another client is subscribed to a different account.'],
  [2150, 'info', 'warning', 'none', 'IB could not derive a position value (invalid position trade derived value).'],
];

const TABLE: ReadonlyMap<number, IbErrorSpec> = new Map(
  ROWS.map(([code, cls, severity, action, message]) => [code, { class: cls, severity, action, message }]),
);

/** Every code with a specific entry (for tests and the simulator's coverage check). */
export const KNOWN_IB_CODES: readonly number[] = ROWS.map((r) => r[0]);

/** The spec of a code regardless of text (undefined when it is not in the table). */
export function ibErrorSpec(code: number): IbErrorSpec | undefined {
  return TABLE.get(code);
}

/**
 * Classifies one error event from TWS. The text refines codes that carry several meanings:
 * 162 is a pacing violation, "no data", or a cancelled query; 420 is pacing or a bad real-time query.
 */
export function classifyIbError(code: number, twsText = ''): IbErrorInfo {
  const text = twsText.trim();
  const lower = text.toLowerCase();
  const base = TABLE.get(code);
  if (code === 162 || code === 420) {
    if (lower.includes('pacing violation')) {
      return info(code, text, {
        class: 'pacing',
        severity: 'warning',
        action: 'retry-later',
        message: 'IB refused a history request for pacing (too many requests in 10 minutes, or an identical one within 15 seconds); it will be retried automatically.',
      });
    }
    if (code === 162 && lower.includes('query cancelled')) {
      return info(code, text, { class: 'info', severity: 'info', action: 'none', message: 'The historical data request was cancelled.' });
    }
    if (code === 162 && (lower.includes('returned no data') || lower.includes('no data'))) {
      return info(code, text, { class: 'request', severity: 'warning', action: 'fail-request', message: 'IB has no historical data for this instrument and period.' });
    }
    if (code === 162 && lower.includes('no market data permissions')) {
      return info(code, text, { class: 'market-data-permission', severity: 'error', action: 'fail-request', message: 'No market data permission for the history of this instrument.' });
    }
  }
  if (code === 200 && lower.includes('ambiguous')) {
    return info(code, text, { class: 'request', severity: 'error', action: 'fail-request', message: 'The contract is ambiguous at IB: specify the exchange (primary exchange) or currency.' });
  }
  if (base) return { ...base, code, twsText: text, known: true };
  return { ...byRange(code), code, twsText: text, known: false };
}

/** A one-line text for the user: our words, then TWS's own in brackets when they add something. */
export function describeIbError(e: IbErrorInfo): string {
  return e.twsText ? `${e.message} (IB ${e.code}: ${e.twsText})` : `${e.message} (IB ${e.code})`;
}

/** Codes that only say all is well: never shown as errors. */
export function isIbNotice(code: number): boolean {
  const spec = TABLE.get(code);
  return spec !== undefined && spec.severity === 'info';
}

export type IbConnectivity = 'lost' | 'restored-data-lost' | 'restored-data-kept';

/** The TWS↔IB link state a system code announces, or undefined. */
export function connectivityOf(code: number): IbConnectivity | undefined {
  if (code === 1100 || code === 2110) return 'lost';
  if (code === 1101) return 'restored-data-lost';
  if (code === 1102) return 'restored-data-kept';
  return undefined;
}

export interface DataFarmNotice {
  kind: 'market' | 'history' | 'secdef';
  /** Farm name as TWS reports it (usfarm, ushmds, secdefnj...), or the kind when TWS names none. */
  name: string;
  ok: boolean;
}

/** The farm a data-farm code is about (for ConnectionStatus.dataFarms), or undefined for other codes. */
export function dataFarmOf(code: number, twsText = ''): DataFarmNotice | undefined {
  const kinds: Record<number, [DataFarmNotice['kind'], boolean]> = {
    2103: ['market', false], 2104: ['market', true], 2108: ['market', true], 2119: ['market', false],
    2105: ['history', false], 2106: ['history', true], 2107: ['history', true],
    2157: ['secdef', false], 2158: ['secdef', true],
  };
  const k = kinds[code];
  if (!k) return undefined;
  // TWS appends the farm after a colon: "Market data farm connection is OK:usfarm".
  const colon = twsText.lastIndexOf(':');
  const name = colon >= 0 ? twsText.slice(colon + 1).trim() : '';
  return { kind: k[0], name: name || k[0], ok: k[1] };
}

function info(code: number, twsText: string, spec: IbErrorSpec): IbErrorInfo {
  return { ...spec, code, twsText, known: true };
}

/** IB's numbering: 1xx–4xx request/order errors, 5xx client errors, 1100s system, 2100s warnings, 10000s newer errors. */
function byRange(code: number): IbErrorSpec {
  if (code >= 501 && code <= 599) {
    return { class: 'connection', severity: 'error', action: 'reconnect', message: 'The API client failed to talk to TWS.' };
  }
  if (code >= 1100 && code <= 1399) {
    return { class: 'connection', severity: 'warning', action: 'none', message: 'TWS reported a change in its connection to IB.' };
  }
  if (code >= 2100 && code <= 2199) return { class: 'info', severity: 'warning', action: 'none', message: 'TWS sent a warning.' };
  return { class: 'request', severity: 'error', action: 'fail-request', message: 'IB reported an error for this request.' };
}

/** A request TWS answered with an error (the data and execution clients reject their promises with it). */
export class IbRequestError extends Error {
  constructor(
    readonly info: IbErrorInfo,
    readonly reqId: number,
  ) {
    super(describeIbError(info));
    this.name = 'IbRequestError';
  }

  get isPacing(): boolean {
    return this.info.class === 'pacing';
  }
}
