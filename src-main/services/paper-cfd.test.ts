// The paper CFD account end to end on a real SQLite file and the deterministic clock: leverage lets it hold more than
// its equity, a price shock drives the margin level below the stop-out level, the desk journals the margin call and
// the stop-out and closes the largest loss first with the reason on the order; financing is booked at the rollover
// (FX triple on Wednesday) into cash and the positions' realised P&L, once, also across a restart.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoMarket, type DemoMarket } from '../adapters/demo/market';
import { createPaperBroker } from '../adapters/paper/broker';
import { PAPER_CFD_ACCOUNT_ID } from '../adapters/paper/session';
import { paperCfdBrokerOptions, paperCfdVenue } from '../adapters/paper/venue';
import { fxRates } from '../domain/cfd/pip';
import { openSqliteStore, type SqliteStore } from '../adapters/sqlite/store';
import { parseConfig } from '../config/config';
import { demoCfdSpec } from '../domain/cfd/specs';
import { cents, dec } from '../domain/money';
import { createLogger } from '../logging';
import { ManualClock } from '../ports/clock';
import { SessionManager, type VenueAccount } from './sessions';
import { VenueRegistry } from './venue-registry';
import { MarginMonitor } from './margin-monitor';
import { cfdSpecs, computeSize } from './cfd-sizing';
import type { MarginStatus } from '../../src-shared/domain/margin';

const WEDNESDAY = Date.parse('2026-12-02T15:00:00Z');
const config = parseConfig('risk:\n  max_position_size: 1\n  max_order_notional: 10000000\n');

interface Booted {
  store: SqliteStore;
  market: DemoMarket;
  clock: ManualClock;
  sessions: SessionManager;
  account: VenueAccount;
  close(): Promise<void>;
}

const open: Booted[] = [];
afterEach(async () => {
  for (const b of open.splice(0)) await b.close();
});

async function boot(file: string, clock: ManualClock, market?: DemoMarket): Promise<Booted> {
  const store = openSqliteStore({ file });
  const m = market ?? createDemoMarket({ clock, seed: 3 });
  const broker = createPaperBroker({ market: m, clock, slippageBps: 0, ...paperCfdBrokerOptions('USD', fxRates((symbol) => m.lastQuote(symbol)?.last)), book: async () => (await store.orders.list({ accountId: PAPER_CFD_ACCOUNT_ID, openOnly: true })).reverse() });
  const venues = new VenueRegistry().register(paperCfdVenue({
    accountId: PAPER_CFD_ACCOUNT_ID, broker, market: m, initialCash: 10_000,
    terms: { regime: 'esma-retail', levels: { marginCall: 100, stopOut: 50 }, spec: demoCfdSpec },
  }));
  const sessions = new SessionManager({ store, clock, logger: createLogger({ level: 'silent' }), config, venues });
  await sessions.start();
  const b: Booted = {
    store, market: m, clock, sessions, account: sessions.accounts()[0]!,
    async close() {
      await sessions.dispose();
      if (!market) m.dispose();
      store.dispose();
    },
  };
  open.push(b);
  return b;
}

/** Waits (no timing asserted) until the account holds `quantity`. */
async function holds(b: Booted, symbol: string, quantity: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    await b.sessions.idle();
    if ((await b.store.positions.get(b.account.accountId, symbol))?.quantity === quantity) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`never held ${quantity} ${symbol}`);
}

async function buy(b: Booted, symbol: string, quantity: number): Promise<void> {
  const r = await b.account.trading.placeOrder({ symbol, side: 'buy', type: 'market', quantity, timeInForce: 'day' });
  expect(r.rejection).toBeNull();
  await holds(b, symbol, quantity);
}

const dbFile = () => join(mkdtempSync(join(tmpdir(), 'qc-paper-cfd-')), 'quant.db');

