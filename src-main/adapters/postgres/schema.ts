// Postgres schema (drizzle), the same tables as SQLite. Money is NUMERIC (exact); times are UTC ms as BIGINT.
import { bigint, boolean, customType, doublePrecision, index, integer, jsonb, numeric, pgTable, primaryKey, bigserial, text, uniqueIndex } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

const ms = (name: string) => bigint(name, { mode: 'number' });
const money = (name: string) => numeric(name, { precision: 24, scale: 2 });

export const accounts = pgTable('accounts', {
  id: text('id').primaryKey(),
  broker: text('broker').notNull(),
  currency: text('currency').notNull(),
  cash: money('cash').notNull(),
  initialCash: money('initial_cash').notNull(),
  createdAt: ms('created_at').notNull(),
});

export const instruments = pgTable('instruments', {
  symbol: text('symbol').primaryKey(),
  name: text('name').notNull(),
  assetClass: text('asset_class').notNull(),
  currency: text('currency').notNull(),
  exchange: text('exchange').notNull(),
  tickSize: doublePrecision('tick_size').notNull(),
  lotSize: doublePrecision('lot_size').notNull(),
  session: text('session').notNull(),
});

export const orders = pgTable('orders', {
  id: text('id').primaryKey(),
  accountId: text('account_id').notNull().references(() => accounts.id),
  brokerOrderId: text('broker_order_id'),
  symbol: text('symbol').notNull(),
  side: text('side').notNull(),
  type: text('type').notNull(),
  quantity: doublePrecision('quantity').notNull(),
  limitPrice: doublePrecision('limit_price'),
  stopPrice: doublePrecision('stop_price'),
  timeInForce: text('time_in_force').notNull(),
  stopLoss: doublePrecision('stop_loss'),
  takeProfit: doublePrecision('take_profit'),
  parentId: text('parent_id'),
  source: text('source').notNull(),
  status: text('status').notNull(),
  filledQuantity: doublePrecision('filled_quantity').notNull(),
  avgFillPrice: doublePrecision('avg_fill_price'),
  rejectReason: text('reject_reason'),
  note: text('note'),
  createdAt: ms('created_at').notNull(),
  updatedAt: ms('updated_at').notNull(),
}, (t) => [index('orders_account_created').on(t.accountId, t.createdAt), index('orders_status').on(t.status)]);

export const fills = pgTable('fills', {
  id: text('id').primaryKey(),
  orderId: text('order_id').notNull().references(() => orders.id),
  accountId: text('account_id').notNull(),
  symbol: text('symbol').notNull(),
  side: text('side').notNull(),
  quantity: doublePrecision('quantity').notNull(),
  price: doublePrecision('price').notNull(),
  commission: money('commission').notNull(),
  time: ms('time').notNull(),
}, (t) => [index('fills_account_time').on(t.accountId, t.time), index('fills_order').on(t.orderId)]);

/** Execution quality of a fill (arrival mid, spread, slippage): written with the fill, for fills whose arrival is known. */
export const fillQuality = pgTable('fill_quality', {
  fillId: text('fill_id').primaryKey().references(() => fills.id),
  orderId: text('order_id').notNull(),
  accountId: text('account_id').notNull(),
  venue: text('venue').notNull(),
  symbol: text('symbol').notNull(),
  side: text('side').notNull(),
  quantity: doublePrecision('quantity').notNull(),
  sentAt: ms('sent_at').notNull(),
  time: ms('time').notNull(),
  arrivalBid: doublePrecision('arrival_bid').notNull(),
  arrivalAsk: doublePrecision('arrival_ask').notNull(),
  arrivalMid: doublePrecision('arrival_mid').notNull(),
  spread: doublePrecision('spread').notNull(),
  fillPrice: doublePrecision('fill_price').notNull(),
  pipSize: doublePrecision('pip_size').notNull(),
  slippage: doublePrecision('slippage').notNull(),
  slippagePips: doublePrecision('slippage_pips').notNull(),
  slippageBps: doublePrecision('slippage_bps').notNull(),
  slippageCost: money('slippage_cost'),
  currency: text('currency').notNull(),
}, (t) => [index('fill_quality_account_time').on(t.accountId, t.time)]);

export const positions = pgTable('positions', {
  accountId: text('account_id').notNull(),
  symbol: text('symbol').notNull(),
  quantity: doublePrecision('quantity').notNull(),
  avgPrice: doublePrecision('avg_price').notNull(),
  realizedPnl: money('realized_pnl').notNull(),
  /** Overnight financing booked on the position (account currency; also in realizedPnl). */
  financing: money('financing').notNull().default('0'),
}, (t) => [primaryKey({ columns: [t.accountId, t.symbol] })]);

export const strategies = pgTable('strategies', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  params: jsonb('params').notNull(),
  enabled: boolean('enabled').notNull(),
  createdAt: ms('created_at').notNull(),
});

