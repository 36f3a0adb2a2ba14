// Row ↔ domain mapping shared by the SQLite and Postgres stores, plus where the migrations live.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq, gte, lte, type Column } from 'drizzle-orm';
import { z } from 'zod';
import type { Fill, Instrument, Order } from '../../src-shared/domain/types';
import type { FillQuality } from '../../src-shared/domain/execution';
import { AssetClass, Bar, OrderSide, OrderSource, OrderStatus, OrderType, SessionKind, TimeInForce, Timeframe } from '../../src-shared/domain/types';
import type { FundamentalField, Fundamentals, ProviderId } from '../ports/data-provider';
import type { BarChange, QuarantinedRow, StoredCorporateAction, StoredPosition } from '../ports/store';
import { dec, moneyString } from '../domain/money';

export interface OrderRow {
  id: string; accountId: string; brokerOrderId: string | null; symbol: string; side: string; type: string; quantity: number;
  limitPrice: number | null; stopPrice: number | null; timeInForce: string; stopLoss: number | null; takeProfit: number | null;
  parentId: string | null; source: string; status: string; filledQuantity: number; avgFillPrice: number | null;
  rejectReason: string | null; note: string | null; createdAt: number; updatedAt: number;
}

export function orderToRow(o: Order): OrderRow {
  return { ...o, note: o.note ?? null };
}

export function rowToOrder(row: OrderRow): Order {
  // The note is there only when the app wrote one (orders read back equal the orders written).
  const { note, ...r } = row;
  return {
    ...r,
    ...(note !== null && note !== undefined ? { note } : {}),
    side: OrderSide.parse(r.side),
    type: OrderType.parse(r.type),
    timeInForce: TimeInForce.parse(r.timeInForce),
    source: OrderSource.parse(r.source),
    status: OrderStatus.parse(r.status),
  };
}

export interface FillRow {
  id: string; orderId: string; accountId: string; symbol: string; side: string; quantity: number; price: number; commission: string; time: number;
}

export function rowToFill(r: FillRow): Fill {
  return { ...r, side: OrderSide.parse(r.side), commission: canonicalMoney(r.commission) };
}

/** A fill_quality row (the columns are FillQuality's; money as text / numeric). */
export type FillQualityRow = Omit<FillQuality, 'side' | 'slippageCost'> & { side: string; slippageCost: string | null };

export function rowToFillQuality(r: FillQualityRow): FillQuality {
  return { ...r, side: OrderSide.parse(r.side), slippageCost: r.slippageCost === null ? null : canonicalMoney(r.slippageCost) };
}

export interface InstrumentRow {
  symbol: string; name: string; assetClass: string; currency: string; exchange: string; tickSize: number; lotSize: number; session: string;
}

export function rowToInstrument(r: InstrumentRow): Instrument {
  return { ...r, assetClass: AssetClass.parse(r.assetClass), session: SessionKind.parse(r.session) };
}

export function rowToPosition(r: { accountId: string; symbol: string; quantity: number; avgPrice: number; realizedPnl: string; financing?: string }): StoredPosition {
  const { financing, ...rest } = r;
  // Financing only where some was booked: positions of other accounts read as before.
  return { ...rest, realizedPnl: canonicalMoney(r.realizedPnl), ...(financing !== undefined && dec(financing).abs().gt(0) ? { financing: canonicalMoney(financing) } : {}) };
}

export function rowToCorporateAction(r: { symbol: string; kind: string; time: number; value: number; source: string }): StoredCorporateAction {
  const action = r.kind === 'split' ? { kind: 'split' as const, symbol: r.symbol, time: r.time, ratio: r.value } : { kind: 'dividend' as const, symbol: r.symbol, time: r.time, amount: r.value };
  return { action, source: r.source };
}

type FundamentalsRow = Omit<Fundamentals, 'asOfs' | 'source'> & { source: string; asOfs: unknown };

