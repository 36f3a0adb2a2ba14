// The IB data client against the TWS simulator over real TCP with the real @stoqey/ib client: streaming quotes,
// source tags, delayed data, the line budget, and resubscription after a restart or a 1101.
import { afterEach, describe, expect, it } from 'vitest';
import { TwsSimulator } from '../../tools/tws-sim/simulator';
import { IbDataClient } from '../../src-main/adapters/ib/data';
import { IbMarketData } from '../../src-main/adapters/ib/data-market';
import { ProviderError } from '../../src-main/ports/data-provider';
import type { Quote } from '../../src-shared/domain/types';
import { TestIbHandle, until } from './handle';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function setup(simOpts: ConstructorParameters<typeof TwsSimulator>[0] = {}, clientOpts: ConstructorParameters<typeof IbDataClient>[1] = {}) {
  const sim = new TwsSimulator({ port: 0, tickMs: 0, accountUpdateMs: 0, restartPauseMs: 50, ...simOpts });
  const port = await sim.start();
  cleanup.push(() => sim.close());
  const handle = new TestIbHandle(port);
  cleanup.push(() => handle.dispose());
  await handle.connect();
  const client = new IbDataClient(handle, clientOpts);
  cleanup.push(() => client.dispose());
  return { sim, handle, client };
}

