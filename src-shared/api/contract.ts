// The one API contract between the renderer and main: every request, response and pushed event, as zod schemas.
// Both transports (Electron IPC and the loopback web host) carry exactly these messages.
import { z } from 'zod';
import {
  AccountSummary, AuditEntry, Bar, EquityPoint, Fill, Instrument, Money, Order, Position, Quote, SessionKind, Timeframe,
} from '../domain/types';
import {
  AccountInfo, AccountTotal, AccountUpdate, BrokerAccountValue, ConnectionStatus, IbSettings, ReconciliationReport, VenueInfo,
} from '../domain/broker';
import { CfdSpecInfo, MarginStatus, SizingRequest, SizingResult } from '../domain/margin';
import { SlippageReport } from '../domain/execution';
import { OrderRequest } from './order-request';
import { formatMegabytes, MAX_IMPORT_BYTES } from './limits';
import {
  AccountPerformance, AnalyticsPeriodRequest, AnalyticsScope, ContributionTable, Exposures, NavAndBenchmark, PeriodPerformance,
} from './analytics';
import { ProfileEdit, ProfilesRequest } from './analytics';
import { MergedProfile } from '../domain/profile';
import { portfolioMethods } from './portfolio';
import { macroMethods } from './macro';
import { newsMethods } from './news';
import { watchlistMethods } from './watchlists';
import { universeMethods } from './universes';
import { screenerMethods } from './screener';
import { riskEvents, riskMethods } from './risk';
import { alertEvents, alertMethods } from './alerts';
import { opsMethods } from './ops';
import { replayMethods } from './replay';
import { divergenceMethods } from './divergence';
import { operationsMethods } from './operations';

// The broker wire types live in src-shared/domain (ports and adapters use them too); the contract re-uses them.
export {
  AccountInfo, AccountTotal, AccountUpdate, BrokerAccountValue, ConnectionState, ConnectionStatus, IbSettings, ReconciliationReport, VenueInfo,
} from '../domain/broker';

const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });

export const Theme = z.enum(['dark', 'light']);
export type Theme = z.infer<typeof Theme>;

export const RiskLimits = z.object({
  maxPositionSize: z.number(),
  maxOrderNotional: z.number(),
  priceCollarPct: z.number(),
  maxDailyTrades: z.number().int(),
});
export type RiskLimits = z.infer<typeof RiskLimits>;

export const RiskStatus = z.object({
  killSwitch: z.boolean(),
  limits: RiskLimits,
  tradesToday: z.number().int(),
});
export type RiskStatus = z.infer<typeof RiskStatus>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** Which transport serves this renderer. */
  transport: z.enum(['electron', 'web']),
  broker: z.string(),
  dataDir: z.string(),
  database: z.enum(['sqlite', 'postgres']),
  /** The app clock when answered (ms since epoch): quote and order times are on this clock. */
  now: z.number().int().optional(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** A failure of a background task that nothing else handled; the process kept serving. */
export const BackgroundFailure = z.object({
  time: z.number().int(),
  kind: z.enum(['unhandledRejection', 'uncaughtException']),
  message: z.string(),
});
export type BackgroundFailure = z.infer<typeof BackgroundFailure>;

export const AppHealth = z.object({
  /** stderr once the log file could not be written (a full disk), with the reason. */
  logging: z.object({ to: z.enum(['file', 'stderr']), reason: z.string().nullable() }),
  failureCount: z.number().int(),
  /** Newest first, at most 20. */
  lastFailures: z.array(BackgroundFailure),
});
export type AppHealth = z.infer<typeof AppHealth>;

export const PlaceOrderResult = z.object({
  order: Order,
  /** Present when the risk gate or the broker refused the order. */
  rejection: z.object({
    rule: z.string(), message: z.string(), /** The ticket field at fault, when one is. */ field: z.string().optional(),
    /** VaR budget: the largest quantity of this order that would fit. */ fitQuantity: z.number().optional(),
    /** Duplicate guard: send the same order again with confirmDuplicate to pass. */ confirm: z.boolean().optional(),
  }).nullable(),
});
export type PlaceOrderResult = z.infer<typeof PlaceOrderResult>;

const ParamValue = z.union([z.number(), z.string()]);
/** A strategy parameter's name: never one of Object.prototype's (they would pass a plain-object lookup). */
const ParamName = z.string().refine((k) => !Object.hasOwn(Object.prototype, k) && k !== '__proto__' && k !== 'prototype', { message: 'not a parameter name' });
/** Zod drops an own "__proto__" key silently (it guards the output's prototype): refused here instead, by name. */
const noProtoKey = <T>(v: T, ctx: z.RefinementCtx): T => {
  if (v !== null && typeof v === 'object' && Object.hasOwn(v, '__proto__')) ctx.addIssue({ code: 'custom', message: 'not a parameter name', input: v, path: ['__proto__'] });
  return v;
};
const ParamRecord = z.preprocess(noProtoKey<Record<string, number | string>>, z.record(ParamName, ParamValue));
/** A real calendar date as YYYY-MM-DD: 2024-13-45 and 2023-02-29 are refused (the parsed date must print back the same). */
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((s) => { const t = Date.parse(`${s}T00:00:00Z`); return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s; }, { message: 'not a calendar date' });

export const StrategyInfo = z.object({
  name: z.string(),
  description: z.string(),
  params: z.array(z.object({ name: z.string(), default: ParamValue, description: z.string() })),
  /** Portfolio strategies trade several instruments (an exact count or a minimum); null for single-instrument ones. */
  instruments: z.object({ exact: z.number().int().optional(), min: z.number().int().optional() }).nullable(),
});
export type StrategyInfo = z.infer<typeof StrategyInfo>;

export const BacktestSource = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('demo'), symbol: z.string().min(1), timeframe: z.enum(['1h', '1d']),
    /** Portfolio strategies: every instrument traded (the first is charted). */
    symbols: z.array(z.string().min(1)).max(20).optional(),
  }),
  z.object({ kind: z.literal('csv'), name: z.string().max(200), text: z.string().min(1).max(20_000_000) }),
  /** Bars in the local store: imported files and the history cached from data providers. */
  z.object({ kind: z.literal('stored'), symbol: z.string().trim().toUpperCase().min(1).max(32), timeframe: Timeframe }),
]);
export type BacktestSource = z.infer<typeof BacktestSource>;