/** The old one-row-per-bar table: rows left here by an older version are moved into bar_chunks when the store opens. */
export const legacyBars = pgTable('bars', {
  symbol: text('symbol').notNull(),
  timeframe: text('timeframe').notNull(),
  time: ms('time').notNull(),
  open: doublePrecision('open').notNull(),
  high: doublePrecision('high').notNull(),
  low: doublePrecision('low').notNull(),
  close: doublePrecision('close').notNull(),
  volume: doublePrecision('volume').notNull(),
}, (t) => [primaryKey({ columns: [t.symbol, t.timeframe, t.time] })]);

/** Bars in chunks: one row per symbol × timeframe × period, the bars as one columnar Float64 block (see bar-chunks.ts). */
export const barChunks = pgTable('bar_chunks', {
  symbol: text('symbol').notNull(),
  timeframe: text('timeframe').notNull(),
  periodStart: ms('period_start').notNull(),
  firstTime: ms('first_time').notNull(),
  lastTime: ms('last_time').notNull(),
  count: integer('count').notNull(),
  data: bytea('data').notNull(),
}, (t) => [primaryKey({ columns: [t.symbol, t.timeframe, t.periodStart] })]);

export const barRestatements = pgTable('bar_restatements', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  symbol: text('symbol').notNull(),
  timeframe: text('timeframe').notNull(),
  source: text('source').notNull(),
  detectedAt: ms('detected_at').notNull(),
  count: integer('count').notNull(),
  fromTime: ms('from_time').notNull(),
  toTime: ms('to_time').notNull(),
  applied: text('applied').notNull(),
  changes: jsonb('changes').notNull(),
}, (t) => [index('bar_restatements_symbol').on(t.symbol, t.detectedAt)]);

/** Splits (value = new shares per old share) and dividends (value = cash per share as paid) by ex-date, UTC seconds. */
export const corporateActions = pgTable('corporate_actions', {
  symbol: text('symbol').notNull(),
  kind: text('kind').notNull(),
  time: ms('time').notNull(),
  value: doublePrecision('value').notNull(),
  source: text('source').notNull(),
}, (t) => [primaryKey({ columns: [t.symbol, t.kind, t.time] })]);

/** The latest fundamentals per symbol, each figure with the time it was true (as_ofs), for the screener. */
export const fundamentals = pgTable('fundamentals', {
  symbol: text('symbol').primaryKey(),
  source: text('source').notNull(),
  asOf: ms('as_of').notNull(),
  fetchedAt: ms('fetched_at').notNull(),
  currency: text('currency'),
  marketCap: doublePrecision('market_cap'),
  pe: doublePrecision('pe'),
  forwardPe: doublePrecision('forward_pe'),
  eps: doublePrecision('eps'),
  revenue: doublePrecision('revenue'),
  pb: doublePrecision('pb'),
  evEbitda: doublePrecision('ev_ebitda'),
  roe: doublePrecision('roe'),
  debtToEquity: doublePrecision('debt_to_equity'),
  revenueGrowth: doublePrecision('revenue_growth'),
  earningsGrowth: doublePrecision('earnings_growth'),
  dividendYield: doublePrecision('dividend_yield'),
  /** Per figure, when it was true (UTC ms). */
  asOfs: jsonb('as_ofs'),
});

export const auditLog = pgTable('audit_log', {
  seq: bigserial('seq', { mode: 'number' }).primaryKey(),
  time: ms('time').notNull(),
  kind: text('kind').notNull(),
  orderId: text('order_id'),
  payload: jsonb('payload').notNull(),
}, (t) => [index('audit_order').on(t.orderId)]);

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const equityHistory = pgTable('equity_history', {
  accountId: text('account_id').notNull(),
  time: ms('time').notNull(),
  nav: money('nav').notNull(),
}, (t) => [primaryKey({ columns: [t.accountId, t.time] })]);

export const backtestRuns = pgTable('backtest_runs', {
  id: text('id').primaryKey(),
  createdAt: ms('created_at').notNull(),
  kind: text('kind').notNull(),
  name: text('name').notNull(),
  strategy: text('strategy').notNull(),
  summary: jsonb('summary').notNull(),
  result: jsonb('result').notNull(),
}, (t) => [index('backtest_runs_created').on(t.createdAt)]);

export const barQuarantine = pgTable('bar_quarantine', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  symbol: text('symbol').notNull(),
  timeframe: text('timeframe').notNull(),
  source: text('source').notNull(),
  row: bigint('row', { mode: 'number' }).notNull(),
  reason: text('reason').notNull(),
  createdAt: ms('created_at').notNull(),
  time: ms('time'),
  action: text('action').notNull().default('quarantined'),
  bar: jsonb('bar'),
}, (t) => [index('bar_quarantine_symbol').on(t.symbol, t.timeframe), index('bar_quarantine_time').on(t.symbol, t.timeframe, t.time)]);

