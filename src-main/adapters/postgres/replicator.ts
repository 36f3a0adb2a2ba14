// Trade data replication (issue 18): orders, fills and audit entries copied continuously from the data folder's SQLite
// file to a PostgreSQL database, for a fund's reporting or a standby. Each pass reads what lies above the high-water
// marks and upserts it in one PostgreSQL transaction together with the new marks: a pass that fails (PostgreSQL down)
// changes nothing and is retried, and a row sent twice is one row (primary keys, idempotent upserts).
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Clock } from '../../ports/clock';
import type { Timers } from '../../ports/timers';

export interface ReplicationStatus {
  /** Rows in SQLite not yet in PostgreSQL, per table, as of the last pass. */
  behind: { orders: number; fills: number; audit: number };
  lastSuccess: number | null;
  lastError: { time: number; message: string } | null;
  /** Rows copied since start. */
  copied: number;
}

interface Marks { auditSeq: number; fillsRowid: number; ordersUpdatedAt: number; ordersId: string }

const SCHEMA = `
CREATE TABLE IF NOT EXISTS qc_replica_orders (id text PRIMARY KEY, account_id text NOT NULL, status text NOT NULL, created_at bigint NOT NULL, updated_at bigint NOT NULL, row jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS qc_replica_fills (id text PRIMARY KEY, order_id text NOT NULL, account_id text NOT NULL, time bigint NOT NULL, row jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS qc_replica_audit (seq bigint PRIMARY KEY, time bigint NOT NULL, kind text NOT NULL, order_id text, payload jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS qc_replica_state (id int PRIMARY KEY CHECK (id = 1), audit_seq bigint NOT NULL, fills_rowid bigint NOT NULL, orders_updated_at bigint NOT NULL, orders_id text NOT NULL);
INSERT INTO qc_replica_state (id, audit_seq, fills_rowid, orders_updated_at, orders_id) VALUES (1, 0, 0, -1, '') ON CONFLICT (id) DO NOTHING;
`;

export interface ReplicatorOptions {
  /** The data folder's quant.db (read with its own read-only connection). */
  sqliteFile: string;
  url: string;
  clock: Clock;
  timers: Timers;
  /** Between passes when caught up. */
  intervalMs?: number;
  /** Rows per table per pass. */
  batch?: number;
  onError?(err: unknown): void;
}

export class SqliteToPostgresReplicator {
  private readonly pool: pg.Pool;
  private sqlite: Database.Database | undefined;
  private cancel: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private disposed = false;
  private failures = 0;
  private state: ReplicationStatus = { behind: { orders: 0, fills: 0, audit: 0 }, lastSuccess: null, lastError: null, copied: 0 };

  constructor(private readonly o: ReplicatorOptions) {
    // connectionTimeoutMillis: a PostgreSQL that is down fails the pass quickly instead of hanging it.
    this.pool = new pg.Pool({ connectionString: o.url, max: 1, connectionTimeoutMillis: 5000 });
    this.pool.on('error', () => undefined); // an idle client's broken connection: the next pass reconnects
  }

  status(): ReplicationStatus {
    return structuredClone(this.state);
  }

  start(): void {
    this.schedule(0);
  }

