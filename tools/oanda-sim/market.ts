// The simulator's market: OANDA v20 instrument definitions, a seeded bid/ask walk per instrument, and candles.
// Field names follow the v20 REST API (Instrument, ClientPrice, Candlestick); numbers travel as strings, as OANDA sends them.
import { Rng, hashSeed } from '../../src-main/adapters/demo/random';

export interface SimInstrument {
  name: string;
  type: 'CURRENCY' | 'METAL' | 'CFD';
  displayName: string;
  pipLocation: number;
  displayPrecision: number;
  tradeUnitsPrecision: number;
  minimumTradeSize: string;
  maximumTrailingStopDistance: string;
  minimumTrailingStopDistance: string;
  maximumPositionSize: string;
  maximumOrderUnits: string;
  /** Margin rate (0.0333 = 30:1, ESMA retail for majors). */
  marginRate: string;
  financing: { longRate: string; shortRate: string; financingDaysOfWeek: { dayOfWeek: string; daysCharged: number }[] };
  /** Not part of the v20 shape (kept out of the JSON): the walk's start, spread and step. */
  sim: { start: number; spread: number; volatility: number };
}

const WEEK = (wednesday: number) => ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'].map((dayOfWeek) => ({
  dayOfWeek, daysCharged: dayOfWeek === 'WEDNESDAY' ? wednesday : dayOfWeek === 'SATURDAY' || dayOfWeek === 'SUNDAY' ? 0 : 1,
}));

const fx = (name: string, displayName: string, pipLocation: number, start: number, spreadPips: number, longRate: string, shortRate: string): SimInstrument => ({
  name, type: 'CURRENCY', displayName, pipLocation, displayPrecision: -pipLocation + 1, tradeUnitsPrecision: 0, minimumTradeSize: '1',
  maximumTrailingStopDistance: (10 ** (pipLocation + 4)).toFixed(-pipLocation), minimumTrailingStopDistance: (5 * 10 ** pipLocation).toFixed(-pipLocation),
  maximumPositionSize: '0', maximumOrderUnits: '100000000', marginRate: '0.0333',
  financing: { longRate, shortRate, financingDaysOfWeek: WEEK(3) },
  sim: { start, spread: spreadPips * 10 ** pipLocation, volatility: 0.00004 },
});

/** A funded practice account's instruments: four majors' worth of FX and metal, and one index CFD. */
export const SIM_INSTRUMENTS: SimInstrument[] = [
  fx('EUR_USD', 'EUR/USD', -4, 1.08, 1.4, '-0.0386', '0.0144'),
  fx('GBP_USD', 'GBP/USD', -4, 1.27, 1.8, '-0.0321', '0.0087'),
  fx('USD_JPY', 'USD/JPY', -2, 151.2, 1.6, '0.0301', '-0.0598'),
  {
    name: 'XAU_USD', type: 'METAL', displayName: 'Gold', pipLocation: -2, displayPrecision: 3, tradeUnitsPrecision: 0, minimumTradeSize: '1',
    maximumTrailingStopDistance: '100.000', minimumTrailingStopDistance: '0.050', maximumPositionSize: '0', maximumOrderUnits: '10000', marginRate: '0.05',
    financing: { longRate: '-0.0617', shortRate: '0.0244', financingDaysOfWeek: WEEK(3) },
    sim: { start: 2050, spread: 0.35, volatility: 0.00006 },
  },
  {
    name: 'SPX500_USD', type: 'CFD', displayName: 'US SPX 500', pipLocation: 0, displayPrecision: 1, tradeUnitsPrecision: 1, minimumTradeSize: '0.1',
    maximumTrailingStopDistance: '1000.0', minimumTrailingStopDistance: '5.0', maximumPositionSize: '0', maximumOrderUnits: '5000', marginRate: '0.05',
    financing: { longRate: '-0.0701', shortRate: '0.0161', financingDaysOfWeek: WEEK(1) },
    sim: { start: 4700, spread: 0.5, volatility: 0.00005 },
  },
];

export function instrumentJson(i: SimInstrument): Record<string, unknown> {
  const { sim: _sim, ...rest } = i;
  return { ...rest, guaranteedStopLossOrderMode: 'DISABLED', tags: [] };
}

export function formatPrice(i: SimInstrument, p: number): string {
  return p.toFixed(i.displayPrecision);
}