const backtestCommon = {
  strategy: z.string().min(1),
  source: BacktestSource,
  cash: z.number().positive().finite().default(10_000),
  commission: z.number().min(0).max(0.1).default(0),
  fill: z.enum(['next-open', 'close']).default('next-open'),
  /** Optional date range (UTC, inclusive). */
  from: IsoDate.optional(),
  to: IsoDate.optional(),
};

export const BacktestRequest = z.object({ ...backtestCommon, params: ParamRecord.default({}) });
export type BacktestRequest = z.input<typeof BacktestRequest>;

export const Objective = z.enum(['sharpe', 'sortino', 'calmar', 'returnPct', 'cagrPct', 'profitFactor', 'sqn']);
export const OptimizeRequest = z.object({
  ...backtestCommon,
  /** Chosen by the client so progress events can be matched before the response arrives. */
  id: z.string().min(1).max(64),
  /** Per parameter: `start:end:step`, `a,b,c` or one value. */
  space: z.preprocess(noProtoKey<Record<string, string>>, z.record(ParamName, z.string().min(1))),
  /** Values of the parameters not in `space` (kept fixed); a strategy's defaults otherwise. */
  params: ParamRecord.default({}),
  objective: Objective.default('sharpe'),
  samples: z.number().int().positive().optional(),
});
export type OptimizeRequest = z.input<typeof OptimizeRequest>;

const Metric = z.number().nullable();
/** How many of a run's bars its result carries (the newest): the price chart draws those first (a 100,000-bar run's
 * result was 7 MB with all of them, and Chromium stops drawing ~17 ms per MB while it takes a message in). */
export const BACKTEST_BARS_SENT = 5_000;
const Numbers = z.array(z.number());
/** A run's bars, one array per field (entry i of each is bar i). A run's bars and equity went one object per bar
 * before: a 100,000-bar run was a 17 MB message, and Chromium takes ~17 ms per MB to receive one (frames stop
 * meanwhile); as columns it is about 40 % of that. */
export const BarColumns = z.object({ time: Numbers, open: Numbers, high: Numbers, low: Numbers, close: Numbers, volume: Numbers })
  .refine((c) => [c.open, c.high, c.low, c.close, c.volume].every((x) => x.length === c.time.length), 'bar columns of different lengths');
export type BarColumns = z.infer<typeof BarColumns>;
/** The equity curve: the account's equity after each bar, kept to 6 decimals (its drawdown is derived where shown). */
export const EquityColumns = z.object({ time: Numbers, equity: Numbers })
  .refine((c) => c.equity.length === c.time.length, 'equity columns of different lengths');
export type EquityColumns = z.infer<typeof EquityColumns>;

/** Runs saved before the columns kept one object per bar and per equity point: read as columns. */
function savedAsRows(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const r = v as { bars?: unknown; equity?: unknown };
  const columnsOf = (rows: unknown, keys: readonly string[]) =>
    Array.isArray(rows) ? Object.fromEntries(keys.map((k) => [k, rows.map((x) => (x as Record<string, unknown>)?.[k])])) : rows;
  return { ...r, bars: columnsOf(r.bars, ['time', 'open', 'high', 'low', 'close', 'volume']), equity: columnsOf(r.equity, ['time', 'equity']) };
}

