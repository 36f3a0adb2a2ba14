// The demo market: a deterministic, seeded simulator behind the MarketData port.
// Each instrument follows a 1-minute random walk (GBM with slow mean reversion and overnight gaps) through its open
// session minutes from a fixed epoch, so the past is a pure function of (seed, symbol, minute): a restart later
// reproduces the same history and then continues it with live ticks.
import type { Bar, Instrument, Quote, Timeframe } from '../../../src-shared/domain/types';
import { Emitter } from '../../../src-shared/common/emitter';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import type { MarketData } from '../../ports/market-data';
import { DEMO_INSTRUMENTS, roundToTick, toInstrument, type DemoInstrumentSpec } from './instruments';
import { Rng, hashSeed } from './random';
import { aggregateBar } from '../../../src-shared/domain/candles';
import { isSessionOpen, sessionIntervals } from '../../../src-shared/domain/sessions';
import { createDemoUniverse, type DemoCompany, type DemoUniverse } from './universe';
import { createUniversePrices, type DailyWalk } from './universe-prices';

/** The walk starts here; everything before "now" is regenerated from it at start-up. */
export const DEMO_EPOCH_MS = Date.UTC(2025, 0, 1);
const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
/** 1-minute bars kept in memory (5m bars are built from them): seven calendar days. */
const MINUTES_KEPT = 7 * DAY_MINUTES;

const OPEN_MINUTES_PER_YEAR: Record<Instrument['session'], number> = {
  'us-equity': 390 * 252,
  'fx-24x5': 1440 * 260,
  'cfd-23x5': 1380 * 260,
  'crypto-24x7': 1440 * 365,
};

type Mutable = Bar;

class Series {
  readonly rng: Rng;
  readonly tickRngSeed: number;
  readonly sigma: number;
  readonly theta: number;
  readonly logAnchor: number;
  readonly gapSigma: number;
  readonly volPerMinute: number;
  logPrice: number;
  lastClose: number;
  /** Next minute index (UTC minutes since 1970) to generate. */
  cursor: number;
  lastDay = -1;
  readonly minutes: Mutable[] = [];
  readonly hours: Mutable[] = [];
  readonly days: Mutable[] = [];
  /** Daily bars before DEMO_EPOCH_MS (spec.dailyHistoryFrom), oldest first; empty for most instruments. */
  readonly before: Bar[];
  /** The current minute's final bar (precomputed) and what ticks have shown of it so far. */
  forming: { final: Bar; shown: Mutable } | undefined;
  quote: Quote | undefined;

  constructor(readonly spec: DemoInstrumentSpec, seed: number) {
    this.rng = new Rng(hashSeed(seed, spec.symbol));
    this.tickRngSeed = hashSeed(seed ^ 0x5bd1e995, spec.symbol);
    const perYear = OPEN_MINUTES_PER_YEAR[spec.session];
    this.sigma = spec.annualVol / Math.sqrt(perYear);
    this.theta = 1 / perYear;
    this.logAnchor = Math.log(spec.anchorPrice);
    this.gapSigma = spec.session === 'us-equity' ? (spec.annualVol / Math.sqrt(252)) * 0.35 : 0;
    this.volPerMinute = spec.dailyVolume / (perYear / (spec.session === 'crypto-24x7' ? 365 : 252));
    this.logPrice = this.logAnchor;
    this.lastClose = spec.anchorPrice;
    this.cursor = Math.floor(DEMO_EPOCH_MS / MINUTE_MS);
    this.before = spec.dailyHistoryFrom ? dailyHistoryBefore(spec, hashSeed(seed ^ 0x2545f491, spec.symbol)) : [];
  }

  /** Generates the bar of open minute `m` (consuming its random draws in order). */
  private step(m: number, firstOfSession: boolean, minuteOfSession: number, sessionLength: number): Bar {
    const { rng, spec } = this;
    if (firstOfSession && this.gapSigma > 0) this.logPrice += this.gapSigma * rng.gaussian();
    const open = roundToTick(firstOfSession ? Math.exp(this.logPrice) : this.lastClose, spec.tickSize);
    this.logPrice += this.sigma * rng.gaussian() + this.theta * (this.logAnchor - this.logPrice);
    const close = roundToTick(Math.exp(this.logPrice), spec.tickSize);
    const hi = Math.max(open, close);
    const lo = Math.min(open, close);
    const high = Math.max(hi, roundToTick(hi * (1 + Math.abs(rng.gaussian()) * this.sigma * 0.6), spec.tickSize));
    const low = Math.min(lo, roundToTick(lo * (1 - Math.abs(rng.gaussian()) * this.sigma * 0.6), spec.tickSize));
    // U-shaped intraday volume for session markets; flat for 24-hour ones.
    const x = sessionLength > 0 ? minuteOfSession / sessionLength : 0.5;
    const shape = spec.session === 'us-equity' ? 0.55 + 1.8 * (2 * x - 1) ** 2 : 1;
    const volume = Math.round(this.volPerMinute * shape * (0.4 + 1.2 * rng.uniform()));
    this.lastClose = close;
    // One scratch object for the whole walk: aggregates copy it when they open a bucket.
    const b = this.scratch;
    b.time = m * 60;
    b.open = open;
    b.high = high;
    b.low = low;
    b.close = close;
    b.volume = volume;
    return b;
  }
  private readonly scratch: Mutable = { time: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };

  private record(bar: Bar, keepMinute: boolean): void {
    aggregateBar(this.days, 86_400, bar);
    aggregateBar(this.hours, 3600, bar);
    if (keepMinute) this.minutes.push({ ...bar });
  }

  /** Generates every open minute before `untilMinute` (exclusive); returns the last bar generated. */
  generateUntil(untilMinute: number, nowMinute: number): Bar | undefined {
    let lastBar: Bar | undefined;
    while (this.cursor < untilMinute) {
      const day = Math.floor(this.cursor / DAY_MINUTES);
      const dayStart = day * DAY_MINUTES;
      const intervals = sessionIntervals(this.spec.session, day);
      const sessionOpen = intervals[0]?.[0];
      for (const [a, b] of intervals) {
        const from = Math.max(dayStart + a, this.cursor);
        const to = Math.min(dayStart + b, untilMinute);
        for (let m = from; m < to; m++) {
          const first = a === sessionOpen && m === dayStart + a && this.lastDay !== day;
          if (first) this.lastDay = day;
          lastBar = this.step(m, first, m - (dayStart + a), b - a);
          this.record(lastBar, m >= nowMinute - MINUTES_KEPT);
        }
      }
      this.cursor = Math.min(dayStart + DAY_MINUTES, untilMinute);
    }
    if (this.minutes.length > MINUTES_KEPT * 1.5) this.minutes.splice(0, this.minutes.length - MINUTES_KEPT);
    return lastBar;
  }
}

const DAY_S = 86_400;

/**
 * Weekday daily bars from spec.dailyHistoryFrom to the day before the epoch, walked backwards from the anchor price
 * (where the minute walk starts) with the spec's volatility and drift: the last close meets the walk's first open.
 * Its own random stream, so the minute walk is the same with or without it. Exchange holidays are not left out.
 */
function dailyHistoryBefore(spec: DemoInstrumentSpec, seed: number): Bar[] {
  const rng = new Rng(seed);
  const sigma = spec.annualVol / Math.sqrt(252);
  const mu = (spec.annualDrift ?? 0) / 252;
  const first = Math.floor(Date.parse(`${spec.dailyHistoryFrom}T00:00:00Z`) / 1000 / DAY_S);
  const out: Bar[] = [];
  let close = spec.anchorPrice;
  for (let day = Math.floor(DEMO_EPOCH_MS / 1000 / DAY_S) - 1; day >= first; day--) {
    const dow = (day + 4) % 7; // 1970-01-01 was a Thursday
    if (dow === 0 || dow === 6) continue;
    const prev = close / Math.exp(mu + sigma * rng.gaussian());
    const open = roundToTick(prev * (1 + sigma * 0.2 * rng.gaussian()), spec.tickSize);
    const c = roundToTick(close, spec.tickSize);
    const high = roundToTick(Math.max(open, c) * (1 + Math.abs(rng.gaussian()) * sigma * 0.5), spec.tickSize);
    const low = roundToTick(Math.min(open, c) * (1 - Math.abs(rng.gaussian()) * sigma * 0.5), spec.tickSize);
    out.push({ time: day * DAY_S, open, high, low, close: c, volume: Math.round(spec.dailyVolume * (0.6 + 0.8 * rng.uniform())) });
    close = prev;
  }
  return out.reverse();
}

export interface DemoMarketOptions {
  clock: Clock;
  seed?: number;
  tickIntervalMs?: number;
}

