import { describe, expect, it } from 'vitest';
import { GICS_SECTORS, StatementRecord } from '../../../src-shared/domain/fundamentals';
import { ManualClock } from '../../ports/clock';
import { createDemoMarket } from './market';
import { createDemoProvider } from './provider';
import { createDemoUniverse } from './universe';
import { dailyWalk } from './universe-prices';

const DAY_MS = 86_400_000;
const days = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / DAY_MS;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function spearman(a: number[], b: number[]): number {
  const rank = (xs: number[]) => {
    const r = new Array<number>(xs.length);
    xs.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]).forEach(([, i], k) => (r[i] = k));
    return r;
  };
  const ra = rank(a);
  const rb = rank(b);
  const m = (a.length - 1) / 2;
  let ab = 0;
  let aa = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (ra[i]! - m) * (rb[i]! - m);
    aa += (ra[i]! - m) ** 2;
  }
  return ab / aa;
}

describe('demo universe', () => {
  const universe = createDemoUniverse(42);

  it('has about 500 clearly fictitious companies in all 11 GICS sectors, the same for a seed', () => {
    expect(universe.companies.length).toBe(500);
    expect(new Set(universe.companies.map((c) => c.sector))).toEqual(new Set(GICS_SECTORS));
    expect(new Set(universe.companies.map((c) => c.symbol)).size).toBe(500);
    for (const c of universe.companies) {
      expect(c.symbol).toMatch(/^[A-Z]{3,4}\.DEMO$/);
      expect(c.name).toMatch(/ \(demo\)$/);
      expect(c.industry.length).toBeGreaterThan(0);
    }
    const again = createDemoUniverse(42);
    expect(again.companies.map((c) => [c.symbol, c.name, c.industry])).toEqual(universe.companies.map((c) => [c.symbol, c.name, c.industry]));
    expect(again.statements(universe.companies[7]!.symbol)).toEqual(universe.statements(universe.companies[7]!.symbol));
    expect(createDemoUniverse(7).companies[0]!.symbol).not.toBe(universe.companies[0]!.symbol);
  });

  it('gives every company years of valid quarterly statements, reported 25-60 days after the quarter, restatements later', () => {
    let restated = 0;
    for (const c of universe.companies) {
      const all = universe.statements(c.symbol);
      const firsts = new Map<string, StatementRecord>();
      for (const s of all) {
        StatementRecord.parse(s);
        const first = firsts.get(s.periodEnd);
        if (!first) {
          firsts.set(s.periodEnd, s);
          const lag = days(s.periodEnd, s.reportDate);
          expect(lag).toBeGreaterThanOrEqual(25);
          expect(lag).toBeLessThanOrEqual(60);
        } else {
          restated++;
          expect(s.reportDate > first.reportDate).toBe(true);
        }
      }
      // At least five years of quarters published before December 2026.
      expect([...firsts.values()].filter((s) => s.reportDate <= '2026-12-01').length).toBeGreaterThanOrEqual(20);
    }
    expect(restated).toBeGreaterThan(100);
  });

  it('has sector-typical margins and leverage; banks and insurers report no gross profit or EBITDA', () => {
    const margin = (sector: string, f: (s: StatementRecord) => number | null) =>
      median(universe.companies.filter((c) => c.sector === sector).map((c) => {
        const s = universe.statements(c.symbol).filter((x) => x.periodEnd === '2024-12-31')[0]!;
        return f(s)!;
      }));
    const gross = (s: StatementRecord) => s.grossProfit! / s.revenue!;
    expect(margin('Information Technology', gross)).toBeGreaterThan(margin('Consumer Staples', gross) + 0.1);
    expect(margin('Utilities', (s) => s.totalDebt! / s.totalEquity!)).toBeGreaterThan(margin('Information Technology', (s) => s.totalDebt! / s.totalEquity!) * 2);
    const banks = universe.companies.filter((c) => c.sector === 'Financials').flatMap((c) => universe.statements(c.symbol));
    expect(banks.every((s) => s.grossProfit === null && s.ebitda === null && s.netIncome !== null)).toBe(true);
  });

  it('prices make value and momentum meaningful: their mean rank correlation with the next half-year return is positive', () => {
    const lastDay = Math.floor(Date.parse('2026-11-30') / DAY_MS);
    const walks = new Map(universe.companies.map((c) => [c.symbol, dailyWalk(c, lastDay)]));
    const value: number[] = [];
    const momentum: number[] = [];
    for (let i = 300; i < 2000; i += 63) {
      const ey: number[] = [];
      const mom: number[] = [];
      const fwd: number[] = [];
      for (const c of universe.companies) {
        const w = walks.get(c.symbol)!;
        const asOf = new Date(w.days[i]! * DAY_MS).toISOString().slice(0, 10);
        const known = universe.statements(c.symbol).filter((s) => s.reportDate <= asOf).slice(-4);
        ey.push(known.reduce((sum, s) => sum + s.eps!, 0) / w.close[i]!);
        mom.push(w.close[i - 21]! / w.close[i - 252]! - 1);
        fwd.push(w.close[i + 126]! / w.close[i]! - 1);
      }
      value.push(spearman(ey, fwd));
      momentum.push(spearman(mom, fwd));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(value)).toBeGreaterThan(0.02);
    expect(mean(momentum)).toBeGreaterThan(0.01);
  });
});

