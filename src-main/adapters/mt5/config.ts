// What a MetaTrader 5 session is configured with: the account (login number and trade server), where the terminal and
// Python are, and the timing knobs. The account password lives in the secrets store (`password.mt5`).
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const MT5_PASSWORD_SECRET = 'password.mt5';

export const Mt5Settings = z.object({
  /** The MT5 account number; empty: the account the terminal is logged in to. */
  login: z.string().max(20).regex(/^\d*$/, 'digits only').default(''),
  /** The broker's trade server as MT5 names it (e.g. "ICMarketsSC-Demo"). */
  server: z.string().max(64).default(''),
  /** terminal64.exe; empty: the terminal the package finds. */
  terminal_path: z.string().max(260).default(''),
  /** The Python interpreter with the MetaTrader5 package. */
  python: z.string().max(260).default('python'),
  /** The symbols to trade. */
  symbols: z.array(z.string().regex(/^[A-Za-z0-9._#-]+$/)).min(1).max(50).default(['EURUSD', 'GBPUSD', 'XAUUSD']),
  live: z.boolean().default(false),
  auto_connect: z.boolean().default(false),
});
export type Mt5Settings = z.infer<typeof Mt5Settings>;

export interface Mt5Timings {
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  reconnectJitter: number;
  /** Ticks and the deal history are read this often (the package has no push; it is a local IPC call). */
  tickPollMs: number;
  dealPollMs: number;
  accountPollMs: number;
  requestTimeoutMs: number;
  staleQuoteMs: number;
}

export const DEFAULT_MT5_TIMINGS: Mt5Timings = {
  reconnectInitialMs: 1_000, reconnectMaxMs: 60_000, reconnectJitter: 0.2, tickPollMs: 500, dealPollMs: 1_000, accountPollMs: 5_000, requestTimeoutMs: 15_000, staleQuoteMs: 15_000,
};

export function mt5AccountHash(login: string): string {
  return createHash('sha256').update(`quant-claude:mt5-account:${login}`).digest('hex').slice(0, 16);
}