export const BacktestResult = z.preprocess(savedAsRows, z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.number(),
  strategy: z.string(),
  params: z.record(z.string(), ParamValue),
  source: z.string(),
  metrics: z.record(z.string(), Metric),
  trades: z.array(z.object({
    symbol: z.string().optional(),
    entryTime: z.number(), exitTime: z.number(), side: z.enum(['long', 'short']), size: z.number(), entryPrice: z.number(), exitPrice: z.number(),
    pnl: z.number(), commission: z.number(),
  })),
  equity: EquityColumns,
  /** The run's bars; from `backtest.run` and `backtest.get` only the newest BACKTEST_BARS_SENT of a longer run, with
   * `barsTotal` saying how many it has (`backtest.bars` gives them all). */
  bars: BarColumns,
  barsTotal: z.number().int().nonnegative().optional(),
  /** Something the trader must know about the run (e.g. orders left unfilled for lack of a whole unit); runs saved
   * before it existed have none. */
  warning: z.string().nullable().default(null),
}));
export type BacktestResult = z.infer<typeof BacktestResult>;

export const OptimizationResult = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.number(),
  strategy: z.string(),
  source: z.string(),
  objective: Objective,
  evaluated: z.number().int(),
  seconds: z.number(),
  deflatedSharpe: Metric,
  warning: z.string().nullable(),
  paramNames: z.array(z.string()),
  results: z.array(z.object({ params: z.record(z.string(), ParamValue), score: Metric, returnPct: Metric, maxDrawdownPct: Metric, trades: z.number().int() })),
});
export type OptimizationResult = z.infer<typeof OptimizationResult>;

export const BacktestRunSummary = z.object({
  id: z.string(), createdAt: z.number(), kind: z.enum(['backtest', 'optimization']), name: z.string(), strategy: z.string(),
  summary: z.record(z.string(), z.unknown()),
});
export type BacktestRunSummary = z.infer<typeof BacktestRunSummary>;

/** One UTC day of a series: bars the trading calendar expects, stored, missing, outside the calendar, held back, flagged. */
export const CompletenessRow = z.object({
  date: z.string(),
  expected: z.number().int(),
  stored: z.number().int(),
  missing: z.number().int(),
  extra: z.number().int(),
  quarantined: z.number().int(),
  flagged: z.number().int(),
});
export type CompletenessRow = z.infer<typeof CompletenessRow>;
export const StoredSeries = z.object({
  symbol: z.string(), timeframe: Timeframe, from: z.number(), to: z.number(), bars: z.number().int(),
  /** The trading calendar chosen when it was imported (null: none chosen; the instrument's own applies). */
  calendar: SessionKind.nullable().default(null),
});
export type StoredSeries = z.infer<typeof StoredSeries>;
/** One market-data provider as the failover manager sees it (Data sources panel). */
export const DataSourceStatus = z.object({
  id: z.string(),
  enabled: z.boolean(),
  state: z.enum(['healthy', 'degraded', 'down']),
  circuit: z.enum(['closed', 'open', 'half-open']),
  lastError: z.object({ message: z.string(), reason: z.string(), at: z.number() }).nullable(),
  /** Duration of the last successful request, ms. */
  latencyMs: z.number().nullable(),
  requestsLastHour: z.number().int(),
  /** Requests per rolling hour; 0 = unlimited. */
  rateLimit: z.number().int(),
  /** Requests waiting for the rate limit. */
  queued: z.number().int(),
  lastSuccessAt: z.number().nullable(),
  /** Pushes quotes (IB, demo) rather than being polled (Yahoo). */
  streaming: z.boolean(),
  /** Rank in each priority list, 1 = primary. */
  roles: z.array(z.object({ kind: z.enum(['quotes', 'bars', 'fundamentals']), rank: z.number().int() })),
});
export type DataSourceStatus = z.infer<typeof DataSourceStatus>;

/** Which source feeds an instrument now. */
export const DataFeed = z.object({
  symbol: z.string(),
  source: z.string().nullable(),
  /** The source is not the primary. */
  fallback: z.boolean(),
  since: z.number().nullable(),
  lastQuoteTime: z.number().nullable(),
  lastQuoteAge: z.number().nullable(),
  stale: z.boolean(),
  /** Who served the last history request, and when. */
  barsSource: z.string().nullable(),
  barsAt: z.number().nullable(),
});
export type DataFeed = z.infer<typeof DataFeed>;

/** The primary's and the secondary's prices differ by more than the cross-validation threshold. */
export const DataDivergence = z.object({
  id: z.string(),
  symbol: z.string(),
  kind: z.enum(['quote', 'daily-bar']),
  detectedAt: z.number(),
  /** The quote time or the bar's day, UTC ms. */
  at: z.number(),
  primary: z.object({ source: z.string(), price: z.number() }),
  secondary: z.object({ source: z.string(), price: z.number() }),
  diff: z.number(),
  threshold: z.number(),
});
export type DataDivergence = z.infer<typeof DataDivergence>;