/** RFC 3339 with nanoseconds, as v20 sends times ("2026-12-03T14:00:00.123000000Z"). */
export function v20Time(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** Parses a v20 time (RFC 3339, any fraction) or UNIX seconds ("1700000000.000000000") into UTC ms. */
export function parseV20Time(s: string): number {
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  return Date.parse(s.replace(/(\.\d{3})\d*Z$/, '$1Z'));
}

export interface SimPrice {
  bid: number;
  ask: number;
  time: number;
  /** Units available at the top of the book (each side); larger orders fill in parts. */
  liquidity: number;
}

/** One bid/ask walk per instrument, stepped by the server's timer. */
export class SimMarket {
  readonly prices = new Map<string, SimPrice>();
  private readonly rng: Rng;

  constructor(seed: number, private readonly liquidity: number, now: number) {
    this.rng = new Rng(hashSeed(seed, 'oanda-sim'));
    for (const i of SIM_INSTRUMENTS) this.set(i.name, i.sim.start, now);
  }

  instrument(name: string): SimInstrument | undefined {
    return SIM_INSTRUMENTS.find((i) => i.name === name);
  }

  price(name: string): SimPrice {
    return this.prices.get(name)!;
  }

  mid(name: string): number {
    const p = this.price(name);
    return (p.bid + p.ask) / 2;
  }

  /** Sets the mid (a price shock, a test's exact price); the spread stays. */
  set(name: string, mid: number, now: number): void {
    const i = this.instrument(name)!;
    const half = i.sim.spread / 2;
    const round = (p: number) => Number(p.toFixed(i.displayPrecision));
    this.prices.set(name, { bid: round(mid - half), ask: round(mid + half), time: now, liquidity: this.liquidity });
  }

  /** One random-walk step for every instrument; returns the names that moved. */
  step(now: number): string[] {
    const moved: string[] = [];
    for (const i of SIM_INSTRUMENTS) {
      const mid = this.mid(i.name);
      const next = mid * (1 + i.sim.volatility * this.rng.gaussian());
      this.set(i.name, next, now);
      moved.push(i.name);
    }
    return moved;
  }

  clientPrice(name: string): Record<string, unknown> {
    const i = this.instrument(name)!;
    const p = this.price(name);
    const jpy = name.endsWith('_JPY');
    const conv = jpy ? (1 / this.mid(name)).toFixed(8) : '1.00000000';
    return {
      type: 'PRICE', instrument: name, time: v20Time(p.time), tradeable: true, status: 'tradeable',
      bids: [{ price: formatPrice(i, p.bid), liquidity: p.liquidity }],
      asks: [{ price: formatPrice(i, p.ask), liquidity: p.liquidity }],
      closeoutBid: formatPrice(i, p.bid), closeoutAsk: formatPrice(i, p.ask),
      quoteHomeConversionFactors: { positiveUnits: conv, negativeUnits: conv },
    };
  }
}

export const GRANULARITY_SECONDS: Record<string, number> = {
  S5: 5, S10: 10, S15: 15, S30: 30, M1: 60, M2: 120, M4: 240, M5: 300, M10: 600, M15: 900, M30: 1800,
  H1: 3600, H2: 7200, H3: 10800, H4: 14400, H6: 21600, H8: 28800, H12: 43200, D: 86400, W: 604800,
};

/** A deterministic mid for any second: the same request always gets the same candles. */
function historicMid(i: SimInstrument, second: number): number {
  const h = hashSeed(Math.floor(second / 60), i.name) / 4294967296;
  const t = second / 60;
  return i.sim.start * (1 + 0.004 * Math.sin(t / 211) + 0.0015 * Math.sin(t / 37) + 0.0004 * (h - 0.5));
}

export interface CandleQuery {
  granularity: string;
  count?: number;
  from?: number;
  to?: number;
  price: string;
}

/** Candles (mid/bid/ask per `price`: any of M, B, A), oldest first; the last one is incomplete when it covers now. */
export function candles(i: SimInstrument, q: CandleQuery, now: number): Record<string, unknown>[] {
  const step = GRANULARITY_SECONDS[q.granularity]!;
  const nowS = Math.floor(now / 1000);
  let end = q.to !== undefined ? Math.floor(q.to / 1000) : nowS;
  let start: number;
  if (q.from !== undefined) {
    start = Math.floor(q.from / 1000 / step) * step;
    if (q.to === undefined && q.count !== undefined) end = Math.min(nowS, start + q.count * step - 1);
  } else start = (Math.floor(end / step) - (q.count ?? 500) + 1) * step;
  const out: Record<string, unknown>[] = [];
  const half = i.sim.spread / 2;
  const fmt = (p: number) => formatPrice(i, p);
  for (let t = start; t <= Math.min(end, nowS); t += step) {
    const samples = Math.min(12, Math.max(2, step / 60));
    const mids = Array.from({ length: samples + 1 }, (_, k) => historicMid(i, t + (k * step) / samples));
    const [o, c] = [mids[0]!, mids[samples]!];
    const [h, l] = [Math.max(...mids), Math.min(...mids)];
    const ohlc = (d: number) => ({ o: fmt(o + d), h: fmt(h + d), l: fmt(l + d), c: fmt(c + d) });
    const candle: Record<string, unknown> = { complete: t + step <= nowS, volume: 10 + (hashSeed(t, i.name) % 400), time: v20Time(t * 1000) };
    if (q.price.includes('M')) candle['mid'] = ohlc(0);
    if (q.price.includes('B')) candle['bid'] = ohlc(-half);
    if (q.price.includes('A')) candle['ask'] = ohlc(half);
    out.push(candle);
  }
  return out;
}