describe('demo universe on the demo market', () => {
  const NOW = Date.parse('2026-12-02T18:00:00Z'); // a Wednesday, session open
  const market = createDemoMarket({ clock: new ManualClock(NOW), seed: 42 });
  const symbol = market.universe().companies[3]!.symbol;

  it('serves bars and quotes for a universe symbol like for the base ones, consistent across timeframes', async () => {
    expect(market.instrument(symbol)).toMatchObject({ symbol, assetClass: 'stock', session: 'us-equity', exchange: 'DEMO' });
    expect(market.instruments().some((i) => i.symbol === symbol)).toBe(false);
    const d = await market.history(symbol, '1d', 100_000);
    expect(new Date(d[0]!.time * 1000).toISOString().slice(0, 10)).toBe('2018-01-02');
    for (const b of d) {
      expect(b.low).toBeLessThanOrEqual(Math.min(b.open, b.close));
      expect(b.high).toBeGreaterThanOrEqual(Math.max(b.open, b.close));
    }
    const minutes = await market.history(symbol, '1m', 100_000);
    // Yesterday's daily bar is the aggregate of its minutes; today's forming one of those so far.
    const yesterday = d.at(-2)!;
    const its = minutes.filter((m) => m.time >= yesterday.time && m.time < yesterday.time + 86_400);
    expect(its).toHaveLength(390);
    expect([its[0]!.open, Math.max(...its.map((m) => m.high)), Math.min(...its.map((m) => m.low)), its.at(-1)!.close]).toEqual([yesterday.open, yesterday.high, yesterday.low, yesterday.close]);
    const today = minutes.filter((m) => m.time >= d.at(-1)!.time);
    expect(today.at(-1)!.time).toBe(NOW / 1000);
    expect(d.at(-1)!.close).toBe(today.at(-1)!.close);
    expect(market.lastQuote(symbol)!.last).toBe(today.at(-1)!.close);
    const hours = await market.history(symbol, '1h', 10);
    expect(hours.at(-1)!.close).toBe(today.at(-1)!.close);
    // The daily walk the screener reads has the same closes.
    const walk = market.universeWalk(symbol, Math.floor(NOW / DAY_MS))!;
    expect(Array.from(walk.close.slice(-40, -1))).toEqual(d.slice(-40, -1).map((b) => b.close));
    // A later start reproduces the past.
    const later = createDemoMarket({ clock: new ManualClock(NOW + 5 * DAY_MS), seed: 42 });
    expect((await later.history(symbol, '1d', 100_000)).slice(0, d.length - 1)).toEqual(d.slice(0, -1));
  });

  it('ticks only the universe symbols asked for, and the demo provider finds and serves them', async () => {
    const seen = new Set<string>();
    const sub = market.onQuote((q) => seen.add(q.symbol));
    market.tick();
    sub.dispose();
    expect(seen.has(symbol)).toBe(true);
    expect([...seen].filter((s) => s.endsWith('.DEMO'))).toEqual([symbol]);
    const provider = createDemoProvider(market);
    const name = market.instrument(symbol)!.name.split(' ')[0]!;
    expect((await provider.search!(name)).map((m) => m.symbol)).toContain(symbol);
    expect((await provider.quote(symbol)).symbol).toBe(symbol);
    const bars = await provider.history({ symbol, timeframe: '1d', from: Date.parse('2026-01-01') / 1000, to: NOW / 1000 });
    expect(bars.length).toBeGreaterThan(200);
  });
});
