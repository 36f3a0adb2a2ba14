// What an OANDA session is configured with: the user's settings (config.yaml `brokers.oanda`, Settings → Connections)
// and the timing knobs, each with one documented default. The API token is not here: it lives in the secrets store.
import { createHash } from 'node:crypto';
import { z } from 'zod';

/** OANDA's own hosts per environment (REST and streaming are separate hosts there; the simulator serves both on one). */
export const OANDA_HOSTS = {
  practice: { rest: 'https://api-fxpractice.oanda.com', stream: 'https://stream-fxpractice.oanda.com' },
  live: { rest: 'https://api-fxtrade.oanda.com', stream: 'https://stream-fxtrade.oanda.com' },
} as const;

/** The secret holding the v20 API token (Settings → Connections; `apikey.oanda`, like the data providers' keys). */
export const OANDA_TOKEN_SECRET = 'apikey.oanda';

export const OandaSettings = z.object({
  /** The v20 account to trade (101-004-1234567-001); empty: the first account the token can see. */
  account_id: z.string().max(64).regex(/^[0-9A-Za-z-]*$/, 'letters, digits and dashes').default(''),
  environment: z.enum(['practice', 'live']).default('practice'),
  /** Another REST origin (the simulator: http://127.0.0.1:PORT); default: OANDA's host for the environment. */
  base_url: z.url({ protocol: /^https?$/ }).optional(),
  /** Another streaming origin; default: base_url when that is set, else OANDA's stream host. */
  stream_url: z.url({ protocol: /^https?$/ }).optional(),
  /** Connect at start-up. */
  auto_connect: z.boolean().default(false),
});
export type OandaSettings = z.infer<typeof OandaSettings>;

export interface OandaTimings {
  /** First reconnect delay; doubles on every failed attempt up to `reconnectMaxMs`, with ± `reconnectJitter` spread. */
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  reconnectJitter: number;
  /** No line (price or HEARTBEAT) on a stream for this long ⇒ it is dead: reconnect. OANDA sends heartbeats every 5 s. */
  silenceTimeoutMs: number;
  watchdogTickMs: number;
  /** One REST request's time limit. */
  requestTimeoutMs: number;
  /** A 429's Retry-After is honoured up to this long; longer waits fail the request. */
  maxRetryAfterMs: number;
  /** How often the account summary (NAV, margin used, margin closeout percent) is fetched while connected. */
  accountPollMs: number;
  /** A quote older than this is not fresh enough to check an order against. */
  staleQuoteMs: number;
}

export const DEFAULT_OANDA_TIMINGS: OandaTimings = {
  reconnectInitialMs: 1_000,
  reconnectMaxMs: 60_000,
  reconnectJitter: 0.2,
  silenceTimeoutMs: 20_000,
  watchdogTickMs: 2_000,
  requestTimeoutMs: 15_000,
  maxRetryAfterMs: 60_000,
  accountPollMs: 5_000,
  staleQuoteMs: 15_000,
};

export function endpoints(s: OandaSettings): { rest: string; stream: string } {
  const hosts = OANDA_HOSTS[s.environment];
  const rest = (s.base_url ?? hosts.rest).replace(/\/+$/, '');
  const stream = (s.stream_url ?? s.base_url ?? hosts.stream).replace(/\/+$/, '');
  return { rest, stream };
}

/** A one-way key of a v20 account: what our database and settings hold instead of the account id. */
export function oandaAccountHash(accountId: string): string {
  return createHash('sha256').update(`quant-claude:oanda-account:${accountId}`).digest('hex').slice(0, 16);
}

export function oandaAccountId(hash: string): string {
  return `OANDA-${hash}`;
}

/** 101-004-1234567-001 → 101-•••-001: enough to recognise the account, never the full id. */
export function maskOandaAccount(id: string): string {
  const parts = id.split('-');
  if (parts.length >= 3) return `${parts[0]}-•••-${parts[parts.length - 1]}`;
  return id.length <= 4 ? '•'.repeat(id.length) : `••••${id.slice(-3)}`;
}

/** The settings schema with config.yaml's `brokers.oanda` as defaults (a field the request gives wins). */
export function oandaSettingsWithDefaults(defaults: Partial<OandaSettings>): z.ZodType<OandaSettings> {
  const given = Object.fromEntries(Object.entries(defaults).filter(([, v]) => v !== undefined));
  return z.preprocess((raw) => ({ ...given, ...(raw && typeof raw === 'object' ? raw : {}) }), OandaSettings) as unknown as z.ZodType<OandaSettings>;
}
