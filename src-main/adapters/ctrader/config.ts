// What a cTrader session is configured with: the user's settings (config.yaml `brokers.ctrader`, Settings → Connections)
// and the timing knobs, each with one documented default. The client secret and the access token are not here: they
// live in the secrets store, as one credential (`ctrader.credentials`).
import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Spotware's Open API hosts; JSON over WebSocket is served on port 5036 (Protobuf over TCP on 5035). */
export const CTRADER_HOSTS = { demo: 'wss://demo.ctraderapi.com:5036', live: 'wss://live.ctraderapi.com:5036' } as const;

/** The secret holding the application's client secret and the trader's access token as `<client secret>:<access token>`
 * (the secrets API takes one printable token without spaces per venue). */
export const CTRADER_CREDENTIALS_SECRET = 'ctrader.credentials';

export const CtraderSettings = z.object({
  environment: z.enum(['demo', 'live']).default('demo'),
  /** The ctidTraderAccountId to trade; empty: the first account of the environment the access token sees. */
  account_id: z.string().max(20).regex(/^\d*$/, 'digits only (the ctidTraderAccountId)').default(''),
  /** The Open API application's client id (not a secret: the secret is the client secret). */
  client_id: z.string().max(100).regex(/^[0-9A-Za-z_-]*$/, 'letters, digits, _ and -').default(''),
  /** Another WebSocket origin (the simulator: ws://127.0.0.1:PORT); default: Spotware's host for the environment. */
  url: z.url({ protocol: /^wss?$/ }).optional(),
  /** Symbols to subscribe to (comma-separated names); empty: every symbol the account offers, up to `maxSymbols`. */
  symbols: z.string().max(2000).regex(/^[0-9A-Za-z._, -]*$/, 'symbol names separated by commas').default(''),
  auto_connect: z.boolean().default(false),
});
export type CtraderSettings = z.infer<typeof CtraderSettings>;

export interface CtraderTimings {
  /** First reconnect delay; doubles on every failed attempt up to `reconnectMaxMs`, with ± `reconnectJitter` spread. */
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  reconnectJitter: number;
  /** We send a ProtoHeartbeatEvent this often (cTrader drops a link silent for 30 s). */
  heartbeatMs: number;
  /** No frame from cTrader (it sends heartbeats every 10 s) for this long ⇒ the link is dead: reconnect. */
  silenceTimeoutMs: number;
  watchdogTickMs: number;
  /** One request's time limit. */
  requestTimeoutMs: number;
  /** cTrader's limits per connection: requests a second, historical ones (deals, orders, trendbars) a second. */
  requestsPerSecond: number;
  historicalPerSecond: number;
  /** Kept between our window and cTrader's, so frames bunched by the network do not cross its limit. */
  rateMarginMs: number;
  /** A REQUEST_FREQUENCY_EXCEEDED answer is retried after this long, this many times. */
  rateRetryMs: number;
  rateRetries: number;
  /** How often the trader (balance) is fetched while connected. */
  accountPollMs: number;
  staleQuoteMs: number;
  /** Symbols subscribed when the settings name none. */
  maxSymbols: number;
}

export const DEFAULT_CTRADER_TIMINGS: CtraderTimings = {
  reconnectInitialMs: 1_000,
  reconnectMaxMs: 60_000,
  reconnectJitter: 0.2,
  heartbeatMs: 10_000,
  silenceTimeoutMs: 30_000,
  watchdogTickMs: 2_000,
  requestTimeoutMs: 15_000,
  requestsPerSecond: 50,
  historicalPerSecond: 5,
  rateMarginMs: 50,
  rateRetryMs: 1_000,
  rateRetries: 5,
  accountPollMs: 5_000,
  staleQuoteMs: 15_000,
  maxSymbols: 200,
};

export function endpointOf(s: CtraderSettings): string {
  return (s.url ?? CTRADER_HOSTS[s.environment]).replace(/\/+$/, '');
}

/** The credential as stored: "<client secret>:<access token>" (split at the first colon). */
export function parseCredentials(value: string | undefined): { clientSecret: string; accessToken: string } | null {
  const v = (value ?? '').trim();
  const at = v.indexOf(':');
  if (at <= 0 || at === v.length - 1) return null;
  return { clientSecret: v.slice(0, at), accessToken: v.slice(at + 1) };
}

/** A one-way key of a ctidTraderAccountId: what our database and settings hold instead of the account. */
export function ctraderAccountHash(accountId: string | number): string {
  return createHash('sha256').update(`quant-claude:ctrader-account:${String(accountId)}`).digest('hex').slice(0, 16);
}

export function ctraderAccountId(hash: string): string {
  return `CTRADER-${hash}`;
}

/** 44123456 → ••••456: enough to recognise the account, never the full id. */
export function maskCtraderAccount(id: string | number): string {
  const s = String(id);
  return s.length <= 3 ? '•'.repeat(s.length) : `••••${s.slice(-3)}`;
}

/** The settings schema with config.yaml's `brokers.ctrader` as defaults (a field the request gives wins). */
export function ctraderSettingsWithDefaults(defaults: Partial<CtraderSettings>): z.ZodType<CtraderSettings> {
  const given = Object.fromEntries(Object.entries(defaults).filter(([, v]) => v !== undefined));
  return z.preprocess((raw) => ({ ...given, ...(raw && typeof raw === 'object' ? raw : {}) }), CtraderSettings) as unknown as z.ZodType<CtraderSettings>;
}
