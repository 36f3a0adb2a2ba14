// Multi-instrument backtests: bars of every instrument merged into one timeline (calendars may differ); the strategy
// is called once per timestamp and sees each instrument only up to that time. Orders fill at the instrument's next
// bar open; bid/ask spread, margin (leverage) and overnight financing model FX and CFDs. Conventions: docs/backtesting.md.
import type { CommissionModel } from './commission';
import { noCommission } from './commission';
import type { BarArrays, Trade } from './types';
import { createPortfolioContext } from '../strategy/context';
import type { PortfolioContext, PortfolioStrategy } from '../strategy/strategy';

export interface InstrumentSpec {
  /** Bid/ask spread as a fraction of price: buys fill at open·(1 + s/2), sells at open·(1 − s/2). */
  spread?: number;
  commission?: CommissionModel;
  /** Margin as a fraction of notional (0.05 = 20:1 leverage); 1 = fully funded. */
  margin?: number;
  /** Annual financing rate on the notional of positions held overnight (CFDs); charged per calendar day held. */
  financingRate?: number;
}

export interface PortfolioOptions {
  cash: number;
  instruments?: Record<string, InstrumentSpec>;
}

export interface PortfolioResult {
  time: Float64Array;
  equity: Float64Array;
  trades: (Trade & { symbol: string })[];
  /** 1 at timestamps where any position was held. */
  inMarket: Uint8Array;
  financing: number;
  /** Times the account fell below maintenance margin (half the initial margin) and was liquidated. */
  marginCalls: number;
  finalEquity: number;
}

interface Book {
  data: BarArrays;
  spec: Required<InstrumentSpec>;
  /** Index of the latest bar at or before the current time; −1 before the first. */
  i: number;
  position: number;
  entryPrice: number;
  entryTime: number;
  entryBar: number;
  entryFee: number;
  pending: number;
}

const DAY = 86_400;

