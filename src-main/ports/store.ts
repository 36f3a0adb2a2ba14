// Storage port: the repositories the services use. Implemented on SQLite (default) and Postgres (QUANT_DB_URL).
// Money fields are decimal strings; they are stored as TEXT/NUMERIC, never as floats.
import type {
  AuditEntry, Bar, EquityPoint, Fill, Instrument, Order, Position, Timeframe,
} from '../../src-shared/domain/types';
import type { BarArrays } from '../domain/backtest/types';
import type { CorporateAction, Fundamentals } from './data-provider';
import type { Disposable } from './disposable';
import type { LedgerStore } from './ledger-store';
import type { FillQuality } from '../../src-shared/domain/execution';
import type { MacroStore } from './macro';
import type { WatchlistStore } from './watchlist-store';
import type { StatementStore } from './statement-store';
import type { ScreenStore } from './screen-store';
import type { OperationsStore } from './operations-store';
import type { ProfileSource, StoredProfile } from '../../src-shared/domain/profile';

export interface AccountRow {
  id: string;
  broker: string;
  currency: string;
  /** Cash balance, decimal string. */
  cash: string;
  /** Starting cash, decimal string (for the P&L since inception). */
  initialCash: string;
  createdAt: number;
}

export interface StrategyRow {
  id: string;
  name: string;
  kind: string;
  params: Record<string, unknown>;
  enabled: boolean;
  createdAt: number;
}

/** A stored position: quantity, average price and realised P&L (no mark-to-market). */
export type StoredPosition = Pick<Position, 'accountId' | 'symbol' | 'quantity' | 'avgPrice' | 'realizedPnl' | 'financing'>;

export interface NewAuditEntry {
  time: number;
  kind: string;
  orderId: string | null;
  payload: Record<string, unknown>;
}

/** Everything a fill changes, written in one transaction. */
export interface FillUnitOfWork {
  fill: Fill;
  order: Order;
  position: StoredPosition;
  /** The account's new cash balance. */
  cash: string;
  audit: NewAuditEntry;
  /** The fill's execution quality (arrival, spread, slippage), when its arrival is known: written with it. */
  quality?: FillQuality;
}

/** An order row and the audit entries that explain it, written in one transaction (intent, risk decision, closing). */
export interface OrderUnitOfWork {
  /** Inserted, or replaced when a row with its id exists. */
  order: Order;
  audit: NewAuditEntry[];
}

/** A position set by hand (reconciliation: take the broker's position), with its audit entry. */
export interface PositionAdjustment {
  position: StoredPosition;
  audit: NewAuditEntry;
}

/** Cash booked outside a fill (overnight financing), with the realised P&L (and the financing, when given) of the positions it is charged to, its audit
 * entry and a marker setting (the last rollover booked), in one transaction: a restart never books it twice. */
export interface CashBooking {
  accountId: string;
  cash: string;
  positions: StoredPosition[];
  audit: NewAuditEntry;
  setting: { key: string; value: string };
}

/** A saved backtest or optimisation: a small summary for lists, the full result as JSON. */
export interface BacktestRunRow {
  id: string;
  createdAt: number;
  kind: 'backtest' | 'optimization';
  name: string;
  strategy: string;
  summary: Record<string, unknown>;
  result: unknown;
}

export interface QuarantinedRow {
  symbol: string;
  timeframe: Timeframe;
  source: string;
  /** Data row in the source file (1-based), or 0 for bars that came from a provider. */
  row: number;
  reason: string;
  createdAt: number;
  /** The bar's time (UTC seconds) when it could be read; null for rows without a readable date. */
  time?: number | null;
  /** 'quarantined': withheld from the store; 'flagged': stored, but suspect (a stale run). Default 'quarantined'. */
  action?: 'quarantined' | 'flagged';
  /** The bar as received, when it could be read (so nothing is lost). */
  bar?: Bar | null;
}

/** One bar a source restated: the fields that differ beyond the tolerance, with the old and the new values. */
export interface BarChange {
  time: number;
  fields: ('open' | 'high' | 'low' | 'close' | 'volume')[];
  old: Bar;
  new: Bar;
}

