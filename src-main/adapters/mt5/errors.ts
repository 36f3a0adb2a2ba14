// MetaTrader 5's errors in plain words: the package's last_error() codes and order_send's trade return codes.

/** A failed bridge call: the package's last_error() (or the bridge's own: -10004 not running, -10005 no answer). */
export class Mt5Error extends Error {
  constructor(readonly code: number, readonly detail: string) {
    super(describeMt5Error(code, detail));
  }
}

const ERRORS: Record<number, string> = {
  [-1]: 'the MetaTrader 5 bridge failed',
  [-2]: 'MetaTrader 5 refused an argument',
  [-4]: 'MetaTrader 5 does not know this symbol or order',
  [-6]: 'MetaTrader 5 refused the login: check the account number, password and server',
  [-10001]: 'the MetaTrader 5 terminal did not answer (IPC send failed)',
  [-10003]: 'the MetaTrader 5 terminal could not be started: check its path (it runs on Windows only)',
  [-10004]: 'no connection to the MetaTrader 5 terminal',
  [-10005]: 'the MetaTrader 5 terminal did not answer in time',
};

export function describeMt5Error(code: number, detail: string): string {
  return `MetaTrader 5: ${ERRORS[code] ?? 'the request failed'} (${detail})`;
}

/** order_send's retcodes (TRADE_RETCODE_*) that mean done or placed. */
export const RETCODE_DONE = 10009;
export const RETCODE_PLACED = 10008;

const RETCODES: Record<number, string> = {
  10004: 'the price changed (requote)',
  10006: 'the request was rejected',
  10007: 'the request was cancelled by the trader',
  10010: 'only part of the request was done',
  10013: 'the request was invalid',
  10014: 'the volume is not valid for this symbol (minimum or step)',
  10015: 'the price is not valid',
  10016: 'the stops are not valid',
  10017: 'trading is disabled',
  10018: 'the market is closed',
  10019: 'there is not enough money for this order',
  10020: 'the prices changed',
  10021: 'there are no quotes to process the request',
  10024: 'too many requests',
  10027: 'algorithmic trading is disabled in the terminal (the AutoTrading button)',
  10031: 'no connection to the trade server',
  10035: 'no such order',
};

export function describeRetcode(retcode: number, comment = ''): string {
  return `MetaTrader 5: ${RETCODES[retcode] ?? `the trade server answered ${retcode}`}${comment ? ` (${comment})` : ''}`;
}
