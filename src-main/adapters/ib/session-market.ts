// The IB session's MarketData: our instruments served by the IB data client (quotes on its lines, paced history).
import { TIMEFRAME_SECONDS, type Bar, type Instrument, type Timeframe } from '../../../src-shared/domain/types';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import type { MarketData } from '../../ports/market-data';
import type { IbDataClient } from './data';

/** Wall-clock span per bar asked for, so `limit` bars remain after nights, weekends and holidays. */
const SPAN_FACTOR: Record<Timeframe, number> = { '1m': 5, '5m': 5, '1h': 4, '1d': 1.6 };

export function createIbSessionMarket(data: IbDataClient, instruments: Instrument[], clock: Clock): MarketData {
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));
  let lines: Disposable | undefined;
  return {
    name: 'Interactive Brokers',
    instruments: () => instruments,
    instrument: (symbol) => bySymbol.get(symbol),
    async history(symbol: string, timeframe: Timeframe, limit = 500): Promise<Bar[]> {
      const to = Math.floor(clock.now() / 1000);
      const from = to - Math.ceil(limit * TIMEFRAME_SECONDS[timeframe] * SPAN_FACTOR[timeframe]);
      return (await data.history({ symbol, timeframe, from, to })).slice(-limit);
    },
    lastQuote: (symbol) => data.lastQuote(symbol),
    isOpen: () => true, // TWS decides whether an order can trade now
    onQuote: (listener) => data.onQuote(listener),
    start() {
      // One line per instrument for the session's life; symbols beyond the line budget are refused one by one.
      lines ??= data.trySubscribe(instruments.map((i) => i.symbol), () => undefined).subscription;
    },
    dispose() {
      lines?.dispose();
      lines = undefined;
    },
  };
}