/** Data providers that need an API key; keys are stored encrypted (Secrets port) and never sent back to a renderer. */
export const KeyedProvider = z.enum(['alphavantage', 'polygon', 'fred']);
export type KeyedProvider = z.infer<typeof KeyedProvider>;
export const ApiKeyInput = z.object({
  provider: KeyedProvider,
  /** null removes the key. */
  key: z.string().trim().min(1).max(256).regex(/^[\x21-\x7e]+$/, 'An API key is printable ASCII without spaces').nullable(),
});
/** CSV text sent for import: at most MAX_IMPORT_BYTES, below the web host's frame limit (src-shared/api/limits.ts). */
const CsvText = z.string().min(1, 'The file is empty').max(MAX_IMPORT_BYTES, `At most ${formatMegabytes(MAX_IMPORT_BYTES)} per import`);
const Column = z.number().int().min(0).max(1000);
/** Which CSV column (0-based) holds what; a close-only series maps `close` alone. */
export const CsvColumnMapping = z.object({
  time: Column,
  /** 'date': YYYY-MM-DD[ HH:MM[:SS]] (UTC); 'decimal-year': R's ts times such as 1991.49615 (260 business days a year). */
  timeFormat: z.enum(['date', 'decimal-year']),
  open: Column.optional(),
  high: Column.optional(),
  low: Column.optional(),
  close: Column,
  volume: Column.optional(),
});
export type CsvColumnMapping = z.infer<typeof CsvColumnMapping>;
export const CsvPreview = z.object({
  header: z.array(z.string()),
  /** The first data rows as read. */
  rows: z.array(z.array(z.string())),
  rowCount: z.number().int(),
  /** The mapping guessed from the header (Date/Open/High/Low/Close/Volume, or "time" in decimal years); null when no Close column. */
  suggested: CsvColumnMapping.nullable(),
});
export type CsvPreview = z.infer<typeof CsvPreview>;
export const ImportBarsRequest = z.object({
  symbol: z.string().trim().toUpperCase().regex(/^[A-Z0-9.^=_-]{1,32}$/, 'A symbol is 1-32 letters, digits or . ^ = _ -'),
  timeframe: Timeframe,
  /** The trading calendar for gap reports; without one no gaps are reported. */
  session: SessionKind.optional(),
  /** The file's name, kept as the bars' source. */
  name: z.string().trim().min(1).max(200),
  text: CsvText,
  mapping: CsvColumnMapping,
});
export type ImportBarsRequest = z.input<typeof ImportBarsRequest>;
/** What an import did: the CLI's `import --json` report. */
export const ImportReport = z.object({
  accepted: z.number().int(),
  rejected: z.array(z.object({ row: z.number().int(), reason: z.string() })),
  /** Stored but suspect (spikes, stale runs). */
  flagged: z.array(z.object({ row: z.number().int(), reason: z.string() })),
  /** Expected bars missing by the session's calendar, ISO times. */
  gaps: z.array(z.object({ from: z.string(), to: z.string(), bars: z.number().int() })),
  /** Stored bars this file replaced with different values. */
  restated: z.number().int(),
});
export type ImportReport = z.infer<typeof ImportReport>;

const Figure = z.number().nullable();
/** Valuation and quality figures; ratios are plain fractions (ROE 0.25, dividend yield 0.0044). */
export const FundamentalFigures = z.object({
  currency: z.string().nullable(), marketCap: Figure, pe: Figure, forwardPe: Figure, eps: Figure, revenue: Figure, pb: Figure, evEbitda: Figure,
  roe: Figure, debtToEquity: Figure, revenueGrowth: Figure, earningsGrowth: Figure, dividendYield: Figure,
});
export type FundamentalFigures = z.infer<typeof FundamentalFigures>;
/** One symbol's fundamentals as cached: where and when from, or why not. */
export const FundamentalsEntry = z.object({
  symbol: z.string(),
  /** cached: from the store within maxAge; fetched: just now; stale: the refresh failed, older figures shown; failed: none. */
  status: z.enum(['cached', 'fetched', 'stale', 'failed']),
  source: z.string().nullable(),
  /** When the figures were true (the oldest of asOfs), UTC ms. */
  asOf: z.number().nullable(),
  /** Per figure, when it was true, UTC ms. */
  asOfs: z.record(z.string(), z.number()),
  fetchedAt: z.number().nullable(),
  figures: FundamentalFigures.nullable(),
  error: z.string().nullable(),
});
export type FundamentalsEntry = z.infer<typeof FundamentalsEntry>;

