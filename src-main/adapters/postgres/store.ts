// The Store port on PostgreSQL (QUANT_DB_URL): node-postgres + drizzle, the same semantics as the SQLite store.
import pg from 'pg';
import { and, asc, desc, eq, gte, inArray, lt, lte, max, min, sql, sum } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { OPEN_ORDER_STATUSES, type Timeframe } from '../../../src-shared/domain/types';
import type { BacktestRunRow, BarRestatement, BarWriteOptions, BarWriteResult, Store } from '../../ports/store';
import type { Bar } from '../../../src-shared/domain/types';
import { chunkSpan, periods, readBarsFromChunks, readChunks, sortedBars, writeChunk, WriteTally } from '../bar-chunks';
import { canonicalMoney, defaultMigrationsFolder, orderToRow, quarantineFilter, fundamentalsToRow, rowToCorporateAction, rowToFill, rowToFillQuality, rowToFundamentals, rowToInstrument, rowToOrder, rowToPosition, rowToQuarantined, StoredBarChanges, storedJson, StoredObject } from '../store-rows';
import * as s from './schema';
import { createPostgresLedgerStore } from './ledger-store';
import { createPostgresWatchlistStore } from './watchlist-store';
import { createPostgresMacroStore } from './macro-store';
import { createPostgresStatementStore } from './statement-store';
import { createPostgresScreenStore } from './screen-store';
import { createPostgresOperationsStore } from './operations-store';
import { profileToRow, rowToProfile } from '../profile-rows';

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

  /** Merges bars into their chunks inside the client's open transaction; one writer per series (advisory lock). */
  const writeBars = async (client: pg.PoolClient, symbol: string, timeframe: Timeframe, rows: readonly Bar[], opts: BarWriteOptions): Promise<BarWriteResult> => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`bars/${symbol}/${timeframe}`]);
    const incoming = sortedBars(rows);
    const tally = new WriteTally(symbol, timeframe, opts);
    for (const [period, from, to] of periods(timeframe, incoming)) {
      const existing = await client.query<{ data: Buffer }>('SELECT data FROM bar_chunks WHERE symbol = $1 AND timeframe = $2 AND period_start = $3', [symbol, timeframe, period]);
      const c = writeChunk(existing.rows[0]?.data, incoming, from, to, opts, tally);
      await client.query(
        'INSERT INTO bar_chunks (symbol, timeframe, period_start, first_time, last_time, count, data) VALUES ($1, $2, $3, $4, $5, $6, $7) '
        + 'ON CONFLICT (symbol, timeframe, period_start) DO UPDATE SET first_time = excluded.first_time, last_time = excluded.last_time, count = excluded.count, data = excluded.data',
        [symbol, timeframe, period, c.firstTime, c.lastTime, c.count, c.data],
      );
    }
    const result = tally.result();
    const r = result.restatement;
    if (r) {
      await client.query(
        'INSERT INTO bar_restatements (symbol, timeframe, source, detected_at, count, from_time, to_time, applied, changes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [r.symbol, r.timeframe, r.source, r.detectedAt, r.count, r.from, r.to, r.applied, JSON.stringify(r.changes)],
      );
    }
    return result;
  };
  const inTransaction = async <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  };
  const blobsIn = async (symbol: string, timeframe: Timeframe, from: number, to: number) => {
    const span = chunkSpan(timeframe);
    const r = await pool.query<{ data: Buffer }>(
      'SELECT data FROM bar_chunks WHERE symbol = $1 AND timeframe = $2 AND period_start >= $3 AND period_start <= $4 AND last_time >= $5 AND first_time <= $6 ORDER BY period_start',
      [symbol, timeframe, Math.floor(from / span) * span, to, from, to],
    );
    return r.rows.map((x) => x.data);
  };

  // Rows of the old one-row-per-bar table move into chunks, in one transaction.
  const legacy = await pool.query<{ symbol: string; timeframe: string }>('SELECT DISTINCT symbol, timeframe FROM bars');
  if (legacy.rows.length > 0) {
    await inTransaction(async (client) => {
      for (const { symbol, timeframe } of legacy.rows) {
        const rows = await client.query<Bar>('SELECT time::float8 AS time, open, high, low, close, volume FROM bars WHERE symbol = $1 AND timeframe = $2 ORDER BY time', [symbol, timeframe]);
        await writeBars(client, symbol, timeframe as Timeframe, rows.rows, { source: 'migration' });
      }
      await client.query('DELETE FROM bars');
    });
  }

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
      quality: async ({ accountId, from, to, limit }) =>
        (await db.select().from(s.fillQuality)
          .where(and(eq(s.fillQuality.accountId, accountId), from !== undefined ? gte(s.fillQuality.time, from) : undefined, to !== undefined ? lt(s.fillQuality.time, to) : undefined))
          .orderBy(desc(s.fillQuality.time), desc(s.fillQuality.fillId)).limit(limit ?? 5000)).map(rowToFillQuality),
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
        if (unit.quality) await tx.insert(s.fillQuality).values(unit.quality).onConflictDoNothing();
        return true;
      }),
    journalOrder: async (unit) =>
      db.transaction(async (tx) => {
        const row = orderToRow(unit.order);
        await tx.insert(s.orders).values(row).onConflictDoUpdate({ target: s.orders.id, set: row });
        for (const a of unit.audit) await tx.insert(s.auditLog).values({ time: a.time, kind: a.kind, orderId: a.orderId, payload: a.payload });
      }),
    adjustPosition: async ({ position, audit }) =>
      db.transaction(async (tx) => {
        await tx.insert(s.positions).values(position)
          .onConflictDoUpdate({ target: [s.positions.accountId, s.positions.symbol], set: { quantity: position.quantity, avgPrice: position.avgPrice, realizedPnl: position.realizedPnl } });
        await tx.insert(s.auditLog).values({ time: audit.time, kind: audit.kind, orderId: audit.orderId, payload: audit.payload });
      }),
    bookCash: async ({ accountId, cash, positions, audit, setting }) =>
      db.transaction(async (tx) => {
        await tx.update(s.accounts).set({ cash }).where(eq(s.accounts.id, accountId));
        for (const p of positions)
          await tx.update(s.positions).set({ realizedPnl: p.realizedPnl, ...(p.financing !== undefined ? { financing: p.financing } : {}) }).where(and(eq(s.positions.accountId, p.accountId), eq(s.positions.symbol, p.symbol)));
        await tx.insert(s.auditLog).values({ time: audit.time, kind: audit.kind, orderId: audit.orderId, payload: audit.payload });
        await tx.insert(s.settings).values(setting).onConflictDoUpdate({ target: s.settings.key, set: { value: setting.value } });
      }),
    audit: {
      danglingIntents: async () => {
        const rows = await db.execute<{ id: string }>(sql`SELECT DISTINCT a.order_id AS id FROM audit_log a WHERE a.kind = 'order.intent' AND a.order_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = a.order_id)
          AND NOT EXISTS (SELECT 1 FROM audit_log c WHERE c.order_id = a.order_id AND c.kind = 'order.abandoned')`);
        return rows.rows.map((r) => r.id);
      },
      append: async (e) => {
        const [r] = await db.insert(s.auditLog).values({ time: e.time, kind: e.kind, orderId: e.orderId, payload: e.payload }).returning({ seq: s.auditLog.seq });
        return r!.seq;
      },
      list: async ({ limit, orderId }) =>
        (await db.select().from(s.auditLog).where(orderId ? eq(s.auditLog.orderId, orderId) : undefined).orderBy(desc(s.auditLog.seq)).limit(limit ?? 200))
          .map((r) => ({ ...r, payload: storedJson(StoredObject, r.payload, 'audit.payload') })),
      between: async (from, to) =>
        (await db.select().from(s.auditLog).where(and(gte(s.auditLog.time, from), lt(s.auditLog.time, to))).orderBy(asc(s.auditLog.seq)))
          .map((r) => ({ ...r, payload: storedJson(StoredObject, r.payload, 'audit.payload') })),
    },
    bars: {
      upsertMany: (symbol, timeframe, rows, opts = {}) => inTransaction((client) => writeBars(client, symbol, timeframe, rows, opts)),
      range: async (symbol, timeframe, from, to) => readBarsFromChunks(await blobsIn(symbol, timeframe, from, to), from, to),
      rangeArrays: async (symbol, timeframe, from, to) => readChunks(await blobsIn(symbol, timeframe, from, to), from, to),
      series: async () =>
        (await db.select({ symbol: s.barChunks.symbol, timeframe: s.barChunks.timeframe, from: min(s.barChunks.firstTime), to: max(s.barChunks.lastTime), bars: sum(s.barChunks.count) })
          .from(s.barChunks).groupBy(s.barChunks.symbol, s.barChunks.timeframe).orderBy(asc(s.barChunks.symbol), asc(s.barChunks.timeframe)))
          .map((r) => ({ symbol: r.symbol, timeframe: r.timeframe as Timeframe, from: Number(r.from), to: Number(r.to), bars: Number(r.bars) })),
      restatements: async ({ symbol, limit }) =>
        (await db.select().from(s.barRestatements).where(symbol ? eq(s.barRestatements.symbol, symbol) : undefined).orderBy(desc(s.barRestatements.id)).limit(limit ?? 100))
          .map((r): BarRestatement => ({
            symbol: r.symbol, timeframe: r.timeframe as Timeframe, source: r.source, detectedAt: r.detectedAt, count: r.count, from: r.fromTime, to: r.toTime,
            applied: r.applied as BarRestatement['applied'], changes: storedJson(StoredBarChanges, r.changes, 'bar_restatements.changes'),
          })),
    },
    fundamentals: {
      upsert: async (f) => {
        const row = fundamentalsToRow(f, (v) => v);
        await db.insert(s.fundamentals).values(row as typeof s.fundamentals.$inferInsert).onConflictDoUpdate({ target: s.fundamentals.symbol, set: row as typeof s.fundamentals.$inferInsert });
      },
      get: async (symbols) => (symbols.length ? (await db.select().from(s.fundamentals).where(inArray(s.fundamentals.symbol, symbols))).map(rowToFundamentals) : []),
    },
    corporateActions: {
      upsertMany: async (actions, source) => {
        await db.transaction(async (tx) => {
          for (const a of actions) {
            const value = a.kind === 'split' ? a.ratio : a.amount;
            await tx.insert(s.corporateActions).values({ symbol: a.symbol, kind: a.kind, time: a.time, value, source })
              .onConflictDoUpdate({ target: [s.corporateActions.symbol, s.corporateActions.kind, s.corporateActions.time], set: { value, source } });
          }
        });
      },
      list: async (symbol, from, to) =>
        (await db.select().from(s.corporateActions)
          .where(and(eq(s.corporateActions.symbol, symbol), from !== undefined ? gte(s.corporateActions.time, from) : undefined, to !== undefined ? lte(s.corporateActions.time, to) : undefined))
          .orderBy(asc(s.corporateActions.time), asc(s.corporateActions.kind))).map(rowToCorporateAction),
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
      list: async () => (await db.select().from(s.strategies).orderBy(asc(s.strategies.name))).map((r) => ({ ...r, params: storedJson(StoredObject, r.params, 'strategies.params') })),
    },
    settings: {
      get: async (key) => (await db.select().from(s.settings).where(eq(s.settings.key, key)))[0]?.value,
      set: async (key, value) => void (await db.insert(s.settings).values({ key, value }).onConflictDoUpdate({ target: s.settings.key, set: { value } })),
      delete: async (key) => void (await db.delete(s.settings).where(eq(s.settings.key, key))),
    },
    quarantine: {
      add: async (rows) => {
        const values = rows.map((r) => ({ ...r, time: r.time ?? null, action: r.action ?? 'quarantined', bar: r.bar ?? null }));
        for (let i = 0; i < values.length; i += 5000) await db.insert(s.barQuarantine).values(values.slice(i, i + 5000));
      },
      list: async (q) =>
        (await db.select().from(s.barQuarantine).where(quarantineFilter(s.barQuarantine, q)).orderBy(asc(s.barQuarantine.id)).limit(q.limit ?? 1000))
          .map((r) => rowToQuarantined({ ...r, bar: r.bar as Bar | null })),
    },
    ledger: createPostgresLedgerStore(pool),
    watchlists: createPostgresWatchlistStore(pool),
    macro: createPostgresMacroStore(pool),
    statements: createPostgresStatementStore(pool),
    screens: createPostgresScreenStore(pool),
    operations: createPostgresOperationsStore(pool),
    profiles: {
      list: async (symbols) => {
        if (symbols && symbols.length === 0) return [];
        const rows = await db.select().from(s.instrumentProfiles).where(symbols ? inArray(s.instrumentProfiles.symbol, [...symbols]) : undefined)
          .orderBy(asc(s.instrumentProfiles.symbol), asc(s.instrumentProfiles.source));
        return rows.map(rowToProfile);
      },
      upsert: async (p) => {
        const row = profileToRow(p);
        await db.insert(s.instrumentProfiles).values(row).onConflictDoUpdate({ target: [s.instrumentProfiles.symbol, s.instrumentProfiles.source], set: row });
      },
      delete: async (symbol, source) => {
        return ((await db.delete(s.instrumentProfiles).where(and(eq(s.instrumentProfiles.symbol, symbol), eq(s.instrumentProfiles.source, source)))).rowCount ?? 0) > 0;
      },
    },
    backtests: {
      insert: async (row) => void (await db.insert(s.backtestRuns).values({ ...row, result: row.result as object })),
      get: async (id) => {
        const [r] = await db.select().from(s.backtestRuns).where(eq(s.backtestRuns.id, id));
        return r ? { ...r, kind: r.kind as BacktestRunRow['kind'], summary: storedJson(StoredObject, r.summary, 'backtest_runs.summary') } : undefined;
      },
      list: async (limit) =>
        (await db.select({ id: s.backtestRuns.id, createdAt: s.backtestRuns.createdAt, kind: s.backtestRuns.kind, name: s.backtestRuns.name, strategy: s.backtestRuns.strategy, summary: s.backtestRuns.summary })
          .from(s.backtestRuns).orderBy(desc(s.backtestRuns.createdAt)).limit(limit ?? 100))
          .map((r) => ({ ...r, kind: r.kind as BacktestRunRow['kind'], summary: storedJson(StoredObject, r.summary, 'backtest_runs.summary') })),
    },
    dispose: () => pool.end(),
  };
  return store;
}