export function runPortfolioBacktest(data: Record<string, BarArrays>, strategy: PortfolioStrategy, opts: PortfolioOptions): PortfolioResult {
  const symbols = Object.keys(data);
  const books = new Map<string, Book>(symbols.map((s) => {
    const spec = opts.instruments?.[s] ?? {};
    return [s, {
      data: data[s]!, i: -1, position: 0, entryPrice: 0, entryTime: 0, entryBar: 0, entryFee: 0, pending: 0,
      spec: { spread: spec.spread ?? 0, commission: spec.commission ?? noCommission, margin: spec.margin ?? 1, financingRate: spec.financingRate ?? 0 },
    }];
  }));
  // The merged timeline: every distinct bar time of every instrument, in order.
  const times = Float64Array.from(new Set(symbols.flatMap((s) => Array.from(data[s]!.time)))).sort();
  let cash = opts.cash;
  let financing = 0;
  let marginCalls = 0;
  let now = 0;
  const trades: PortfolioResult['trades'] = [];
  const equity = new Float64Array(times.length);
  const inMarket = new Uint8Array(times.length);
  const book = (s: string) => {
    const b = books.get(s);
    if (!b) throw new RangeError(`Unknown symbol ${s}`);
    return b;
  };
  const lastClose = (b: Book) => (b.i >= 0 ? b.data.close[b.i]! : NaN);
  const value = () => {
    let v = cash;
    for (const b of books.values()) if (b.position !== 0) v += b.position * lastClose(b);
    return v;
  };

  function fill(symbol: string, b: Book, units: number, open: number): void {
    const price = units > 0 ? open * (1 + b.spec.spread / 2) : open * (1 - b.spec.spread / 2);
    const fee = b.spec.commission(Math.abs(units), price);
    cash -= units * price + fee;
    if (b.position !== 0 && Math.sign(units) !== Math.sign(b.position)) {
      const closing = Math.min(Math.abs(units), Math.abs(b.position));
      const dir = Math.sign(b.position);
      const entryFee = b.entryFee * (closing / Math.abs(b.position));
      const exitFee = fee * (closing / Math.abs(units));
      trades.push({
        symbol, entryTime: b.entryTime, exitTime: now, entryBar: b.entryBar, exitBar: b.i, side: dir > 0 ? 'long' : 'short', size: closing,
        entryPrice: b.entryPrice, exitPrice: price, pnl: (price - b.entryPrice) * closing * dir - entryFee - exitFee, commission: entryFee + exitFee,
      });
      b.entryFee -= entryFee;
      b.position -= dir * closing;
      const rest = Math.abs(units) - closing;
      if (b.position === 0 && rest > 0) {
        b.position = Math.sign(units) * rest;
        Object.assign(b, { entryPrice: price, entryTime: now, entryBar: b.i, entryFee: fee * (rest / Math.abs(units)) });
      }
    } else {
      b.entryPrice = b.position === 0 ? price : (b.entryPrice * Math.abs(b.position) + price * Math.abs(units)) / (Math.abs(b.position) + Math.abs(units));
      if (b.position === 0) Object.assign(b, { entryTime: now, entryBar: b.i });
      b.entryFee += fee;
      b.position += units;
    }
  }

  // Each book reads its own bars up to its index `i`.
  const readers = new Map([...books].map(([s, b]) => [s, { bars: b.data, get index() { return b.i; } }]));
  const ctx: PortfolioContext = createPortfolioContext({ get time() { return now; }, symbols, series: (s) => readers.get(s) }, {
    position: (s) => book(s).position,
    pending: (s) => book(s).pending,
    addPending: (s, units) => void (book(s).pending += units),
    get cash() { return cash; },
    get equity() { return value(); },
    // Margined instruments need only `margin` of the notional: the same equity buys 1/margin times the units.
    unitsFor: (s, fraction, price) => (value() * fraction) / (price * book(s).spec.margin),
  });

  strategy.init?.(data);
  let prevTime = times[0] ?? 0;
  for (let t = 0; t < times.length; t++) {
    now = times[t]!;
    // Financing on positions carried over each calendar day boundary.
    const days = Math.floor(now / DAY) - Math.floor(prevTime / DAY);
    if (days > 0) {
      for (const b of books.values()) {
        if (b.position === 0 || b.spec.financingRate === 0) continue;
        const charge = Math.abs(b.position * lastClose(b)) * b.spec.financingRate * (days / 365);
        cash -= charge;
        financing += charge;
      }
    }
    prevTime = now;
    const last = t === times.length - 1;
    for (const [s, b] of books) {
      if (b.i + 1 < b.data.time.length && b.data.time[b.i + 1] === now) {
        b.i++;
        const open = b.data.open[b.i]!;
        // The final timestamp only closes what is open; otherwise pending orders fill at this bar's open.
        const units = last ? -b.position : b.pending;
        b.pending = 0;
        if (units !== 0) fill(s, b, units, open);
      }
    }
    if (!last) strategy.next(ctx);
    equity[t] = value();
    for (const b of books.values()) if (b.position !== 0) inMarket[t] = 1;
    // Maintenance margin is half the initial margin: below it, every position is closed at its next open.
    let maintenance = 0;
    for (const b of books.values()) if (b.position !== 0 && b.spec.margin < 1) maintenance += Math.abs(b.position * lastClose(b)) * b.spec.margin * 0.5;
    if (maintenance > 0 && equity[t]! < maintenance) {
      marginCalls++;
      for (const b of books.values()) b.pending = -b.position;
    }
  }
  // Instruments whose last bar came before the final timestamp are closed at their last close.
  for (const [s, b] of books) if (b.position !== 0) fill(s, b, -b.position, lastClose(b));
  if (times.length) equity[times.length - 1] = cash;
  return { time: times, equity, trades, inMarket, financing, marginCalls, finalEquity: times.length ? equity[times.length - 1]! : cash };
}
