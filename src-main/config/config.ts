// config.yaml in the data folder: one zod schema holds every default; a bad file stops the start with a precise message.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';

/** The Python interpreter's usual name: `python` on Windows (where MetaTrader5 runs), `python3` elsewhere. */
export const DEFAULT_MT5_PYTHON = process.platform === 'win32' ? 'python' : 'python3';
const fraction = (max: number) => z.number().min(0).max(max);

/** Seconds in config.yaml (fractions allowed); the services convert to ms. */
const seconds = (min: number, max: number) => z.number().min(min).max(max);

/** One data provider's settings; provider adapters may `.extend` this with their own keys. */
export const dataProviderSchema = (defaults: { enabled: boolean; rateLimit: number; timeout: number; retries: number }) =>
  z
    .object({
      enabled: z.boolean().default(defaults.enabled),
      /** Requests per rolling hour; 0 = unlimited. */
      rate_limit: z.number().int().min(0).max(10_000_000).default(defaults.rateLimit),
      /** Seconds before one request counts as timed out. */
      timeout: seconds(0.05, 600).default(defaults.timeout),
      /** Retries after the first attempt, on retryable errors (rate-limited, timeout, unavailable, bad data). */
      retry_attempts: z.number().int().min(0).max(10).default(defaults.retries),
      /** Send this provider's HTTP requests to another origin (a caching proxy, a local test server); default: its own. */
      endpoint: z.url({ protocol: /^https?$/ }).optional(),
    })
    .strict();

const providerIds = ['ib', 'yahoo', 'alphavantage', 'polygon', 'demo', 'csv'] as const;
const ProviderIdSchema = z.enum(providerIds);
const priorityList = (ids: (typeof providerIds)[number][]) => z.array(ProviderIdSchema).max(providerIds.length).default(ids);

/** Why a reporting hook may not POST to `url`: only loopback (http or https) or HTTPS, so reports never cross a network in clear. */
export function hookUrlProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `"${url}" is not a URL`;
  }
  const loopback = u.hostname === 'localhost' || u.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(u.hostname);
  if (u.protocol === 'https:' || (u.protocol === 'http:' && loopback)) return undefined;
  return `${u.protocol}//${u.host} is refused: reports go to a loopback address (http://127.0.0.1:…) or over HTTPS only`;
}

