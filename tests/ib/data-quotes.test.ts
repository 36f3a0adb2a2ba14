// The IB data client against the TWS simulator over real TCP with the real @stoqey/ib client: streaming quotes,
// source tags, delayed data, the line budget, and resubscription after a restart or a 1101.
import { afterEach, describe, expect, it } from 'vitest';
import { TwsSimulator } from '../../tools/tws-sim/simulator';
import { IbDataClient } from '../../src-main/adapters/ib/data';
import { IbMarketData } from '../../src-main/adapters/ib/data-market';
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
    const tick = client.lastTick('AAPL')!;
    expect(tick).toMatchObject({ bid: 201.1, ask: 201.2, last: 201.15, source: 'ib' });
    expect(tick.bidSize).toBeGreaterThan(0);
    expect(tick.askSize).toBeGreaterThan(0);
    expect(tick.lastSize).toBe(trade.at(-1)!.lastSize);
  });

  it('tags delayed data: asked for delayed, and live refused with 10167', async () => {
    const { client, handle } = await setup({ liveData: false }, { marketDataType: 'delayed' });
    const quotes: Quote[] = [];
    const sub = client.subscribe(['MSFT'], (q) => quotes.push(q));
    cleanup.push(() => sub.dispose());
    await until(() => quotes.length > 0, 5000, 'a delayed quote');
    expect(quotes.every((q) => q.source === 'ib-delayed')).toBe(true);
    expect(client.status().subscriptions[0]).toMatchObject({ symbol: 'MSFT', source: 'ib-delayed', state: 'streaming' });
    // Delayed was asked for before the request (reqMarketDataType 3), so TWS had no live request to refuse.
    expect(handle.codes.filter((c) => c.code === 10167)).toEqual([]);

    // Switching the type on the fly re-requests the line under the new type, cancelling the old request.
    const sentBefore = handle.limiter.stats().sent;
    client.setMarketDataType('live');
    quotes.length = 0;
    await until(() => quotes.length > 0, 5000, 'a quote after the switch');
    expect(handle.limiter.stats().sent - sentBefore).toBe(3); // reqMarketDataType, cancelMktData, reqMktData
    expect(handle.codes.filter((c) => c.code === 10167).length).toBe(1); // live refused by TWS: delayed again
    expect(quotes.at(-1)!.source).toBe('ib-delayed');

    const { client: live, handle: liveHandle } = await setup({ liveData: false }, { marketDataType: 'live' });
    const got: Quote[] = [];
    const sub2 = live.subscribe(['IBM'], (q) => got.push(q));
    cleanup.push(() => sub2.dispose());
    await until(() => got.length > 0, 5000, 'a quote after 10167');
    expect(got.at(-1)!.source).toBe('ib-delayed');
    expect(liveHandle.codes.filter((c) => c.code === 10167).length).toBe(1);
  });

  it('refuses a symbol beyond the line budget with the reason, visible in the status, and frees lines on unsubscribe', async () => {
    const { sim, client } = await setup({}, { lineBudget: 3 });
    const subs = ['AAPL', 'MSFT', 'SPY'].map((s) => client.subscribe([s], () => undefined));
    const r = client.trySubscribe(['IBM'], () => undefined);
    expect(r.accepted).toEqual([]);
    expect(r.refused).toEqual([{ symbol: 'IBM', reason: expect.stringMatching(/market data line budget full: 3 of 3 lines in use/) }]);
    expect(client.status().refused).toEqual([expect.objectContaining({ symbol: 'IBM', reason: r.refused[0].reason })]);
    expect(client.status().lines).toEqual({ used: 3, budget: 3 });
    // Sharing a line costs nothing; an unsubscribe frees one.
    const shared = client.trySubscribe(['AAPL'], () => undefined);
    expect(shared.accepted).toEqual(['AAPL']);
    void subs[1].dispose();
    const ibm: Quote[] = [];
    const s4 = client.subscribe(['IBM'], (q) => ibm.push(q));
    await until(() => ibm.length > 0, 5000, 'an IBM quote once a line was free');
    expect(client.status().lines.used).toBe(3);
    for (const d of [subs[0], subs[2], shared.subscription, s4]) void d.dispose();
    expect(client.status().lines.used).toBe(0);
    expect(sim.stats.connections).toBe(1);
  });

  it('holds 100 lines by default: the 101st symbol is refused, the first 100 stream', async () => {
    const { client } = await setup({}, {});
    // The simulator lists fewer than 100 streamable contracts: 92 unknown symbols hold a line each while TWS is asked.
    const real = ['AAPL', 'MSFT', 'SPY', 'IBM', 'TSLA', 'NVDA', 'AMZN', 'GOOGL'];
    const symbols = [...real, ...Array.from({ length: 92 }, (_, i) => `SYM${i}`), 'EURUSD'];
    const quotes = new Set<string>();
    const r = client.trySubscribe(symbols, (q) => quotes.add(q.symbol));
    expect(r.accepted.length).toBe(100);
    expect(r.refused.map((x) => x.symbol)).toEqual(['EURUSD']);
    expect(r.refused[0].reason).toMatch(/line budget full: 100 of 100/);
    expect(client.status().lines.used).toBe(100);
    await until(() => real.every((s) => quotes.has(s)), 10_000, 'quotes of the accepted symbols');
    expect(quotes.has('EURUSD')).toBe(false);
    // Unknown symbols end in error (IB 200) and give their line back.
    await until(() => client.status().subscriptions.filter((s) => s.state === 'error').length === 92, 10_000, 'IB to answer 200 for the unknown symbols');
    expect(client.status().subscriptions.find((s) => s.symbol === 'SYM0')?.error).toMatch(/no contract for SYM0|No security definition/);
    expect(client.status().lines.used).toBe(8);
    void r.subscription.dispose();
    expect(client.status().lines.used).toBe(0);
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