export interface DemoMarket extends MarketData {
  spec(symbol: string): DemoInstrumentSpec | undefined;
  /** Advances the simulation to the clock's time and emits quotes (the live timer calls this; tests call it directly). */
  tick(): void;
  /** A price shock (a test fault): from now on the symbol's quotes are its simulated price × factor (bars unchanged). */
  shock(symbol: string, factor: number): void;
  /**
   * The demo universe (issue 16): ~500 fictitious companies whose bars and quotes this market serves too (built on
   * first use). They are not in `instruments()` (the feeds list stays short) but `instrument(symbol)` knows them.
   */
  universe(): DemoUniverse;
  /** A demo-universe company's closes and volumes for each weekday through `lastDay` (UTC day number). */
  universeWalk(symbol: string, lastDay: number): DailyWalk | undefined;
}

/** A demo-universe company as an instrument (a US stock on the demo exchange). */
function companyInstrument(c: DemoCompany): Instrument {
  return { symbol: c.symbol, name: c.name, assetClass: 'stock', currency: 'USD', exchange: 'DEMO', tickSize: 0.01, lotSize: 1, session: 'us-equity' };
}

export function createDemoMarket(opts: DemoMarketOptions): DemoMarket {
  const seed = opts.seed ?? 42;
  const series = new Map(DEMO_INSTRUMENTS.map((spec) => [spec.symbol, new Series(spec, seed)]));
  const quotes = new Emitter<Quote>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let tickCount = 0;
  const shocks = new Map<string, number>();
  let universe: DemoUniverse | undefined;
  const universeOf = () => (universe ??= createDemoUniverse(seed));
  const universePrices = createUniversePrices();
  /** Universe symbols asked for (history, quote): only these tick, so 500 idle symbols cost nothing. */
  const activeCompanies = new Map<string, DemoCompany>();
  const universeQuotes = new Map<string, Quote>();
  /** A demo-universe company, for a symbol that is not one of the base instruments (builds the universe on first use). */
  const companyOf = (symbol: string): DemoCompany | undefined =>
    series.has(symbol) || !symbol.endsWith('.DEMO') ? undefined : universeOf().company(symbol);
  function companyQuote(c: DemoCompany, now: number): Quote | undefined {
    activeCompanies.set(c.symbol, c);
    const last = universePrices.last(c, now);
    if (!last) return undefined;
    const price = roundToTick(last.price * (shocks.get(c.symbol) ?? 1), 0.01);
    const half = Math.max(0.01, roundToTick((price * 0.0002) / 2, 0.01));
    const q: Quote = { symbol: c.symbol, time: last.time, bid: roundToTick(price - half, 0.01), ask: roundToTick(price + half, 0.01), last: price, lastSize: last.size, source: 'demo' };
    universeQuotes.set(c.symbol, q);
    return q;
  }

  function quoteFrom(s: Series, simulated: number, time: number, size: number): Quote {
    const { tickSize, spread } = s.spec;
    const price = roundToTick(simulated * (shocks.get(s.spec.symbol) ?? 1), tickSize);
    const half = Math.max(tickSize, roundToTick((price * spread) / 2, tickSize));
    return { symbol: s.spec.symbol, time, bid: roundToTick(price - half, tickSize), ask: roundToTick(price + half, tickSize), last: price, lastSize: size, source: 'demo' };
  }

  /** Brings one series to `now`: closed minutes are generated, the current one is shown as far as ticks went. */
  function advance(s: Series, now: number, emit: boolean): void {
    const nowMinute = Math.floor(now / MINUTE_MS);
    if (s.forming && s.forming.final.time / 60 < nowMinute) {
      // The forming minute closed: its final bar replaces what the ticks showed (so a closed minute is the same bar
      // whether it was watched live or generated at a later start-up).
      const i = s.minutes.lastIndexOf(s.forming.shown);
      if (i >= 0) s.minutes[i] = { ...s.forming.final };
      s.forming = undefined;
    }
    if (s.cursor <= nowMinute) {
      s.generateUntil(nowMinute, nowMinute);
      if (isSessionOpen(s.spec.session, now) && s.cursor === nowMinute) {
        const generated = s.generateUntil(nowMinute + 1, nowMinute);
        if (generated) {
          const final = { ...generated };
          s.forming = { final, shown: { ...final, high: final.open, low: final.open, close: final.open, volume: 0 } };
          // The stored aggregates already hold the final bar; the minute list shows the forming one.
          s.minutes[s.minutes.length - 1] = s.forming.shown;
        }
      }
    }
    if (s.forming) {
      const { final, shown } = s.forming;
      const f = Math.min(1, (now - final.time * 1000) / MINUTE_MS);
      const rng = new Rng((s.tickRngSeed ^ Math.imul(Math.floor(now / 250), 2654435761)) >>> 0);
      const drift = final.open + (final.close - final.open) * f;
      const wiggle = (final.high - final.low) * 0.35 * (rng.uniform() - 0.5) * (1 - f);
      const price = roundToTick(Math.min(final.high, Math.max(final.low, drift + wiggle)), s.spec.tickSize);
      const size = roundToTick(Math.max(s.spec.lotSize, (final.volume / 120) * rng.uniform() * 2), s.spec.lotSize);
      shown.close = price;
      if (price > shown.high) shown.high = price;
      if (price < shown.low) shown.low = price;
      shown.volume = Math.min(final.volume, shown.volume + size);
      s.quote = quoteFrom(s, price, now, size);
      if (emit) quotes.emit(s.quote);
    } else if (!s.quote) {
      // Market closed at start-up: the last close is still a price.
      const last = s.minutes[s.minutes.length - 1] ?? s.days[s.days.length - 1];
      if (last) s.quote = quoteFrom(s, last.close, last.time * 1000 + MINUTE_MS, 0);
    }
  }

  function advanceAll(emit: boolean): void {
    const now = opts.clock.now();
    for (const s of series.values()) advance(s, now, emit);
    for (const c of activeCompanies.values()) {
      if (!isSessionOpen('us-equity', now)) continue;
      const q = companyQuote(c, now);
      if (q && emit) quotes.emit(q);
    }
  }

  advanceAll(false);

  function bars(s: Series, timeframe: Timeframe): Bar[] {
    switch (timeframe) {
      case '1m':
        return s.minutes;
      case '1h':
        return s.hours;
      case '1d':
        return s.before.length ? [...s.before, ...s.days] : s.days;
      case '5m': {
        const out: Mutable[] = [];
        for (const b of s.minutes) aggregateBar(out, 300, b);
        return out;
      }
    }
  }

  function companyHistory(c: DemoCompany, timeframe: Timeframe, limit: number): Bar[] {
    const now = opts.clock.now();
    companyQuote(c, now);
    if (timeframe === '1d') return universePrices.days(c, now, limit);
    const minutes = universePrices.minutes(c, now);
    if (timeframe === '1m') return minutes.slice(Math.max(0, minutes.length - limit));
    const out: Bar[] = [];
    for (const b of minutes) aggregateBar(out, timeframe === '5m' ? 300 : 3600, b);
    return out.slice(Math.max(0, out.length - limit));
  }

  const market: DemoMarket = {
    name: 'demo',
    instruments: () => DEMO_INSTRUMENTS.map(toInstrument),
    instrument: (symbol) => {
      const s = series.get(symbol);
      if (s) return toInstrument(s.spec);
      const c = companyOf(symbol);
      return c ? companyInstrument(c) : undefined;
    },
    universe: universeOf,
    universeWalk: (symbol, lastDay) => {
      const c = companyOf(symbol);
      return c ? universePrices.walk(c, lastDay) : undefined;
    },
    spec: (symbol) => series.get(symbol)?.spec,
    async history(symbol, timeframe, limit = 2000) {
      const s = series.get(symbol);
      const c = s ? undefined : companyOf(symbol);
      if (c) return companyHistory(c, timeframe, limit);
      if (!s) throw new Error(`Unknown symbol ${symbol}`);
      advance(s, opts.clock.now(), false);
      const all = bars(s, timeframe);
      // The forming hour/day bars include the whole current minute; the minute list shows ticks so far.
      return all.slice(Math.max(0, all.length - limit)).map((b) => ({ ...b }));
    },
    lastQuote: (symbol) => {
      const s = series.get(symbol);
      if (s) return s.quote;
      const c = companyOf(symbol);
      return c && (universeQuotes.get(symbol) ?? companyQuote(c, opts.clock.now()));
    },
    isOpen: (symbol, time) => {
      const s = series.get(symbol);
      if (s) return isSessionOpen(s.spec.session, time);
      return companyOf(symbol) !== undefined && isSessionOpen('us-equity', time);
    },
    onQuote(listener): Disposable {
      return quotes.on(listener);
    },
    tick() {
      tickCount++;
      advanceAll(true);
    },
    shock(symbol, factor) {
      if ((!series.has(symbol) && !companyOf(symbol)) || !(factor > 0)) throw new Error(`A price shock needs a demo symbol and a factor above 0 (${symbol}, ${factor})`);
      shocks.set(symbol, factor);
    },
    start() {
      if (timer) return;
      timer = setInterval(() => market.tick(), opts.tickIntervalMs ?? 500);
      timer.unref?.();
    },
    dispose() {
      if (timer) clearInterval(timer);
      timer = undefined;
      quotes.clear();
      void tickCount;
    },
  };
  return market;
}
