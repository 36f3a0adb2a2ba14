// Trading states and portfolio limits through the real trading service: SQLite file, paper broker, demo market (its
// generated daily history is what the VaR reads), the gate built as the composition root builds it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createDemoMarket } from '../adapters/demo/market';
import { createPaperBroker } from '../adapters/paper/broker';
import { openSqliteStore } from '../adapters/sqlite/store';
import { ConfigSchema } from '../config/config';
import { createLogger } from '../logging';
import { ManualClock } from '../ports/clock';
import { ManualTimers } from '../ports/timers';
import { RiskWatch } from './risk-watch';
import type { LimitUsage } from '../domain/risk/limits';
import type { Store } from '../ports/store';
import { createPortfolioRisk, stateActions } from '../composition/risk';
import { AccountService } from './account';
import { riskView, type SessionManager } from './sessions';
import { TradingService } from './trading';

const MONDAY = Date.parse('2026-11-30T15:00:00Z');

async function boot(risk: Record<string, unknown>, file = join(mkdtempSync(join(tmpdir(), 'qc-prisk-')), 'quant.db')) {
  const config = ConfigSchema.parse({ risk: { max_position_size: 1, max_order_notional: 10_000_000, ...risk } });
  const clock = new ManualClock(MONDAY);
  const store: Store = openSqliteStore({ file });
  const market = createDemoMarket({ clock, seed: 11 });
  const broker = createPaperBroker({ market, clock, slippageBps: 0 });
  const logger = createLogger({ level: 'silent' });
  const account = new AccountService({ store, market, clock, accountId: 'PAPER-1', broker: 'paper', currency: 'USD', initialCash: 100_000 });
  const built: { trading?: TradingService } = {};
  const sessions = { account: () => (built.trading ? { trading: built.trading } : undefined) } as unknown as SessionManager;
  const { states, risk: service } = createPortfolioRisk({ config, store, clock, logger, demo: market, actions: stateActions(() => sessions, store) });
  const view = riskView({ accountId: 'PAPER-1', market, account, get trading(): TradingService { return built.trading!; } });
  const trading = (built.trading = new TradingService({
    store, broker, market, clock, account, logger, configKillSwitch: false, gate: service.gate(view),
    limits: { maxPositionSize: 1, maxOrderNotional: 10_000_000, priceCollarPct: 0.05, maxDailyTrades: 100_000 },
  }));
  await account.ensureAccount();
  await trading.start();
  const t = trading;
  const settle = async () => {
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setImmediate(r));
      await t.idle();
    }
  };
  const buy = async (symbol: string, quantity: number, extra: Record<string, unknown> = {}) => {
    const r = await t.placeOrder({ symbol, side: 'buy', type: 'market', quantity, timeInForce: 'day', ...extra });
    await settle();
    return r;
  };
  const sell = async (symbol: string, quantity: number) => {
    const r = await t.placeOrder({ symbol, side: 'sell', type: 'market', quantity, timeInForce: 'day' });
    await settle();
    return r;
  };
  const close = () => (t.dispose(), broker.dispose(), market.dispose(), store.dispose());
  return { store, market, trading: t, states, risk: service, view, buy, sell, close, file, clock, settle };
}

describe('VaR budget in the order gate', () => {
  it('refuses the order that would breach it, names the size that fits, and that size passes', async () => {
    const t = await boot({ max_portfolio_risk: 0.01 });
    const price = t.market.lastQuote('BTCUSD')!.last;
    // 50 % of NAV in bitcoin (annual vol 55 %: a 1-day 95 % VaR near 0.5 · 0.035 · 1.645 ≈ 3 % of NAV) is over 1 %.
    const quantity = Math.floor((50_000 / price) * 1000) / 1000;
    const r = await t.buy('BTCUSD', quantity);
    expect(r.rejection).toMatchObject({ rule: 'max_portfolio_risk' });
    const fit = r.rejection!.fitQuantity!;
    expect(fit).toBeGreaterThan(0);
    expect(fit).toBeLessThan(quantity);
    expect(r.rejection!.message).toMatch(new RegExp(`VaR \\(1-day 95 %, historical\\) would be [\\d.]+ % of NAV, above the limit of 1\\.00 %; headroom 1\\.00 % \\(risk\\.max_portfolio_risk\\): at most ${fit} would fit`));
    // The journal names the limit, the value and the headroom.
    const decision = (await t.store.audit.list({ orderId: r.order.id })).find((e) => e.kind === 'risk.decision')!;
    expect(decision.payload).toMatchObject({ ok: false, rule: 'max_portfolio_risk', limit: 0.01, headroom: 0.01, fitQuantity: fit });

    expect((await t.buy('BTCUSD', fit)).rejection).toBeNull();
    const snap = await t.risk.snapshot(t.view);
    expect(snap.var95).toBeLessThanOrEqual(0.01);
    // One more lot (0.001 BTC) would not have fitted: the bisection found the largest size.
    expect((await t.buy('BTCUSD', 0.001)).rejection).toMatchObject({ rule: 'max_portfolio_risk', fitQuantity: 0 });
    // The snapshot's figures: components add up to the VaR; the VaR limit's usage is the VaR.
    expect(snap.components.reduce((s, c) => s + c.historical, 0)).toBeCloseTo(snap.var95, 10);
    expect(snap.components.reduce((s, c) => s + c.parametric, 0)).toBeCloseTo(snap.var95Parametric, 10);
    expect(snap.limits.find((l) => l.name === 'max_portfolio_risk')).toMatchObject({ value: snap.var95, limit: 0.01 });
    expect(snap.var95MonteCarlo).toBeGreaterThan(0);
    expect(snap.table).toHaveLength(12);
    expect(snap.stress.find((s) => s.id === 'gfc-2008')!.missing).toEqual(['BTCUSD']); // the demo history starts in 2025
    t.close();
  });
});

