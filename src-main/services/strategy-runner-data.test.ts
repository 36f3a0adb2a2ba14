// A live strategy whose data source goes away (IB connects and the demo market leaves the bars chain, as in issue 11's
// defect 3) and comes back: the real failover manager, paper broker, trading service and SQLite file. Nothing may end
// the process: no unhandled rejection, the strategy waits with its reason and acts again, never twice on a bar.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoMarket } from '../adapters/demo/market';
import { createDemoProvider } from '../adapters/demo/provider';
import { createPaperBroker } from '../adapters/paper/broker';
import { openSqliteStore } from '../adapters/sqlite/store';
import { createStrategy } from '../domain/strategies/registry';
import { parseConfig } from '../config/config';
import { createLogger } from '../logging';
import { ManualClock } from '../ports/clock';
import { ProviderError, type DataKind, type DataProvider } from '../ports/data-provider';
import { ManualTimers } from '../ports/timers';
import { AccountService } from './account';
import { attachProvider, createMarketDataService, detachProvider } from './market-data/service';
import { DataUnavailableError, StrategyRunner } from './strategy-runner';
import { TradingService } from './trading';
import { singleAccount } from './strategy-accounts';

const START = Date.parse('2026-11-30T15:00:00Z');
const PARAMS = { fast: 3, slow: 8, size: 0.01 };
const loose = { maxPositionSize: 1, maxOrderNotional: 1e9, priceCollarPct: 1, maxDailyTrades: 10_000 };

/** An IB data client as the manager sees it: it knows no crypto contract, so it serves no BTCUSD bar or quote. */
function ibWithoutCrypto(): DataProvider & { historyCalls: number } {
  const p = {
    id: 'ib' as const,
    capabilities: new Set<DataKind>(['bars', 'quotes']),
    historyCalls: 0,
    async history(req: { symbol: string }) {
      p.historyCalls++;
      throw new ProviderError('ib', 'not-found', `ib: no contract for ${req.symbol}`);
    },
    async quote(symbol: string): Promise<never> {
      throw new ProviderError('ib', 'not-found', `ib: no contract for ${symbol}`);
    },
    async healthCheck() {},
    dispose() {},
  };
  return p;
}

const rejections: unknown[] = [];
const onRejection = (err: unknown) => void rejections.push(err);
process.on('unhandledRejection', onRejection);
afterEach(() => {
  expect(rejections).toEqual([]);
});

/** The bar times each strategy's next() ran on (the registry's sma-cross, watched). */
let decided: number[] = [];
const watched = (name: string, params: Record<string, number | string>) => {
  const s = createStrategy(name, params);
  const next = s.next.bind(s);
  s.next = (ctx) => {
    decided.push(ctx.time());
    next(ctx);
  };
  return s;
};

function rig(file: string, clock: ManualClock) {
  const timers = new ManualTimers(clock);
  const logger = createLogger({ level: 'silent' });
  const store = openSqliteStore({ file });
  const demo = createDemoMarket({ clock, seed: 5 });
  const config = parseConfig('');
  const serviceOptions = { config, sessionPrimary: 'demo' as const, clock, timers, random: () => 0.5 };
  const market = createMarketDataService({ ...serviceOptions, providers: [createDemoProvider(demo)], catalog: demo });
  market.start();
  const broker = createPaperBroker({ market, clock, slippageBps: 0 });
  const account = new AccountService({ store, market, clock, accountId: 'PAPER-1', broker: 'paper', currency: 'USD', initialCash: 100_000 });
  const trading = new TradingService({ store, broker, market, clock, account, logger, configKillSwitch: false, limits: loose });
  const runner = new StrategyRunner({ store, market, accounts: singleAccount({ trading, account, live: false }), clock, logger, historyBars: 300, create: watched });
  const settle = async () => {
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setImmediate(r));
      await trading.idle();
      await runner.idle();
    }
  };
  const minute = async () => {
    timers.advance(60_000);
    demo.tick();
    await settle();
    await runner.poll();
    await settle();
  };
  return {
    store, market, runner, minute, settle,
    init: async () => (await account.ensureAccount(), await trading.start()),
    connectIb: (ib: DataProvider) => attachProvider(market, serviceOptions, ib),
    disconnectIb: () => detachProvider(market, serviceOptions, 'ib'),
    close: async () => {
      await runner.dispose();
      trading.dispose();
      broker.dispose();
      market.dispose();
      demo.dispose();
      store.dispose();
    },
  };
}

const dbFile = () => join(mkdtempSync(join(tmpdir(), 'qc-runner-data-')), 'quant.db');


