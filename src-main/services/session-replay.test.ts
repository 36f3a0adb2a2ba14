// Session replay on real parts: orders through the trading service on the paper venue and the demo market, journaled in
// a SQLite file; replaying the day ends with the positions and cash the app holds. The journal read (audit.between) is
// checked on PostgreSQL too (a throwaway cluster).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createDemoMarket } from '../adapters/demo/market';
import { createPaperBroker } from '../adapters/paper/broker';
import { openSqliteStore } from '../adapters/sqlite/store';
import { openPostgresStore } from '../adapters/postgres/store';
import { createLogger } from '../logging';
import { ManualClock } from '../ports/clock';
import { startPgCluster, type PgCluster } from '../../tests/support/pg-cluster';
import { AccountService } from './account';
import { TradingService } from './trading';
import { TradingStates } from './trading-states';
import { SessionReplay } from './session-replay';

const DAY = '2026-11-30';
const OPEN = Date.parse(`${DAY}T15:00:00Z`);

let cluster: PgCluster | undefined;
afterAll(async () => {
  await cluster?.stop();
});

async function settle(t: TradingService): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setImmediate(r));
    await t.idle();
  }
}

function boot() {
  const clock = new ManualClock(OPEN);
  const store = openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), 'qc-replay-')), 'quant.db') });
  const market = createDemoMarket({ clock, seed: 3 });
  const broker = createPaperBroker({ market, clock, slippageBps: 0, book: async () => (await store.orders.list({ accountId: 'PAPER-1', openOnly: true })).reverse() });
  const account = new AccountService({ store, market, clock, accountId: 'PAPER-1', broker: 'paper', currency: 'USD', initialCash: 100_000 });
  const trading = new TradingService({
    store, broker, market, clock, account, logger: createLogger({ level: 'silent' }), configKillSwitch: false,
    limits: { maxPositionSize: 0.2, maxOrderNotional: 50_000, priceCollarPct: 0.05, maxDailyTrades: 100 },
  });
  const states = new TradingStates({ store, clock });
  const replay = new SessionReplay({ store, clock });
  return { clock, store, market, broker, account, trading, states, replay, close: () => (trading.dispose(), broker.dispose(), market.dispose(), store.dispose()) };
}

