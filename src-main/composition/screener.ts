// Builds the screener on the stock data. The one place that picks the data: the placeholder of this branch
// (stock-data-placeholder.ts) until the real demo universe, S&P 500 file and stores (stock-data.ts) replace it.
import type { Clock } from '../ports/clock';
import type { ScreenStore } from '../ports/screen-store';
import { ScreenerService, type StockData } from '../services/screener';
import { createStockDataPlaceholder } from './stock-data-placeholder';

export function createStockDataForApp(): StockData {
  return createStockDataPlaceholder();
}

export function createScreener(o: { clock: Clock; screens?: ScreenStore; data?: StockData }): ScreenerService {
  return new ScreenerService({ data: o.data ?? createStockDataForApp(), clock: o.clock, screens: o.screens });
}
