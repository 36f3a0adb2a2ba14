// Row ↔ domain mapping shared by the SQLite and Postgres stores, plus where the migrations live.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Fill, Instrument, Order } from '../../src-shared/domain/types';
import { AssetClass, OrderSide, OrderSource, OrderStatus, OrderType, SessionKind, TimeInForce } from '../../src-shared/domain/types';
import type { StoredPosition } from '../ports/store';
import { dec, moneyString } from '../domain/money';

export interface OrderRow {
  id: string; accountId: string; brokerOrderId: string | null; symbol: string; side: string; type: string; quantity: number;
  limitPrice: number | null; stopPrice: number | null; timeInForce: string; stopLoss: number | null; takeProfit: number | null;
  parentId: string | null; source: string; status: string; filledQuantity: number; avgFillPrice: number | null;
  rejectReason: string | null; createdAt: number; updatedAt: number;
}

export function orderToRow(o: Order): OrderRow {
  return { ...o };
}

export function rowToOrder(r: OrderRow): Order {
  return {
    ...r,
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

export interface InstrumentRow {
  symbol: string; name: string; assetClass: string; currency: string; exchange: string; tickSize: number; lotSize: number; session: string;
}

export function rowToInstrument(r: InstrumentRow): Instrument {
  return { ...r, assetClass: AssetClass.parse(r.assetClass), session: SessionKind.parse(r.session) };
}

export function rowToPosition(r: { accountId: string; symbol: string; quantity: number; avgPrice: number; realizedPnl: string }): StoredPosition {
  return { ...r, realizedPnl: canonicalMoney(r.realizedPnl) };
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
