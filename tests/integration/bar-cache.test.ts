// The bar cache on a real SQLite file against the demo market as a DataProvider: it asks only for what is missing (by
// the trading calendar), validates what comes back, reports restatements; completeness served through the contract;
// raw vs adjusted reads.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bar } from '../../src-shared/domain/types';
import { createDemoMarket, type DemoMarket } from '../../src-main/adapters/demo/market';
import { openPostgresStore } from '../../src-main/adapters/postgres/store';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';
import type { Store } from '../../src-main/ports/store';
import { startPgCluster, type PgCluster } from '../support/pg-cluster';
import { createApp } from '../../src-main/app';
import { createLogger } from '../../src-main/logging';
import { ManualClock } from '../../src-main/ports/clock';
import { BarCache, UnknownInstrumentError } from '../../src-main/services/market-data/bar-cache';
import { completeness } from '../../src-main/services/market-data/completeness';
import { demoDataProvider, type RecordingProvider } from '../support/demo-data-provider';

const DAY = 86_400;
const utc = (s: string) => Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s) / 1000;
/** Weekdays in [from, to], counted independently of the calendar code. */
function weekdays(from: string, to: string): number {
  let n = 0;
  for (let t = utc(from); t <= utc(to); t += DAY) if (![0, 6].includes(new Date(t * 1000).getUTCDay())) n++;
  return n;
}
/** NYSE holidays of the months used below (published list): the calendar expects no bar on them. */
const HOLIDAYS = ['2025-12-25', '2026-01-01', '2026-01-19', '2026-02-16', '2026-04-03'];
const holidays = (from: string, to: string) => HOLIDAYS.filter((d) => d >= from && d <= to).length;
const asked = (p: RecordingProvider) => p.requests.map((r) => [new Date(r.from * 1000).toISOString(), new Date((r.to + 1) * 1000).toISOString()]);

let cluster: PgCluster | undefined;
afterAll(async () => {
  await cluster?.stop();
});

const stores: [string, () => Promise<Store>][] = [
  ['SQLite', async () => openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), 'qc-cache-')), 'quant.db') })],
  ['PostgreSQL', async () => openPostgresStore({ url: (cluster ??= await startPgCluster()).url })],
];

