// The price model: a reproducible walk per seed, quotes around a set price, options priced off their underlying.
import { describe, expect, it } from 'vitest';
import { PriceModel, blackScholes, instrumentQuote } from './prices';
import { buildCatalog } from './instruments';

const NOW = Date.UTC(2026, 2, 2, 15);
const catalog = buildCatalog(NOW);

function walk(seed: number, steps: number): number[] {
  const m = new PriceModel(seed);
  m.addInstruments(catalog);
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    m.step();
    out.push(m.quote('AAPL').last, m.quote('EUR.USD').last);
  }
  return out;
}

describe('PriceModel', () => {
  it('walks the same way for the same seed and differently for another', () => {
    expect(walk(42, 50)).toEqual(walk(42, 50));
    expect(walk(42, 50)).not.toEqual(walk(43, 50));
    const path = walk(42, 200).filter((_, i) => i % 2 === 0);
    expect(new Set(path).size).toBeGreaterThan(50);
    expect(Math.max(...path) / Math.min(...path)).toBeLessThan(1.2);
  });

  it('quotes one tick (or about 1 bp) either side of a set price, on the tick grid', () => {
    const m = new PriceModel(1);
    m.addInstruments(catalog);
    m.setPrice('AAPL', 100);
    expect(m.quote('AAPL')).toMatchObject({ bid: 99.99, ask: 100.01, last: 100 });
    m.setPrice('EUR.USD', 1.23456);
    const q = m.quote('EUR.USD');
    expect(q.last).toBe(1.23455);
    expect([q.bid, q.ask]).toEqual([1.23445, 1.23465]);
    expect(() => m.setPrice('NOPE', 1)).toThrow(/no price series/);
  });

  it('prices options off the underlying with Black-Scholes (put-call parity holds)', () => {
    const m = new PriceModel(1);
    m.addInstruments(catalog);
    m.setPrice('AAPL', 190);
    const opts = catalog.filter((i) => i.secType === 'OPT' && i.symbol === 'AAPL' && i.strike === 190);
    const call = opts.find((i) => i.right === 'C')!;
    const put = opts.find((i) => i.right === 'P' && i.expiry === call.expiry)!;
    const c = instrumentQuote(m, call, NOW);
    const p = instrumentQuote(m, put, NOW);
    expect(c.bid).toBeLessThan(c.ask);
    const years = (Date.UTC(+call.expiry.slice(0, 4), +call.expiry.slice(4, 6) - 1, +call.expiry.slice(6, 8), 20) - NOW) / (365 * 86_400_000);
    expect(c.last - p.last).toBeCloseTo(190 - 190 * Math.exp(-0.04 * years), 1);
    expect(blackScholes(100, 50, 0.5, 'C')).toBeCloseTo(100 - 50 * Math.exp(-0.02), 2);
  });
});
