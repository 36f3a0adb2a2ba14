// The IB data client as the DataProvider 'ib' the failover manager composes: contract resolution for each kind of
// symbol, snapshot quotes, failures as ProviderErrors with the reason the manager acts on, and the health probe.
import { afterEach, describe, expect, it } from 'vitest';
import { EventName } from '@stoqey/ib';
import { TwsSimulator } from '../../tools/tws-sim/simulator';
import { IbDataClient } from '../../src-main/adapters/ib/data';
import { IbMarketData } from '../../src-main/adapters/ib/data-market';
import { ProviderError } from '../../src-main/ports/data-provider';
import { TestIbHandle } from './handle';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function setup(clientOpts: ConstructorParameters<typeof IbDataClient>[1] = {}) {
  const sim = new TwsSimulator({ port: 0, tickMs: 0, accountUpdateMs: 0 });
  const port = await sim.start();
  cleanup.push(() => sim.close());
  const handle = new TestIbHandle(port);
  cleanup.push(() => handle.dispose());
  await handle.connect();
  const client = new IbDataClient(handle, clientOpts);
  cleanup.push(() => client.dispose());
  return { sim, handle, client };
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ProviderError) return e;
    throw e;
  }
  throw new Error('expected a ProviderError');
}

describe('IB data provider', () => {
  it('resolves stocks, FX, CFDs and the front future, and caches the details', async () => {
    const { sim, handle, client } = await setup();
    expect(client.id).toBe('ib');
    expect([...client.capabilities].sort()).toEqual(['bars', 'quotes', 'search']);
    const aapl = await client.resolve('aapl');
    expect(aapl).toMatchObject({ symbol: 'AAPL', conId: 265598, secType: 'STK', exchange: 'SMART', primaryExch: 'NASDAQ', longName: 'APPLE INC' });
    expect(await client.resolve('EUR.USD')).toMatchObject({ conId: 12087792, secType: 'CASH', exchange: 'IDEALPRO', currency: 'USD' });
    expect(await client.resolve('MSFT.CFD')).toMatchObject({ secType: 'CFD', conId: sim.instrument('MSFT', 'CFD')!.conId });
    const es = await client.resolve('ES.FUT');
    const fronts = sim.catalog.filter((i) => i.symbol === 'ES' && i.secType === 'FUT').sort((a, b) => a.expiry.localeCompare(b.expiry));
    expect(es.conId).toBe(fronts[0].conId);
    expect(await client.resolve(`${fronts[1].localSymbol}.FUT`)).toMatchObject({ conId: fronts[1].conId });
    const sent = handle.limiter.stats().sent;
    await client.resolve('AAPL');
    expect(handle.limiter.stats().sent).toBe(sent); // cached
  });

  it('profiles from the contract details: IB industry → sector, category → industry, ETF by stock type; cached with the contract', async () => {
    const { handle, client } = await setup();
    expect(await client.profile('AAPL')).toEqual({ sector: 'Technology', industry: 'Computers', assetClass: 'Equity' });
    expect(await client.profile('SPY')).toEqual({ sector: 'Funds', industry: 'Equity Fund', assetClass: 'ETF' });
    // FX has no industry at IB: only the asset class.
    expect(await client.profile('EUR.USD')).toEqual({ assetClass: 'FX' });
    const sent = handle.limiter.stats().sent;
    expect((await client.profile('AAPL')).industry).toBe('Computers');
    expect(handle.limiter.stats().sent).toBe(sent);
  });

  it('answers a snapshot quote with its source tag', async () => {
    const { sim, client } = await setup({ marketDataType: 'live' });
    sim.setQuote('IBM', { bid: 180.1, ask: 180.2, last: 180.15 });
    const q = await client.quote('IBM');
    expect(q).toMatchObject({ symbol: 'IBM', bid: 180.1, ask: 180.2, last: 180.15, source: 'ib' });
    expect(client.status().lines.used).toBe(0); // the snapshot gave its line back
  });

  it('gives MarketData history by bar count, newest last', async () => {
    const { client } = await setup();
    const md = new IbMarketData(client, { symbols: ['AAPL', 'EURUSD'] });
    const bars = await md.history('EURUSD', '5m', 120);
    expect(bars.length).toBe(120);
    expect(bars.every((b, i) => i === 0 || b.time - bars[i - 1].time === 300)).toBe(true);
    expect(bars.at(-1)!.time).toBeLessThanOrEqual(Date.now() / 1000);
    const daily = await md.history('AAPL', '1d', 30);
    expect(daily.length).toBe(30);
    expect(daily.every((b) => b.low <= Math.min(b.open, b.close) && b.high >= Math.max(b.open, b.close))).toBe(true);
  });

  it('shows given instruments until IB describes them, then IB\'s details', async () => {
    const { client } = await setup();
    const given = { symbol: 'SPY', name: 'S&P 500 ETF (ours)', assetClass: 'stock' as const, currency: 'USD', exchange: 'ARCA', tickSize: 0.01, lotSize: 1, session: 'us-equity' as const };
    const md = new IbMarketData(client, { instruments: [given], symbols: ['MSFT'] });
    expect(md.instruments()).toEqual([given]);
    await client.resolve('SPY');
    await client.resolve('MSFT');
    expect(md.instruments().map((i) => [i.symbol, i.name])).toEqual([['MSFT', 'MICROSOFT CORP'], ['SPY', 'SPDR S&P 500 ETF TRUST']]);
    expect(md.isOpen('MSFT', Date.UTC(2030, 0, 1))).toBe(false); // outside IB's liquid hours
  });

  it('fails with the reason the failover manager acts on', async () => {
    const { handle, client } = await setup({ requestTimeoutMs: 500 });
    const unknown = await failure(client.history({ symbol: 'NOPE', timeframe: '1d', from: 0, to: 86400 * 10 }));
    expect(unknown.reason).toBe('not-found');
    expect(unknown.message).toMatch(/No security definition|no contract/i);
    expect((await failure(client.quote('AA$PL'))).message).toMatch(/symbol: "AA\$PL" is not a stock/);
    expect((await failure(client.history({ symbol: 'AAPL', timeframe: '1d', from: 100, to: 50 }))).reason).toBe('bad-data');
    expect(await client.search('  ')).toEqual([]);
    await client.healthCheck();
    handle.api.disconnect();
    await handle.disconnected();
    expect((await failure(client.healthCheck())).reason).toBe('unavailable');
    expect((await failure(client.history({ symbol: 'AAPL', timeframe: '1d', from: 0, to: 86400 }))).reason).toBe('unavailable');
    expect((await failure(client.quote('AAPL'))).reason).toBe('unavailable');
    expect((await failure(client.search('APP'))).reason).toBe('unavailable');
  });

  it('searches symbols through reqMatchingSymbols, in names our symbols resolve', async () => {
    const { client } = await setup();
    const apple = await client.search('appl');
    expect(apple[0]).toEqual({ symbol: 'AAPL', name: 'APPLE INC', exchange: 'NASDAQ', type: 'EQUITY', source: 'ib' });
    const eur = await client.search('EUR');
    expect(eur).toContainEqual(expect.objectContaining({ symbol: 'EURUSD', type: 'CURRENCY' }));
    // What search names, resolve finds.
    expect(await client.resolve(eur.find((m) => m.symbol === 'EURUSD')!.symbol)).toMatchObject({ secType: 'CASH', currency: 'USD' });
    expect(await client.search('NOSUCHTHING')).toEqual([]);
  });

  it('cancels a history request at TWS when the caller aborts it', async () => {
    const { sim, handle, client } = await setup();
    sim.dataFarm('ushmds', false); // TWS holds history requests while the HMDS farm is down
    const sentIds: number[] = [];
    handle.api.on(EventName.sent, (tokens: unknown[]) => {
      let t: unknown = tokens;
      while (Array.isArray(t)) t = t[0];
      sentIds.push(Number(t));
    });
    const ac = new AbortController();
    const now = Math.floor(Date.now() / 1000);
    const p = failure(client.history({ symbol: 'AAPL', timeframe: '1h', from: now - 86400 * 5, to: now }, ac.signal));
    await new Promise((r) => setTimeout(r, 100));
    expect(client.status().pacing.inFlight).toBe(1);
    ac.abort();
    expect((await p).reason).toBe('timeout');
    expect(sentIds.filter((id) => id === 20 || id === 25)).toEqual([20, 25]); // reqHistoricalData, cancelHistoricalData
    expect(client.status().pacing).toMatchObject({ inFlight: 0, queued: 0, cancelled: 1 });
    expect(client.status().requestsInFlight).toBe(0);
  });

  it('fails requests in flight when the connection drops', async () => {
    const { sim, client } = await setup();
    sim.silent(true);
    const p = failure(client.resolve('AAPL'));
    await new Promise((r) => setTimeout(r, 50));
    sim.dropConnections();
    const e = await p;
    expect(e.reason).toBe('unavailable');
    expect(e.message).toMatch(/connection to TWS lost/);
  });
});