describe('paper CFD account', () => {
  it('holds more than its equity on margin, and refuses what the leverage does not allow', async () => {
    const b = await boot(dbFile(), new ManualClock(WEDNESDAY));
    await buy(b, 'US500', 10); // ~78,800 notional on 10,000 equity: 3,940 margin at 20:1
    const too = await b.account.trading.placeOrder({ symbol: 'US500', side: 'buy', type: 'market', quantity: 30, timeInForce: 'day' });
    // 40 × ~7,876 = 315,000 > 20 × equity: over the max position size on margin
    expect(too.rejection?.rule).toBe('max_position_size');
    // Quoted in yen: traded, its P&L converted at the market's USDJPY (paper-cfd-currency.test.ts has the figures).
    await buy(b, 'USDJPY', 1000);

    // The monitor alerts once when the level is below the alert level, not again while it stays there.
    const alerts: MarginStatus[] = [];
    const monitor = new MarginMonitor({ sessions: b.sessions, alertLevel: 300, logger: createLogger({ level: 'silent' }), onAlert: (s) => alerts.push(s) });
    const [status] = await monitor.check();
    await monitor.check();
    expect(status!.state).toBe('alert'); // ~250 %: 10,000 over ~3,940
    expect(Number(status!.marginLevel)).toBeGreaterThan(200);
    expect(alerts.map((a) => a.accountId)).toEqual([PAPER_CFD_ACCOUNT_ID]);
  });

  it('lists its specs at the capped leverage and sizes from risk with the currency conversion', async () => {
    const b = await boot(dbFile(), new ManualClock(WEDNESDAY));
    const specs = cfdSpecs(b.account);
    expect(specs.map((s) => [s.symbol, s.leverage, s.marginRatePct])).toEqual([
      ['US500', 20, '5.0000'], ['EURUSD', 30, '3.3333'], ['USDJPY', 30, '3.3333'], ['XAUUSD', 20, '5.0000'], ['BTCUSD', 2, '50.0000'],
    ]);
    // 1 % of 10,000 over 25 pips of EURUSD: 40,000 units, 4.00 USD a pip.
    expect(await computeSize(b.account, { symbol: 'EURUSD', riskPercent: 1, stopDistance: 0.0025 })).toEqual({
      ok: true, units: 40_000, lots: 0.4, currency: 'USD', riskAmount: '100.00', actualRisk: '100.00', stopPips: '25', pipValue: '4.00',
    });
    // USDJPY is quoted in JPY: a 0.50 stop loses 0.5 / USDJPY dollars a unit.
    const p = b.market.lastQuote('USDJPY')!.last;
    const r = await computeSize(b.account, { symbol: 'USDJPY', riskAmount: '100', stopDistance: 0.5 });
    expect(r).toMatchObject({ ok: true, units: Math.floor(100 / (0.5 / p) / 1000) * 1000, stopPips: '50' });
    expect(await computeSize(b.account, { symbol: 'US500', riskPercent: 0.01, stopDistance: 50 })).toMatchObject({ ok: false, problem: expect.stringMatching(/below the minimum size of 1/) });
  });

  it('is stopped out after a price shock: margin call, then the largest loss is closed with the reason, and the rest stays', async () => {
    const file = dbFile();
    const b = await boot(file, new ManualClock(WEDNESDAY));
    await buy(b, 'US500', 10);
    await buy(b, 'XAUUSD', 10);
    const desk = b.account.desk!;
    const before = await desk.check();
    expect(before.state).toBe('ok');
    expect(before.level!.toNumber()).toBeGreaterThan(150);

    // US500 (~7,876) falls 10 %: −7,876 on ~10,000 equity → ~2,120 over 3,544 + 2,195 margin = ~37 % < 50 %. Closing
    // US500 (the largest loss) leaves ~2,120 over gold's 2,195 = ~96 %: gold stays.
    b.market.shock('US500', 0.9);
    b.market.tick();
    await holds(b, 'US500', 0);
    await desk.idle();
    await b.sessions.idle();

    const orders = await b.store.orders.list({ accountId: PAPER_CFD_ACCOUNT_ID });
    const stopOut = orders.filter((o) => o.source === 'stop-out');
    expect(stopOut).toHaveLength(1);
    expect(stopOut[0]).toMatchObject({ symbol: 'US500', side: 'sell', quantity: 10, status: 'filled' });
    expect(stopOut[0]!.note).toMatch(/^stop-out: margin level \d+ % < 50 %$/);
    // Gold (the smaller loss) stays: closing US500 restored the level.
    expect((await b.store.positions.get(PAPER_CFD_ACCOUNT_ID, 'XAUUSD'))?.quantity).toBe(10);
    const after = await desk.check();
    expect(after.level!.toNumber()).toBeGreaterThanOrEqual(50);

    // Journaled before acting: the margin call, then the stop-out decision, then the order's intent.
    const audit = (await b.store.audit.list({ limit: 500 })).reverse();
    const seq = (pred: (e: (typeof audit)[number]) => boolean) => audit.findIndex(pred);
    const call = seq((e) => e.kind === 'margin.call');
    const decision = seq((e) => e.kind === 'margin.stop-out');
    const intent = seq((e) => e.kind === 'order.intent' && e.orderId === stopOut[0]!.id);
    expect(call).toBeGreaterThanOrEqual(0);
    expect(decision).toBeGreaterThan(call);
    expect(intent).toBeGreaterThan(decision);
    const payload = audit[decision]!.payload as { level: string; close: string; plan: string[] };
    expect(Number(payload.level)).toBeLessThan(50);
    expect(payload).toMatchObject({ close: 'US500', plan: ['US500'] });
    expect(stopOut[0]!.note).toBe(`stop-out: margin level ${Math.floor(Number(payload.level))} % < 50 %`);

    // The monitor sees the account; the reason survives a reopen of the file.
    const monitor = new MarginMonitor({ sessions: b.sessions, alertLevel: 150, logger: createLogger({ level: 'silent' }) });
    const [status] = await monitor.statuses();
    expect(status).toMatchObject({ accountId: PAPER_CFD_ACCOUNT_ID, venue: 'paper-cfd', source: 'app', stopOutLevel: 50, marginCallLevel: 100 });
    await b.close();
    open.splice(open.indexOf(b), 1);
    const reopened = openSqliteStore({ file });
    expect((await reopened.orders.get(stopOut[0]!.id))?.note).toBe(stopOut[0]!.note);
    reopened.dispose();
  });

  it('keeps closing, largest loss first, while the level stays below the stop-out level', async () => {
    const b = await boot(dbFile(), new ManualClock(WEDNESDAY));
    await buy(b, 'US500', 10);
    await buy(b, 'XAUUSD', 10);
    // −12 %: −9,450 leaves ~540 of equity: ~9 %; without US500 still 540 / 2,195 = ~24 %: gold goes too.
    b.market.shock('US500', 0.88);
    b.market.tick();
    await holds(b, 'US500', 0);
    await holds(b, 'XAUUSD', 0);
    // In the order decided (the audit log's sequence; the manual clock gives both orders the same time).
    const decisions = (await b.store.audit.list({ limit: 500 })).filter((e) => e.kind === 'margin.stop-out').reverse();
    expect(decisions.map((e) => e.payload['close'])).toEqual(['US500', 'XAUUSD']);
    const orders = (await b.store.orders.list({ accountId: PAPER_CFD_ACCOUNT_ID })).filter((o) => o.source === 'stop-out');
    const closes = ['US500', 'XAUUSD'].map((sym) => orders.find((o) => o.symbol === sym)!);
    expect(closes.map((o) => o.status)).toEqual(['filled', 'filled']);
    const levels = closes.map((o) => Number(/margin level (\d+) %/.exec(o.note ?? '')?.[1]));
    expect(levels[0]).toBeLessThan(levels[1]!); // the second was decided on the figures after the first fill
    expect(levels[1]).toBeLessThan(50);
  });

  it('books financing at the 17:00 New York rollover, FX triple on Wednesday, into cash and realised P&L, once across a restart', async () => {
    const file = dbFile();
    const clock = new ManualClock(WEDNESDAY);
    const market = createDemoMarket({ clock, seed: 3 });
    try {
      const b = await boot(file, clock, market);
      await buy(b, 'EURUSD', 100_000);
      await buy(b, 'US500', 2);
      const desk = b.account.desk!;
      await desk.check(); // the marker: the last rollover before the account traded (Tuesday's)
      const cash0 = dec((await b.store.accounts.get(PAPER_CFD_ACCOUNT_ID))!.cash);
      const eur0 = (await b.store.positions.get(PAPER_CFD_ACCOUNT_ID, 'EURUSD'))!.realizedPnl;

      // Wednesday 22:00 UTC (17:00 New York in winter) has passed.
      clock.set(Date.parse('2026-12-02T22:00:01Z'));
      market.tick();
      await desk.check();
      const eurPrice = market.lastQuote('EURUSD')!.last;
      const usPrice = market.lastQuote('US500')!.last;
      // EURUSD long: 100,000 × price × −2.5 % × 3 ÷ 365; US500 long: 2 × price × −6 % × 1 ÷ 365 (index CFDs: Friday triple)
      const eur = cents(dec(100_000).times(eurPrice).times('-0.025').times(3).div(365));
      const us = cents(dec(2).times(usPrice).times('-0.06').div(365));
      const booked = (await b.store.audit.list({ limit: 50 })).filter((e) => e.kind === 'financing.booked');
      expect(booked).toHaveLength(1);
      expect(booked[0]!.payload).toMatchObject({ rollover: '2026-12-02T22:00:00.000Z', total: eur.plus(us).toFixed(2) });
      expect((booked[0]!.payload['positions'] as { symbol: string; days: number }[]).map((p) => [p.symbol, p.days])).toEqual([['EURUSD', 3], ['US500', 1]]);
      expect((await b.store.accounts.get(PAPER_CFD_ACCOUNT_ID))!.cash).toBe(cash0.plus(eur).plus(us).toFixed(2));
      expect((await b.store.positions.get(PAPER_CFD_ACCOUNT_ID, 'EURUSD'))!.realizedPnl).toBe(dec(eur0).plus(eur).toFixed(2));
      // The position's own financing figure and the account's total (shown in position and portfolio P&L).
      expect((await b.store.positions.get(PAPER_CFD_ACCOUNT_ID, 'EURUSD'))!.financing).toBe(eur.toFixed(2));
      expect((await b.account.account.snapshot()).summary.financing).toBe(eur.plus(us).toFixed(2));
      // Checking again books nothing more.
      await desk.check();
      expect((await b.store.audit.list({ limit: 50 })).filter((e) => e.kind === 'financing.booked')).toHaveLength(1);

      // A restart on Thursday evening: Thursday's rollover once (EURUSD 1 day), Wednesday's not again.
      await b.close();
      open.splice(open.indexOf(b), 1);
      clock.set(Date.parse('2026-12-03T22:30:00Z'));
      const c = await boot(file, clock, market);
      await c.account.desk!.check();
      const all = (await c.store.audit.list({ limit: 100 })).filter((e) => e.kind === 'financing.booked').reverse();
      expect(all.map((e) => e.payload['rollover'])).toEqual(['2026-12-02T22:00:00.000Z', '2026-12-03T22:00:00.000Z']);
      expect((all[1]!.payload['positions'] as { symbol: string; days: number }[]).map((p) => [p.symbol, p.days])).toEqual([['EURUSD', 1], ['US500', 1]]);
    } finally {
      market.dispose();
    }
  });
});