describe('session replay of a day on the paper venue', () => {
  it('ends the day with the positions and cash the app had; the state at a moment is the book then', async () => {
    const t = boot();
    await t.account.ensureAccount();
    await t.trading.start();
    const market = (symbol: string, side: 'buy' | 'sell', quantity: number) => t.trading.placeOrder({ symbol, side, type: 'market', quantity, timeInForce: 'day' });

    await market('AAPL', 'buy', 10);
    await settle(t.trading);
    t.clock.advance(60_000);
    await market('MSFT', 'buy', 5);
    await settle(t.trading);
    const beforeSell = t.clock.now();
    t.clock.advance(60_000);
    await market('AAPL', 'sell', 4);
    await settle(t.trading);
    t.clock.advance(60_000);
    // A limit 3 % below the price (inside the collar) works, then is cancelled; an order over the notional cap is refused by the gate.
    const last = t.market.lastQuote('MSFT')!.last;
    const { order: resting } = await t.trading.placeOrder({ symbol: 'MSFT', side: 'buy', type: 'limit', limitPrice: Math.round(last * 97) / 100, quantity: 3, timeInForce: 'gtc' });
    await settle(t.trading);
    const working = t.clock.now();
    t.clock.advance(60_000);
    await t.trading.cancelOrder(resting.id);
    await settle(t.trading);
    const refused = await market('AAPL', 'buy', Math.ceil(60_000 / t.market.lastQuote('AAPL')!.last));
    expect(refused.rejection?.rule).toBe('max_order_notional');
    t.clock.advance(60_000);
    await t.states.set('PAPER-1', 'REDUCING', 'drill', 'manual');
    t.clock.advance(60_000);
    await market('MSFT', 'sell', 2);
    await settle(t.trading);

    const a = { accountId: 'PAPER-1', market: t.market };
    expect(await t.replay.days('PAPER-1')).toEqual([DAY]);
    const end = await t.replay.stateAt(a, DAY, t.clock.now());
    const app = await t.store.positions.list('PAPER-1');
    const fromApp = app.map((p) => ({ symbol: p.symbol, quantity: p.quantity, avgPrice: p.avgPrice, realizedPnl: p.realizedPnl })).sort((x, y) => x.symbol.localeCompare(y.symbol));
    expect(end.positions.map((p) => ({ symbol: p.symbol, quantity: p.quantity, avgPrice: p.avgPrice, realizedPnl: p.realizedPnl }))).toEqual(fromApp);
    expect(fromApp.map((p) => [p.symbol, p.quantity])).toEqual([['AAPL', 6], ['MSFT', 3]]);
    expect(end.cash).toBe((await t.store.accounts.get('PAPER-1'))!.cash);
    expect(end.state).toMatchObject({ account: 'REDUCING', effective: 'REDUCING', reason: 'drill' });
    expect(end.orders.map((o) => o.status).sort()).toEqual(['cancelled', 'filled', 'filled', 'filled', 'filled', 'rejected']);
    expect(end.decisions.filter((d) => !d.ok).map((d) => d.rule)).toEqual(['max_order_notional']);
    expect(end.fills).toHaveLength(4);

    // Before the sell: 10 AAPL, 5 MSFT, ACTIVE; while the limit worked, it is in the blotter as working.
    const mid = await t.replay.stateAt(a, DAY, beforeSell);
    expect(mid.positions.map((p) => [p.symbol, p.quantity])).toEqual([['AAPL', 10], ['MSFT', 5]]);
    expect(mid.state.effective).toBe('ACTIVE');
    expect(mid.positions[0]!.marketPrice).toBeGreaterThan(0);
    const w = await t.replay.stateAt(a, DAY, working);
    expect(w.orders.find((o) => o.id === resting.id)!.status).toBe('working');

    // The day: its events in journal order, the symbols it touched with their bars (the demo market's minutes).
    const day = await t.replay.day(a, DAY);
    expect(day.events.map((e) => e.seq)).toEqual([...day.events.map((e) => e.seq)].sort((x, y) => x - y));
    expect(day.events.filter((e) => e.kind === 'order.fill').map((e) => e.summary)).toEqual([
      expect.stringMatching(/^Fill: buy 10 AAPL @ [\d.]+$/), expect.stringMatching(/^Fill: buy 5 MSFT @/), expect.stringMatching(/^Fill: sell 4 AAPL @/), expect.stringMatching(/^Fill: sell 2 MSFT @/),
    ]);
    expect(day.events.some((e) => e.kind === 'risk.state.changed' && e.summary === 'Trading state account: ACTIVE → REDUCING (drill)')).toBe(true);
    expect(day.symbols).toEqual(['AAPL', 'MSFT']);
    expect(day.barSource['AAPL']).toBe('market');
    expect(day.bars['AAPL']!.length).toBeGreaterThan(0);
    expect(day.bars['AAPL']!.every((b) => b.time * 1000 >= day.from && b.time * 1000 < day.to)).toBe(true);
    const between = await t.replay.events(a, DAY, OPEN + 60_000, OPEN + 120_000);
    expect(between.length).toBeGreaterThan(0);
    expect(between.every((e) => e.time >= OPEN + 60_000 && e.time < OPEN + 120_000)).toBe(true);
    // Nothing the next day.
    expect((await t.replay.day(a, '2026-12-01')).events).toEqual([]);
    t.close();
  });
});

describe('audit.between on PostgreSQL', () => {
  it('returns the entries of the span in journal order', async () => {
    cluster ??= await startPgCluster();
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('CREATE DATABASE replay_between').finally(() => admin.end());
    const url = new URL(cluster.url);
    url.pathname = '/replay_between';
    const store = await openPostgresStore({ url: url.toString() });
    for (const [time, kind] of [[3000, 'c'], [1000, 'a'], [2000, 'b'], [5000, 'd']] as const) await store.audit.append({ time, kind, orderId: null, payload: { time } });
    expect((await store.audit.between(1000, 5000)).map((e) => e.kind)).toEqual(['c', 'a', 'b']);
    await store.dispose();
  });
});
