import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../ports/clock';
import { createDemoMarket } from './market';
import { isSessionOpen } from '../../../src-shared/domain/sessions';

const NOW = Date.parse('2026-11-24T19:00:00Z'); // a Tuesday, US market open (EST: 14:30–21:00 UTC)

describe('demo market', () => {
  const clock = new ManualClock(NOW);
  const market = createDemoMarket({ clock, seed: 42 });

  it('has a dozen instruments across asset classes', () => {
    const classes = new Set(market.instruments().map((i) => i.assetClass));
    expect(market.instruments().length).toBeGreaterThanOrEqual(12);
    expect([...classes].sort()).toEqual(['commodity-cfd', 'crypto', 'fx', 'index-cfd', 'stock']);
  });

  it('is deterministic for a seed, different for another, and a later restart reproduces the past', async () => {
    const again = await createDemoMarket({ clock: new ManualClock(NOW), seed: 42 }).history('AAPL', '1d', 300);
    const other = await createDemoMarket({ clock: new ManualClock(NOW), seed: 7 }).history('AAPL', '1d', 300);
    const mine = await market.history('AAPL', '1d', 300);
    expect(again.slice(0, -1)).toEqual(mine.slice(0, -1));
    expect(other.map((b) => b.close)).not.toEqual(mine.map((b) => b.close));
    const later = createDemoMarket({ clock: new ManualClock(NOW + 3 * 86_400_000), seed: 42 });
    const laterDays = await later.history('AAPL', '1d', 5000);
    const mineAll = await market.history('AAPL', '1d', 5000);
    const closed = mineAll.slice(0, -1);
    expect(laterDays.slice(0, closed.length)).toEqual(closed);
    const mins = (await market.history('BTCUSD', '1m', 100)).slice(0, -1);
    const laterMins = await createDemoMarket({ clock: new ManualClock(NOW + 3_600_000), seed: 42 }).history('BTCUSD', '1m', 200);
    expect(laterMins.filter((b) => b.time <= mins[mins.length - 1]!.time).slice(-mins.length)).toEqual(mins);
  });

  it('has at least a year of daily bars and days of 1-minute bars, all consistent', async () => {
    for (const i of market.instruments()) {
      const days = await market.history(i.symbol, '1d', 100_000);
      const minutes = await market.history(i.symbol, '1m', 100_000);
      expect(days.length).toBeGreaterThanOrEqual(252);
      expect(minutes.length).toBeGreaterThanOrEqual(3 * (i.session === 'us-equity' ? 390 : 1380));
      for (const b of [...days, ...minutes]) {
        expect(b.low).toBeLessThanOrEqual(Math.min(b.open, b.close));
        expect(b.high).toBeGreaterThanOrEqual(Math.max(b.open, b.close));
        expect(b.low).toBeGreaterThan(0);
      }
      for (let k = 1; k < minutes.length; k++) expect(minutes[k]!.time).toBeGreaterThan(minutes[k - 1]!.time);
    }
  });

  it('SPY, the default benchmark, has weekday daily bars back to 2010 that run into the minute walk without a jump', async () => {
    const days = await market.history('SPY', '1d', 100_000);
    expect(new Date(days[0]!.time * 1000).toISOString().slice(0, 10)).toBe('2010-01-04');
    const epochDay = Date.UTC(2025, 0, 1) / 1000;
    const before = days.filter((b) => b.time < epochDay);
    // 15 years of weekdays: 2010-01-04 (a Monday) to 2024-12-31 (a Tuesday) is 5,476 days, 3,912 of them weekdays.
    expect(before).toHaveLength(3912);
    expect(before.every((b) => [1, 2, 3, 4, 5].includes(new Date(b.time * 1000).getUTCDay()))).toBe(true);
    for (let k = 1; k < days.length; k++) expect(days[k]!.time).toBeGreaterThan(days[k - 1]!.time);
    // The last close before the epoch is the anchor (680), where the walk starts; about +10 % a year going forward.
    expect(before.at(-1)!.close).toBe(680);
    expect(before[0]!.close).toBeGreaterThan(680 * Math.exp(-0.1 * 15) * 0.5);
    expect(before[0]!.close).toBeLessThan(680 * Math.exp(-0.1 * 15) * 2);
    // Deterministic, and the minute walk of other instruments is unchanged by it (AAPL's days start at the epoch).
    expect((await createDemoMarket({ clock: new ManualClock(NOW), seed: 42 }).history('SPY', '1d', 100_000)).slice(0, before.length)).toEqual(before);
    expect((await market.history('AAPL', '1d', 100_000))[0]!.time).toBe(epochDay);
  });

  it('realised volatility of daily returns is near the configured one', async () => {
    const closes = (await market.history('AAPL', '1d', 100_000)).map((b) => b.close);
    const r = closes.slice(1).map((c, k) => Math.log(c / closes[k]!));
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const vol = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1)) * Math.sqrt(252);
    expect(vol).toBeGreaterThan(0.26 * 0.7);
    expect(vol).toBeLessThan(0.26 * 1.5);
  });

  it('5m and 1h bars aggregate the minutes', async () => {
    const m = await market.history('EURUSD', '1m', 60);
    const five = await market.history('EURUSD', '5m', 3);
    const last5 = five[five.length - 1]!;
    const inBucket = m.filter((b) => b.time >= last5.time);
    expect(last5.open).toBe(inBucket[0]!.open);
    expect(last5.close).toBe(inBucket[inBucket.length - 1]!.close);
    expect(last5.high).toBe(Math.max(...inBucket.map((b) => b.high)));
  });

  it('emits quotes for open sessions only, with bid < ask, and the forming bar follows the ticks', async () => {
    const quotes: string[] = [];
    const sub = market.onQuote((q) => {
      expect(q.bid).toBeLessThan(q.ask);
      quotes.push(q.symbol);
    });
    clock.set(Date.parse('2026-11-28T12:00:00Z')); // Saturday
    market.tick();
    expect(new Set(quotes)).toEqual(new Set(['BTCUSD']));
    quotes.length = 0;
    clock.set(Date.parse('2026-11-30T15:00:10Z')); // Monday, all open
    market.tick();
    expect(new Set(quotes).size).toBe(13);
    clock.advance(30_000);
    market.tick();
    const bars = await market.history('AAPL', '1m', 1);
    expect(bars[0]!.time).toBe(Date.parse('2026-11-30T15:00:00Z') / 1000);
    expect(bars[0]!.close).toBe(market.lastQuote('AAPL')!.last);
    sub.dispose();
  });
});

