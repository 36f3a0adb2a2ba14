// The Store port on PostgreSQL (QUANT_DB_URL): node-postgres + drizzle, the same semantics as the SQLite store.
import pg from 'pg';
import { and, asc, desc, eq, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { OPEN_ORDER_STATUSES, type Timeframe } from '../../../src-shared/domain/types';
import type { BacktestRunRow, Store } from '../../ports/store';
import { canonicalMoney, defaultMigrationsFolder, orderToRow, rowToFill, rowToInstrument, rowToOrder, rowToPosition } from '../store-rows';
import * as s from './schema';

export interface PostgresStoreOptions {
  url: string;
  migrationsFolder?: string;
}

export async function openPostgresStore(opts: PostgresStoreOptions): Promise<Store> {
  const pool = new pg.Pool({ connectionString: opts.url, max: 4 });
  try {
    await pool.query('select 1');
  } catch (err) {
    await pool.end();
    const where = new URL(opts.url);
    throw new Error(`Cannot connect to PostgreSQL at ${where.hostname}:${where.port || 5432}${where.pathname}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const db = drizzle(pool, { schema: s });
  await migrate(db, { migrationsFolder: opts.migrationsFolder ?? defaultMigrationsFolder('postgres') });

  const store: Store = {
    kind: 'postgres',
    accounts: {
      get: async (id) => {
        const [r] = await db.select().from(s.accounts).where(eq(s.accounts.id, id));
        return r ? { ...r, cash: canonicalMoney(r.cash), initialCash: canonicalMoney(r.initialCash) } : undefined;
      },
      insert: async (row) => void (await db.insert(s.accounts).values(row)),
      setCash: async (id, cash) => void (await db.update(s.accounts).set({ cash }).where(eq(s.accounts.id, id))),
    },
    instruments: {
      upsertMany: async (rows) => {
        await db.transaction(async (tx) => {
          for (const r of rows) await tx.insert(s.instruments).values(r).onConflictDoUpdate({ target: s.instruments.symbol, set: r });
        });
      },
      list: async () => (await db.select().from(s.instruments).orderBy(asc(s.instruments.symbol))).map(rowToInstrument),
    },
    orders: {
      insert: async (o) => void (await db.insert(s.orders).values(orderToRow(o))),
      update: async (o) => void (await db.update(s.orders).set(orderToRow(o)).where(eq(s.orders.id, o.id))),
      get: async (id) => {
        const [r] = await db.select().from(s.orders).where(eq(s.orders.id, id));
        return r ? rowToOrder(r) : undefined;
      },
      list: async ({ accountId, openOnly, limit }) =>
        (await db.select().from(s.orders)
          .where(and(eq(s.orders.accountId, accountId), openOnly ? inArray(s.orders.status, [...OPEN_ORDER_STATUSES]) : undefined))
          .orderBy(desc(s.orders.createdAt), desc(s.orders.id)).limit(limit ?? 500)).map(rowToOrder),
    },
    fills: {
      list: async ({ accountId, limit }) =>
        (await db.select().from(s.fills).where(eq(s.fills.accountId, accountId)).orderBy(desc(s.fills.time), desc(s.fills.id)).limit(limit ?? 500)).map(rowToFill),
      listForOrder: async (orderId) => (await db.select().from(s.fills).where(eq(s.fills.orderId, orderId)).orderBy(asc(s.fills.time))).map(rowToFill),
      countBetween: async (accountId, from, to) => {
        const [r] = await db.select({ n: sql<string>`count(*)` }).from(s.fills).where(and(eq(s.fills.accountId, accountId), gte(s.fills.time, from), lt(s.fills.time, to)));
        return Number(r!.n);
      },
    },
    positions: {
      list: async (accountId) => (await db.select().from(s.positions).where(eq(s.positions.accountId, accountId)).orderBy(asc(s.positions.symbol))).map(rowToPosition),
      get: async (accountId, symbol) => {
        const [r] = await db.select().from(s.positions).where(and(eq(s.positions.accountId, accountId), eq(s.positions.symbol, symbol)));
        return r ? rowToPosition(r) : undefined;
      },
    },
    applyFill: async (unit) =>
      db.transaction(async (tx) => {
        const inserted = await tx.insert(s.fills).values(unit.fill).onConflictDoNothing().returning({ id: s.fills.id });
        if (inserted.length === 0) return false;
        await tx.insert(s.auditLog).values({ time: unit.audit.time, kind: unit.audit.kind, orderId: unit.audit.orderId, payload: unit.audit.payload });
        await tx.update(s.orders).set(orderToRow(unit.order)).where(eq(s.orders.id, unit.order.id));
        await tx.insert(s.positions).values(unit.position)
          .onConflictDoUpdate({ target: [s.positions.accountId, s.positions.symbol], set: { quantity: unit.position.quantity, avgPrice: unit.position.avgPrice, realizedPnl: unit.position.realizedPnl } });
        await tx.update(s.accounts).set({ cash: unit.cash }).where(eq(s.accounts.id, unit.fill.accountId));
        return true;
      }),
    audit: {
      append: async (e) => {
        const [r] = await db.insert(s.auditLog).values({ time: e.time, kind: e.kind, orderId: e.orderId, payload: e.payload }).returning({ seq: s.auditLog.seq });
        return r!.seq;
      },
      list: async ({ limit, orderId }) =>
        (await db.select().from(s.auditLog).where(orderId ? eq(s.auditLog.orderId, orderId) : undefined).orderBy(desc(s.auditLog.seq)).limit(limit ?? 200))
          .map((r) => ({ ...r, payload: r.payload as Record<string, unknown> })),
    },
    bars: {
      upsertMany: async (symbol, timeframe, rows) => {
        if (rows.length === 0) return;
        await db.transaction(async (tx) => {
          // Chunks keep each statement under Postgres' 65,535 bind parameters.
          for (let i = 0; i < rows.length; i += 5000) {
            await tx.insert(s.bars).values(rows.slice(i, i + 5000).map((b) => ({ symbol, timeframe, ...b })))
              .onConflictDoUpdate({ target: [s.bars.symbol, s.bars.timeframe, s.bars.time], set: { open: sql`excluded.open`, high: sql`excluded.high`, low: sql`excluded.low`, close: sql`excluded.close`, volume: sql`excluded.volume` } });
          }
        });
      },
      range: async (symbol, timeframe, from, to) =>
        db.select({ time: s.bars.time, open: s.bars.open, high: s.bars.high, low: s.bars.low, close: s.bars.close, volume: s.bars.volume }).from(s.bars)
          .where(and(eq(s.bars.symbol, symbol), eq(s.bars.timeframe, timeframe), gte(s.bars.time, from), lte(s.bars.time, to))).orderBy(asc(s.bars.time)),
    },
    equity: {
      append: async (accountId, p) =>
        void (await db.insert(s.equityHistory).values({ accountId, time: p.time, nav: p.nav }).onConflictDoUpdate({ target: [s.equityHistory.accountId, s.equityHistory.time], set: { nav: p.nav } })),
      list: async (accountId, limit) =>
        (await db.select({ time: s.equityHistory.time, nav: s.equityHistory.nav }).from(s.equityHistory).where(eq(s.equityHistory.accountId, accountId))
          .orderBy(desc(s.equityHistory.time)).limit(limit ?? 5000)).reverse().map((p) => ({ time: p.time, nav: canonicalMoney(p.nav) })),
    },
    strategies: {
      upsert: async (row) => void (await db.insert(s.strategies).values(row).onConflictDoUpdate({ target: s.strategies.id, set: row })),
      list: async () => (await db.select().from(s.strategies).orderBy(asc(s.strategies.name))).map((r) => ({ ...r, params: r.params as Record<string, unknown> })),
    },
    settings: {
      get: async (key) => (await db.select().from(s.settings).where(eq(s.settings.key, key)))[0]?.value,
      set: async (key, value) => void (await db.insert(s.settings).values({ key, value }).onConflictDoUpdate({ target: s.settings.key, set: { value } })),
      delete: async (key) => void (await db.delete(s.settings).where(eq(s.settings.key, key))),
    },
    quarantine: {
      add: async (rows) => {
        for (let i = 0; i < rows.length; i += 5000) await db.insert(s.barQuarantine).values(rows.slice(i, i + 5000));
      },
      list: async ({ symbol, limit }) =>
        (await db.select({ symbol: s.barQuarantine.symbol, timeframe: s.barQuarantine.timeframe, source: s.barQuarantine.source, row: s.barQuarantine.row, reason: s.barQuarantine.reason, createdAt: s.barQuarantine.createdAt })
          .from(s.barQuarantine).where(symbol ? eq(s.barQuarantine.symbol, symbol) : undefined).orderBy(asc(s.barQuarantine.id)).limit(limit ?? 1000))
          .map((r) => ({ ...r, timeframe: r.timeframe as Timeframe })),
    },
    backtests: {
      insert: async (row) => void (await db.insert(s.backtestRuns).values({ ...row, result: row.result as object })),
      get: async (id) => {
        const [r] = await db.select().from(s.backtestRuns).where(eq(s.backtestRuns.id, id));
        return r ? { ...r, kind: r.kind as BacktestRunRow['kind'], summary: r.summary as Record<string, unknown> } : undefined;
      },
      list: async (limit) =>
        (await db.select({ id: s.backtestRuns.id, createdAt: s.backtestRuns.createdAt, kind: s.backtestRuns.kind, name: s.backtestRuns.name, strategy: s.backtestRuns.strategy, summary: s.backtestRuns.summary })
          .from(s.backtestRuns).orderBy(desc(s.backtestRuns.createdAt)).limit(limit ?? 100))
          .map((r) => ({ ...r, kind: r.kind as BacktestRunRow['kind'], summary: r.summary as Record<string, unknown> })),
    },
    dispose: () => pool.end(),
  };
  return store;
}