  /** One pass until caught up (tests); throws what the pass failed with. */
  async runOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.pass();
      total += n;
      if (n === 0) return total;
    }
  }

  private schedule(ms: number): void {
    if (this.disposed) return;
    this.cancel = this.o.timers.after(ms, () => {
      this.running = this.runOnce().then(() => {
        this.failures = 0;
        this.schedule(this.o.intervalMs ?? 5000);
      }, (err: unknown) => {
        this.failures++;
        this.o.onError?.(err);
        // Backoff while PostgreSQL is away: 1 s, doubling, at most a minute.
        this.schedule(Math.min(60_000, 1000 * 2 ** Math.min(this.failures - 1, 6)));
      });
    });
  }

  private db(): Database.Database {
    if (!this.sqlite) {
      this.sqlite = new Database(this.o.sqliteFile, { readonly: true, fileMustExist: true });
      this.sqlite.pragma('busy_timeout = 5000');
    }
    return this.sqlite;
  }

  /** Copies one batch per table above the marks; the rows copied. */
  private async pass(): Promise<number> {
    const batch = this.o.batch ?? 1000;
    const client = await this.pool.connect().catch((err: unknown) => {
      this.fail(err);
      throw err;
    });
    try {
      await client.query(SCHEMA);
      await client.query('BEGIN');
      const m = (await client.query<{ audit_seq: string; fills_rowid: string; orders_updated_at: string; orders_id: string }>('SELECT * FROM qc_replica_state WHERE id = 1 FOR UPDATE')).rows[0]!;
      const marks: Marks = { auditSeq: Number(m.audit_seq), fillsRowid: Number(m.fills_rowid), ordersUpdatedAt: Number(m.orders_updated_at), ordersId: m.orders_id };
      const db = this.db();
      // One SQLite read transaction: the three tables as of one moment (an order's fill and audit entry together).
      const read = db.transaction(() => ({
        orders: db.prepare<[number, number, string, number], Record<string, unknown> & { id: string; account_id: string; status: string; created_at: number; updated_at: number }>(
          'SELECT * FROM orders WHERE updated_at > ? OR (updated_at = ? AND id > ?) ORDER BY updated_at, id LIMIT ?').all(marks.ordersUpdatedAt, marks.ordersUpdatedAt, marks.ordersId, batch),
        fills: db.prepare<[number, number], Record<string, unknown> & { rid: number; id: string; order_id: string; account_id: string; time: number }>(
          'SELECT rowid AS rid, * FROM fills WHERE rowid > ? ORDER BY rowid LIMIT ?').all(marks.fillsRowid, batch),
        audit: db.prepare<[number, number], { seq: number; time: number; kind: string; order_id: string | null; payload: string }>(
          'SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?').all(marks.auditSeq, batch),
      }));
      const rows = read.deferred();
      for (const o of rows.orders) {
        await client.query(
          'INSERT INTO qc_replica_orders (id, account_id, status, created_at, updated_at, row) VALUES ($1, $2, $3, $4, $5, $6) '
          + 'ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, row = excluded.row',
          [o.id, o.account_id, o.status, o.created_at, o.updated_at, JSON.stringify(o)],
        );
      }
      for (const { rid: _rid, ...f } of rows.fills) {
        await client.query('INSERT INTO qc_replica_fills (id, order_id, account_id, time, row) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING',
          [f.id, f.order_id, f.account_id, f.time, JSON.stringify(f)]);
      }
      for (const a of rows.audit) {
        await client.query('INSERT INTO qc_replica_audit (seq, time, kind, order_id, payload) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (seq) DO NOTHING',
          [a.seq, a.time, a.kind, a.order_id, a.payload]);
      }
      const lastOrder = rows.orders.at(-1);
      const next: Marks = {
        auditSeq: rows.audit.at(-1)?.seq ?? marks.auditSeq,
        fillsRowid: rows.fills.at(-1)?.rid ?? marks.fillsRowid,
        ordersUpdatedAt: lastOrder?.updated_at ?? marks.ordersUpdatedAt,
        ordersId: lastOrder?.id ?? marks.ordersId,
      };
      await client.query('UPDATE qc_replica_state SET audit_seq = $1, fills_rowid = $2, orders_updated_at = $3, orders_id = $4 WHERE id = 1',
        [next.auditSeq, next.fillsRowid, next.ordersUpdatedAt, next.ordersId]);
      await client.query('COMMIT');
      const copied = rows.orders.length + rows.fills.length + rows.audit.length;
      this.state.copied += copied;
      this.state.lastSuccess = this.o.clock.now();
      this.state.lastError = null;
      this.state.behind = {
        orders: db.prepare<[number, number, string], { n: number }>('SELECT count(*) AS n FROM orders WHERE updated_at > ? OR (updated_at = ? AND id > ?)').get(next.ordersUpdatedAt, next.ordersUpdatedAt, next.ordersId)!.n,
        fills: db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM fills WHERE rowid > ?').get(next.fillsRowid)!.n,
        audit: db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM audit_log WHERE seq > ?').get(next.auditSeq)!.n,
      };
      return copied;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      this.fail(err);
      throw err;
    } finally {
      client.release(true);
    }
  }

  private fail(err: unknown): void {
    this.state.lastError = { time: this.o.clock.now(), message: err instanceof Error ? err.message : String(err) };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.cancel?.();
    await this.running?.catch(() => undefined);
    this.sqlite?.close();
    await this.pool.end();
  }
}
