// The failover manager end to end: the demo market streaming as the primary, Yahoo (the local fixture server over real
// HTTP, yahoo-finance2 unmodified in between) as the fallback; a fake clock and timers drive minutes in milliseconds.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Quote } from '../../src-shared/domain/types';
import { createDemoMarket, type DemoMarket } from '../../src-main/adapters/demo/market';
import { DEMO_INSTRUMENTS, toInstrument } from '../../src-main/adapters/demo/instruments';
import { createDemoProvider } from '../../src-main/adapters/demo/provider';
import { isSessionOpen } from '../../src-shared/domain/sessions';
import { IbDataClient } from '../../src-main/adapters/ib/data';
import { fromYahooSymbol } from '../../src-main/adapters/yahoo/symbols';
import { createYahooProvider } from '../../src-main/adapters/yahoo/provider';
import { parseConfig } from '../../src-main/config/config';
import { createPaperBroker } from '../../src-main/adapters/paper/broker';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';
import { createLogger } from '../../src-main/logging';
import { AccountService } from '../../src-main/services/account';
import { TradingService } from '../../src-main/services/trading';
import { ManualClock } from '../../src-main/ports/clock';
import { ProviderError, type DataProvider } from '../../src-main/ports/data-provider';
import { ManualTimers } from '../../src-main/ports/timers';
import type { InstrumentCatalog, MarketDataManager } from '../../src-main/services/market-data/manager';
import { attachProvider, createMarketDataService, detachProvider } from '../../src-main/services/market-data/service';
import { TwsSimulator } from '../../tools/tws-sim/simulator';
import { TestIbHandle } from '../ib/handle';
import { startYahooFixtureServer, type YahooFixtureOptions, type YahooFixtureServer } from '../support/yahoo-fixture-server';

/** Tuesday 24 Nov 2026, 15:00 UTC: every demo and fixture market is open. */
const T0 = Date.UTC(2026, 10, 24, 15, 0);

interface Rig {
  clock: ManualClock;
  timers: ManualTimers;
  demo: DemoMarket;
  yahoo: YahooFixtureServer;
  manager: MarketDataManager;
  providers: DataProvider[];
}
let rig: Rig | undefined;

async function setup(yaml: string, fixture: (demo: DemoMarket) => YahooFixtureOptions = () => ({})): Promise<Rig> {
  const clock = new ManualClock(T0);
  const timers = new ManualTimers(clock);
  const demo = createDemoMarket({ clock, seed: 42 });
  const yahoo = await startYahooFixtureServer({ now: () => clock.now(), ...fixture(demo) });
  const providers = [createDemoProvider(demo), createYahooProvider({ clock, fetch: yahoo.fetch, timeoutMs: 60_000 })];
  const manager = createMarketDataService({ config: parseConfig(yaml), providers, sessionPrimary: 'demo', catalog: demo, clock, timers, random: () => 0.5 });
  rig = { clock, timers, demo, yahoo, manager, providers };
  return rig;
}

afterEach(async () => {
  if (!rig) return;
  rig.manager.dispose();
  for (const p of rig.providers) await p.dispose();
  rig.demo.dispose();
  await rig.yahoo.close();
  rig = undefined;
});

/** Lets real I/O (the HTTP round trips) progress while the fake clock stands still. */
const io = () => new Promise((r) => setTimeout(r, 2));

/** Advances fake time in steps; the demo market ticks each step while `streaming`. */
async function run(r: Rig, ms: number, streaming: boolean, step = 250): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    r.timers.advance(step);
    if (streaming) r.demo.tick();
    await io();
  }
}

const FAILOVER = `
api_strategy:
  primary_data: ib
  stale_after: 10
  failback_after: 30
  poll_interval: 5
  cross_validation: { enabled: false }
  priority: { quotes: [ib, yahoo], bars: [ib, yahoo] }
`;

/** The instruments both the TWS simulator and the Yahoo fixture know, with the demo catalog's sessions. */
const SIM_SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'EURUSD'];
const simCatalog: InstrumentCatalog = {
  instruments: () => DEMO_INSTRUMENTS.filter((i) => SIM_SYMBOLS.includes(i.symbol)).map(toInstrument),
  instrument: (symbol) => simCatalog.instruments().find((i) => i.symbol === symbol),
  isOpen: (symbol, time) => isSessionOpen(simCatalog.instrument(symbol)!.session, time),
};