// The investment ledger (issue 13), as in the SQLite schema: whole rows as JSONB beside the query and dedup columns.
export const ledgerAccounts = pgTable('ledger_accounts', {
  id: text('id').primaryKey(),
  data: jsonb('data').notNull(),
  createdAt: ms('created_at').notNull(),
});

export const ledgerTransactions = pgTable('ledger_transactions', {
  seq: bigserial('seq', { mode: 'number' }).primaryKey(),
  id: text('id').notNull().unique(),
  accountId: text('account_id').notNull().references(() => ledgerAccounts.id),
  date: text('date').notNull(),
  type: text('type').notNull(),
  symbol: text('symbol'),
  source: text('source').notNull(),
  sourceRef: text('source_ref'),
  data: jsonb('data').notNull(),
}, (t) => [uniqueIndex('ledger_tx_source_ref').on(t.accountId, t.source, t.sourceRef), index('ledger_tx_account_date').on(t.accountId, t.date)]);

// Watchlists (issue 15), as in the SQLite schema: the symbols in order as a JSONB array.
export const watchlists = pgTable('watchlists', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  symbols: jsonb('symbols').notNull(),
  position: integer('position').notNull(),
  createdAt: ms('created_at').notNull(),
});
// Instrument profiles for exposure (issue 13): one row per symbol and source ('user' edits; 'ib'/'yahoo' as fetched,
// kept so exposure works offline). Null: the source has no value for the field.
export const instrumentProfiles = pgTable('instrument_profiles', {
  symbol: text('symbol').notNull(),
  source: text('source').notNull(),
  sector: text('sector'),
  industry: text('industry'),
  assetClass: text('asset_class'),
  country: text('country'),
  updatedAt: ms('updated_at').notNull(),
}, (t) => [primaryKey({ columns: [t.symbol, t.source] })]);
// Macro series from FRED (issue 16), as in the SQLite schema.
export const macroSeries = pgTable('macro_series', {
  id: text('id').primaryKey(),
  info: jsonb('info').notNull(),
  fetchedAt: ms('fetched_at').notNull(),
});
export const macroObservations = pgTable('macro_observations', {
  seriesId: text('series_id').notNull(),
  date: text('date').notNull(),
  value: doublePrecision('value'),
}, (t) => [primaryKey({ columns: [t.seriesId, t.date] })]);
// Statements point in time (issue 16), as in the SQLite schema: one row per published version of a period's figures.
export const statements = pgTable('statements', {
  symbol: text('symbol').notNull(),
  period: text('period').notNull(),
  periodEnd: text('period_end').notNull(),
  source: text('source').notNull(),
  reportDate: text('report_date').notNull(),
  estimated: boolean('estimated').notNull().default(false),
  currency: text('currency'),
  revenue: doublePrecision('revenue'),
  grossProfit: doublePrecision('gross_profit'),
  ebitda: doublePrecision('ebitda'),
  netIncome: doublePrecision('net_income'),
  eps: doublePrecision('eps'),
  totalEquity: doublePrecision('total_equity'),
  totalDebt: doublePrecision('total_debt'),
  cash: doublePrecision('cash'),
  sharesOutstanding: doublePrecision('shares_outstanding'),
  storedAt: ms('stored_at').notNull(),
}, (t) => [primaryKey({ columns: [t.symbol, t.period, t.periodEnd, t.source, t.reportDate] }), index('statements_report').on(t.symbol, t.reportDate)]);

// Saved screens (issue 16), as in the SQLite schema: the definition as JSONB.
export const screens = pgTable('screens', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  definition: jsonb('definition').notNull(),
  createdAt: ms('created_at').notNull(),
  updatedAt: ms('updated_at').notNull(),
});

// Operations (issue 18), as in the SQLite schema.
export const configVersions = pgTable('config_versions', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  time: ms('time').notNull(),
  subject: text('subject').notNull(),
  source: text('source').notNull(),
  hash: text('hash').notNull(),
  text: text('text').notNull(),
  diff: text('diff').notNull(),
}, (t) => [index('config_versions_subject').on(t.subject, t.id)]);

export const hookOutbox = pgTable('hook_outbox', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  hook: text('hook').notNull(),
  event: text('event').notNull(),
  key: text('key').notNull(),
  payload: text('payload').notNull(),
  createdAt: ms('created_at').notNull(),
  attempts: integer('attempts').notNull(),
  nextAt: ms('next_at').notNull(),
  lastError: text('last_error'),
  deliveredAt: ms('delivered_at'),
}, (t) => [uniqueIndex('hook_outbox_key').on(t.hook, t.key), index('hook_outbox_due').on(t.deliveredAt, t.nextAt)]);
