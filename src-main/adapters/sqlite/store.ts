// The Store port on SQLite: better-sqlite3 + drizzle, WAL with synchronous=FULL so an acknowledged fill survives a power cut.
import Database from 'better-sqlite3';
import { and, asc, desc, eq, gte, inArray, lt, lte, max, min, sql, sum } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { OPEN_ORDER_STATUSES, type Bar, type Instrument, type Timeframe } from '../../../src-shared/domain/types';
import type { BacktestRunRow, BarRestatement, BarWriteOptions, BarWriteResult, Store } from '../../ports/store';
import { chunkSpan, periods, readBarsFromChunks, readChunks, sortedBars, writeChunk, WriteTally } from '../bar-chunks';
import { canonicalMoney, defaultMigrationsFolder, orderToRow, quarantineFilter, fundamentalsToRow, rowToCorporateAction, rowToFill, rowToFillQuality, rowToFundamentals, rowToInstrument, rowToOrder, rowToPosition, rowToQuarantined, StoredBarChanges, storedJson, StoredObject } from '../store-rows';
import { onlineBackup } from './backup';
import { checkDatabase, damagedMessage, DatabaseRefusedError, isCorrupt, refuseEmptyFile, unreadableMessage } from './check';
import * as s from './schema';
import { createSqliteLedgerStore } from './ledger-store';
import { createSqliteWatchlistStore } from './watchlist-store';
import { createSqliteMacroStore } from './macro-store';
import { createSqliteStatementStore } from './statement-store';
import { createSqliteScreenStore } from './screen-store';
import { createSqliteOperationsStore } from './operations-store';
import { profileToRow, rowToProfile } from '../profile-rows';

export interface SqliteStoreOptions {
  file: string;
  migrationsFolder?: string;
  /** Path of a better-sqlite3 addon built for another ABI (Electron). */
  nativeBinding?: string;
  /** Reads only (CLI reads while the terminal holds the folder): no migration, no check, the file must exist. */
  readonly?: boolean;
  /** Test-only (QC_TEST_FAULTS db-growth-pages=N): the file may grow by N pages, then writes fail with SQLITE_FULL. */
  maxGrowthPages?: number;
}

export type SqliteStore = Store & {
  /** Reads a pragma on the store's own connection. */
  pragma(name: string): unknown;
  /** quick_check (full: integrity_check): the problems found, none when the file is sound. */
  check(full?: boolean): string[];
  /** An online copy of the database into `file` (better-sqlite3's backup API on the writing connection, so writes made
   * meanwhile are carried into the copy); resolves with the copy's size. */
  backup(file: string): Promise<{ bytes: number }>;
};