describe('sessions', () => {
  it('US equities follow New York time across daylight saving changes', () => {
    expect(isSessionOpen('us-equity', Date.parse('2026-07-01T13:30:00Z'))).toBe(true); // EDT 09:30
    expect(isSessionOpen('us-equity', Date.parse('2026-07-01T20:00:00Z'))).toBe(false); // EDT 16:00
    expect(isSessionOpen('us-equity', Date.parse('2026-01-05T14:29:00Z'))).toBe(false); // EST 09:29
    expect(isSessionOpen('us-equity', Date.parse('2026-01-05T14:30:00Z'))).toBe(true);
    expect(isSessionOpen('us-equity', Date.parse('2026-03-06T14:00:00Z'))).toBe(false); // Fri before DST: EST
    expect(isSessionOpen('us-equity', Date.parse('2026-03-09T14:00:00Z'))).toBe(true); // Mon after DST (Mar 8): EDT
    expect(isSessionOpen('us-equity', Date.parse('2026-10-31T15:00:00Z'))).toBe(false); // Saturday
  });

  it('FX is closed from Friday 22:00 to Sunday 22:00 UTC, CFDs pause 21–22 UTC, crypto never closes', () => {
    expect(isSessionOpen('fx-24x5', Date.parse('2026-11-27T21:59:00Z'))).toBe(true);
    expect(isSessionOpen('fx-24x5', Date.parse('2026-11-27T22:00:00Z'))).toBe(false);
    expect(isSessionOpen('fx-24x5', Date.parse('2026-11-29T22:00:00Z'))).toBe(true);
    expect(isSessionOpen('cfd-23x5', Date.parse('2026-11-24T21:30:00Z'))).toBe(false);
    expect(isSessionOpen('crypto-24x7', Date.parse('2026-11-29T03:00:00Z'))).toBe(true);
  });
});
