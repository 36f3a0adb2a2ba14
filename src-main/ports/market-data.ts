// Market data port: instruments, history and a live quote stream. Implemented by the demo market (and later IB, Yahoo).
import type { Bar, Instrument, Quote, Timeframe } from '../../src-shared/domain/types';
import type { Disposable } from './disposable';

export interface MarketData extends Disposable {
  readonly name: string;
  instruments(): Instrument[];
  instrument(symbol: string): Instrument | undefined;
  /** Closed and current bars up to now, oldest first, at most `limit` (the newest ones). */
  history(symbol: string, timeframe: Timeframe, limit?: number): Promise<Bar[]>;
  /** Latest quote, or undefined before the first one. */
  lastQuote(symbol: string): Quote | undefined;
  /**
   * The latest quote if it is fresh enough to check an order against (see MarketDataManager.freshQuote); undefined when
   * it is stale or came from no current source. Sources without a notion of staleness (the demo market alone) omit it.
   */
  freshQuote?(symbol: string): Quote | undefined;
  /** Whether the instrument's session is open at `time` (UTC ms). */
  isOpen(symbol: string, time: number): boolean;
  /** Every quote update for every instrument. */
  onQuote(listener: (q: Quote) => void): Disposable;
  /** Begin producing live quotes. */
  start(): void;
}

/** The price risk checks use: the fresh quote's last where the market data knows freshness, else the last quote's. */
export function freshPrice(market: MarketData, symbol: string): number | undefined {
  return (market.freshQuote ? market.freshQuote(symbol) : market.lastQuote(symbol))?.last;
}
