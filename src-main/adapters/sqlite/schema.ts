// SQLite schema (drizzle). Money is TEXT holding a decimal string; times are UTC milliseconds (bars: UTC seconds).
import { blob, integer, primaryKey, real, sqliteTable, text, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const accounts = sqliteTable('accounts', {
  id: text('id').primaryKey(),
  broker: text('broker').notNull(),
  currency: text('currency').notNull(),
  cash: text('cash').notNull(),
  initialCash: text('initial_cash').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const instruments = sqliteTable('instruments', {
  symbol: text('symbol').primaryKey(),
  name: text('name').notNull(),
  assetClass: text('asset_class').notNull(),
  currency: text('currency').notNull(),
  exchange: text('exchange').notNull(),
  tickSize: real('tick_size').notNull(),
  lotSize: real('lot_size').notNull(),
  session: text('session').notNull(),
});

export const orders = sqliteTable('orders', {
  id: text('id').primaryKey(),
  accountId: text('account_id').notNull().references(() => accounts.id),
  brokerOrderId: text('broker_order_id'),
  symbol: text('symbol').notNull(),
  side: text('side').notNull(),
  type: text('type').notNull(),
  quantity: real('quantity').notNull(),
  limitPrice: real('limit_price'),
  stopPrice: real('stop_price'),
  timeInForce: text('time_in_force').notNull(),
  stopLoss: real('stop_loss'),
  takeProfit: real('take_profit'),
  parentId: text('parent_id'),
  source: text('source').notNull(),
  status: text('status').notNull(),
  filledQuantity: real('filled_quantity').notNull(),
  avgFillPrice: real('avg_fill_price'),
  rejectReason: text('reject_reason'),
  note: text('note'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [index('orders_account_created').on(t.accountId, t.createdAt), index('orders_status').on(t.status)]);

export const fills = sqliteTable('fills', {
  id: text('id').primaryKey(),
  orderId: text('order_id').notNull().references(() => orders.id),
  accountId: text('account_id').notNull(),
  symbol: text('symbol').notNull(),
  side: text('side').notNull(),
  quantity: real('quantity').notNull(),
  price: real('price').notNull(),
  commission: text('commission').notNull(),
  time: integer('time').notNull(),
}, (t) => [index('fills_account_time').on(t.accountId, t.time), index('fills_order').on(t.orderId)]);

/** Execution quality of a fill (arrival mid, spread, slippage): written with the fill, for fills whose arrival is known. */
export const fillQuality = sqliteTable('fill_quality', {
  fillId: text('fill_id').primaryKey().references(() => fills.id),
  orderId: text('order_id').notNull(),
  accountId: text('account_id').notNull(),
  venue: text('venue').notNull(),
  symbol: text('symbol').notNull(),
  side: text('side').notNull(),
  quantity: real('quantity').notNull(),
  sentAt: integer('sent_at').notNull(),
  time: integer('time').notNull(),
  arrivalBid: real('arrival_bid').notNull(),
  arrivalAsk: real('arrival_ask').notNull(),
  arrivalMid: real('arrival_mid').notNull(),
  spread: real('spread').notNull(),
  fillPrice: real('fill_price').notNull(),
  pipSize: real('pip_size').notNull(),
  slippage: real('slippage').notNull(),
  slippagePips: real('slippage_pips').notNull(),
  slippageBps: real('slippage_bps').notNull(),
  slippageCost: text('slippage_cost'),
  currency: text('currency').notNull(),
}, (t) => [index('fill_quality_account_time').on(t.accountId, t.time)]);

export const positions = sqliteTable('positions', {
  accountId: text('account_id').notNull(),
  symbol: text('symbol').notNull(),
  quantity: real('quantity').notNull(),
  avgPrice: real('avg_price').notNull(),
  realizedPnl: text('realized_pnl').notNull(),
  /** Overnight financing booked on the position (account currency; also in realizedPnl). */
  financing: text('financing').notNull().default('0.00'),
}, (t) => [primaryKey({ columns: [t.accountId, t.symbol] })]);

export const strategies = sqliteTable('strategies', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  params: text('params').notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull(),
  createdAt: integer('created_at').notNull(),
});

/** The old one-row-per-bar table: rows left here by an older version are moved into bar_chunks when the store opens. */
export const legacyBars = sqliteTable('bars', {
  symbol: text('symbol').notNull(),
  timeframe: text('timeframe').notNull(),
  time: integer('time').notNull(),
  open: real('open').notNull(),
  high: real('high').notNull(),
  low: real('low').notNull(),
  close: real('close').notNull(),
  volume: real('volume').notNull(),
}, (t) => [primaryKey({ columns: [t.symbol, t.timeframe, t.time] })]);

/** Bars in chunks: one row per symbol × timeframe × period, the bars as one columnar Float64 block (see bar-chunks.ts). */
export const barChunks = sqliteTable('bar_chunks', {
  symbol: text('symbol').notNull(),
  timeframe: text('timeframe').notNull(),
  periodStart: integer('period_start').notNull(),
  firstTime: integer('first_time').notNull(),
  lastTime: integer('last_time').notNull(),
  count: integer('count').notNull(),
  data: blob('data', { mode: 'buffer' }).notNull(),
}, (t) => [primaryKey({ columns: [t.symbol, t.timeframe, t.periodStart] })]);

export const barRestatements = sqliteTable('bar_restatements', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  symbol: text('symbol').notNull(),
  timeframe: text('timeframe').notNull(),
  source: text('source').notNull(),
  detectedAt: integer('detected_at').notNull(),
  count: integer('count').notNull(),
  fromTime: integer('from_time').notNull(),
  toTime: integer('to_time').notNull(),
  applied: text('applied').notNull(),
  changes: text('changes').notNull(),
}, (t) => [index('bar_restatements_symbol').on(t.symbol, t.detectedAt)]);

/** Splits (value = new shares per old share) and dividends (value = cash per share as paid) by ex-date, UTC seconds. */
export const corporateActions = sqliteTable('corporate_actions', {
  symbol: text('symbol').notNull(),
  kind: text('kind').notNull(),
  time: integer('time').notNull(),
  value: real('value').notNull(),
  source: text('source').notNull(),
}, (t) => [primaryKey({ columns: [t.symbol, t.kind, t.time] })]);

/** The latest fundamentals per symbol, each figure with the time it was true (as_ofs), for the screener. */
export const fundamentals = sqliteTable('fundamentals', {
  symbol: text('symbol').primaryKey(),
  source: text('source').notNull(),
  asOf: integer('as_of').notNull(),
  fetchedAt: integer('fetched_at').notNull(),
  currency: text('currency'),
  marketCap: real('market_cap'),
  pe: real('pe'),
  forwardPe: real('forward_pe'),
  eps: real('eps'),
  revenue: real('revenue'),
  pb: real('pb'),
  evEbitda: real('ev_ebitda'),
  roe: real('roe'),
  debtToEquity: real('debt_to_equity'),
  revenueGrowth: real('revenue_growth'),
  earningsGrowth: real('earnings_growth'),
  dividendYield: real('dividend_yield'),
  /** JSON: per figure, when it was true (UTC ms). */
  asOfs: text('as_ofs'),
});

export const auditLog = sqliteTable('audit_log', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  time: integer('time').notNull(),
  kind: text('kind').notNull(),
  orderId: text('order_id'),
  payload: text('payload').notNull(),
}, (t) => [index('audit_order').on(t.orderId)]);

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const equityHistory = sqliteTable('equity_history', {
  accountId: text('account_id').notNull(),
  time: integer('time').notNull(),
  nav: text('nav').notNull(),
}, (t) => [primaryKey({ columns: [t.accountId, t.time] })]);

export const backtestRuns = sqliteTable('backtest_runs', {
  id: text('id').primaryKey(),
  createdAt: integer('created_at').notNull(),
  kind: text('kind').notNull(),
  name: text('name').notNull(),
  strategy: text('strategy').notNull(),
  summary: text('summary').notNull(),
  result: text('result').notNull(),
}, (t) => [index('backtest_runs_created').on(t.createdAt)]);

export const barQuarantine = sqliteTable('bar_quarantine', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  symbol: text('symbol').notNull(),
  timeframe: text('timeframe').notNull(),
  source: text('source').notNull(),
  row: integer('row').notNull(),
  reason: text('reason').notNull(),
  createdAt: integer('created_at').notNull(),
  time: integer('time'),
  action: text('action').notNull().default('quarantined'),
  bar: text('bar'),
}, (t) => [index('bar_quarantine_symbol').on(t.symbol, t.timeframe), index('bar_quarantine_time').on(t.symbol, t.timeframe, t.time)]);

// The investment ledger (issue 13): accounts as the tracker sees them, and transactions, the source of truth. A
// transaction is kept whole as JSON (`data`, validated by the Transaction schema on read) beside the columns it is
// queried and deduplicated by; (account_id, source, source_ref) is unique, so a re-import inserts nothing.
export const ledgerAccounts = sqliteTable('ledger_accounts', {
  id: text('id').primaryKey(),
  data: text('data').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const ledgerTransactions = sqliteTable('ledger_transactions', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  id: text('id').notNull().unique(),
  accountId: text('account_id').notNull().references(() => ledgerAccounts.id),
  date: text('date').notNull(),
  type: text('type').notNull(),
  symbol: text('symbol'),
  source: text('source').notNull(),
  sourceRef: text('source_ref'),
  data: text('data').notNull(),
}, (t) => [uniqueIndex('ledger_tx_source_ref').on(t.accountId, t.source, t.sourceRef), index('ledger_tx_account_date').on(t.accountId, t.date)]);

// Watchlists (issue 15): named lists of symbols for the chart's sidebar; the symbols are kept in order as a JSON array.
export const watchlists = sqliteTable('watchlists', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  symbols: text('symbols').notNull(),
  position: integer('position').notNull(),
  createdAt: integer('created_at').notNull(),
});
// Instrument profiles for exposure (issue 13): one row per symbol and source ('user' edits; 'ib'/'yahoo' as fetched,
// kept so exposure works offline). Null: the source has no value for the field.
export const instrumentProfiles = sqliteTable('instrument_profiles', {
  symbol: text('symbol').notNull(),
  source: text('source').notNull(),
  sector: text('sector'),
  industry: text('industry'),
  assetClass: text('asset_class'),
  country: text('country'),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [primaryKey({ columns: [t.symbol, t.source] })]);
// Macro series from FRED (issue 16): what each series is and when it was fetched, and its observations as FRED sent
// them (value null where FRED has "."). Replaced whole on refresh, since FRED revises past values.
export const macroSeries = sqliteTable('macro_series', {
  id: text('id').primaryKey(),
  info: text('info').notNull(),
  fetchedAt: integer('fetched_at').notNull(),
});
export const macroObservations = sqliteTable('macro_observations', {
  seriesId: text('series_id').notNull(),
  date: text('date').notNull(),
  value: real('value'),
}, (t) => [primaryKey({ columns: [t.seriesId, t.date] })]);
// Statements point in time (issue 16): one row per published version of a period's figures. A restatement is a second
// row with a later report date, so a past date still reads what was known then. Amounts in currency units; null: not
// reported. `estimated` = 1 when the report date is a guess (Yahoo gives none: period end + 45/90 days).
export const statements = sqliteTable('statements', {
  symbol: text('symbol').notNull(),
  period: text('period').notNull(),
  periodEnd: text('period_end').notNull(),
  source: text('source').notNull(),
  reportDate: text('report_date').notNull(),
  estimated: integer('estimated').notNull().default(0),
  currency: text('currency'),
  revenue: real('revenue'),
  grossProfit: real('gross_profit'),
  ebitda: real('ebitda'),
  netIncome: real('net_income'),
  eps: real('eps'),
  totalEquity: real('total_equity'),
  totalDebt: real('total_debt'),
  cash: real('cash'),
  sharesOutstanding: real('shares_outstanding'),
  storedAt: integer('stored_at').notNull(),
}, (t) => [primaryKey({ columns: [t.symbol, t.period, t.periodEnd, t.source, t.reportDate] }), index('statements_report').on(t.symbol, t.reportDate)]);

// Saved screens (issue 16): a name and the screen's definition (universe, factors and weights, filter) as JSON.
export const screens = sqliteTable('screens', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  definition: text('definition').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

// Operations (issue 18): versions of config.yaml and of strategies' parameters, and the reporting hooks' durable outbox.
export const configVersions = sqliteTable('config_versions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  time: integer('time').notNull(),
  /** 'config.yaml' or 'strategy:<id>'. */
  subject: text('subject').notNull(),
  /** Who changed it: 'app', 'file' (by hand while running), 'start', 'restore'. */
  source: text('source').notNull(),
  hash: text('hash').notNull(),
  text: text('text').notNull(),
  diff: text('diff').notNull(),
}, (t) => [index('config_versions_subject').on(t.subject, t.id)]);

export const hookOutbox = sqliteTable('hook_outbox', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  hook: text('hook').notNull(),
  event: text('event').notNull(),
  /** Unique per hook and event: a fill or a day enqueued twice is delivered once. */
  key: text('key').notNull(),
  payload: text('payload').notNull(),
  createdAt: integer('created_at').notNull(),
  attempts: integer('attempts').notNull(),
  nextAt: integer('next_at').notNull(),
  lastError: text('last_error'),
  deliveredAt: integer('delivered_at'),
}, (t) => [uniqueIndex('hook_outbox_key').on(t.hook, t.key), index('hook_outbox_due').on(t.deliveredAt, t.nextAt)]);