/** A strategy running live on the active session's market data, its orders through the risk gate. */
export const LiveStrategy = z.object({
  id: z.string(),
  strategy: z.string(),
  symbols: z.array(z.string()),
  timeframe: Timeframe,
  params: z.record(z.string(), ParamValue),
  /** Capital allotted: all-in sizing (`size: all`) never commits more than this. */
  capital: z.number(),
  /** data-unavailable: live, but its source cannot serve its bars now (the reason in message); it retries with a backoff. */
  status: z.enum(['running', 'data-unavailable', 'stopped', 'error']),
  /** Why it stopped with an error or waits for data, or the last rejection. */
  message: z.string().nullable(),
  startedAt: z.number(),
  /** Open time (UTC s) of the last closed bar the strategy has seen; it never acts on a bar twice. */
  lastBarTime: z.number().nullable(),
  lastSignal: z.object({ time: z.number(), text: z.string() }).nullable(),
  /** Net units from this strategy's own fills, per symbol. */
  positions: z.record(z.string(), z.number()),
  /** Realised + unrealised P&L of its own fills, commissions included. */
  pnl: Money,
  orders: z.number().int(),
  /** The account it trades. */
  accountId: z.string(),
});
export type LiveStrategy = z.infer<typeof LiveStrategy>;

export const StartStrategyRequest = z.object({
  strategy: z.string().min(1),
  symbols: z.array(z.string().min(1)).min(1).max(20),
  timeframe: Timeframe,
  params: ParamRecord.default({}),
  capital: z.number().positive().finite().default(10_000),
  /** The account it trades (an id from the accounts list); default: the paper account. */
  accountId: z.string().min(1).max(64).optional(),
  /** Required (true) for an account that trades real money. */
  confirmLive: z.literal(true).optional(),
});
export type StartStrategyRequest = z.input<typeof StartStrategyRequest>;

/** Which account a request is for: absent, the default one (the account connected last, else paper). */
const AccountId = z.string().min(1).max(64);
const AccountRef = z.object({ accountId: AccountId.optional() });
/** Lists over one account (the named or default one), or over every connected account (`allAccounts`). */
const AccountScope = { accountId: AccountId.optional(), allAccounts: z.boolean().default(false) };

/** A change of a working order: `price` is a limit order's limit or a stop order's level, `quantity` the new total. */
export const OrderModifyRequest = z.object({
  orderId: z.string().min(1).max(64), price: z.number().positive().finite().optional(), quantity: z.number().positive().finite().optional(),
  /** The level of a protective leg that waits for this (entry) order's fill: held by the app until then. */
  stopLoss: z.number().positive().finite().optional(), takeProfit: z.number().positive().finite().optional(),
}).refine((r) => r.price !== undefined || r.quantity !== undefined || r.stopLoss !== undefined || r.takeProfit !== undefined, {
  message: 'a new price, quantity, stop-loss or take-profit is needed', path: ['price'],
});
export type OrderModifyRequest = z.infer<typeof OrderModifyRequest>;