describe('failover: the IB stream (TWS simulator over TCP) goes silent, Yahoo takes over, IB takes it back', () => {
  it('fails over within stale_after, tags the fallback, and fails back only after failback_after', async () => {
    const clock = new ManualClock(T0);
    const timers = new ManualTimers(clock);
    const sim = new TwsSimulator({ port: 0, tickMs: 0, accountUpdateMs: 0 });
    const port = await sim.start();
    const handle = new TestIbHandle(port);
    await handle.connect();
    const ib = new IbDataClient(handle, { clock, timers, marketDataType: 'live' });
    const yahoo = await startYahooFixtureServer({ now: () => clock.now() });
    const yp = createYahooProvider({ clock, fetch: yahoo.fetch, timeoutMs: 60_000 });
    const manager = createMarketDataService({ config: parseConfig(FAILOVER), providers: [ib, yp], sessionPrimary: 'demo', catalog: simCatalog, clock, timers, random: () => 0.5 });
    try {
      const seen: Quote[] = [];
      manager.onQuote((q) => q.symbol === 'AAPL' && seen.push(q));
      const feedEvents: string[] = [];
      manager.onUpdate((what) => what === 'feeds' && feedEvents.push(manager.feed('AAPL')!.source ?? 'none'));
      /** Fake time in steps of 250 ms; the simulator ticks each step while streaming; real TCP gets a moment. */
      const step = async (streaming: boolean) => {
        timers.advance(250);
        if (streaming) sim.tick();
        await new Promise((r) => setTimeout(r, 3));
      };
      manager.start();
      await vi.waitFor(() => expect(SIM_SYMBOLS.every((s) => manager.lastQuote(s)?.source === 'ib')).toBe(true), { timeout: 10_000 });
      for (let i = 0; i < 20; i++) await step(true);
      expect(manager.feed('AAPL')).toMatchObject({ source: 'ib', fallback: false, stale: false });
      expect(yahoo.count('quote')).toBe(0); // a healthy primary costs the fallback nothing

      // TWS hangs: the socket stays open, nothing arrives (only staleness can tell).
      sim.silent(true);
      const silentAt = clock.now();
      while (manager.feed('AAPL')!.source === 'ib' && clock.now() - silentAt < 30_000) await step(false);
      const switchedAfter = clock.now() - silentAt;
      expect(switchedAfter).toBeGreaterThan(10_000);
      expect(switchedAfter).toBeLessThanOrEqual(10_000 + 250 + 1000); // stale_after + the last tick's step + one supervisor period
      expect(manager.feed('AAPL')).toMatchObject({ source: 'yahoo', fallback: true });
      await vi.waitFor(() => expect(manager.lastQuote('AAPL')?.source).toBe('yahoo'), { timeout: 5000 });
      expect(clock.now() - silentAt).toBe(switchedAfter); // the Yahoo price arrived without further fake time
      expect(yahoo.requests.some((q) => q.endpoint === 'quote' && q.params['symbols'] === 'AAPL')).toBe(true);
      expect(seen.at(-1)).toMatchObject({ symbol: 'AAPL', source: 'yahoo' });
      expect(manager.feedsView().every((f) => f.source === 'yahoo' && f.fallback)).toBe(true);
      expect(manager.sources().find((s) => s.id === 'ib')!.state).toBe('degraded');

      // TWS answers again: hysteresis keeps Yahoo for failback_after, then IB takes AAPL back.
      sim.silent(false);
      const backAt = clock.now();
      for (let i = 0; i < 100; i++) await step(true); // 25 s
      expect(manager.feed('AAPL')!.source).toBe('yahoo');
      while (manager.feed('AAPL')!.source === 'yahoo' && clock.now() - backAt < 60_000) await step(true);
      expect(clock.now() - backAt).toBeGreaterThanOrEqual(30_000);
      expect(clock.now() - backAt).toBeLessThanOrEqual(32_000);
      expect(manager.feed('AAPL')).toMatchObject({ source: 'ib', fallback: false, stale: false });
      for (let i = 0; i < 8; i++) await step(true);
      expect(seen.at(-1)!.source).toBe('ib');
      expect(manager.sources().find((s) => s.id === 'ib')!.state).toBe('healthy');
      expect(feedEvents).toContain('yahoo');
      expect(feedEvents.at(-1)).toBe('ib');
    } finally {
      manager.dispose();
      ib.dispose();
      await yp.dispose();
      handle.dispose();
      await sim.close();
      await yahoo.close();
    }
  }, 60_000);
});

