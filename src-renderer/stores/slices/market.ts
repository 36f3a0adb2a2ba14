// The market slice: instruments, last quotes, the chart's instrument and bar size, data sources and feeds.
import type { StateCreator } from 'zustand';
import type { DataFeed, DataSourceStatus } from '../../../src-shared/api/contract';
import type { Instrument, Quote, Timeframe } from '../../../src-shared/domain/types';
import type { TerminalState } from '../terminal';

export interface MarketSlice {
  instruments: Instrument[];
  quotes: Record<string, Quote>;
  symbol: string;
  timeframe: Timeframe;
  /** Market-data providers and which one feeds each instrument (the failover manager's views). */
  dataSources: DataSourceStatus[];
  feeds: Record<string, DataFeed>;
  marketLoaded(instruments: Instrument[], quotes: Quote[]): void;
  applyQuote(q: Quote): void;
  chooseSymbol(symbol: string): void;
  chooseTimeframe(timeframe: Timeframe): void;
  setDataSources(dataSources: DataSourceStatus[]): void;
  setFeeds(feeds: DataFeed[]): void;
}

export const createMarketSlice: StateCreator<TerminalState, [], [], MarketSlice> = (set) => ({
  instruments: [],
  quotes: {},
  symbol: localStorage.getItem('qc.symbol') ?? 'AAPL',
  timeframe: (localStorage.getItem('qc.timeframe') as Timeframe | null) ?? '1m',
  dataSources: [],
  feeds: {},
  marketLoaded: (instruments, quotes) => set({ instruments, quotes: Object.fromEntries(quotes.map((q) => [q.symbol, q])) }),
  applyQuote: (q) => set((s) => ({ quotes: { ...s.quotes, [q.symbol]: q } })),
  chooseSymbol: (symbol) => set({ symbol }),
  chooseTimeframe: (timeframe) => {
    localStorage.setItem('qc.timeframe', timeframe);
    set({ timeframe });
  },
  setDataSources: (dataSources) => set({ dataSources }),
  setFeeds: (feeds) =>
    set((s) => {
      const bySymbol = Object.fromEntries(feeds.map((f) => [f.symbol, f]));
      // A price belongs to its source: when an instrument changes source, the old source's last quote is dropped
      // until the new source quotes (an IB tag must never stand next to a demo price).
      const quotes = Object.fromEntries(Object.entries(s.quotes).filter(([symbol, q]) => {
        const source = bySymbol[symbol]?.source;
        return !source || q.source === source || q.source.startsWith(`${source}-`);
      }));
      return { feeds: bySymbol, quotes };
    }),
});
