// Builds the screener on the stock data (composition/stock-data.ts: the demo universe, the shipped S&P 500, imports and
// watchlists, point-in-time statements, daily closes).
import type { Clock } from '../ports/clock';
import type { ScreenStore } from '../ports/screen-store';
import { ScreenerService, type StockData } from '../services/screener';

export function createScreener(o: { clock: Clock; screens?: ScreenStore; data: StockData }): ScreenerService {
  return new ScreenerService({ data: o.data, clock: o.clock, screens: o.screens });
}