export function openSqliteStore(opts: SqliteStoreOptions): SqliteStore {
  if (!opts.readonly) refuseEmptyFile(opts.file);
  let sqlite: Database.Database;
  try {
    sqlite = new Database(opts.file, {
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
      ...(opts.readonly ? { readonly: true, fileMustExist: true } : {}),
    });
    if (!opts.readonly) sqlite.pragma('journal_mode = WAL');
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_CANTOPEN' && opts.readonly) throw new Error(`No database yet at ${opts.file}: start the terminal once.`, { cause: err });
    if (isCorrupt(err)) throw new DatabaseRefusedError(unreadableMessage(opts.file, err), { cause: err });
    throw new Error(`Cannot open the database ${opts.file}: ${err instanceof Error ? err.message : String(err)} (is it a Quant Claude SQLite file?)`, { cause: err });
  }
  if (opts.maxGrowthPages !== undefined) sqlite.pragma(`max_page_count = ${Number(sqlite.pragma('page_count', { simple: true })) + opts.maxGrowthPages}`);
  if (!opts.readonly) {
    // A damaged page must stop the start, not surface later as one failing list (quick_check: structure, not indexes).
    let problems: string[];
    try {
      problems = checkDatabase(sqlite);
    } catch (err) {
      sqlite.close();
      throw isCorrupt(err) ? new DatabaseRefusedError(unreadableMessage(opts.file, err), { cause: err }) : err;
    }
    if (problems.length > 0) {
      sqlite.close();
      throw new DatabaseRefusedError(damagedMessage(opts.file, problems, 'quick_check'));
    }
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
  } else {
    sqlite.pragma('busy_timeout = 5000');
  }
  const db = drizzle(sqlite, { schema: s });
  if (!opts.readonly) {
    try {
      migrate(db, { migrationsFolder: opts.migrationsFolder ?? defaultMigrationsFolder('sqlite') });
    } catch (err) {
      sqlite.close();
      throw err;
    }
  }

  // Bulk paths use prepared statements in one transaction: the query builder per row is ~20× slower here.
  const getChunk = sqlite.prepare<[string, string, number], { data: Buffer }>('SELECT data FROM bar_chunks WHERE symbol = ? AND timeframe = ? AND period_start = ?');
  const putChunk = sqlite.prepare(
    'INSERT INTO bar_chunks (symbol, timeframe, period_start, first_time, last_time, count, data) VALUES (?, ?, ?, ?, ?, ?, ?) '
    + 'ON CONFLICT (symbol, timeframe, period_start) DO UPDATE SET first_time = excluded.first_time, last_time = excluded.last_time, count = excluded.count, data = excluded.data',
  );
  const rangeChunks = sqlite.prepare<[string, string, number, number, number, number], { data: Buffer }>(
    'SELECT data FROM bar_chunks WHERE symbol = ? AND timeframe = ? AND period_start >= ? AND period_start <= ? AND last_time >= ? AND first_time <= ? ORDER BY period_start',
  );
  const insertRestatement = sqlite.prepare(
    'INSERT INTO bar_restatements (symbol, timeframe, source, detected_at, count, from_time, to_time, applied, changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );

  /** Merges bars into their chunks; runs inside the caller's transaction. */
  const writeBars = (symbol: string, timeframe: Timeframe, rows: readonly Bar[], opts: BarWriteOptions): BarWriteResult => {
    const incoming = sortedBars(rows);
    const tally = new WriteTally(symbol, timeframe, opts);
    for (const [period, from, to] of periods(timeframe, incoming)) {
      const c = writeChunk(getChunk.get(symbol, timeframe, period)?.data, incoming, from, to, opts, tally);
      putChunk.run(symbol, timeframe, period, c.firstTime, c.lastTime, c.count, c.data);
    }
    const result = tally.result();
    const r = result.restatement;
    if (r) insertRestatement.run(r.symbol, r.timeframe, r.source, r.detectedAt, r.count, r.from, r.to, r.applied, JSON.stringify(r.changes));
    return result;
  };
  const blobsIn = (symbol: string, timeframe: Timeframe, from: number, to: number) => {
    const span = chunkSpan(timeframe);
    return rangeChunks.all(symbol, timeframe, Math.floor(from / span) * span, to, from, to).map((r) => r.data);
  };

  // Rows of the old one-row-per-bar table move into chunks, one series at a time, in one transaction.
  const legacy = opts.readonly ? [] : sqlite.prepare<[], { symbol: string; timeframe: string }>('SELECT DISTINCT symbol, timeframe FROM bars').all();
  if (legacy.length > 0) {
    const seriesRows = sqlite.prepare<[string, string], Bar>('SELECT time, open, high, low, close, volume FROM bars WHERE symbol = ? AND timeframe = ? ORDER BY time');
    sqlite.transaction(() => {
      for (const { symbol, timeframe } of legacy) writeBars(symbol, timeframe as Timeframe, seriesRows.all(symbol, timeframe), { source: 'migration' });
      sqlite.exec('DELETE FROM bars');
    })();
  }

  const appendAudit = (e: { time: number; kind: string; orderId: string | null; payload: Record<string, unknown> }) =>
    db.insert(s.auditLog).values({ time: e.time, kind: e.kind, orderId: e.orderId, payload: JSON.stringify(e.payload) }).returning({ seq: s.auditLog.seq }).get().seq;

  const store: SqliteStore = {
    kind: 'sqlite',
    pragma: (name) => sqlite.pragma(name, { simple: true }),
    check: (full) => checkDatabase(sqlite, full),
    backup: (file) => onlineBackup(sqlite, file),
    accounts: {
      get: async (id) => db.select().from(s.accounts).where(eq(s.accounts.id, id)).get(),
      insert: async (row) => void db.insert(s.accounts).values(row).run(),
      setCash: async (id, cash) => void db.update(s.accounts).set({ cash }).where(eq(s.accounts.id, id)).run(),
    },
    instruments: {
      upsertMany: async (rows: Instrument[]) => {
        db.transaction((tx) => {
          for (const r of rows) tx.insert(s.instruments).values(r).onConflictDoUpdate({ target: s.instruments.symbol, set: r }).run();
        });
      },
      list: async () => db.select().from(s.instruments).orderBy(asc(s.instruments.symbol)).all().map(rowToInstrument),
    },
    orders: {
      insert: async (o) => void db.insert(s.orders).values(orderToRow(o)).run(),
      update: async (o) => void db.update(s.orders).set(orderToRow(o)).where(eq(s.orders.id, o.id)).run(),
      get: async (id) => {
        const r = db.select().from(s.orders).where(eq(s.orders.id, id)).get();
        return r ? rowToOrder(r) : undefined;
      },
      list: async ({ accountId, openOnly, limit }) =>
        db.select().from(s.orders)
          .where(and(eq(s.orders.accountId, accountId), openOnly ? inArray(s.orders.status, [...OPEN_ORDER_STATUSES]) : undefined))
          .orderBy(desc(s.orders.createdAt), desc(s.orders.id)).limit(limit ?? 500).all().map(rowToOrder),
    },
    fills: {
      list: async ({ accountId, limit }) =>
        db.select().from(s.fills).where(eq(s.fills.accountId, accountId)).orderBy(desc(s.fills.time), desc(s.fills.id)).limit(limit ?? 500).all().map(rowToFill),
      listForOrder: async (orderId) => db.select().from(s.fills).where(eq(s.fills.orderId, orderId)).orderBy(asc(s.fills.time)).all().map(rowToFill),
      countBetween: async (accountId, from, to) =>
        db.select({ n: sql<number>`count(*)` }).from(s.fills).where(and(eq(s.fills.accountId, accountId), gte(s.fills.time, from), lt(s.fills.time, to))).get()!.n,
      quality: async ({ accountId, from, to, limit }) =>
        db.select().from(s.fillQuality)
          .where(and(eq(s.fillQuality.accountId, accountId), from !== undefined ? gte(s.fillQuality.time, from) : undefined, to !== undefined ? lt(s.fillQuality.time, to) : undefined))
          .orderBy(desc(s.fillQuality.time), desc(s.fillQuality.fillId)).limit(limit ?? 5000).all().map(rowToFillQuality),
    },
    positions: {
      list: async (accountId) => db.select().from(s.positions).where(eq(s.positions.accountId, accountId)).orderBy(asc(s.positions.symbol)).all().map(rowToPosition),
      get: async (accountId, symbol) => {
        const r = db.select().from(s.positions).where(and(eq(s.positions.accountId, accountId), eq(s.positions.symbol, symbol))).get();
        return r ? rowToPosition(r) : undefined;
      },
    },
    applyFill: async (unit) =>
      db.transaction((tx) => {
        const inserted = tx.insert(s.fills).values(unit.fill).onConflictDoNothing().returning({ id: s.fills.id }).all();
        if (inserted.length === 0) return false;
        tx.insert(s.auditLog).values({ time: unit.audit.time, kind: unit.audit.kind, orderId: unit.audit.orderId, payload: JSON.stringify(unit.audit.payload) }).run();
        tx.update(s.orders).set(orderToRow(unit.order)).where(eq(s.orders.id, unit.order.id)).run();
        tx.insert(s.positions).values(unit.position)
          .onConflictDoUpdate({ target: [s.positions.accountId, s.positions.symbol], set: { quantity: unit.position.quantity, avgPrice: unit.position.avgPrice, realizedPnl: unit.position.realizedPnl } }).run();
        tx.update(s.accounts).set({ cash: unit.cash }).where(eq(s.accounts.id, unit.fill.accountId)).run();
        if (unit.quality) tx.insert(s.fillQuality).values(unit.quality).onConflictDoNothing().run();
        return true;
      }),
    journalOrder: async (unit) =>
      db.transaction((tx) => {
        const row = orderToRow(unit.order);
        tx.insert(s.orders).values(row).onConflictDoUpdate({ target: s.orders.id, set: row }).run();
        for (const a of unit.audit) tx.insert(s.auditLog).values({ time: a.time, kind: a.kind, orderId: a.orderId, payload: JSON.stringify(a.payload) }).run();
      }),
    adjustPosition: async ({ position, audit }) =>
      db.transaction((tx) => {
        tx.insert(s.positions).values(position)
          .onConflictDoUpdate({ target: [s.positions.accountId, s.positions.symbol], set: { quantity: position.quantity, avgPrice: position.avgPrice, realizedPnl: position.realizedPnl } }).run();
        tx.insert(s.auditLog).values({ time: audit.time, kind: audit.kind, orderId: audit.orderId, payload: JSON.stringify(audit.payload) }).run();
      }),
    bookCash: async ({ accountId, cash, positions, audit, setting }) =>
      db.transaction((tx) => {
        tx.update(s.accounts).set({ cash }).where(eq(s.accounts.id, accountId)).run();
        for (const p of positions)
          tx.update(s.positions).set({ realizedPnl: p.realizedPnl, ...(p.financing !== undefined ? { financing: p.financing } : {}) }).where(and(eq(s.positions.accountId, p.accountId), eq(s.positions.symbol, p.symbol))).run();
        tx.insert(s.auditLog).values({ time: audit.time, kind: audit.kind, orderId: audit.orderId, payload: JSON.stringify(audit.payload) }).run();
        tx.insert(s.settings).values(setting).onConflictDoUpdate({ target: s.settings.key, set: { value: setting.value } }).run();
      }),
    audit: {
      append: async (e) => appendAudit(e),
      danglingIntents: async () =>
        sqlite.prepare<[], { id: string }>(
          "SELECT DISTINCT a.order_id AS id FROM audit_log a WHERE a.kind = 'order.intent' AND a.order_id IS NOT NULL "
          + "AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = a.order_id) "
          + "AND NOT EXISTS (SELECT 1 FROM audit_log c WHERE c.order_id = a.order_id AND c.kind = 'order.abandoned')",
        ).all().map((r) => r.id),
      list: async ({ limit, orderId }) =>
        db.select().from(s.auditLog).where(orderId ? eq(s.auditLog.orderId, orderId) : undefined).orderBy(desc(s.auditLog.seq)).limit(limit ?? 200).all()
          .map((r) => ({ ...r, payload: storedJson(StoredObject, JSON.parse(r.payload), 'audit.payload') })),
      between: async (from, to) =>
        db.select().from(s.auditLog).where(and(gte(s.auditLog.time, from), lt(s.auditLog.time, to))).orderBy(asc(s.auditLog.seq)).all()
          .map((r) => ({ ...r, payload: storedJson(StoredObject, JSON.parse(r.payload), 'audit.payload') })),
    },
    bars: {
      upsertMany: async (symbol, timeframe, rows, opts = {}) => sqlite.transaction(() => writeBars(symbol, timeframe, rows, opts))(),
      range: async (symbol, timeframe, from, to) => readBarsFromChunks(blobsIn(symbol, timeframe, from, to), from, to),
      rangeArrays: async (symbol, timeframe, from, to) => readChunks(blobsIn(symbol, timeframe, from, to), from, to),
      series: async () =>
        db.select({ symbol: s.barChunks.symbol, timeframe: s.barChunks.timeframe, from: min(s.barChunks.firstTime), to: max(s.barChunks.lastTime), bars: sum(s.barChunks.count) })
          .from(s.barChunks).groupBy(s.barChunks.symbol, s.barChunks.timeframe).orderBy(asc(s.barChunks.symbol), asc(s.barChunks.timeframe)).all()
          .map((r) => ({ symbol: r.symbol, timeframe: r.timeframe as Timeframe, from: Number(r.from), to: Number(r.to), bars: Number(r.bars) })),
      restatements: async ({ symbol, limit }) =>
        db.select().from(s.barRestatements).where(symbol ? eq(s.barRestatements.symbol, symbol) : undefined).orderBy(desc(s.barRestatements.id)).limit(limit ?? 100).all()
          .map((r): BarRestatement => ({
            symbol: r.symbol, timeframe: r.timeframe as Timeframe, source: r.source, detectedAt: r.detectedAt, count: r.count, from: r.fromTime, to: r.toTime,
            applied: r.applied as BarRestatement['applied'], changes: storedJson(StoredBarChanges, JSON.parse(r.changes), 'bar_restatements.changes'),
          })),
    },
    fundamentals: {
      upsert: async (f) => {
        const row = fundamentalsToRow(f, (v) => JSON.stringify(v));
        db.insert(s.fundamentals).values(row as typeof s.fundamentals.$inferInsert).onConflictDoUpdate({ target: s.fundamentals.symbol, set: row as typeof s.fundamentals.$inferInsert }).run();
      },
      get: async (symbols) => (symbols.length ? db.select().from(s.fundamentals).where(inArray(s.fundamentals.symbol, symbols)).all().map(rowToFundamentals) : []),
    },
    corporateActions: {
      upsertMany: async (actions, source) => {
        db.transaction((tx) => {
          for (const a of actions) {
            const value = a.kind === 'split' ? a.ratio : a.amount;
            tx.insert(s.corporateActions).values({ symbol: a.symbol, kind: a.kind, time: a.time, value, source })
              .onConflictDoUpdate({ target: [s.corporateActions.symbol, s.corporateActions.kind, s.corporateActions.time], set: { value, source } }).run();
          }
        });
      },
      list: async (symbol, from, to) =>
        db.select().from(s.corporateActions)
          .where(and(eq(s.corporateActions.symbol, symbol), from !== undefined ? gte(s.corporateActions.time, from) : undefined, to !== undefined ? lte(s.corporateActions.time, to) : undefined))
          .orderBy(asc(s.corporateActions.time), asc(s.corporateActions.kind)).all().map(rowToCorporateAction),
    },
    equity: {
      append: async (accountId, p) =>
        void db.insert(s.equityHistory).values({ accountId, time: p.time, nav: p.nav }).onConflictDoUpdate({ target: [s.equityHistory.accountId, s.equityHistory.time], set: { nav: p.nav } }).run(),
      list: async (accountId, limit) =>
        db.select({ time: s.equityHistory.time, nav: s.equityHistory.nav }).from(s.equityHistory).where(eq(s.equityHistory.accountId, accountId))
          .orderBy(desc(s.equityHistory.time)).limit(limit ?? 5000).all().reverse().map((p) => ({ time: p.time, nav: canonicalMoney(p.nav) })),
    },
    strategies: {
      upsert: async (row) => {
        const values = { ...row, params: JSON.stringify(row.params) };
        db.insert(s.strategies).values(values).onConflictDoUpdate({ target: s.strategies.id, set: values }).run();
      },
      list: async () => db.select().from(s.strategies).orderBy(asc(s.strategies.name)).all().map((r) => ({ ...r, params: storedJson(StoredObject, JSON.parse(r.params), 'strategies.params') })),
    },
    settings: {
      get: async (key) => db.select().from(s.settings).where(eq(s.settings.key, key)).get()?.value,
      set: async (key, value) => void db.insert(s.settings).values({ key, value }).onConflictDoUpdate({ target: s.settings.key, set: { value } }).run(),
      delete: async (key) => void db.delete(s.settings).where(eq(s.settings.key, key)).run(),
    },
    quarantine: {
      add: async (rows) => {
        db.transaction((tx) => {
          for (const r of rows) tx.insert(s.barQuarantine).values({ ...r, time: r.time ?? null, action: r.action ?? 'quarantined', bar: r.bar ? JSON.stringify(r.bar) : null }).run();
        });
      },
      list: async (q) =>
        db.select().from(s.barQuarantine).where(quarantineFilter(s.barQuarantine, q)).orderBy(asc(s.barQuarantine.id)).limit(q.limit ?? 1000).all()
          .map((r) => rowToQuarantined({ ...r, bar: r.bar === null ? null : JSON.parse(r.bar) as Bar })),
    },
    ledger: createSqliteLedgerStore(sqlite),
    watchlists: createSqliteWatchlistStore(sqlite),
    macro: createSqliteMacroStore(sqlite),
    statements: createSqliteStatementStore(sqlite),
    screens: createSqliteScreenStore(sqlite),
    operations: createSqliteOperationsStore(sqlite),
    profiles: {
      list: async (symbols) => {
        if (symbols && symbols.length === 0) return [];
        const rows = db.select().from(s.instrumentProfiles).where(symbols ? inArray(s.instrumentProfiles.symbol, [...symbols]) : undefined)
          .orderBy(asc(s.instrumentProfiles.symbol), asc(s.instrumentProfiles.source)).all();
        return rows.map(rowToProfile);
      },
      upsert: async (p) => {
        const row = profileToRow(p);
        db.insert(s.instrumentProfiles).values(row).onConflictDoUpdate({ target: [s.instrumentProfiles.symbol, s.instrumentProfiles.source], set: row }).run();
      },
      delete: async (symbol, source) => {
        return db.delete(s.instrumentProfiles).where(and(eq(s.instrumentProfiles.symbol, symbol), eq(s.instrumentProfiles.source, source))).run().changes > 0;
      },
    },
    backtests: {
      insert: async (row) => void db.insert(s.backtestRuns).values({ ...row, summary: JSON.stringify(row.summary), result: JSON.stringify(row.result) }).run(),
      get: async (id) => {
        const r = db.select().from(s.backtestRuns).where(eq(s.backtestRuns.id, id)).get();
        return r ? { ...r, kind: r.kind as BacktestRunRow['kind'], summary: storedJson(StoredObject, JSON.parse(r.summary), 'backtest_runs.summary'), result: JSON.parse(r.result) as unknown } : undefined;
      },
      list: async (limit) =>
        db.select({ id: s.backtestRuns.id, createdAt: s.backtestRuns.createdAt, kind: s.backtestRuns.kind, name: s.backtestRuns.name, strategy: s.backtestRuns.strategy, summary: s.backtestRuns.summary })
          .from(s.backtestRuns).orderBy(desc(s.backtestRuns.createdAt)).limit(limit ?? 100).all()
          .map((r) => ({ ...r, kind: r.kind as BacktestRunRow['kind'], summary: storedJson(StoredObject, JSON.parse(r.summary), 'backtest_runs.summary') })),
    },
    dispose: () => {
      if (sqlite.open) sqlite.close();
    },
  };
  return store;
}
