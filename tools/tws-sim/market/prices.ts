// Price series per underlying: a seeded random walk that tests can also set or step by hand.
import { Rng, hashSeed } from '../../../src-main/adapters/demo/random';
import type { Instrument } from './instruments';

export interface Quote {
  bid: number;
  ask: number;
  last: number;
  bidSize: number;
  askSize: number;
  lastSize: number;
  volume: number;
  high: number;
  low: number;
  close: number;
}

interface Series {
  key: string;
  minTick: number;
  quote: Quote;
  rand: () => number;
}

/** The demo market's seeded generator (mulberry32), as a function: reproducible walks from a seed. */
export function mulberry32(seed: number): () => number {
  const r = new Rng(seed >>> 0);
  return () => r.uniform();
}

/** FNV-1a of a string (the demo market's hash with seed 0). */
export const hashString = (s: string): number => hashSeed(0, s);

export function roundToTick(p: number, tick: number): number {
  const decimals = Math.max(0, Math.ceil(-Math.log10(tick)) + 1);
  return Number((Math.round(p / tick) * tick).toFixed(decimals));
}

/** One standard normal draw (Box-Muller). */
function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export type PriceListener = (key: string) => void;

export class PriceModel {
  private readonly series = new Map<string, Series>();
  private readonly listeners = new Set<PriceListener>();

  /** @param volatility standard deviation of one step's relative move. */
  constructor(private readonly seed: number, private readonly volatility = 0.0005) {}

  /** Registers every price series the catalog needs (options price off their underlying, so they add none). */
  addInstruments(instruments: readonly Instrument[]): void {
    for (const i of instruments) {
      if (i.secType === 'OPT' || this.series.has(i.priceKey)) continue;
      const rand = mulberry32(this.seed ^ hashString(i.priceKey));
      const s: Series = { key: i.priceKey, minTick: i.minTick, rand, quote: emptyQuote() };
      this.place(s, i.startPrice, 100);
      s.quote.close = s.quote.last;
      s.quote.high = s.quote.last;
      s.quote.low = s.quote.last;
      this.series.set(i.priceKey, s);
    }
  }

  onChange(fn: PriceListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  has(key: string): boolean {
    return this.series.has(key);
  }

  quote(key: string): Quote {
    const s = this.series.get(key);
    if (!s) throw new Error(`no price series "${key}"`);
    return { ...s.quote };
  }

  /** Moves the series to `price` (the last trade), with a one-tick spread around it. */
  setPrice(key: string, price: number, size = 100): void {
    const s = this.must(key);
    this.place(s, price, size);
    this.emit(key);
  }

  /** Sets bid/ask/last exactly (for tests that need a given spread). */
  setQuote(key: string, q: Partial<Pick<Quote, 'bid' | 'ask' | 'last' | 'bidSize' | 'askSize' | 'lastSize'>>): void {
    const s = this.must(key);
    Object.assign(s.quote, Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)));
    s.quote.high = Math.max(s.quote.high, s.quote.last);
    s.quote.low = Math.min(s.quote.low, s.quote.last);
    this.emit(key);
  }

  /** One random-walk step for every series (or the given ones). */
  step(keys?: readonly string[]): void {
    const list = keys ? keys.map((k) => this.must(k)) : [...this.series.values()];
    for (const s of list) {
      const mid = (s.quote.bid + s.quote.ask) / 2;
      const next = mid * Math.exp(this.volatility * gaussian(s.rand));
      const size = 1 + Math.floor(s.rand() * 5) * 100;
      this.place(s, next, size);
    }
    for (const s of list) this.emit(s.key);
  }

  keys(): string[] {
    return [...this.series.keys()];
  }

  private place(s: Series, price: number, size: number): void {
    const tick = s.minTick;
    const last = roundToTick(Math.max(price, tick), tick);
    // Spread: about 2 bp, at least one tick either side, so a price set by a test is strictly inside the quote.
    const half = Math.max(tick, roundToTick(last * 0.0001, tick));
    s.quote.last = last;
    s.quote.bid = roundToTick(last - half, tick);
    s.quote.ask = roundToTick(last + half, tick);
    s.quote.lastSize = size;
    s.quote.bidSize = 100 + Math.floor(s.rand() * 10) * 100;
    s.quote.askSize = 100 + Math.floor(s.rand() * 10) * 100;
    s.quote.volume += size;
    s.quote.high = Math.max(s.quote.high || last, last);
    s.quote.low = Math.min(s.quote.low || last, last);
  }

  private must(key: string): Series {
    const s = this.series.get(key);
    if (!s) throw new Error(`no price series "${key}"`);
    return s;
  }

  private emit(key: string): void {
    for (const fn of this.listeners) fn(key);
  }
}

function emptyQuote(): Quote {
  return { bid: 0, ask: 0, last: 0, bidSize: 0, askSize: 0, lastSize: 0, volume: 0, high: 0, low: 0, close: 0 };
}

/** Black-Scholes value of a European option; the simulator quotes options off their underlying with it. */
export function blackScholes(spot: number, strike: number, years: number, right: 'C' | 'P', vol = 0.3, rate = 0.04): number {
  const t = Math.max(years, 1 / 365 / 24);
  const d1 = (Math.log(spot / strike) + (rate + (vol * vol) / 2) * t) / (vol * Math.sqrt(t));
  const d2 = d1 - vol * Math.sqrt(t);
  const df = Math.exp(-rate * t);
  return right === 'C' ? spot * cnd(d1) - strike * df * cnd(d2) : strike * df * cnd(-d2) - spot * cnd(-d1);
}

/** Standard normal CDF (Abramowitz-Stegun 26.2.17, error < 7.5e-8). */
function cnd(x: number): number {
  const k = 1 / (1 + 0.2316419 * Math.abs(x));
  const poly = k * (0.31938153 + k * (-0.356563782 + k * (1.781477937 + k * (-1.821255978 + k * 1.330274429))));
  const p = 1 - (Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)) * poly;
  return x >= 0 ? p : 1 - p;
}

/** The quote of any instrument: its own series, or for options a Black-Scholes quote off the underlying. */
export function instrumentQuote(prices: PriceModel, inst: Instrument, now: number): Quote {
  const u = prices.quote(inst.priceKey);
  if (inst.secType !== 'OPT') return u;
  const exp = Date.UTC(+inst.expiry.slice(0, 4), +inst.expiry.slice(4, 6) - 1, +inst.expiry.slice(6, 8), 20);
  const years = (exp - now) / (365 * 86_400_000);
  const value = (s: number): number => Math.max(0.01, roundToTick(blackScholes(s, inst.strike, years, inst.right as 'C' | 'P'), 0.01));
  const mid = value((u.bid + u.ask) / 2);
  const spread = Math.max(0.01, roundToTick(mid * 0.01, 0.01));
  return {
    bid: Math.max(0.01, roundToTick(mid - spread / 2, 0.01)),
    ask: roundToTick(mid + spread / 2 + 0.01, 0.01),
    last: mid,
    bidSize: 10, askSize: 10, lastSize: 1, volume: Math.floor(u.volume / 1000),
    // A put is worth most when the underlying is lowest: the option's range comes from both ends of the underlying's.
    high: Math.max(value(u.high), value(u.low)), low: Math.min(value(u.high), value(u.low)), close: value(u.close),
  };
}