describe('live strategy when its data source dies', () => {
  it('waits with the reason while no source serves its bars, keeps the process alive, and acts again once it returns', async () => {
    const clock = new ManualClock(START);
    decided = [];
    const t = rig(dbFile(), clock);
    await t.init();
    await t.runner.start({ strategy: 'sma-cross', symbols: ['BTCUSD'], timeframe: '1m', params: PARAMS });
    for (let i = 0; i < 30; i++) await t.minute();
    const before = t.runner.list()[0]!;
    expect(before.status).toBe('running');
    const ordersBefore = before.orders;
    expect(ordersBefore).toBeGreaterThan(0);

    const ib = ibWithoutCrypto();
    t.connectIb(ib);
    for (let i = 0; i < 10; i++) await t.minute();
    // One request per minute of outage: the retries back off (5 s doubling, at most a minute), never every tick.
    expect(ib.historyCalls).toBe(10);
    // The real timer path of the defect (setInterval → poll → catchUp → history, unowned before): a minute later ~20
    // ticks run; the first makes the one request the backoff allows, which fails, and none ends in a rejection.
    clock.advance(60_000);
    t.runner.startTimers(5);
    await new Promise((r) => setTimeout(r, 100));
    await t.settle();
    expect(ib.historyCalls).toBe(11);
    // "No contract for BTCUSD" is an answer, not an outage: IB's circuit stays closed for the instruments it serves.
    expect(t.market.sources().find((x) => x.id === 'ib')).toMatchObject({ circuit: 'closed', state: expect.not.stringMatching(/^down$/) });
    const waiting = t.runner.list()[0]!;
    expect(waiting.status).toBe('data-unavailable');
    // (After five failures IB's circuit opens: the message then says no source is available rather than each error.)
    expect(waiting.message).toMatch(/^No (source could serve BTCUSD 1m bars: .*ib: no contract for BTCUSD|data source is available for BTCUSD bars).*; retrying$/);
    expect(waiting.lastBarTime).toBe(before.lastBarTime);
    expect(waiting.orders).toBe(ordersBefore);
    // Its position is still valued (at its last closed bar) though no source quotes BTCUSD now.
    // (Unvalued, the P&L would be the cash paid, ≈ position × 90,000.)
    expect(waiting.positions['BTCUSD']).not.toBe(0);
    expect(Math.abs(Number(waiting.pnl))).toBeLessThan(Math.abs(waiting.positions['BTCUSD']!) * 90_000 * 0.2);
    // Stored as live: a restart now resumes it (waiting) rather than forgetting it.
    const row = (await t.store.strategies.list())[0]!;
    expect(row.enabled).toBe(true);
    expect((row.params as { status: string }).status).toBe('data-unavailable');

    t.disconnectIb();
    await t.minute();
    const back = t.runner.list()[0]!;
    expect(back.status).toBe('running');
    // The eleven bars that closed meanwhile only warmed it up; it acted on the newest.
    expect(back.message).toMatch(/^Data back: 11 bar\(s\) that closed while it was unavailable were used for warm-up only/);
    expect(back.lastBarTime).toBe(Math.floor(clock.now() / 1000) - 60);
    for (let i = 0; i < 60; i++) await t.minute();
    const after = t.runner.list()[0]!;
    expect(after.status).toBe('running');
    expect(after.orders).toBeGreaterThan(ordersBefore);
    // It decided once per bar, never on a bar twice, and on none of the bars that closed during the outage.
    expect(new Set(decided).size).toBe(decided.length);
    expect(decided.filter((b) => b > before.lastBarTime! && b < back.lastBarTime!)).toEqual([]);
    expect(decided).toContain(back.lastBarTime);
    expect(decided.length).toBeGreaterThan(80);
    await t.close();
  }, 60_000);

  it('a restart while the source is away resumes it waiting (not failed), and it runs once the source returns', async () => {
    const file = dbFile();
    const clock = new ManualClock(START);
    let t = rig(file, clock);
    await t.init();
    await t.runner.start({ strategy: 'sma-cross', symbols: ['BTCUSD'], timeframe: '1m', params: PARAMS });
    for (let i = 0; i < 5; i++) await t.minute();
    await t.close();

    clock.advance(10 * 60_000);
    t = rig(file, clock);
    await t.init();
    t.connectIb(ibWithoutCrypto());
    await t.runner.resume();
    const waiting = t.runner.list()[0]!;
    expect(waiting.status).toBe('data-unavailable');
    expect(waiting.message).toMatch(/No source could serve BTCUSD 1m bars.*; retrying$/);
    await t.minute();
    expect(t.runner.list()[0]!.status).toBe('data-unavailable');
    // Started by the user now: refused with the reason (UNAVAILABLE through the API), nothing left half-started.
    await expect(t.runner.start({ strategy: 'sma-cross', symbols: ['BTCUSD'], timeframe: '1m', params: PARAMS })).rejects.toThrow(DataUnavailableError);
    expect(t.runner.list()).toHaveLength(1);

    t.disconnectIb();
    await t.minute();
    const back = t.runner.list()[0]!;
    expect(back.status).toBe('running');
    expect(back.message).toMatch(/^Data back: \d+ bar\(s\)/);
    await t.close();
  }, 60_000);
});
