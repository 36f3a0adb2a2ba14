// Storage port: the repositories the services use. Implemented on SQLite (default) and Postgres (QUANT_DB_URL).
// Money fields are decimal strings; they are stored as TEXT/NUMERIC, never as floats.
import type {
  AuditEntry, Bar, EquityPoint, Fill, Instrument, Order, Position, Timeframe,
} from '../../src-shared/domain/types';
import type { Disposable } from './disposable';

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
export type StoredPosition = Pick<Position, 'accountId' | 'symbol' | 'quantity' | 'avgPrice' | 'realizedPnl'>;

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
  row: number;
  reason: string;
  createdAt: number;
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
  };
  positions: {
    list(accountId: string): Promise<StoredPosition[]>;
    get(accountId: string, symbol: string): Promise<StoredPosition | undefined>;
  };
  /** Records a fill with its order, position, cash and audit entry atomically. Returns false if the fill id exists (idempotent). */
  applyFill(unit: FillUnitOfWork): Promise<boolean>;
  audit: {
    /** Appends and returns the sequence number; durable when the promise resolves. */
    append(entry: NewAuditEntry): Promise<number>;
    /** Newest first. */
    list(opts: { limit?: number; orderId?: string }): Promise<AuditEntry[]>;
  };
  bars: {
    upsertMany(symbol: string, timeframe: Timeframe, bars: Bar[]): Promise<void>;
    /** Oldest first, within [from, to] UTC seconds. */
    range(symbol: string, timeframe: Timeframe, from: number, to: number): Promise<Bar[]>;
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
    list(opts: { symbol?: string; limit?: number }): Promise<QuarantinedRow[]>;
  };
  backtests: {
    insert(row: BacktestRunRow): Promise<void>;
    get(id: string): Promise<BacktestRunRow | undefined>;
    /** Newest first, without the full result. */
    list(limit?: number): Promise<Omit<BacktestRunRow, 'result'>[]>;
  };
}
