// What an IG session is configured with: the user's settings (config.yaml `brokers.ig`, Settings → Connections) and the
// timing knobs, each with one documented default. The API key and password are not here: they live in the secrets store.
import { createHash } from 'node:crypto';
import { z } from 'zod';

/** IG's REST gateways per environment. */
export const IG_HOSTS = { demo: 'https://demo-api.ig.com/gateway/deal', live: 'https://api.ig.com/gateway/deal' } as const;

/** The secret holding the API key and the password as `<API key>:<password>` (IG's keys are hex, so the first colon
 * separates them; the venues' secret field takes printable ASCII without spaces, so a password with a space cannot be kept). */
export const IG_SECRET = 'apikey.ig';

/** The two credentials kept in IG's one secret, or null when the secret is not in that shape. */
export function parseIgSecret(value: string | undefined): { apiKey: string; password: string } | null {
  const m = value ? /^\s*([^:\s]+):(.+?)\s*$/s.exec(value) : null;
  return m ? { apiKey: m[1]!, password: m[2]! } : null;
}

/** The instruments a session loads when none are configured: EUR/USD, GBP/USD, USD/JPY, spot gold and the US 500. */
export const DEFAULT_IG_EPICS = ['CS.D.EURUSD.CFD.IP', 'CS.D.GBPUSD.CFD.IP', 'CS.D.USDJPY.CFD.IP', 'CS.D.CFDGOLD.CFD.IP', 'IX.D.SPTRD.DAILY.IP'];

export const IgSettings = z.object({
  /** The IG account to trade (e.g. XQ12345); empty: the account IG logs in to. */
  account_id: z.string().max(32).regex(/^[0-9A-Za-z-]*$/, 'letters, digits and dashes').default(''),
  environment: z.enum(['demo', 'live']).default('demo'),
  /** The login identifier (user name) of the IG account; the password is in the secrets store. */
  identifier: z.string().max(64).default(''),
  /** Another REST origin (the simulator: http://127.0.0.1:PORT); default: IG's gateway for the environment. */
  base_url: z.url({ protocol: /^https?$/ }).optional(),
  /** The markets to trade, as IG epics. */
  epics: z.array(z.string().regex(/^[A-Z0-9.]+$/, 'an IG epic such as CS.D.EURUSD.CFD.IP')).min(1).max(50).default(DEFAULT_IG_EPICS),
  auto_connect: z.boolean().default(false),
});
export type IgSettings = z.infer<typeof IgSettings>;

export interface IgTimings {
  /** First reconnect delay; doubles on every failed attempt up to `reconnectMaxMs`, with ± `reconnectJitter` spread. */
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  reconnectJitter: number;
  /** Prices are polled (GET /markets?epics=…, one request for every market) this often: IG streams prices only over
   * Lightstreamer, which this app does not speak. 3 s keeps within IG's 30 non-trading requests a minute. */
  pricePollMs: number;
  /** The activity history (fills of working orders) and the account's balance are polled this often. */
  activityPollMs: number;
  /** The transaction history (overnight funding, charged once a day) is read this often, and at every (re)connect:
   * 5 minutes keeps the non-trading requests at prices 20 + activity 6 + account 2 + funding 0.2 a minute (IG: 30). */
  fundingPollMs: number;
  accountPollMs: number;
  /** One REST request's time limit; a poll without an answer drops the connection. */
  requestTimeoutMs: number;
  /** IG's allowances per account and minute, honoured by queueing requests before IG refuses them. */
  nonTradingPerMinute: number;
  tradingPerMinute: number;
  /** An allowance refusal (403 exceeded-…-allowance, no Retry-After at IG) waits this long before the next attempt. */
  allowanceBackoffMs: number;
  maxRetryAfterMs: number;
  /** A deal confirmation may lag its deal: GET /confirms is retried this often, this many times. */
  confirmRetryMs: number;
  confirmAttempts: number;
  staleQuoteMs: number;
}

export const DEFAULT_IG_TIMINGS: IgTimings = {
  reconnectInitialMs: 1_000,
  reconnectMaxMs: 60_000,
  reconnectJitter: 0.2,
  pricePollMs: 3_000,
  activityPollMs: 10_000,
  fundingPollMs: 300_000,
  accountPollMs: 30_000,
  requestTimeoutMs: 15_000,
  nonTradingPerMinute: 30,
  tradingPerMinute: 100,
  allowanceBackoffMs: 20_000,
  maxRetryAfterMs: 60_000,
  confirmRetryMs: 500,
  confirmAttempts: 10,
  staleQuoteMs: 15_000,
};

export function igEndpoint(s: IgSettings): string {
  return (s.base_url ?? IG_HOSTS[s.environment]).replace(/\/+$/, '');
}

/** A one-way key of an IG account: what our database and settings hold instead of the account id. */
export function igAccountHash(accountId: string): string {
  return createHash('sha256').update(`quant-claude:ig-account:${accountId}`).digest('hex').slice(0, 16);
}

export function igAccountId(hash: string): string {
  return `IG-${hash}`;
}

/** XQ12345 → ••345: enough to recognise the account, never the full id. */
export function maskIgAccount(id: string): string {
  return id.length <= 3 ? '•'.repeat(id.length) : `••${id.slice(-3)}`;
}

/** The settings schema with config.yaml's `brokers.ig` as defaults (a field the request gives wins). */
export function igSettingsWithDefaults(defaults: Partial<IgSettings>): z.ZodType<IgSettings> {
  const given = Object.fromEntries(Object.entries(defaults).filter(([, v]) => v !== undefined));
  return z.preprocess((raw) => ({ ...given, ...(raw && typeof raw === 'object' ? raw : {}) }), IgSettings) as unknown as z.ZodType<IgSettings>;
}