describe('trading states', () => {
  it('REDUCING refuses a buy and passes a sell; HALTED refuses both; every change journaled first and kept across a restart', async () => {
    const t = await boot({ max_portfolio_risk: null });
    expect((await t.buy('AAPL', 20)).rejection).toBeNull();
    await t.states.set('PAPER-1', 'REDUCING', 'testing the reducing state', 'manual');
    const refused = await t.buy('AAPL', 1);
    expect(refused.rejection).toMatchObject({ rule: 'trading_state', message: 'Trading is REDUCING (account PAPER-1): only orders that reduce a position pass' });
    expect((await t.sell('AAPL', 5)).rejection).toBeNull();
    // A sell larger than the position would open a short: not reducing.
    expect((await t.sell('AAPL', 30)).rejection).toMatchObject({ rule: 'trading_state' });

    await t.states.set('terminal', 'HALTED', 'terminal halt', 'manual');
    expect((await t.sell('AAPL', 5)).rejection).toMatchObject({ rule: 'trading_state', message: 'Trading is HALTED (terminal-wide): only cancels pass' });

    // The audit log has each change, with its reason, before the orders it refused.
    const audit = (await t.store.audit.list({ limit: 200 })).reverse();
    const changes = audit.filter((e) => e.kind === 'risk.state.changed');
    expect(changes.map((e) => e.payload)).toEqual([
      { scope: 'PAPER-1', from: 'ACTIVE', to: 'REDUCING', reason: 'testing the reducing state', by: 'manual' },
      { scope: 'terminal', from: 'ACTIVE', to: 'HALTED', reason: 'terminal halt', by: 'manual' },
    ]);
    const firstRefusal = audit.find((e) => e.kind === 'risk.decision' && e.payload['rule'] === 'trading_state')!;
    expect(changes[0]!.seq).toBeLessThan(firstRefusal.seq);
    const file = t.file;
    t.close();

    // A restart on the same database file: the states are back.
    const again = await boot({ max_portfolio_risk: null }, file);
    expect(await again.risk.state(again.view)).toMatchObject({ state: 'HALTED', account: 'REDUCING', terminal: 'HALTED' });
    expect((await again.states.history('PAPER-1')).map((h) => h.state)).toEqual(['HALTED', 'REDUCING']);
    again.close();
  });

  it('reads the kill switch as HALTED', async () => {
    const t = await boot({ max_portfolio_risk: null });
    await t.trading.setKillSwitch(true);
    expect(await t.risk.state(t.view)).toMatchObject({ state: 'HALTED', killSwitch: true, account: 'ACTIVE' });
    t.close();
  });

  it('moves to REDUCING at the drawdown threshold and cancels working orders when configured', async () => {
    const t = await boot({ max_portfolio_risk: null, states: { drawdown_reducing: 0.1, drawdown_halted: 0.3, cancel_working: true } });
    const last = t.market.lastQuote('AAPL')!.last;
    const resting = await t.trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'limit', quantity: 1, limitPrice: Math.round(last * 0.97 * 100) / 100, timeInForce: 'gtc' });
    expect(resting.rejection).toBeNull();
    expect(await t.risk.evaluate(t.view)).toBeNull(); // NAV at its peak
    // A peak of 125,000 recorded earlier: NAV 100,000 is 20 % below it → REDUCING (not HALTED at 30 %).
    await t.store.equity.append('PAPER-1', { time: MONDAY - 86_400_000, nav: '125000.00' });
    expect(await t.risk.evaluate(t.view)).toBe('REDUCING');
    const change = (await t.store.audit.list({ limit: 50 })).find((e) => e.kind === 'risk.state.changed')!;
    expect(change.payload).toMatchObject({ to: 'REDUCING', by: 'threshold', reason: expect.stringMatching(/drawdown from the NAV peak 20\.00 % reached the REDUCING threshold 10\.00 %/) as string });
    await t.settle();
    expect((await t.store.orders.get(resting.order.id))!.status).toBe('cancelled');
    // Never relaxed by itself; it goes further at the next threshold.
    expect(await t.risk.evaluate(t.view)).toBeNull();
    await t.store.equity.append('PAPER-1', { time: MONDAY - 3_600_000, nav: '150000.00' });
    expect(await t.risk.evaluate(t.view)).toBe('HALTED');
    t.close();
  });
});