describe.each(stores)('bar cache on %s', (_name, open) => {
  const clock = new ManualClock(Date.parse('2026-05-06T12:00:00Z'));
  let market: DemoMarket;
  let store: Store;
  let cache: BarCache;
  beforeAll(async () => {
    market = createDemoMarket({ clock, seed: 7 });
    store = await open();
    cache = new BarCache({ store, clock, sessionOf: (s) => market.instrument(s)?.session });
  });
  afterAll(async () => {
    await store?.dispose();
    market?.dispose();
  });

  it('fetches a range once, then only the parts that are missing', async () => {
    const p = demoDataProvider(market);
    const first = await cache.fill(p, { symbol: 'AAPL', timeframe: '1d', from: utc('2026-01-01'), to: utc('2026-03-31') });
    // From Friday 2 January (New Year's Day is no trading day); the demo market, which keeps no holidays, also serves
    // 19 January and 16 February inside the range: stored, they show as `extra` in the completeness view.
    expect(asked(p)).toEqual([['2026-01-02T00:00:00.000Z', '2026-04-01T00:00:00.000Z']]);
    expect(first).toMatchObject({ received: weekdays('2026-01-01', '2026-03-31') - 1, accepted: weekdays('2026-01-01', '2026-03-31') - 1, stillMissing: [], restatement: null });
    expect(await store.bars.range('AAPL', '1d', utc('2026-01-01'), utc('2026-03-31'))).toHaveLength(weekdays('2026-01-01', '2026-03-31') - 1);

    const again = await cache.fill(p, { symbol: 'AAPL', timeframe: '1d', from: utc('2026-01-01'), to: utc('2026-03-31') });
    expect(again.requested).toEqual([]);
    expect(p.requests).toHaveLength(1);

    // Wider: December and April only (1 December 2025 is a Monday, 30 April 2026 a Thursday).
    const wider = await cache.fill(p, { symbol: 'AAPL', timeframe: '1d', from: utc('2025-12-01'), to: utc('2026-04-30') });
    expect(asked(p).slice(1)).toEqual([
      ['2025-12-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'],
      ['2026-04-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z'],
    ]);
    // Christmas Day and Good Friday inside the runs are not counted as missing bars (nor do they split a run).
    expect(wider.requested.map((r) => r.bars)).toEqual([weekdays('2025-12-01', '2025-12-31') - 1, weekdays('2026-04-01', '2026-04-30') - 1]);
  });

  it('holes are asked for alone; a weekend inside a hole does not split it, a weekend is never a hole', async () => {
    const p = demoDataProvider(market);
    const all = await market.history('MSFT', '1d', 100_000);
    const hole = (b: Bar) => (b.time >= utc('2026-02-09') && b.time <= utc('2026-02-13')) || (b.time >= utc('2026-03-06') && b.time <= utc('2026-03-09'));
    await store.bars.upsertMany('MSFT', '1d', all.filter((b) => b.time >= utc('2026-01-05') && b.time <= utc('2026-03-27') && !hole(b)));
    const r = await cache.fill(p, { symbol: 'MSFT', timeframe: '1d', from: utc('2026-01-05'), to: utc('2026-03-29') }); // ends on a Sunday
    expect(asked(p)).toEqual([
      ['2026-02-09T00:00:00.000Z', '2026-02-14T00:00:00.000Z'],
      ['2026-03-06T00:00:00.000Z', '2026-03-10T00:00:00.000Z'],
    ]);
    expect(r.requested.map((x) => x.bars)).toEqual([5, 2]);
    expect(r.accepted).toBe(7);
  });

  it('two callers filling the same series at once download it once', async () => {
    const p = demoDataProvider(market);
    const req = { symbol: 'AMZN', timeframe: '1d' as const, from: utc('2026-02-02'), to: utc('2026-02-27') };
    const [a, b] = await Promise.all([cache.fill(p, req), cache.fill(p, req)]);
    expect(p.requests).toHaveLength(1);
    expect([a.accepted, b.accepted]).toEqual([20, 0]);
  });

  it('a long missing range is asked for in pieces of at most maxBarsPerRequest bars', async () => {
    const p = demoDataProvider(market);
    const small = new BarCache({ store, clock, sessionOf: (s) => market.instrument(s)?.session, maxBarsPerRequest: 20 });
    const r = await small.fill(p, { symbol: 'NVDA', timeframe: '1d', from: utc('2026-01-01'), to: utc('2026-03-31') });
    expect(r.requested.map((x) => x.bars)).toEqual([20, 20, 20, weekdays('2026-01-01', '2026-03-31') - holidays('2026-01-01', '2026-03-31') - 60]);
    expect(p.requests).toHaveLength(4);
    expect(asked(p)[0]).toEqual(['2026-01-02T00:00:00.000Z', '2026-01-31T00:00:00.000Z']); // 20 trading days: 2 to 30 January (MLK day off)
    expect(asked(p)[1]![0]).toBe('2026-02-02T00:00:00.000Z'); // the next trading day after the weekend
    expect(r.stillMissing).toEqual([]);
  });

  it('intraday: FX hours are asked for from the Sunday open, none on Saturday', async () => {
    const p = demoDataProvider(market);
    const r = await cache.fill(p, { symbol: 'EURUSD', timeframe: '1h', from: utc('2026-04-25T00:00:00Z'), to: utc('2026-04-27T23:00:00Z') });
    expect(asked(p)).toEqual([['2026-04-26T22:00:00.000Z', '2026-04-28T00:00:00.000Z']]);
    expect(r.accepted).toBe(26);
    expect(r.stillMissing).toEqual([]);
  });

  it('a forming bar is never cached, and an unknown symbol is a clear error', async () => {
    const p = demoDataProvider(market);
    const r = await cache.fill(p, { symbol: 'BTCUSD', timeframe: '1d', from: utc('2026-05-04'), to: utc('2026-05-06') });
    expect(r.requested).toEqual([{ from: utc('2026-05-04'), to: utc('2026-05-05'), bars: 2 }]);
    await expect(cache.fill(p, { symbol: 'NOPE', timeframe: '1d', from: 0, to: 1 })).rejects.toThrow(UnknownInstrumentError);
  });

  it('a spike from the provider is quarantined with its reason and shows in the completeness view; a re-download that differs is a restatement', async () => {
    const p = demoDataProvider(market);
    const spikeDay = utc('2026-05-04');
    p.alter((_req, bars) => bars.map((b) => (b.time === spikeDay ? { ...b, open: b.open * 1.6, high: b.high * 1.6, low: b.low * 1.6, close: b.close * 1.6 } : b)));
    const r = await cache.fill(p, { symbol: 'AAPL', timeframe: '1d', from: utc('2026-05-01'), to: utc('2026-05-05') });
    expect(r.rejected).toHaveLength(1);
    expect(r.rejected[0]!.reason).toMatch(/^outlier: a one-bar spike of \d+\.\d % from 2026-05-01T00:00:00Z, taken back by 2026-05-05T00:00:00Z \(robust z \d+ > 12 over the last 100 moves\)$/);
    expect(r.stillMissing).toEqual([{ from: spikeDay, to: spikeDay, bars: 1 }]);
    const held = await store.quarantine.list({ symbol: 'AAPL', timeframe: '1d', from: spikeDay, to: spikeDay });
    expect(held).toMatchObject([{ action: 'quarantined', source: 'demo', time: spikeDay }]);
    expect(await completeness(store, { symbol: 'AAPL', timeframe: '1d', session: 'us-equity', from: spikeDay, to: spikeDay + DAY - 1 }))
      .toEqual([{ date: '2026-05-04', expected: 1, stored: 0, missing: 1, extra: 0, quarantined: 1, flagged: 0 }]);

    // The provider now restates one February close by +2 %: a refetch reports it with the old and new values.
    const feb = utc('2026-02-03');
    const stored = (await store.bars.range('AAPL', '1d', feb, feb))[0]!;
    p.alter((_req, bars) => bars.map((b) => (b.time === feb ? { ...b, close: b.close * 1.02, high: Math.max(b.high, b.close * 1.02) } : b)));
    const re = await cache.fill(p, { symbol: 'AAPL', timeframe: '1d', from: utc('2026-02-01'), to: utc('2026-02-28') }, { refetch: true });
    expect(re.restatement).toMatchObject({ source: 'demo', count: 1, from: feb, to: feb, changes: [{ time: feb, old: stored, new: { close: stored.close * 1.02 } }] });
    expect(re.restatement!.changes[0]!.fields).toContain('close');
    expect((await store.bars.restatements({ symbol: 'AAPL' }))[0]).toMatchObject({ count: 1, from: feb });
  });

  it('adjusted reads: raw prices stored, split and dividend factors applied on request', async () => {
    // A hand-made series: raw closes 100, 102, 104 | 2:1 split ex Thu 9 Jul | 52, 53 | dividend 1.06 ex Mon 13 Jul | 52.
    const days = ['2026-07-06', '2026-07-07', '2026-07-08', '2026-07-09', '2026-07-10', '2026-07-13'];
    const closes = [100, 102, 104, 52, 53, 52];
    await store.bars.upsertMany('SPLT', '1d', days.map((d, i) => ({ time: utc(d), open: closes[i]!, high: closes[i]!, low: closes[i]!, close: closes[i]!, volume: i < 3 ? 1000 : 2000 })));
    await store.corporateActions.upsertMany([
      { kind: 'split', symbol: 'SPLT', time: utc('2026-07-09'), ratio: 2 },
      { kind: 'dividend', symbol: 'SPLT', time: utc('2026-07-13'), amount: 1.06 },
    ], 'test');
    const req = { symbol: 'SPLT', timeframe: '1d' as const, from: utc('2026-07-06'), to: utc('2026-07-13') };
    expect((await cache.read(req)).bars.map((b) => b.close)).toEqual(closes);
    const adj = await cache.read(req, { adjusted: true });
    expect(adj.skipped).toEqual([]);
    expect(adj.bars.map((b) => Number(b.close.toFixed(6)))).toEqual([49, 49.98, 50.96, 50.96, 51.94, 52]);
    expect(adj.bars.map((b) => b.volume)).toEqual([2000, 2000, 2000, 2000, 2000, 2000]);
    // A range that ends before the dividend still takes it into account (its close before the ex-date is read from the store).
    const early = await cache.read({ ...req, to: utc('2026-07-07') }, { adjusted: true });
    expect(early.bars.map((b) => Number(b.close.toFixed(6)))).toEqual([49, 49.98]);
  });
});