/** A re-download whose overlapping bars differ from what was stored: one record per write that saw any. */
export interface BarRestatement {
  symbol: string;
  timeframe: Timeframe;
  source: string;
  detectedAt: number;
  /** Number of restated bars (exact); `changes` lists the first 500 of them. */
  count: number;
  /** First and last restated bar time, UTC seconds. */
  from: number;
  to: number;
  /** Whether the new values replaced the stored ones ('replace') or were refused ('keep'). */
  applied: 'replace' | 'keep';
  changes: BarChange[];
}

export interface BarWriteOptions {
  /** Where the bars came from (a provider id or a file name); recorded with any restatement. Default 'unknown'. */
  source?: string;
  /** UTC ms, recorded with any restatement. Default: the wall clock. */
  now?: number;
  /** Relative difference above which an overlapping bar counts as restated. Default 1e-6. */
  tolerance?: number;
  /** What to do with restated bars: take the new values (default) or keep the stored ones. Either way it is recorded. */
  onRestatement?: 'replace' | 'keep';
}

export interface BarWriteResult {
  inserted: number;
  /** Existing bars replaced by different values (restated, when onRestatement is 'replace'). */
  replaced: number;
  /** Existing bars sent again with the same values. */
  unchanged: number;
  restatement: BarRestatement | null;
}

export interface StoredSeries {
  symbol: string;
  timeframe: Timeframe;
  from: number;
  to: number;
  bars: number;
}

export interface StoredCorporateAction {
  action: CorporateAction;
  source: string;
}

export interface Store extends Disposable {
  readonly kind: 'sqlite' | 'postgres';

  accounts: {
    get(id: string): Promise<AccountRow | undefined>;
    insert(row: AccountRow): Promise<void>;
    setCash(id: string, cash: string): Promise<void>;
  };
  instruments: {
    upsertMany(rows: Instrument[]): Promise<void>;
    list(): Promise<Instrument[]>;
  };
  orders: {
    insert(order: Order): Promise<void>;
    update(order: Order): Promise<void>;
    get(id: string): Promise<Order | undefined>;
    /** Newest first. */
    list(opts: { accountId: string; openOnly?: boolean; limit?: number }): Promise<Order[]>;
  };
  fills: {
    /** Newest first. */
    list(opts: { accountId: string; limit?: number }): Promise<Fill[]>;
    listForOrder(orderId: string): Promise<Fill[]>;
    /** Number of fills (executions) in [from, to) UTC ms. */
    countBetween(accountId: string, from: number, to: number): Promise<number>;
    /** Execution quality of the account's fills with a known arrival, newest first, fills in [from, to) UTC ms. */
    quality(opts: { accountId: string; from?: number; to?: number; limit?: number }): Promise<FillQuality[]>;
  };
  positions: {
    list(accountId: string): Promise<StoredPosition[]>;
    get(accountId: string, symbol: string): Promise<StoredPosition | undefined>;
  };
  /** Records a fill with its order, position, cash and audit entry atomically. Returns false if the fill id exists (idempotent). */
  applyFill(unit: FillUnitOfWork): Promise<boolean>;
  /** Writes an order (insert or replace) with its audit entries atomically: an intent never exists without its row. */
  journalOrder(unit: OrderUnitOfWork): Promise<void>;
  /** Sets a position and appends its audit entry atomically (cash untouched). */
  adjustPosition(unit: PositionAdjustment): Promise<void>;
  bookCash(unit: CashBooking): Promise<void>;
  audit: {
    /** Appends and returns the sequence number; durable when the promise resolves. */
    append(entry: NewAuditEntry): Promise<number>;
    /** Newest first. */
    list(opts: { limit?: number; orderId?: string }): Promise<AuditEntry[]>;
    /** In journal order (oldest first): entries with from <= time < to, UTC ms (session replay folds them). */
    between(from: number, to: number): Promise<AuditEntry[]>;
    /** Order ids with an 'order.intent' entry but no order row and no 'order.abandoned' entry (crashes of older versions). */
    danglingIntents(): Promise<string[]>;
  };
  /** Raw (unadjusted) bars, stored in chunks keyed by symbol, timeframe and period; merged on write. */
  bars: {
    /** Inserts or replaces bars by time; overlapping bars that differ are reported as a restatement (and recorded). */
    upsertMany(symbol: string, timeframe: Timeframe, bars: Bar[], opts?: BarWriteOptions): Promise<BarWriteResult>;
    /** Oldest first, within [from, to] UTC seconds. */
    range(symbol: string, timeframe: Timeframe, from: number, to: number): Promise<Bar[]>;
    /** The same bars as columns (what the backtest engine reads), without one object per bar. */
    rangeArrays(symbol: string, timeframe: Timeframe, from: number, to: number): Promise<BarArrays>;
    /** Restatements recorded, newest first. */
    restatements(opts: { symbol?: string; limit?: number }): Promise<BarRestatement[]>;
    /** Every stored series: its first and last bar times and its bar count, by symbol then timeframe. */
    series(): Promise<StoredSeries[]>;
  };
  /** Splits and dividends by ex-date; one per symbol, kind and ex-date (a newer report replaces an older one). */
  /** The latest fundamentals per symbol (one row each, replaced by each fetch). */
  fundamentals: {
    upsert(f: Fundamentals): Promise<void>;
    /** Those stored of `symbols`, in no particular order. */
    get(symbols: string[]): Promise<Fundamentals[]>;
  };