describe('an IB session attached and detached at run time', () => {
  it('the demo session instruments move to IB when its data client is attached, and back when it is detached', async () => {
    const clock = new ManualClock(T0);
    const timers = new ManualTimers(clock);
    const demo = createDemoMarket({ clock, seed: 42 });
    const sim = new TwsSimulator({ port: 0, tickMs: 0, accountUpdateMs: 0 });
    const handle = new TestIbHandle(await sim.start());
    await handle.connect();
    const ib = new IbDataClient(handle, { clock, timers, marketDataType: 'live' });
    const config = parseConfig('api_strategy:\n  cross_validation: { enabled: false }\n');
    const opts = { config, sessionPrimary: 'demo' as const, clock, timers };
    const catalog: InstrumentCatalog = { ...simCatalog, isOpen: (s, t) => demo.isOpen(s, t) };
    const manager = createMarketDataService({ ...opts, providers: [createDemoProvider(demo)], catalog });
    try {
      manager.start();
      await manager.prime();
      expect(manager.feed('AAPL')).toMatchObject({ source: 'demo', fallback: false });
      attachProvider(manager, opts, ib);
      expect(manager.sources().map((s) => [s.id, s.roles])).toEqual([['demo', []], ['ib', [{ kind: 'quotes', rank: 1 }, { kind: 'bars', rank: 1 }]]]);
      // Contracts resolve over TCP, the first ticks arrive, the next supervisor tick moves AAPL (no hysteresis: the demo
      // market is no longer in the chain).
      for (let i = 0; i < 200 && manager.lastQuote('AAPL')?.source !== 'ib'; i++) {
        timers.advance(250);
        sim.tick();
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(manager.feed('AAPL')).toMatchObject({ source: 'ib', fallback: false });
      detachProvider(manager, opts, 'ib');
      timers.advance(1000);
      expect(manager.feed('AAPL')).toMatchObject({ source: 'demo', fallback: false });
      expect(manager.sources().map((s) => s.id)).toEqual(['demo']);
    } finally {
      manager.dispose();
      ib.dispose();
      handle.dispose();
      demo.dispose();
      await sim.close();
    }
  }, 30_000);

  it('quotes belong to their source: after IB detaches no IB price is shown or risk-checked, and stale prices refuse orders', async () => {
    const clock = new ManualClock(T0);
    const timers = new ManualTimers(clock);
    const demo = createDemoMarket({ clock, seed: 42 });
    const sim = new TwsSimulator({ port: 0, tickMs: 0, accountUpdateMs: 0 });
    const handle = new TestIbHandle(await sim.start());
    await handle.connect();
    const ib = new IbDataClient(handle, { clock, timers, marketDataType: 'live' });
    const config = parseConfig('api_strategy:\n  cross_validation: { enabled: false }\n');
    const opts = { config, sessionPrimary: 'demo' as const, clock, timers };
    const catalog: InstrumentCatalog = { ...simCatalog, isOpen: (s, t) => demo.isOpen(s, t) };
    const manager = createMarketDataService({ ...opts, providers: [createDemoProvider(demo)], catalog });
    const store = openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), 'qc-quotes-')), 'quant.db') });
    const logger = createLogger({ level: 'silent' });
    const broker = createPaperBroker({ market: manager, clock, slippageBps: 0 });
    const account = new AccountService({ store, market: manager, clock, accountId: 'PAPER-1', broker: 'paper', currency: 'USD', initialCash: 100_000 });
    const limits = { maxPositionSize: 1, maxOrderNotional: 1e9, priceCollarPct: 0.05, maxDailyTrades: 1000 };
    const trading = new TradingService({ store, broker, market: manager, clock, account, logger, configKillSwitch: false, limits });
    const seen: Quote[] = [];
    manager.onQuote((q) => q.symbol === 'AAPL' && seen.push(q));
    try {
      await account.ensureAccount();
      await trading.start();
      manager.start();
      await manager.prime();
      const demoPrice = demo.lastQuote('AAPL')!.last;
      // The simulator's AAPL far from the demo market's (the report: 189.21 under IB, 218.21 on the demo chart).
      sim.setPrice('AAPL', Math.round(demoPrice * 0.87 * 100) / 100);
      attachProvider(manager, opts, ib);
      for (let i = 0; i < 200 && manager.lastQuote('AAPL')?.source !== 'ib'; i++) {
        timers.advance(250);
        sim.tick();
        demo.tick();
        await new Promise((r) => setTimeout(r, 10));
      }
      const ibQuote = manager.lastQuote('AAPL')!;
      expect(ibQuote.source).toBe('ib');
      expect(Math.abs(ibQuote.last / demo.lastQuote('AAPL')!.last - 1)).toBeGreaterThan(0.1);

      detachProvider(manager, opts, 'ib');
      // At once, before any supervisor tick: the snapshot a UI takes right after the switch shows demo prices only.
      const after = manager.lastQuote('AAPL')!;
      expect(after.source).toBe('demo');
      expect(after.last).toBe(demo.lastQuote('AAPL')!.last);
      expect(seen.at(-1)).toEqual(after); // pushed, so the header follows without a reload
      expect(manager.freshQuote('AAPL')?.last).toBe(after.last);
      for (const s of SIM_SYMBOLS) expect(manager.lastQuote(s)?.source ?? 'demo').toBe('demo');
      // A limit near the demo price passes the ±5 % collar; one at the old IB price is measured against the demo price.
      const near = await trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'limit', quantity: 1, limitPrice: Math.round(after.last * 0.99 * 100) / 100, timeInForce: 'gtc' });
      expect(near.rejection).toBeNull();
      const atIb = await trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'limit', quantity: 1, limitPrice: ibQuote.last, timeInForce: 'gtc' });
      expect(atIb.rejection?.rule).toBe('price_collar');
      expect(atIb.rejection?.message).toContain(`the last price ${after.last}`);

      // The demo feed stops quoting an open market: after stale_after (10 s) its last price is no price to check against.
      timers.advance(10_001);
      expect(manager.lastQuote('AAPL')).toBeDefined();
      expect(manager.freshQuote('AAPL')).toBeUndefined();
      const stale = await trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'limit', quantity: 1, limitPrice: after.last, timeInForce: 'gtc' });
      expect(stale.rejection?.rule).toBe('no_price');
      demo.tick();
      expect(manager.freshQuote('AAPL')).toBeDefined();
    } finally {
      trading.dispose();
      broker.dispose();
      store.dispose();
      manager.dispose();
      ib.dispose();
      handle.dispose();
      demo.dispose();
      await sim.close();
    }
  }, 30_000);

  it('a closed market keeps its last price as the reference (the close), however old', async () => {
    const sat = Date.UTC(2026, 10, 28, 15, 0); // Saturday: US equities closed
    const clock = new ManualClock(sat);
    const timers = new ManualTimers(clock);
    const demo = createDemoMarket({ clock, seed: 42 });
    const manager = createMarketDataService({ config: parseConfig(''), sessionPrimary: 'demo', clock, timers, providers: [createDemoProvider(demo)], catalog: demo });
    try {
      manager.start();
      timers.advance(1000);
      await manager.prime();
      timers.advance(3_600_000);
      expect(manager.freshQuote('AAPL')?.last).toBe(demo.lastQuote('AAPL')!.last);
    } finally {
      manager.dispose();
      demo.dispose();
    }
  });
});

