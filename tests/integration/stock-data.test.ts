// The stock-analysis data layer of issue 16 in the real app on a SQLite file: universes through the API (demo, the
// shipped S&P 500, an import, a custom list, every watchlist), and the data createStockData serves the factor engine
// (daily closes split-adjusted from the store, the demo market's for its symbols; the demo universe's statements).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { createDemoMarket } from '../../src-main/adapters/demo/market';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';
import { createStockData } from '../../src-main/composition/stock-data';
import { createLogger } from '../../src-main/logging';
import { ManualClock } from '../../src-main/ports/clock';
import { repoRoot } from '../support/web-host';

const clock = new ManualClock(Date.parse('2026-12-02T22:00:00Z')); // a Wednesday after the close
let dataDir: string;
let app: App;

async function call(method: string, params: unknown): Promise<unknown> {
  const r = await app.dispatch(method as never, params as never);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.result;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'qc-stock-data-'));
  writeFileSync(join(dataDir, 'config.yaml'), 'data_providers:\n  yahoo: { enabled: false }\n');
  app = await createApp({ dataDir, transport: 'web', clock, logger: createLogger({ level: 'silent' }) });
}, 120_000);
afterAll(async () => {
  await app?.dispose();
});

describe('universes through the API', () => {
  it('lists the demo universe and the shipped S&P 500; imports the Russell 2000 and a custom list; every watchlist is one', async () => {
    const list = async () => (await call('universes.list', {})) as { id: string; kind: string; size: number; asOf: string | null }[];
    const first = await list();
    expect(first.find((u) => u.id === 'demo')).toMatchObject({ kind: 'demo', size: 500, asOf: null });
    expect(first.find((u) => u.id === 'sp500')).toMatchObject({ kind: 'sp500', asOf: '2024-12-23' });
    expect(first.find((u) => u.id === 'sp500')!.size).toBeGreaterThan(495);

    const holdings = readFileSync(join(repoRoot, 'tests/fixtures/universes/ishares-iwm-holdings.csv'), 'utf8');
    expect(await call('universes.import', { kind: 'russell2000', text: holdings, source: 'IWM_holdings.csv' }))
      .toEqual({ id: 'russell2000', kind: 'russell2000', name: 'Russell 2000 (ETF holdings)', asOf: '2026-11-28', size: 4 });
    expect(await call('universes.import', { kind: 'custom', name: 'My picks', text: 'AAPL\nKO, XOM', source: 'typed' })).toMatchObject({ id: 'custom-my-picks', size: 3 });
    const r = await app.dispatch('universes.import', { kind: 'russell2000', text: 'not a holdings file', source: 'x.csv' });
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await app.dispatch('universes.get', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const demo = (await call('universes.get', { id: 'demo' })) as { members: { symbol: string; sector: string }[] };
    const pick = demo.members[0]!;
    // The chart's bars of a demo-universe symbol come through the failover manager from the demo market.
    const bars = (await call('bars.history', { symbol: pick.symbol, timeframe: '1d', limit: 50 })) as { close: number }[];
    expect(bars).toHaveLength(50);
    const w = (await call('watchlists.create', { name: 'Screened', symbols: [pick.symbol, 'AAPL'] })) as { id: string };
    const after = await list();
    expect(after.map((u) => u.id)).toEqual(expect.arrayContaining(['demo', 'sp500', 'russell2000', 'custom-my-picks', `watchlist:${w.id}`]));
    const asUniverse = (await call('universes.get', { id: `watchlist:${w.id}` })) as { kind: string; members: { symbol: string; sector: string | null }[] };
    expect(asUniverse.kind).toBe('watchlist');
    expect(asUniverse.members).toEqual([expect.objectContaining({ symbol: pick.symbol, sector: pick.sector }), expect.objectContaining({ symbol: 'AAPL' })]);
  });
});

describe('createStockData', () => {
  it('daily closes: stored bars split-adjusted, the demo market for its symbols (closed sessions only); demo statements point in time', async () => {
    const store = openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), 'qc-stock-prices-')), 'quant.db') });
    const demo = createDemoMarket({ clock, seed: 42 });
    try {
      const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
      await store.bars.upsertMany('IBM', '1d', [
        { time: day('2026-06-01'), open: 200, high: 202, low: 199, close: 200, volume: 1000 },
        { time: day('2026-06-02'), open: 200, high: 204, low: 199, close: 204, volume: 1000 },
        { time: day('2026-06-03'), open: 103, high: 104, low: 101, close: 102, volume: 2000 },
      ]);
      await store.corporateActions.upsertMany([{ symbol: 'IBM', kind: 'split', time: day('2026-06-03'), ratio: 2 }], 'test');
      const data = createStockData({ store, demo, clock, watchlists: { list: () => store.watchlists.list() } });
      const symbol = demo.universe().companies[10]!.symbol;
      const closes = await data.prices.dailyCloses(['IBM', symbol, 'AAPL', 'NOPE'], '2026-06-01', '2026-12-02');
      expect(closes.get('IBM')).toEqual([
        { date: '2026-06-01', close: 100, volume: 2000 }, { date: '2026-06-02', close: 102, volume: 2000 }, { date: '2026-06-03', close: 102, volume: 2000 },
      ]);
      expect(closes.has('NOPE')).toBe(false);
      const demoCloses = closes.get(symbol)!;
      expect(demoCloses[0]!.date).toBe('2026-06-01');
      expect(demoCloses.at(-1)!.date).toBe('2026-12-02'); // the session of 2 December has closed at 22:00 UTC
      const bars = await demo.history(symbol, '1d', 200);
      expect(demoCloses.at(-1)!.close).toBe(bars.at(-1)!.close);
      expect(closes.get('AAPL')!.length).toBeGreaterThan(100);

      const known = await data.fundamentals.statementsAsOf([symbol, 'IBM'], '2026-12-02');
      expect(known.has('IBM')).toBe(false);
      expect(known.get(symbol)).toHaveLength(8);
      expect(known.get(symbol)!.every((s) => s.reportDate <= '2026-12-02' && s.source === 'demo')).toBe(true);
    } finally {
      demo.dispose();
      await store.dispose();
    }
  });
});