describe('data.completeness through the contract', () => {
  it('per day: expected by the calendar, stored, missing, extra, quarantined, flagged (a hand-made week)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-complete-'));
    const clock = new ManualClock(Date.parse('2026-07-15T12:00:00Z'));
    const app = await createApp({ dataDir: dir, transport: 'web', clock, logger: createLogger({ level: 'silent' }) });
    const store = openSqliteStore({ file: join(dir, 'quant.db') });
    try {
      // Week of Monday 6 July 2026 for AAPL (US equity): Mon, Tue, Thu stored; Sat stored too (outside the calendar);
      // Wed held in quarantine; Thu also flagged; Fri missing.
      const b = (d: string, close: number) => ({ time: utc(d), open: close, high: close, low: close, close, volume: 1 });
      await store.bars.upsertMany('AAPL', '1d', [b('2026-07-06', 10), b('2026-07-07', 11), b('2026-07-09', 12), b('2026-07-11', 13)]);
      await store.quarantine.add([
        { symbol: 'AAPL', timeframe: '1d', source: 'demo', row: 0, reason: 'outlier', createdAt: 1, time: utc('2026-07-08'), bar: b('2026-07-08', 99) },
        { symbol: 'AAPL', timeframe: '1d', source: 'demo', row: 0, reason: 'outlier (again)', createdAt: 2, time: utc('2026-07-08'), bar: b('2026-07-08', 99) },
        { symbol: 'AAPL', timeframe: '1d', source: 'demo', row: 0, reason: 'stale', createdAt: 1, time: utc('2026-07-09'), action: 'flagged', bar: b('2026-07-09', 12) },
      ]);
      const r = await app.dispatch('data.completeness', { symbol: 'AAPL', timeframe: '1d', from: utc('2026-07-06'), to: utc('2026-07-12') });
      expect(r).toEqual({
        ok: true,
        result: [
          { date: '2026-07-06', expected: 1, stored: 1, missing: 0, extra: 0, quarantined: 0, flagged: 0 },
          { date: '2026-07-07', expected: 1, stored: 1, missing: 0, extra: 0, quarantined: 0, flagged: 0 },
          { date: '2026-07-08', expected: 1, stored: 0, missing: 1, extra: 0, quarantined: 1, flagged: 0 },
          { date: '2026-07-09', expected: 1, stored: 1, missing: 0, extra: 0, quarantined: 0, flagged: 1 },
          { date: '2026-07-10', expected: 1, stored: 0, missing: 1, extra: 0, quarantined: 0, flagged: 0 },
          { date: '2026-07-11', expected: 0, stored: 0, missing: 0, extra: 1, quarantined: 0, flagged: 0 },
        ],
      });
      // Hourly: Monday 6 July has 7 expected hours (13:00–19:00 UTC buckets under daylight saving), none stored.
      const h = await app.dispatch('data.completeness', { symbol: 'AAPL', timeframe: '1h', from: utc('2026-07-06'), to: utc('2026-07-06T23:00:00Z') });
      expect(h).toEqual({ ok: true, result: [{ date: '2026-07-06', expected: 7, stored: 0, missing: 7, extra: 0, quarantined: 0, flagged: 0 }] });
      expect(await app.dispatch('data.completeness', { symbol: 'NOPE', timeframe: '1d', from: 0, to: 1 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      // An imported series has no calendar of its own: the request names one, or is refused with the reason.
      await store.bars.upsertMany('IMPORTED', '1d', [b('2026-07-06', 10), b('2026-07-08', 11)]);
      expect(await app.dispatch('data.completeness', { symbol: 'IMPORTED', timeframe: '1d', from: utc('2026-07-06'), to: utc('2026-07-08') }))
        .toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/No trading calendar is known for IMPORTED: choose one/) } });
      const imported = await app.dispatch('data.completeness', { symbol: 'IMPORTED', timeframe: '1d', from: utc('2026-07-06'), to: utc('2026-07-08'), session: 'us-equity' });
      expect(imported).toMatchObject({ ok: true, result: [{ date: '2026-07-06', stored: 1, missing: 0 }, { date: '2026-07-07', stored: 0, missing: 1 }, { date: '2026-07-08', stored: 1, missing: 0 }] });
      expect(await app.dispatch('data.series', {})).toMatchObject({
        ok: true, result: expect.arrayContaining([{ symbol: 'IMPORTED', timeframe: '1d', from: utc('2026-07-06'), to: utc('2026-07-08'), bars: 2, calendar: null }]),
      });
      expect(await app.dispatch('data.completeness', { symbol: 'AAPL', timeframe: '1d', from: 10, to: 1 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', fields: { to: 'to must not be before from' } } });
    } finally {
      store.dispose();
      await app.dispose();
    }
  });
});