const YAHOO_ONLY = (extra = '') => `
data_providers:
  yahoo: { rate_limit: 2000, timeout: 10, retry_attempts: 3 }
api_strategy:
  primary_data: yahoo
  cross_validation: { enabled: false }
  priority: { quotes: [yahoo], bars: [yahoo] }
${extra}`;

describe('Yahoo rate limit, retries and errors', () => {
  it('a burst of 5,000 requests: never more than 2,000 in any hour at the server, none dropped (queue 5,000)', async () => {
    const r = await setup(YAHOO_ONLY('  rate_limit_queue: 5000'));
    const { manager, yahoo } = r;
    let done = 0;
    const failures: unknown[] = [];
    for (let i = 0; i < 5000; i++) void manager.history('AAPL', '1d', 5).then(() => done++, (e: unknown) => (done++, failures.push(e)));
    const queued = () => manager.sources().find((s) => s.id === 'yahoo')!.queued;
    const settled = () => vi.waitFor(() => expect(done).toBe(5000 - queued()), { timeout: 20_000, interval: 5 });
    await settled();
    const counts: { t: number; n: number }[] = [{ t: r.clock.now(), n: yahoo.count('chart') }];
    expect(counts[0]!.n).toBe(34); // the bucket: one minute's worth
    while (done < 5000 && r.clock.now() - T0 < 4 * 3_600_000) {
      r.timers.advance(60_000);
      await settled();
      counts.push({ t: r.clock.now(), n: yahoo.count('chart') });
    }
    expect(failures).toEqual([]);
    expect(yahoo.count('chart')).toBe(5000);
    for (const c of counts) {
      const hourAgo = counts.filter((x) => x.t <= c.t - 3_600_000).at(-1)?.n ?? 0;
      expect(c.n - hourAgo).toBeLessThanOrEqual(2000);
    }
    // The budget is used, not wasted: close to 2,000 in the first hour.
    expect(counts.find((c) => c.t === T0 + 3_600_000)!.n).toBeGreaterThan(1950);
    expect(manager.sources().find((s) => s.id === 'yahoo')!.requestsLastHour).toBeLessThanOrEqual(2000);
  }, 120_000);

  it('beyond the queue bound a request fails at once with a clear error; the queued ones wait their turn', async () => {
    const r = await setup(YAHOO_ONLY());
    const all = Array.from({ length: 600 }, () => r.manager.history('AAPL', '1d', 5));
    all.forEach((p) => p.catch(() => undefined)); // the queued ones are refused when the manager closes
    const outcomes = await Promise.allSettled(all.slice(534));
    // The first 34 went, 500 wait; the last 66 were refused without reaching the server.
    for (const o of outcomes) {
      expect(o.status).toBe('rejected');
      const err = (o as PromiseRejectedResult).reason as ProviderError;
      expect(err.message).toMatch(/yahoo: rate limit of 2000\/hour reached and 500 requests already waiting/);
    }
    await vi.waitFor(() => expect(r.yahoo.count('chart')).toBe(34));
    expect(r.manager.sources().find((s) => s.id === 'yahoo')).toMatchObject({ queued: 500, circuit: 'closed' });
  }, 30_000);

  /** Runs `p` while advancing fake time until it settles. */
  async function drive<T>(r: Rig, p: Promise<T>, stepMs = 100, maxMs = 300_000): Promise<{ value?: T; error?: unknown; elapsed: number }> {
    const start = r.clock.now();
    let out: { value?: T; error?: unknown } | undefined;
    p.then((value) => (out = { value }), (error: unknown) => (out = { error }));
    while (!out && r.clock.now() - start < maxMs) {
      await io();
      if (!out) r.timers.advance(stepMs);
    }
    return { ...out!, elapsed: r.clock.now() - start };
  }

  it('garbage twice, then data: retried with backoff and served', async () => {
    const r = await setup(YAHOO_ONLY());
    r.yahoo.fault({ type: 'garbage' }, { endpoint: 'chart', times: 2 });
    const res = await drive(r, r.manager.history('AAPL', '1d', 5));
    expect(res.error).toBeUndefined();
    expect(res.value!.length).toBe(5);
    expect(r.yahoo.count('chart')).toBe(3);
    expect(res.elapsed).toBeGreaterThanOrEqual(375 + 750); // equal-jitter backoff at random 0.5: 0.75 × 500, 0.75 × 1000
    expect(r.manager.sources().find((s) => s.id === 'yahoo')).toMatchObject({ state: 'healthy', circuit: 'closed' });
  }, 30_000);

  it('HTTP 429 with Retry-After: the retry waits as long as the server asked', async () => {
    const r = await setup(YAHOO_ONLY());
    r.yahoo.fault({ type: 'status', status: 429, retryAfter: '7' }, { endpoint: 'chart', times: 1 });
    const res = await drive(r, r.manager.history('AAPL', '1d', 5));
    expect(res.error).toBeUndefined();
    expect(r.yahoo.count('chart')).toBe(2);
    expect(res.elapsed).toBeGreaterThanOrEqual(7000);
  }, 30_000);

  it('garbage every time: four attempts, then a clear error; the circuit opens and later calls fail fast; no crash', async () => {
    const r = await setup(YAHOO_ONLY());
    r.yahoo.fault({ type: 'garbage' }, { endpoint: 'chart' });
    const first = await drive(r, r.manager.history('AAPL', '1d', 5));
    expect(first.error).toBeInstanceOf(ProviderError);
    expect((first.error as Error).message).toMatch(/No source could serve AAPL 1d bars: yahoo: history AAPL 1d failed after 4 attempts: /);
    expect(r.yahoo.count('chart')).toBe(4);
    const second = await drive(r, r.manager.history('AAPL', '1d', 5));
    expect((second.error as Error).message).toMatch(/failed after 1 attempt/); // the 5th failure opened the circuit
    expect(r.yahoo.count('chart')).toBe(5);
    const status = r.manager.sources().find((s) => s.id === 'yahoo')!;
    expect(status).toMatchObject({ state: 'down', circuit: 'open' });
    expect(status.lastError?.reason).toBe('bad-data');
    const third = await drive(r, r.manager.history('AAPL', '1d', 5));
    expect((third.error as Error).message).toMatch(/No data source is available for AAPL bars/);
    expect(r.yahoo.count('chart')).toBe(5); // open: the server is spared
    // Yahoo recovers; after open_for (30 s) one probe closes the circuit again.
    r.yahoo.fault(null);
    await run(r, 31_000, false, 1000);
    const after = await drive(r, r.manager.history('AAPL', '1d', 5));
    expect(after.value!.length).toBe(5);
    expect(r.manager.sources().find((s) => s.id === 'yahoo')!.circuit).toBe('closed');
  }, 30_000);

  it('a hanging server: each attempt times out after the configured 10 s, then a clear timeout error', async () => {
    const r = await setup(YAHOO_ONLY());
    r.yahoo.fault({ type: 'hang' }, { endpoint: 'chart' });
    const res = await drive(r, r.manager.history('AAPL', '1d', 5), 250);
    expect(res.error).toBeInstanceOf(ProviderError);
    expect((res.error as ProviderError).message).toMatch(/yahoo: history AAPL 1d failed after 4 attempts: yahoo: history AAPL 1d timed out after 10000 ms/);
    expect(res.elapsed).toBeGreaterThanOrEqual(4 * 10_000);
    expect(r.yahoo.count('chart')).toBe(4);
  }, 30_000);
});