/** One reporting hook (config.yaml `reporting.hooks`): a folder the day's records are written into, or a URL they are POSTed to. */
const ReportingHookSchema = z.discriminatedUnion('kind', [
  z.object({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ and - (1-40)'),
    kind: z.literal('folder'),
    path: z.string().min(1).max(1000),
    format: z.enum(['csv', 'json']).default('json'),
    events: z.array(z.enum(['fill', 'day-end'])).min(1).default(['fill', 'day-end']),
  }).strict(),
  z.object({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ and - (1-40)'),
    kind: z.literal('url'),
    url: z.string().superRefine((url, ctx) => {
      const problem = hookUrlProblem(url);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    events: z.array(z.enum(['fill', 'day-end'])).min(1).default(['fill', 'day-end']),
    /** Seconds before one POST counts as failed. */
    timeout: seconds(0.1, 120).default(10),
  }).strict(),
]);
export type ReportingHook = z.infer<typeof ReportingHookSchema>;

export const ConfigSchema = z
  .object({
    risk: z
      .object({
        max_position_size: fraction(1).default(0.1),
        max_order_notional: z.number().positive().default(50_000),
        price_collar_pct: fraction(1).default(0.05),
        kill_switch: z.boolean().default(false),
        /** Margin level (percent) below which an account's margin shows as an alert (above the venue's margin call). */
        margin_alert_level: z.number().min(0).max(10_000).default(150),
        // Portfolio limits (issue 17, docs/risk.md): checked as a what-if on the holdings after the fill; null = off.
        /** 1-day 95 % historical VaR of the portfolio as a fraction of NAV. */
        max_portfolio_risk: fraction(1).nullable().default(0.02),
        /** Days of daily returns the VaR and the leverage read (the last ones every holding has). */
        var_window: z.number().int().min(20).max(5000).default(250),
        max_cluster_concentration: fraction(100).nullable().default(null),
        correlation_threshold: z.number().min(-1).max(1).default(0.7),
        correlation_window: z.number().int().min(5).max(5000).default(60),
        max_issuer_concentration: fraction(100).nullable().default(null),
        max_sector_concentration: fraction(100).nullable().default(null),
        max_gross_exposure: fraction(1000).nullable().default(null),
        max_net_exposure: fraction(1000).nullable().default(null),
        target_volatility: fraction(10).nullable().default(null),
        /** Submissions (and modifications) per second and account. */
        max_orders_per_second: z.number().int().positive().nullable().default(null),
        /** Seconds within which the same account, symbol, side and quantity asks for confirmation. */
        duplicate_window: seconds(0.1, 3600).nullable().default(null),
        /** Thresholds that move an account's trading state (fractions; null = off) and what happens then. */
        states: z
          .object({
            drawdown_reducing: fraction(1).nullable().default(null),
            drawdown_halted: fraction(1).nullable().default(null),
            daily_loss_reducing: fraction(1).nullable().default(null),
            daily_loss_halted: fraction(1).nullable().default(null),
            /** On an automatic move to REDUCING or HALTED: cancel the account's working orders. */
            cancel_working: z.boolean().default(false),
            /** On an automatic move to HALTED: flatten every position. */
            flatten: z.boolean().default(false),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    brokers: z
      .object({
        paper: z
          .object({
            enabled: z.boolean().default(true),
            initial_cash: z.number().positive().default(100_000),
            max_daily_trades: z.number().int().positive().default(100),
            slippage_bps: z.number().min(0).max(1000).default(1),
          })
          .strict()
          .prefault({}),
        /** A second paper account trading the demo CFDs with leverage, margin, financing, margin call and stop-out. */
        paper_cfd: z
          .object({
            enabled: z.boolean().default(false),
            initial_cash: z.number().positive().default(10_000),
            max_daily_trades: z.number().int().positive().default(100),
            slippage_bps: z.number().min(0).max(1000).default(1),
            leverage_regime: z.enum(['esma-retail', 'professional']).default('esma-retail'),
            /** Percent margin levels: a margin call is journaled below the first; positions are closed below the second. */
            margin_call_level: z.number().min(0).max(10_000).default(100),
            stop_out_level: z.number().min(0).max(10_000).default(50),
          })
          .strict()
          .refine((c) => c.stop_out_level <= c.margin_call_level, { message: 'stop_out_level must not be above margin_call_level', path: ['stop_out_level'] })
          .prefault({}),
        // The OANDA v20 venue (adapters/oanda): defaults of Settings → Connections. The API token is never here: it is
        // kept in the secrets store (`apikey.oanda`).
        oanda: z
          .object({
            enabled: z.boolean().default(true),
            account_id: z.string().max(64).regex(/^[0-9A-Za-z-]*$/, 'letters, digits and dashes').default(''),
            environment: z.enum(['practice', 'live']).default('practice'),
            base_url: z.url({ protocol: /^https?$/ }).optional(),
            stream_url: z.url({ protocol: /^https?$/ }).optional(),
            auto_connect: z.boolean().default(false),
            max_daily_trades: z.number().int().positive().default(100),
          })
          .strict()
          .prefault({}),
        // The cTrader Open API venue (adapters/ctrader): defaults of Settings → Connections. The client secret and the
        // access token are never here: they are kept in the secrets store (`ctrader.credentials`).
        ctrader: z
          .object({
            enabled: z.boolean().default(true),
            environment: z.enum(['demo', 'live']).default('demo'),
            account_id: z.string().max(20).regex(/^\d*$/, 'digits only (the ctidTraderAccountId)').default(''),
            client_id: z.string().max(100).regex(/^[0-9A-Za-z_-]*$/, 'letters, digits, _ and -').default(''),
            url: z.url({ protocol: /^wss?$/ }).optional(),
            symbols: z.string().max(2000).default(''),
            auto_connect: z.boolean().default(false),
            max_daily_trades: z.number().int().positive().default(100),
          })
          .strict()
          .prefault({}),
        // The IG venue (adapters/ig): defaults of Settings → Connections. The API key and password are never here: they
        // are kept in the secrets store (`apikey.ig`).
        ig: z
          .object({
            enabled: z.boolean().default(true),
            environment: z.enum(['demo', 'live']).default('demo'),
            account_id: z.string().max(32).regex(/^[0-9A-Za-z-]*$/, 'letters, digits and dashes').default(''),
            identifier: z.string().max(64).default(''),
            base_url: z.url({ protocol: /^https?$/ }).optional(),
            auto_connect: z.boolean().default(false),
            max_daily_trades: z.number().int().positive().default(100),
          })
          .strict()
          .prefault({}),
        // The MetaTrader 5 venue (adapters/mt5): a bridge process around the `MetaTrader5` Python package (Windows, a
        // running terminal). The account password is never here: it is kept in the secrets store (`password.mt5`).
        mt5: z
          .object({
            enabled: z.boolean().default(true),
            login: z.string().max(20).regex(/^\d*$/, 'digits only (the MT5 account number)').default(''),
            server: z.string().max(64).default(''),
            terminal_path: z.string().max(260).default(''),
            python: z.string().max(260).default(DEFAULT_MT5_PYTHON),
            /** The bridge script; empty: the copy shipped with the app (resources/mt5-bridge) or tools/mt5-bridge in the repo. */
            bridge_script: z.string().max(1000).default(''),
            symbols: z.array(z.string().regex(/^[A-Za-z0-9._#-]+$/)).min(1).max(50).default(['EURUSD', 'GBPUSD', 'XAUUSD']),
            live: z.boolean().default(false),
            auto_connect: z.boolean().default(false),
            max_daily_trades: z.number().int().positive().default(100),
          })
          .strict()
          .prefault({}),
      })
      .catchall(z.object({ max_daily_trades: z.number().int().positive().default(100) }).passthrough())
      .prefault({}),
    market: z.object({ demo_seed: z.number().int().default(42), tick_interval_ms: z.number().int().min(50).max(60_000).default(500) }).strict().prefault({}),
    data_providers: z
      .object({
        // IB paces historical requests itself (minutes at worst): a short timeout would count a paced wait as a failure.
        ib: dataProviderSchema({ enabled: true, rateLimit: 0, timeout: 120, retries: 2 }).prefault({}),
        yahoo: dataProviderSchema({ enabled: true, rateLimit: 2000, timeout: 10, retries: 3 }).prefault({}),
        alphavantage: dataProviderSchema({ enabled: false, rateLimit: 25, timeout: 15, retries: 2 }).prefault({}),
        polygon: dataProviderSchema({ enabled: false, rateLimit: 300, timeout: 15, retries: 2 }).prefault({}),
        // FRED's macro series (Macro screen), not a market-data source: paced by its client to FRED's 120 requests a minute.
        fred: dataProviderSchema({ enabled: true, rateLimit: 7200, timeout: 15, retries: 0 }).prefault({}),
        demo: dataProviderSchema({ enabled: true, rateLimit: 0, timeout: 5, retries: 0 }).prefault({}),
        csv: dataProviderSchema({ enabled: true, rateLimit: 0, timeout: 30, retries: 0 }).prefault({}),
      })
      .strict()
      .prefault({}),
    api_strategy: z
      .object({
        primary_data: ProviderIdSchema.default('ib'),
        fallback_enabled: z.boolean().default(true),
        /** Seconds between health probes of every enabled provider. */
        health_check_interval: seconds(1, 3600).default(30),
        /** Seconds without a streamed quote (market open) before an instrument fails over. */
        stale_after: seconds(0.5, 3600).default(10),
        /** Seconds a recovered higher-priority source must stream without a gap before it takes an instrument back. */
        failback_after: seconds(0, 3600).default(30),
        /** Seconds between polls of a polling source (Yahoo) for one instrument it feeds; stretched to fit its rate limit. */
        poll_interval: seconds(0.5, 3600).default(5),
        /** Requests waiting for a provider's rate limit; beyond that a request fails at once (rate-limited). */
        rate_limit_queue: z.number().int().min(0).max(100_000).default(500),
        circuit_breaker: z
          .object({
            failure_threshold: z.number().int().min(1).max(100).default(5),
            /** Seconds the circuit stays open before one probe may go. */
            open_for: seconds(0.1, 3600).default(30),
          })
          .strict()
          .prefault({}),
        cross_validation: z
          .object({
            enabled: z.boolean().default(true),
            /** Relative difference that counts as a divergence (0.02 = 2 %). */
            threshold: fraction(1).default(0.02),
            /** Seconds between checks of each instrument against the secondary source. */
            interval: seconds(1, 86_400).default(300),
          })
          .strict()
          .prefault({}),
        /** Providers tried in order, per kind of data (the primary first). */
        priority: z
          .object({
            bars: priorityList(['ib', 'yahoo', 'csv']),
            quotes: priorityList(['ib', 'yahoo']),
            fundamentals: priorityList(['yahoo', 'alphavantage', 'polygon']),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    logging: z.object({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      /** Rotation (issue 18): a new file past this size or at midnight UTC; old ones kept by count and age. */
      max_file_mb: z.number().min(1).max(1024).default(20),
      max_files: z.number().int().min(1).max(1000).default(14),
      max_days: z.number().int().min(1).max(3650).default(30),
    }).strict().prefault({}),
    // Operations (issue 18): the daily backup and the reporting hooks.
    backups: z.object({ enabled: z.boolean().default(true) }).strict().prefault({}),
    /** Continuous copy of orders, fills and audit entries from the SQLite file to PostgreSQL (docs/operations.md). */
    replication: z
      .object({
        postgres_url: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL').optional(),
        /** Seconds between passes when caught up. */
        interval: seconds(0.5, 3600).default(5),
      })
      .strict()
      .prefault({}),
    reporting: z
      .object({
        /** UTC time of day when the day-end hooks run (after the US close by default). */
        day_end_utc: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM (UTC)').default('21:30'),
        hooks: z.array(ReportingHookSchema).max(20).default([])
          .refine((hooks) => new Set(hooks.map((h) => h.name)).size === hooks.length, 'hook names must be unique'),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type Config = z.infer<typeof ConfigSchema>;

export const DEFAULT_CONFIG_YAML = `# Quant Claude configuration. Edit and restart; every key is optional (defaults shown).
risk:
  max_position_size: 0.10      # fraction of NAV per instrument (reducing orders always pass)
  max_order_notional: 50000    # account currency, quantity x price of one order
  price_collar_pct: 0.05       # limit/stop price within +/-5 % of the last price
  kill_switch: false           # true: block every new order (the UI toggle also cancels working orders)
  margin_alert_level: 150      # percent: a margin level below this shows as an alert (top bar, margin.alert event)
  max_portfolio_risk: 0.02     # 1-day 95 % historical VaR / NAV after the order (null: off); see docs/risk.md
  var_window: 250              # days of daily returns for the VaR
  max_cluster_concentration: null   # e.g. 0.3: instruments correlated above correlation_threshold, together, / NAV
  correlation_threshold: 0.7
  correlation_window: 60       # days
  max_issuer_concentration: null    # e.g. 0.15 of NAV per issuer
  max_sector_concentration: null    # e.g. 0.4 of NAV per sector
  max_gross_exposure: null     # e.g. 2 (sum of |value| / NAV)
  max_net_exposure: null       # e.g. 1
  target_volatility: null      # e.g. 0.15: gross leverage capped at 0.15 / realised vol per unit of gross
  max_orders_per_second: null  # per account, submissions and modifications
  duplicate_window: null       # seconds: the same order again within it asks for confirmation
  states:                      # thresholds moving an account to REDUCING / HALTED (fractions; null: off)
    drawdown_reducing: null    # drawdown from the NAV peak
    drawdown_halted: null
    daily_loss_reducing: null  # loss since the day's first NAV
    daily_loss_halted: null
    cancel_working: false      # on such a move, cancel the account's working orders
    flatten: false             # on a move to HALTED, close every position
brokers:
  paper:
    enabled: true
    initial_cash: 100000       # first start only
    max_daily_trades: 100      # fills today + working orders, per UTC day
    slippage_bps: 1            # adverse slippage on market and stop fills
  paper_cfd:                   # a paper CFD account: leverage, margin, financing at 17:00 New York, stop-out
    enabled: false
    initial_cash: 10000        # first start only
    leverage_regime: esma-retail   # esma-retail caps: 30:1 major FX, 20:1 indices and gold, 10:1 commodities, 2:1 crypto
    margin_call_level: 100     # percent margin level: a margin call is journaled below it
    stop_out_level: 50         # percent: below it the position with the largest loss is closed, until restored
  oanda:                       # OANDA v20; the API token goes to the secrets store (Settings), never here
    enabled: true
    account_id: ''             # empty: the first account the token sees (then remembered by a one-way key)
    environment: practice      # practice | live (live needs a confirmation when connecting)
    # base_url: http://127.0.0.1:8080   # the simulator (npm run oanda-sim); default: OANDA's host for the environment
    auto_connect: false        # practice only; a live account auto-connects once it was connected with the confirmation
    max_daily_trades: 100
  ctrader:                     # cTrader Open API; client secret and access token go to the secrets store (Settings)
    enabled: true
    environment: demo          # demo | live (live needs a confirmation when connecting)
    account_id: ''             # the ctidTraderAccountId; empty: the first account of the environment the token sees
    client_id: ''              # the Open API application's client id (openapi.ctrader.com)
    # url: ws://127.0.0.1:5036 # the simulator (npm run ctrader-sim); default: wss://demo|live.ctraderapi.com:5036
    symbols: ''                # comma-separated; empty: every symbol of the account (up to 200)
    auto_connect: false        # demo only
    max_daily_trades: 100
  ig:                          # IG (REST; prices polled); API key and password go to the secrets store (Settings), never here
    enabled: true
    environment: demo          # demo | live (live needs a confirmation when connecting)
    account_id: ''             # empty: the account IG logs in to (then remembered by a one-way key)
    identifier: ''             # the IG login (user name)
    # base_url: http://127.0.0.1:8090   # the simulator (npm run ig-sim); default: IG's gateway for the environment
    auto_connect: false        # demo only
    max_daily_trades: 100
  mt5:                         # MetaTrader 5 through tools/mt5-bridge (Windows, a running terminal, pip install MetaTrader5)
    enabled: true
    login: ''                  # the account number; empty: the account the terminal is logged in to. Password: Settings
    server: ''                 # the trade server as MT5 names it, e.g. Broker-Demo
    terminal_path: ''          # terminal64.exe; empty: the terminal the package finds
    # python: python3          # the interpreter with the MetaTrader5 package; default: python on Windows, python3 elsewhere
    bridge_script: ''          # empty: the bridge shipped with the app
    symbols: [EURUSD, GBPUSD, XAUUSD]
    live: false                # a live account (needs a confirmation when connecting)
    auto_connect: false        # demo only
    max_daily_trades: 100
market:
  demo_seed: 42                # the demo market's random seed (same seed, same prices)
  tick_interval_ms: 500
data_providers:               # rate_limit: requests per rolling hour (0 = unlimited); timeout: seconds
  ib:
    enabled: true
    rate_limit: 0              # IB paces itself (the IB adapter keeps TWS's own limits)
    timeout: 120               # long: a history request may wait for IB's pacing
    retry_attempts: 2
  yahoo:
    enabled: true
    rate_limit: 2000
    timeout: 10
    retry_attempts: 3
    # endpoint: http://127.0.0.1:8080   # optional: send Yahoo's requests to a proxy or a local server instead
  alphavantage: { enabled: false, rate_limit: 25, timeout: 15, retry_attempts: 2 }
  polygon: { enabled: false, rate_limit: 300, timeout: 15, retry_attempts: 2 }
  fred: { enabled: true, timeout: 15 }   # macro series (needs a free FRED API key, Settings → Data providers)
api_strategy:
  primary_data: ib             # the source every instrument returns to when it is healthy
  fallback_enabled: true       # false: never leave the primary (data stops instead)
  health_check_interval: 30    # seconds between health probes
  stale_after: 10              # seconds without a streamed quote (market open) before an instrument fails over
  failback_after: 30           # seconds the primary must stream without a gap before it takes instruments back
  poll_interval: 5             # seconds between polls of a polling source, stretched to fit its rate limit
  rate_limit_queue: 500        # requests allowed to wait for a rate limit; more fail at once
  circuit_breaker:
    failure_threshold: 5       # consecutive failures that open a provider's circuit
    open_for: 30               # seconds before one probe is let through
  cross_validation:
    enabled: true
    threshold: 0.02            # flag prices differing by more than 2 % between primary and secondary
    interval: 300              # seconds between checks of one instrument
  priority:                    # tried in order per kind of data
    bars: [ib, yahoo, csv]
    quotes: [ib, yahoo]
    fundamentals: [yahoo, alphavantage, polygon]
logging:
  level: info
  max_file_mb: 20            # a new log file past this size, and at midnight UTC
  max_files: 14              # rotated files kept (the oldest go first)
  max_days: 30               # and none older than this
backups:
  enabled: true                # a checked copy of the database every day into backups/ (7 daily and 4 weekly kept)
replication:                   # copy orders, fills and audit entries to PostgreSQL as they happen (SQLite only)
  # postgres_url: postgres://user@127.0.0.1:5432/quant_replica
  interval: 5                  # seconds between passes when caught up
reporting:                     # hooks run at each fill and at the end of each trading day (docs/operations.md)
  day_end_utc: '21:30'
  hooks: []
  # - { name: archive, kind: folder, path: /path/to/reports, format: csv }       # the day's orders, fills and audit
  # - { name: compliance, kind: url, url: https://example.com/qc-report }        # POSTed as JSON; loopback or HTTPS only
`;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Reads (or creates) `config.yaml` in `dataDir`. A malformed file is never overwritten. With `create: false` (read-only
 * commands) a missing file reads as the defaults and nothing is written.
 */
export function loadConfig(dataDir: string, opts: { create?: boolean } = {}): { config: Config; path: string; created: boolean } {
  const path = join(dataDir, 'config.yaml');
  let created = false;
  if (!existsSync(path)) {
    if (opts.create === false) return { config: parseConfig(DEFAULT_CONFIG_YAML, path), path, created };
    writeFileSync(path, DEFAULT_CONFIG_YAML, { flag: 'wx' });
    created = true;
  }
  return { config: parseConfig(readFileSync(path, 'utf8'), path), path, created };
}

export function parseConfig(text: string, path = 'config.yaml'): Config {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const where = e.linePos?.[0] ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : 'unknown position';
    throw new ConfigError(`${path}: invalid YAML at ${where}: ${e.message.split('\n')[0]}`);
  }
  const raw = doc.toJS() ?? {};
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    const message = issue.code === 'unrecognized_keys' ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
    throw new ConfigError(`${path}: ${field ? `${field}: ` : ''}${message}`);
  }
  return parsed.data;
}