describe('IB data client: streaming quotes', () => {
  it('streams quotes from TWS into MarketData.onQuote, tagged live, with staleness per symbol', async () => {
    const { sim, client } = await setup({}, { marketDataType: 'live' });
    const md = new IbMarketData(client, { symbols: ['AAPL', 'EURUSD'] });
    cleanup.push(() => md.dispose());
    const quotes: Quote[] = [];
    md.onQuote((q) => quotes.push(q));
    md.start();
    await until(() => ['AAPL', 'EURUSD'].every((s) => quotes.some((q) => q.symbol === s)), 5000, 'first quotes');
    sim.setQuote('AAPL', { bid: 201.1, ask: 201.2, last: 201.15 });
    await until(() => quotes.some((q) => q.symbol === 'AAPL' && q.bid === 201.1 && q.ask === 201.2), 5000, 'the new AAPL quote');
    const trade = quotes.filter((q) => q.symbol === 'AAPL' && q.last === 201.15 && q.lastSize > 0);
    expect(trade.length).toBeGreaterThan(0);
    expect(new Set(quotes.map((q) => q.source))).toEqual(new Set(['ib']));
    const eur = md.lastQuote('EURUSD')!;
    expect(eur.bid).toBeLessThan(eur.ask);
    expect(eur.bid).toBeGreaterThan(0.5);
    expect(md.instrument('EURUSD')).toMatchObject({ symbol: 'EURUSD', assetClass: 'fx', currency: 'USD' });
    expect(md.instrument('AAPL')).toMatchObject({ symbol: 'AAPL', assetClass: 'stock', name: 'APPLE INC', exchange: 'NASDAQ', tickSize: 0.01 });
    const status = client.status();
    expect(status.lines).toEqual({ used: 2, budget: 100 });
    expect(status.subscriptions.map((s) => [s.symbol, s.state, s.source])).toEqual([['AAPL', 'streaming', 'ib'], ['EURUSD', 'streaming', 'ib']]);
    expect(client.staleness('AAPL')).toBeGreaterThanOrEqual(0);
    expect(client.staleness('AAPL')).toBeLessThan(5000);
    expect(client.staleness('MSFT')).toBeNull();
    expect(client.lastTick('AAPL')).toMatchObject({ bid: 201.1, ask: 201.2, last: 201.15 });
  });

  it('tags delayed data: asked for delayed, and live refused with 10167', async () => {
    const { client } = await setup({ liveData: false }, { marketDataType: 'delayed' });
    const quotes: Quote[] = [];
    const sub = client.subscribe(['MSFT'], (q) => quotes.push(q));
    cleanup.push(() => sub.dispose());
    await until(() => quotes.length > 0, 5000, 'a delayed quote');
    expect(quotes.every((q) => q.source === 'ib-delayed')).toBe(true);
    expect(client.status().subscriptions[0]).toMatchObject({ symbol: 'MSFT', source: 'ib-delayed', state: 'streaming' });

    const { client: live } = await setup({ liveData: false }, { marketDataType: 'live' });
    const got: Quote[] = [];
    const sub2 = live.subscribe(['IBM'], (q) => got.push(q));
    cleanup.push(() => sub2.dispose());
    await until(() => got.length > 0, 5000, 'a quote after 10167');
    expect(got.at(-1)!.source).toBe('ib-delayed');
  });

  it('refuses the 101st line with the reason, visible in the status, and frees lines on unsubscribe', async () => {
    const { sim, client } = await setup({}, { lineBudget: 3 });
    const subs = ['AAPL', 'MSFT', 'SPY'].map((s) => client.subscribe([s], () => undefined));
    let err: unknown;
    try {
      client.subscribe(['IBM'], () => undefined);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).reason).toBe('unavailable');
    expect((err as Error).message).toMatch(/IBM refused: market data line budget full: 3 of 3 lines in use/);
    expect(client.status().refused).toEqual([expect.objectContaining({ symbol: 'IBM', reason: expect.stringMatching(/line budget full/) })]);
    expect(client.status().lines).toEqual({ used: 3, budget: 3 });
    // Sharing a line costs nothing; an unsubscribe frees one.
    const shared = client.subscribe(['AAPL'], () => undefined);
    void subs[1].dispose();
    const ibm: Quote[] = [];
    const s4 = client.subscribe(['IBM'], (q) => ibm.push(q));
    await until(() => ibm.length > 0, 5000, 'an IBM quote once a line was free');
    expect(client.status().lines.used).toBe(3);
    for (const d of [subs[0], subs[2], shared, s4]) void d.dispose();
    expect(client.status().lines.used).toBe(0);
    expect(sim.stats.connections).toBe(1);
  });

  it('holds 100 lines by default and refuses the 101st', async () => {
    const { client } = await setup({}, {});
    // The simulator lists fewer than 100 streamable contracts: 100 unknown symbols hold a line each while TWS is asked.
    const symbols = Array.from({ length: 100 }, (_, i) => `SYM${i}`);
    const subs = symbols.map((s) => client.subscribe([s], () => undefined));
    expect(client.status().lines.used).toBe(100);
    expect(() => client.subscribe(['AAPL'], () => undefined)).toThrow(/AAPL refused: market data line budget full: 100 of 100/);
    // Unknown symbols end in error (IB 200) and give their line back.
    await until(() => client.status().subscriptions.every((s) => s.state === 'error'), 10_000, 'IB to answer 200 for the fake symbols');
    expect(client.status().subscriptions[0].error).toMatch(/no contract for SYM0|No security definition/);
    expect(client.status().lines.used).toBe(0);
    for (const s of subs) void s.dispose();
  });

  it('subscribes everything again after TWS restarts', async () => {
    const { sim, handle, client } = await setup({}, { marketDataType: 'live' });
    const quotes: Quote[] = [];
    client.onQuote((q) => quotes.push(q));
    const sub = client.subscribe(['AAPL', 'EURUSD'], () => undefined);
    cleanup.push(() => sub.dispose());
    await until(() => quotes.length >= 2, 5000, 'quotes before the restart');
    const down = handle.disconnected();
    const restarting = sim.restart(50);
    await down;
    expect(client.status().subscriptions.map((s) => s.state)).toEqual(['disconnected', 'disconnected']);
    await restarting;
    await handle.connect();
    quotes.length = 0;
    sim.setQuote('AAPL', { bid: 150.01, ask: 150.03, last: 150.02 });
    sim.setQuote('EUR.USD', { bid: 1.1001, ask: 1.1002 });
    await until(() => quotes.some((q) => q.symbol === 'AAPL' && q.bid === 150.01) && quotes.some((q) => q.symbol === 'EURUSD' && q.bid === 1.1001), 5000, 'quotes after the restart');
    expect(client.status().subscriptions.map((s) => s.state)).toEqual(['streaming', 'streaming']);
  });

  it('subscribes again after 1101 (connectivity restored, data lost), not after 1102', async () => {
    const { sim, handle, client } = await setup({}, { marketDataType: 'live' });
    const quotes: Quote[] = [];
    const sub = client.subscribe(['MSFT'], (q) => quotes.push(q));
    cleanup.push(() => sub.dispose());
    await until(() => quotes.length > 0, 5000, 'a first quote');
    const sentBefore = handle.limiter.stats().sent;
    sim.connectivityLost();
    sim.connectivityRestored(false);
    await until(() => handle.codes.some((c) => c.code === 1102), 5000, '1102');
    expect(handle.limiter.stats().sent).toBe(sentBefore); // 1102: data kept, nothing re-sent
    sim.connectivityLost();
    sim.connectivityRestored(true);
    await until(() => handle.codes.some((c) => c.code === 1101), 5000, '1101');
    quotes.length = 0;
    sim.setQuote('MSFT', { bid: 300.5, ask: 300.6, last: 300.55 });
    await until(() => quotes.some((q) => q.bid === 300.5), 5000, 'a quote after 1101');
    // reqMarketDataType + reqMktData went out again.
    expect(handle.limiter.stats().sent).toBeGreaterThanOrEqual(sentBefore + 2);
  });
});