describe('cross-validation', () => {
  it('flags quotes and daily closes beyond the threshold and not below it', async () => {
    // The fixture follows the demo market's prices (quotes: its last price; a daily bar's close: the demo day's close).
    const closes = new Map<string, Map<number, number>>();
    const r = await setup(`
api_strategy:
  primary_data: demo
  cross_validation: { enabled: true, threshold: 0.02, interval: 60 }
  priority: { quotes: [demo, yahoo], bars: [demo, yahoo] }
`, (demo) => ({
      level: (y, t, what) => {
        const symbol = fromYahooSymbol(y);
        if (what === 'quote') return demo.lastQuote(symbol)?.last;
        // A bar's close is asked at its end (the next day's session open for US equities).
        return closes.get(symbol)?.get(Math.floor(t / 86_400) - 1);
      },
    }));
    const { manager, yahoo } = r;
    for (const i of r.demo.instruments()) closes.set(i.symbol, new Map((await r.demo.history(i.symbol, '1d', 40)).map((b) => [b.time / 86_400, b.close])));
    manager.start();
    await manager.prime();
    await run(r, 1000, true);
    await vi.waitFor(() => expect(yahoo.count('chart')).toBeGreaterThanOrEqual(12), { timeout: 10_000 }); // the first periodic checks
    await run(r, 1000, true);
    expect(manager.divergences()).toEqual([]); // same prices: nothing flagged
    yahoo.shiftPrices(1.01);
    expect(await manager.crossValidate('AAPL', { bars: true })).toEqual([]);
    yahoo.shiftPrices(1.05);
    const found = await manager.crossValidate('AAPL', { bars: true });
    const quote = found.filter((d) => d.kind === 'quote');
    const bars = found.filter((d) => d.kind === 'daily-bar');
    expect(quote).toHaveLength(1);
    expect(quote[0]!.secondary.price / quote[0]!.primary.price).toBeCloseTo(1.05, 3);
    expect(bars.length).toBeGreaterThanOrEqual(5); // the closed weekdays of the last ten days
    for (const d of bars) {
      expect(d.diff).toBeGreaterThan(0.045);
      expect(d).toMatchObject({ symbol: 'AAPL', primary: { source: 'demo' }, secondary: { source: 'yahoo' }, threshold: 0.02 });
    }
    expect(manager.divergences().length).toBe(found.length);
    // The periodic check finds the same on another instrument, by itself.
    await run(r, 61_000, true, 500);
    await vi.waitFor(() => expect(manager.divergences().some((d) => d.symbol === 'MSFT' && d.kind === 'quote')).toBe(true), { timeout: 10_000 });
    // The sources agree again: the quote flag clears (it says how things stand); the flagged closes stay on record.
    yahoo.shiftPrices(1);
    expect(await manager.crossValidate('AAPL')).toEqual([]);
    expect(manager.divergences().filter((d) => d.symbol === 'AAPL').map((d) => d.kind)).toEqual(bars.map(() => 'daily-bar'));
  }, 60_000);
});