/** Every request/response pair, by method name. */
export const methods = {
  'app.info': { request: Empty, response: AppInfo },
  'app.health': { request: Empty, response: AppHealth },
  /** The named account's market (what its ticket can trade), else the default account's. */
  'instruments.list': { request: z.object({ accountId: AccountId.optional() }).strict(), response: z.array(Instrument) },
  'instruments.search': { request: z.object({ query: z.string().max(64), accountId: AccountId.optional() }), response: z.array(Instrument) },
  /** From the named account's market when it offers the symbol (an OANDA account: OANDA's candles), else the default account's. */
  'bars.history': {
    request: z.object({ symbol: z.string().min(1), timeframe: Timeframe, limit: z.number().int().positive().max(20000).optional(), accountId: AccountId.optional() }),
    response: z.array(Bar),
  },
  /** The last quote of each instrument of the named account's market, else of the default account's. */
  'quotes.snapshot': { request: z.object({ accountId: AccountId.optional() }).strict(), response: z.array(Quote) },
  /** Per-day completeness of the stored bars of a series over [from, to] (UTC seconds; long ranges are read in pieces), against a
   * trading calendar: the instrument's own, or the one given (an imported series has none of its own). */
  'data.completeness': {
    request: z.object({ symbol: z.string().min(1), timeframe: Timeframe, from: z.number().int(), to: z.number().int(), session: SessionKind.optional() })
      .refine((r) => r.to >= r.from, { message: 'to must not be before from', path: ['to'] })
      .refine((r) => r.to - r.from <= 200 * 366 * 86_400, { message: 'at most 200 years per request', path: ['to'] }),
    response: z.array(CompletenessRow),
  },
  'orders.place': { request: OrderRequest.and(AccountRef), response: PlaceOrderResult },
  /** Cancelled on the account that holds the order. */
  'orders.cancel': { request: z.object({ orderId: z.string().min(1).max(64) }), response: Order },
  /** Changes a working order on the account that holds it: `price` is a limit order's limit and a stop order's stop
   * level, `quantity` the new total (filled part included). Risk-checked and journaled like a new order; `rejection`
   * says why a modify was refused (the order is then unchanged). The venue's acknowledgement arrives as an order event. */
  'orders.modify': {
    request: OrderModifyRequest,
    response: PlaceOrderResult,
  },
  /** Closes the whole position in a symbol with a market order (reducing: through the risk gate, audited), after
   * cancelling its working protective legs. */
  'positions.flatten': { request: z.object({ symbol: z.string().min(1).max(32), accountId: AccountId.optional() }), response: PlaceOrderResult },
  /** Newest first; with allAccounts, every connected account's merged (each order carries its accountId). */
  'orders.list': {
    request: z.object({ scope: z.enum(['open', 'all']).default('all'), limit: z.number().int().positive().max(5000).default(500), ...AccountScope }),
    response: z.array(Order),
  },
  /** Execution quality: each fill's arrival mid, spread and slippage (positive = worse for the trader), grouped by
   * venue, instrument and UTC hour of the fill; fills in [from, to) UTC ms, newest first. */
  'execution.slippage': {
    request: z.object({ from: z.number().int().optional(), to: z.number().int().optional(), limit: z.number().int().positive().max(5000).default(2000), ...AccountScope }),
    response: SlippageReport,
  },
  'fills.list': { request: z.object({ limit: z.number().int().positive().max(5000).default(500), ...AccountScope }), response: z.array(Fill) },
  'positions.list': { request: z.object(AccountScope).strict(), response: z.array(Position) },
  'account.summary': { request: AccountRef.strict(), response: AccountSummary },
  'account.equity': { request: z.object({ limit: z.number().int().positive().max(100000).default(5000), accountId: AccountId.optional() }), response: z.array(EquityPoint) },
  /** Every connected account: its venue, live or paper, its connection. */
  'accounts.list': { request: Empty, response: z.array(AccountInfo) },
  /** Each connected account's summary and positions, and the totals over them per currency. */
  'accounts.overview': { request: Empty, response: z.object({ accounts: z.array(AccountUpdate), totals: z.array(AccountTotal) }) },
  /** The venues accounts can be held at, with what each can do. */
  'venues.list': { request: Empty, response: z.array(VenueInfo) },
  /** A venue's saved settings (no account id or secret in them). */
  'venues.settings': { request: z.object({ venue: z.string().min(1).max(32) }), response: z.record(z.string(), z.unknown()) },
  /** Connects an account at the venue (settings parsed by the venue's own schema), beside the accounts connected already;
   * live settings require confirmLive: true. */
  'venues.connect': {
    request: z.object({ venue: z.string().min(1).max(32), settings: z.record(z.string(), z.unknown()).default({}), confirmLive: z.boolean().default(false) }),
    response: ConnectionStatus,
  },
  'venues.disconnect': { request: z.object({ venue: z.string().min(1).max(32) }), response: ConnectionStatus },
  /** Sets (or, with null, removes) a venue's credential (OANDA's API token) in the secrets store; it never comes back. */
  'venues.secret.set': {
    request: z.object({
      venue: z.string().min(1).max(32),
      value: z.string().trim().min(1).max(512).regex(/^[\x21-\x7e]+$/, 'A token is printable ASCII without spaces').nullable(),
    }),
    response: Ok,
  },
  /** Whether the venue's credential is set: "set" or "not set", never the value. */
  'venues.secret.status': { request: z.object({ venue: z.string().min(1).max(32) }), response: z.object({ set: z.boolean() }) },
  'risk.status': { request: AccountRef.strict(), response: RiskStatus },
  'risk.killSwitch': { request: z.object({ engaged: z.boolean(), accountId: AccountId.optional() }), response: RiskStatus },
  'audit.list': { request: z.object({ limit: z.number().int().positive().max(5000).default(200) }), response: z.array(AuditEntry) },
  'settings.theme.get': { request: Empty, response: z.object({ theme: Theme }) },
  'settings.theme.set': { request: z.object({ theme: Theme }), response: Ok },
  'settings.apiKeys.set': { request: ApiKeyInput, response: Ok },
  /** Which providers have a key; the key itself never leaves main. */
  'settings.apiKeys.list': { request: Empty, response: z.array(z.object({ provider: KeyedProvider, hasKey: z.boolean() })) },
  'connection.status': { request: Empty, response: ConnectionStatus },
  'connection.settings': { request: Empty, response: IbSettings },
  /** Saves the settings and connects; mode live requires confirmLive: true. */
  'connection.connect': { request: IbSettings.extend({ confirmLive: z.boolean().default(false) }), response: ConnectionStatus },
  /** Back to the paper broker on the demo market. */
  'connection.disconnect': { request: Empty, response: ConnectionStatus },
  'connection.reconciliation': { request: AccountRef.strict(), response: ReconciliationReport.nullable() },
  /** One position difference of the last reconciliation: take the broker's position, or keep ours (with a reason). */
  'reconciliation.resolve': {
    request: z.object({
      symbol: z.string().min(1).max(32), action: z.enum(['broker', 'ours']), reason: z.string().trim().min(1, 'A reason is required').max(500), accountId: AccountId.optional(),
    }),
    response: ReconciliationReport,
  },
  'account.brokerValues': { request: AccountRef.strict(), response: z.array(BrokerAccountValue) },
  'data.sources': { request: Empty, response: z.array(DataSourceStatus) },
  /** Every series in the local bar store (downloaded or imported), by symbol then bar size. */
  'data.series': { request: Empty, response: z.array(StoredSeries) },
  'data.feeds': { request: Empty, response: z.array(DataFeed) },
  /** Reads a CSV file's header and first rows, and guesses its column mapping, for the import dialog. */
  'data.csvPreview': { request: z.object({ text: CsvText, rows: z.number().int().positive().max(100).default(8) }), response: CsvPreview },
  /** Validates a CSV's rows through the given mapping and stores what passes; the rest is quarantined with its reason. */
  'data.import': { request: ImportBarsRequest, response: ImportReport },
  /** Fundamentals per symbol from the local cache, refreshed through the fundamentals chain when older than maxAgeHours; failures per symbol. */
  'data.fundamentals': {
    request: z.object({
      symbols: z.array(z.string().trim().toUpperCase().regex(/^[A-Z0-9.^=_-]{1,32}$/, 'A symbol is 1-32 letters, digits or . ^ = _ -')).min(1).max(500),
      maxAgeHours: z.number().positive().max(24 * 366).default(24),
    }),
    response: z.array(FundamentalsEntry),
  },
  'data.divergences': { request: z.object({ limit: z.number().int().positive().max(200).default(100) }), response: z.array(DataDivergence) },
  'backtest.strategies': { request: Empty, response: z.array(StrategyInfo) },
  'backtest.run': { request: BacktestRequest, response: BacktestResult },
  'backtest.optimize': { request: OptimizeRequest, response: OptimizationResult },
  'backtest.cancel': { request: z.object({ id: z.string() }), response: Ok },
  'backtest.list': { request: z.object({ limit: z.number().int().positive().max(1000).default(100) }), response: z.array(BacktestRunSummary) },
  /** All the bars of a saved backtest (its result carries only the newest of a long run). */
  'backtest.bars': { request: z.object({ id: z.string().min(1).max(64) }), response: BarColumns },
  'backtest.get': {
    request: z.object({ id: z.string() }),
    response: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('backtest'), backtest: BacktestResult }),
      z.object({ kind: z.literal('optimization'), optimization: OptimizationResult }),
    ]),
  },
  'strategies.start': { request: StartStrategyRequest, response: LiveStrategy },
  'strategies.stop': { request: z.object({ id: z.string().min(1) }), response: LiveStrategy },
  'strategies.list': { request: Empty, response: z.array(LiveStrategy) },
  // CFD accounts (issue 14): margin of every account with figures, instrument specs, position size from risk.
  'margin.status': { request: Empty, response: z.array(MarginStatus) },
  'cfd.specs': { request: AccountRef.strict(), response: z.array(CfdSpecInfo) },
  'sizing.compute': { request: SizingRequest, response: SizingResult },
  /** The Kelly fraction (capped at 25 %) from a saved backtest's trades; null without a win and a loss. */
  'sizing.kelly': {
    request: z.object({ backtestId: z.string().min(1).max(64) }),
    response: z.object({ fraction: z.number(), raw: z.number(), winRate: z.number(), payoff: z.number(), trades: z.number().int() }).nullable(),
  },
  // Investment tracking (issue 13; schemas in ./analytics.ts): the ledger's performance, benchmark, contribution, exposure.
  /** One period: the total (accountId null, reporting currency) and every account (own currency), or one account. */
  'analytics.summary': { request: AnalyticsPeriodRequest, response: z.array(AccountPerformance) },
  /** Every standard period (1D, MTD, YTD, 1Y, 3Y, since inception) of one account or the total. */
  'analytics.returns': { request: AnalyticsScope, response: z.array(PeriodPerformance) },
  /** NAV per day over the period and the comparison with a benchmark symbol (SPY by default). */
  'analytics.nav': { request: AnalyticsPeriodRequest.and(z.object({ benchmark: z.string().trim().toUpperCase().regex(/^[A-Z0-9.^=_/-]{1,32}$/).optional() })), response: NavAndBenchmark },
  'analytics.contribution': { request: AnalyticsPeriodRequest, response: ContributionTable },
  'analytics.exposures': { request: AnalyticsScope, response: Exposures },
  /** Sector, industry, asset class and country per instrument, with the source of each field. */
  'analytics.profiles': { request: ProfilesRequest, response: z.array(MergedProfile) },
  'analytics.profiles.set': { request: ProfileEdit, response: MergedProfile },
  // The portfolio tracker (issue 13): ledger, lots, gains, wash sales, harvesting, the ticket's what-if (api/portfolio.ts).
  ...portfolioMethods,
  // The chart's watchlists (issue 15; schemas in ./watchlists.ts).
  ...watchlistMethods,
  // Stock analysis (issue 16): universes (api/universes.ts).
  ...universeMethods,
  // Stock analysis (issue 16): the screener, saved screens and the factor lab (api/screener.ts).
  ...screenerMethods,
  // Portfolio risk (issue 17): trading states, analytics snapshot, limit usage (api/risk.ts).
  ...riskMethods,
  // Alerts (issue 17 item 5): price and portfolio alerts, their log (api/alerts.ts).
  ...alertMethods,
  // Macro series from FRED and news with sentiment (issue 16; api/macro.ts, api/news.ts).
  ...macroMethods,
  ...newsMethods,
  // Operations (issue 18): health report, monitoring samples, log viewer (api/ops.ts).
  ...opsMethods,
  // Session replay (issue 17 item 6): a day rebuilt from the audit log and the stored bars (api/replay.ts).
  ...replayMethods,
  // Live vs backtest divergence of live strategies (issue 17 item 7; api/divergence.ts).
  ...divergenceMethods,
  // Operations (issue 18): backups and restore, configuration history, reporting hooks (api/operations.ts).
  ...operationsMethods,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type RequestOf<M extends MethodName> = z.input<Methods[M]['request']>;