describe('NAV high-water mark', () => {
  it('keeps the NAV peak when the equity history no longer holds it (one point per minute, pruning)', async () => {
    const t = await boot({ max_portfolio_risk: null, states: { drawdown_reducing: 0.1 } });
    await t.store.equity.append('PAPER-1', { time: MONDAY - 86_400_000, nav: '125000.00' });
    expect(await t.risk.drawdown(t.view)).toBeCloseTo(0.2, 6);
    // The history loses the point that made the peak; the drawdown is still measured from it.
    const db = new Database(t.file);
    expect(db.prepare('DELETE FROM equity_history').run().changes).toBeGreaterThan(0);
    db.close();
    expect(await t.risk.drawdown(t.view)).toBeCloseTo(0.2, 6);
    expect(await t.risk.evaluate(t.view)).toBe('REDUCING');
    expect((await t.risk.snapshot(t.view)).drawdown.peak).toBe(125_000);
    t.close();
  });
});

describe('continuous evaluation (RiskWatch)', () => {
  it('pushes limit usage every 5 s, moves the state at a threshold as prices move, runs at once on a state change, stops when disposed', async () => {
    const t = await boot({ max_portfolio_risk: 0.02, states: { drawdown_reducing: 0.1 } });
    expect((await t.buy('AAPL', 50)).rejection).toBeNull();
    const timers = new ManualTimers(t.clock);
    const pushes: { accountId: string; limits: LimitUsage[]; time: number }[] = [];
    const watch = new RiskWatch({
      risk: t.risk, accounts: () => [t.view], timers, clock: t.clock, logger: createLogger({ level: 'silent' }),
      onLimits: (accountId, limits, time) => pushes.push({ accountId, limits, time }),
    });
    const sub = t.states.on(() => void watch.kick());
    watch.start();
    timers.advance(4999);
    await watch.idle();
    expect(pushes).toHaveLength(0);
    timers.advance(1);
    await watch.idle();
    expect(pushes).toHaveLength(1);
    const snap = await t.risk.snapshot(t.view);
    // The pushed usage is the snapshot's: the VaR budget with its value (the VaR of 50 AAPL) and headroom.
    expect(pushes[0]).toMatchObject({ accountId: 'PAPER-1', time: MONDAY + 5000 });
    const usage = pushes[0]!.limits.find((l) => l.name === 'max_portfolio_risk')!;
    expect(usage.value).toBeGreaterThan(0);
    expect(usage).toMatchObject({ limit: 0.02, headroom: expect.closeTo(0.02 - usage.value, 12) as number });
    expect(snap.limits.find((l) => l.name === 'max_portfolio_risk')!.value).toBeCloseTo(usage.value, 12);
    // A NAV peak 20 % above today's: the next periodic pass moves the account to REDUCING with no order placed; the
    // state change runs one more pass at once (before the next 5 s).
    await t.store.equity.append('PAPER-1', { time: MONDAY - 86_400_000, nav: '125000.00' });
    timers.advance(5000);
    await watch.idle();
    await watch.idle();
    expect((await t.states.get('PAPER-1')).state).toBe('REDUCING');
    expect(pushes).toHaveLength(3);
    // A change by hand: one pass at once, no timer needed.
    await t.states.set('PAPER-1', 'HALTED', 'drill', 'manual');
    await watch.idle();
    expect(pushes).toHaveLength(4);
    sub.dispose();
    watch.dispose();
    timers.advance(60_000);
    await watch.idle();
    expect(pushes).toHaveLength(4);
    expect(timers.size).toBe(0);
    t.close();
  });
});

describe('order rate and duplicate guard', () => {
  it('asks for confirmation of a repeat within the window, then passes it when confirmed', async () => {
    const t = await boot({ max_portfolio_risk: null, duplicate_window: 5 });
    expect((await t.buy('KO', 3)).rejection).toBeNull();
    const again = await t.buy('KO', 3);
    expect(again.rejection).toMatchObject({ rule: 'duplicate_order', confirm: true });
    expect((await t.buy('KO', 3, { confirmDuplicate: true })).rejection).toBeNull();
    expect((await t.buy('KO', 4)).rejection).toBeNull(); // another quantity is another order
    t.clock.advance(5000);
    expect((await t.buy('KO', 4)).rejection).toBeNull(); // out of the window
    t.close();
  });

  it('refuses the order beyond the per-second rate', async () => {
    const t = await boot({ max_portfolio_risk: null, max_orders_per_second: 2 });
    expect((await t.buy('KO', 1)).rejection).toBeNull();
    expect((await t.buy('KO', 2)).rejection).toBeNull();
    expect((await t.buy('KO', 3)).rejection).toMatchObject({ rule: 'max_orders_per_second', message: '3 orders in the last second, above the limit of 2 a second (risk.max_orders_per_second)' });
    t.clock.advance(1000);
    expect((await t.buy('KO', 3)).rejection).toBeNull();
    t.close();
  });
});
