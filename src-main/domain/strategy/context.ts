// The strategy contexts, built once for every world: over a bar reader (the bars known so far), a book (position, cash,
// equity) and an order sink. The backtest engines and the live runner differ only in what they pass in.
import type { BarArrays } from '../backtest/types';
import type { OrderSpec, PortfolioContext, StrategyContext } from './strategy';

/** Bars up to `index` (the current, just closed bar); later slots of `bars` may hold anything and are never read. */
export interface BarReader {
  readonly bars: BarArrays;
  readonly index: number;
}

/** The account as one instrument's strategy sees it. */
export interface PositionBook {
  readonly position: number;
  readonly cash: number;
  readonly equity: number;
}

export interface OrderSink {
  /** A checked order (positive size): filled by the engine, or sent by the live runner after the bar. The side comes
   * apart from the spec so buy() and sell() pass the strategy's object as it is (no copy on the engine's hot path). */
  place(side: OrderSpec['side'], spec: Omit<OrderSpec, 'side'>): void;
  cancelAll(): void;
}

const future = () => new RangeError('A strategy cannot read future bars');

export function createStrategyContext(reader: BarReader, book: PositionBook, orders: OrderSink): StrategyContext {
  // Hot path of the engine: plain closures over the reader, no allocation per call. Each reads `reader.index` itself
  // rather than through a shared helper: 1.9 % fewer instructions per sweep under valgrind (the helper was not inlined).
  const place = (side: OrderSpec['side'], spec: Omit<OrderSpec, 'side'>) => {
    if (spec.size !== undefined && spec.size !== 'all' && !(spec.size > 0)) throw new RangeError(`Order size must be positive (got ${spec.size})`);
    orders.place(side, spec);
  };
  const order = (spec: OrderSpec) => place(spec.side, spec);
  const ctx: StrategyContext = {
    get index() { return reader.index; },
    close: (ago = 0) => { if (ago < 0) throw future(); return reader.bars.close[reader.index - ago]!; },
    open: (ago = 0) => { if (ago < 0) throw future(); return reader.bars.open[reader.index - ago]!; },
    high: (ago = 0) => { if (ago < 0) throw future(); return reader.bars.high[reader.index - ago]!; },
    low: (ago = 0) => { if (ago < 0) throw future(); return reader.bars.low[reader.index - ago]!; },
    volume: (ago = 0) => { if (ago < 0) throw future(); return reader.bars.volume[reader.index - ago]!; },
    time: (ago = 0) => { if (ago < 0) throw future(); return reader.bars.time[reader.index - ago]!; },
    value: (series, ago = 0) => { if (ago < 0) throw future(); return series[reader.index - ago]!; },
    get position() { return book.position; },
    get cash() { return book.cash; },
    get equity() { return book.equity; },
    order,
    buy: (spec = {}) => place('buy', spec),
    sell: (spec = {}) => place('sell', spec),
    closePosition() {
      const p = book.position;
      if (p !== 0) order({ side: p > 0 ? 'sell' : 'buy', size: Math.abs(p) });
    },
    cancelAll: () => orders.cancelAll(),
  };
  return ctx;
}

/** The account as a multi-instrument strategy sees it; orders are summed per symbol until they are filled or sent. */
export interface PortfolioBook {
  position(symbol: string): number;
  /** Units ordered on this timestamp and not filled yet. */
  pending(symbol: string): number;
  addPending(symbol: string, units: number): void;
  readonly cash: number;
  readonly equity: number;
  /** What orderTargetPercent sizes from, in units of `symbol` at `price` (equity, margin, the capital allotted live). */
  unitsFor(symbol: string, fraction: number, price: number): number;
}

export interface PortfolioReader {
  readonly time: number;
  readonly symbols: readonly string[];
  /** The symbol's bars, or undefined for a symbol the strategy does not trade. */
  series(symbol: string): BarReader | undefined;
}

export function createPortfolioContext(reader: PortfolioReader, book: PortfolioBook): PortfolioContext {
  const series = (s: string) => {
    const r = reader.series(s);
    if (!r) throw new RangeError(`Unknown symbol ${s}`);
    return r;
  };
  const lastClose = (s: string) => {
    const r = series(s);
    return r.index >= 0 ? r.bars.close[r.index]! : NaN;
  };
  const ctx: PortfolioContext = {
    get time() { return reader.time; },
    symbols: reader.symbols,
    has: (s) => {
      const r = series(s);
      return r.index >= 0 && r.bars.time[r.index] === reader.time;
    },
    close: (s, ago = 0) => {
      if (ago < 0) throw future();
      const r = series(s);
      const k = r.index - ago;
      return k >= 0 ? r.bars.close[k]! : NaN;
    },
    count: (s) => series(s).index + 1,
    position: (s) => (series(s), book.position(s)),
    get cash() { return book.cash; },
    get equity() { return book.equity; },
    order: (s, units) => {
      if (!Number.isFinite(units)) throw new RangeError(`Order units must be finite (got ${units})`);
      series(s);
      if (units !== 0) book.addPending(s, units);
    },
    orderTarget: (s, units) => ctx.order(s, units - book.position(s) - book.pending(s)),
    orderTargetPercent: (s, fraction) => {
      const price = lastClose(s);
      if (!Number.isFinite(price)) return;
      ctx.orderTarget(s, Math.trunc(book.unitsFor(s, fraction, price)));
    },
  };
  return ctx;
}