export type ParsedRequestOf<M extends MethodName> = z.output<Methods[M]['request']>;
export type ResponseOf<M extends MethodName> = z.output<Methods[M]['response']>;

/** Events pushed from main to every connected renderer. */
export const events = {
  quote: Quote,
  /** Quotes of a market that is not the default account's (`quote`), with the accounts that trade on it: the chart of
   * the account chosen on the ticket draws its own venue's prices. */
  'account.quote': z.object({ accountIds: z.array(AccountId), quote: Quote }),
  order: Order,
  fill: Fill,
  positions: z.array(Position),
  account: AccountSummary,
  risk: RiskStatus,
  connection: ConnectionStatus,
  reconciliation: ReconciliationReport,
  'account.brokerValues': z.array(BrokerAccountValue),
  /** Any connected account's totals and positions (`positions` and `account` carry the default account's alone). */
  'account.update': AccountUpdate,
  /** Every connected account, on any change of one (connect, disconnect, state). */
  accounts: z.array(AccountInfo),
  'data.sources': z.array(DataSourceStatus),
  'data.feeds': z.array(DataFeed),
  'backtest.progress': z.object({ id: z.string(), done: z.number().int(), total: z.number().int() }),
  strategies: z.array(LiveStrategy),
  health: AppHealth,
  /** Margin of every account that has figures, every second; an alert when one falls below the alert level. */
  margin: z.array(MarginStatus),
  'margin.alert': MarginStatus,
  // Portfolio risk (issue 17): trading state changes and limit usage (api/risk.ts).
  ...riskEvents,
  ...alertEvents,
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventOf<E extends EventName> = z.output<Events[E]>;

export const ApiErrorCode = z.enum(['BAD_REQUEST', 'NOT_FOUND', 'UNAVAILABLE', 'INTERNAL']);
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;
export const ApiError = z.object({
  code: ApiErrorCode,
  message: z.string(),
  /** Field → message, for validation errors. */
  fields: z.record(z.string(), z.string()).optional(),
});
export type ApiError = z.infer<typeof ApiError>;

/** Wire frames of the WebSocket transport (IPC carries the same payloads). */
export const ClientFrame = z.object({ id: z.number().int(), method: z.string(), params: z.unknown() });
export type ClientFrame = z.infer<typeof ClientFrame>;
export type ServerFrame =
  | { id: number; result: unknown }
  | { id: number; error: ApiError }
  | { event: EventName; data: unknown }
  /** Events pushed together (the quotes of one burst), in order: the same as one `{ event, data }` frame each. */
  | { batch: { event: EventName; data: unknown }[] };

/** Own names only: `constructor`, `toString` or `__proto__` are not methods. */
export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}

/** What the renderer talks to; implemented over IPC (preload) or WebSocket. */
export interface ApiClient {
  call<M extends MethodName>(method: M, params: RequestOf<M>): Promise<ResponseOf<M>>;
  on<E extends EventName>(event: E, listener: (data: EventOf<E>) => void): () => void;
  /** Connection state of the transport itself (the WebSocket may reconnect). */
  onConnection(listener: (connected: boolean) => void): () => void;
}

/** Thrown by an ApiClient when main answers with an error. */
export class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
  }
}
