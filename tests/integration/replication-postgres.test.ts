// Trade data replication to a real PostgreSQL (a throwaway cluster) behind a TCP proxy the test can cut: orders, fills
// and audit entries of a SQLite store arrive once each, and a PostgreSQL that is away for a while loses nothing.
import { mkdtempSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoMarket } from '../../src-main/adapters/demo/market';
import { createPaperBroker } from '../../src-main/adapters/paper/broker';
import { SqliteToPostgresReplicator } from '../../src-main/adapters/postgres/replicator';
import { openSqliteStore, type SqliteStore } from '../../src-main/adapters/sqlite/store';
import { createLogger } from '../../src-main/logging';
import { ManualClock } from '../../src-main/ports/clock';
import { realTimers } from '../../src-main/ports/timers';
import { AccountService } from '../../src-main/services/account';
import { TradingService } from '../../src-main/services/trading';
import { startPgCluster, type PgCluster } from '../support/pg-cluster';

/** A TCP proxy to PostgreSQL that can be cut (connections dropped, new ones refused) and restored. */
class Proxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: number) {}
  async up(): Promise<void> {
    this.server = createServer((c) => {
      const s = connect(this.target, '127.0.0.1');
      this.sockets.add(c).add(s);
      c.pipe(s).pipe(c);
      const drop = () => { c.destroy(); s.destroy(); };
      c.on('error', drop).on('close', drop);
      s.on('error', drop).on('close', drop);
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', r));
    this.port = (this.server!.address() as { port: number }).port;
  }
  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }
}

let cluster: PgCluster;
let proxy: Proxy;
let store: SqliteStore;
let trading: TradingService;
let pool: pg.Pool;
let dbFile = '';
const cleanup: (() => unknown)[] = [];
const clock = new ManualClock(Date.parse('2026-11-30T15:00:00Z'));

beforeAll(async () => {
  cluster = await startPgCluster();
  proxy = new Proxy(Number(new URL(cluster.url).port));
  await proxy.up();
  pool = new pg.Pool({ connectionString: cluster.url });
  const dir = mkdtempSync(join(tmpdir(), 'qc-replication-'));
  dbFile = join(dir, 'quant.db');
  store = openSqliteStore({ file: dbFile });
  const market = createDemoMarket({ clock, seed: 1 });
  const broker = createPaperBroker({ market, clock });
  const account = new AccountService({ store, market, clock, accountId: 'R', broker: 'paper', currency: 'USD', initialCash: 1e9 });
  await account.ensureAccount();
  trading = new TradingService({
    store, broker, market, clock, account, logger: createLogger({ level: 'silent' }), configKillSwitch: false,
    limits: { maxPositionSize: 1, maxOrderNotional: 1e12, priceCollarPct: 1, maxDailyTrades: 1e9 },
  });
  cleanup.push(() => trading.dispose(), () => broker.dispose(), () => market.dispose(), () => store.dispose());
}, 120_000);

afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
  await pool?.end();
  await proxy?.down().catch(() => undefined);
  await cluster?.stop();
});

async function placeOrders(n: number): Promise<void> {
  let filled = 0;
  const done = new Promise<void>((resolve) => {
    const sub = trading.on((e) => {
      if (e.kind === 'fill' && ++filled === n) {
        void sub.dispose();
        resolve();
      }
    });
  });
  for (let i = 0; i < n; i++) {
    clock.advance(1000);
    await trading.placeOrder({ symbol: 'BTCUSD', side: i % 2 ? 'sell' : 'buy', type: 'market', quantity: 0.001, timeInForce: 'day' });
  }
  await done;
}

const count = async (table: string) => Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);

describe('SQLite → PostgreSQL replication', () => {
  it('copies orders, fills and audit entries once each; PostgreSQL down then up loses nothing and duplicates nothing', async () => {
    const url = cluster.url.replace(/:\d+\//, `:${proxy.port}/`);
    // Small batches: several passes, each with its own high-water marks.
    const r = new SqliteToPostgresReplicator({ sqliteFile: dbFile, url, clock, timers: realTimers, batch: 7 });
    cleanup.push(() => r.dispose());
    await placeOrders(10);
    expect(await r.runOnce()).toBeGreaterThan(0);
    const sqlite = async () => ({
      orders: (await store.orders.list({ accountId: 'R', limit: 5000 })).length,
      fills: (await store.fills.list({ accountId: 'R', limit: 5000 })).length,
      audit: (await store.audit.list({ limit: 5000 })).length,
    });
    const replica = async () => ({ orders: await count('qc_replica_orders'), fills: await count('qc_replica_fills'), audit: await count('qc_replica_audit') });
    expect(await replica()).toEqual(await sqlite());
    expect(r.status().behind).toEqual({ orders: 0, fills: 0, audit: 0 });

    // PostgreSQL away: passes fail, the lag shows, trading goes on.
    await proxy.down();
    await placeOrders(12);
    await expect(r.runOnce()).rejects.toThrow();
    expect(r.status().lastError?.message).toBeTruthy();
    await proxy.up();
    await r.runOnce();
    expect(await replica()).toEqual(await sqlite());
    expect(r.status()).toMatchObject({ behind: { orders: 0, fills: 0, audit: 0 }, lastError: null });

    // Identical rows: every order's final state, every fill, the audit log in order; a second replicator from the same
    // marks (a restart) copies nothing again.
    const orders = await store.orders.list({ accountId: 'R', limit: 5000 });
    const pgOrders = new Map((await pool.query<{ id: string; status: string; row: { filled_quantity: number } }>('SELECT id, status, row FROM qc_replica_orders')).rows.map((o) => [o.id, o]));
    for (const o of orders) expect([pgOrders.get(o.id)?.status, pgOrders.get(o.id)?.row.filled_quantity]).toEqual([o.status, o.filledQuantity]);
    const audit = (await store.audit.list({ limit: 5000 })).reverse();
    const pgAudit = (await pool.query<{ seq: string; kind: string }>('SELECT seq, kind FROM qc_replica_audit ORDER BY seq')).rows;
    expect(pgAudit.map((a) => [Number(a.seq), a.kind])).toEqual(audit.map((a) => [a.seq, a.kind]));
    const again = new SqliteToPostgresReplicator({ sqliteFile: dbFile, url: cluster.url, clock, timers: realTimers });
    cleanup.push(() => again.dispose());
    expect(await again.runOnce()).toBe(0);
    expect(await replica()).toEqual(await sqlite());
  }, 120_000);
});