  corporateActions: {
    upsertMany(actions: CorporateAction[], source: string): Promise<void>;
    /** Oldest first, ex-dates within [from, to] UTC seconds. */
    list(symbol: string, from?: number, to?: number): Promise<StoredCorporateAction[]>;
  };
  equity: {
    append(accountId: string, point: EquityPoint): Promise<void>;
    /** Oldest first, the newest `limit` points. */
    list(accountId: string, limit?: number): Promise<EquityPoint[]>;
  };
  strategies: {
    upsert(row: StrategyRow): Promise<void>;
    list(): Promise<StrategyRow[]>;
  };
  settings: {
    get(key: string): Promise<string | undefined>;
    set(key: string, value: string): Promise<void>;
    delete(key: string): Promise<void>;
  };
  /** Rows refused by validation, kept with their reason (bad data is never silently dropped). */
  quarantine: {
    add(rows: QuarantinedRow[]): Promise<void>;
    /** Oldest first; `from`/`to` (UTC seconds, inclusive) select by bar time and leave out rows without one. */
    list(opts: { symbol?: string; timeframe?: Timeframe; from?: number; to?: number; limit?: number }): Promise<QuarantinedRow[]>;
  };
  /** The investment ledger: accounts and transactions (ports/ledger-store.ts). */
  ledger: LedgerStore;
  /** The chart's watchlists (ports/watchlist-store.ts). */
  watchlists: WatchlistStore;
  /** Cached macro series from FRED (ports/macro.ts). */
  macro: MacroStore;
  /** Point-in-time statements, every published version (ports/statement-store.ts). */
  statements: StatementStore;
  /** The screener's saved screens (ports/screen-store.ts). */
  screens: ScreenStore;
  /** Configuration versions and the reporting hooks' outbox (ports/operations-store.ts, issue 18). */
  operations: OperationsStore;
  /** Instrument profiles per symbol and source (user edits, fetched IB/Yahoo profiles); one row per (symbol, source). */
  profiles: {
    /** Rows of these symbols (every row when absent), by symbol then source. */
    list(symbols?: readonly string[]): Promise<StoredProfile[]>;
    /** Inserts or replaces the row of (symbol, source). */
    upsert(row: StoredProfile): Promise<void>;
    /** false when there was none. */
    delete(symbol: string, source: ProfileSource): Promise<boolean>;
  };
  backtests: {
    insert(row: BacktestRunRow): Promise<void>;
    get(id: string): Promise<BacktestRunRow | undefined>;
    /** Newest first, without the full result. */
    list(limit?: number): Promise<Omit<BacktestRunRow, 'result'>[]>;
  };
}