/** A fundamentals row for either store; `json` encodes as_ofs for its column (SQLite text, PostgreSQL jsonb). */
export function fundamentalsToRow(f: Fundamentals, json: (v: object) => unknown): FundamentalsRow {
  return { ...f, asOfs: f.asOfs ? json(f.asOfs) : null };
}

export function rowToFundamentals(r: FundamentalsRow): Fundamentals {
  const asOfs = storedJson(StoredAsOfs.nullable(), typeof r.asOfs === 'string' ? JSON.parse(r.asOfs) : r.asOfs, 'fundamentals.as_ofs');
  return { ...r, source: r.source as ProviderId, asOfs: asOfs ?? undefined };
}

/**
 * JSON a store kept (SQLite: text, parsed by the caller; PostgreSQL: jsonb), checked against its schema instead of
 * cast: a row written by another version or edited by hand is an error naming its column, not a wrong value later.
 */
export function storedJson<S extends z.ZodType>(schema: S, value: unknown, column: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new Error(`The stored ${column} does not match what this version reads: ${z.prettifyError(r.error)}`);
  return r.data;
}

/** An object of any fields (audit payloads, strategy parameters, run summaries). */
export const StoredObject = z.record(z.string(), z.unknown());

const FUNDAMENTAL_FIELDS = ['marketCap', 'pe', 'forwardPe', 'eps', 'revenue', 'pb', 'evEbitda', 'roe', 'debtToEquity', 'revenueGrowth', 'earningsGrowth', 'dividendYield'] as const satisfies readonly FundamentalField[];
const StoredAsOfs = z.partialRecord(z.enum(FUNDAMENTAL_FIELDS), z.number());

export const StoredBarChanges = z.array(z.object({
  time: z.number(), fields: z.array(z.enum(['open', 'high', 'low', 'close', 'volume'])), old: Bar, new: Bar,
})) satisfies z.ZodType<BarChange[]>;

export function rowToQuarantined(r: { symbol: string; timeframe: string; source: string; row: number; reason: string; createdAt: number; time: number | null; action: string; bar: Bar | null }): QuarantinedRow {
  return {
    symbol: r.symbol, timeframe: Timeframe.parse(r.timeframe), source: r.source, row: r.row, reason: r.reason, createdAt: r.createdAt,
    time: r.time, action: r.action === 'flagged' ? 'flagged' : 'quarantined', bar: r.bar,
  };
}

/** The WHERE of a quarantine listing, on either database's table. */
export function quarantineFilter(t: { symbol: Column; timeframe: Column; time: Column }, q: { symbol?: string; timeframe?: string; from?: number; to?: number }) {
  return and(
    q.symbol !== undefined ? eq(t.symbol, q.symbol) : undefined,
    q.timeframe !== undefined ? eq(t.timeframe, q.timeframe) : undefined,
    q.from !== undefined ? gte(t.time, q.from) : undefined,
    q.to !== undefined ? lte(t.time, q.to) : undefined,
  );
}

/** Both databases hand money back as a decimal string; normalise to two decimals ("100" → "100.00"). */
export function canonicalMoney(v: string | number): string {
  return moneyString(dec(String(v)));
}

/** Finds `drizzle/` (SQLite) or `drizzle-pg/` (Postgres): QUANT_MIGRATIONS_DIR, then up from this file, then from cwd. */
export function defaultMigrationsFolder(kind: 'sqlite' | 'postgres'): string {
  const name = kind === 'sqlite' ? 'drizzle' : 'drizzle-pg';
  const env = process.env['QUANT_MIGRATIONS_DIR'];
  if (env && existsSync(join(env, name))) return join(env, name);
  const starts = [dirname(fileURLToPath(import.meta.url)), process.cwd()];
  for (const start of starts) {
    let dir = resolve(start);
    for (let i = 0; i < 6; i++) {
      const candidate = join(dir, name);
      if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
      dir = dirname(dir);
    }
  }
  throw new Error(`Cannot find the ${name}/ migrations folder (set QUANT_MIGRATIONS_DIR to the folder that contains it)`);
}
