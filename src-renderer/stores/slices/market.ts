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
  /** Several quotes in one change (the terminal hands them over once a frame). */
  applyQuotes(qs: readonly Quote[]): void;
  chooseSymbol(symbol: string): void;
  chooseTimeframe(timeframe: Timeframe): void;
  setDataSources(dataSources: DataSourceStatus[]): void;
  setFeeds(feeds: DataFeed[]): void;
}

/** A price belongs to its source: when an instrument changes source, the old source's last quote is dropped until the
 * new source quotes (an IB tag must never stand next to a demo price). */
function fromCurrentSource(quotes: Record<string, Quote>, feeds: Record<string, DataFeed>): Record<string, Quote> {
  return Object.fromEntries(Object.entries(quotes).filter(([symbol, q]) => fromSource(q, feeds[symbol]?.source)));
}

/** True when the quote comes from the source (`ib` covers `ib-delayed`), or no source is known. */
function fromSource(q: Quote, source: string | null | undefined): boolean {
  return !source || q.source === source || q.source.startsWith(`${source}-`);
}

export const createMarketSlice: StateCreator<TerminalState, [], [], MarketSlice> = (set) => ({
  instruments: [],
  quotes: {},
  symbol: localStorage.getItem('qc.symbol') ?? 'AAPL',
  timeframe: (localStorage.getItem('qc.timeframe') as Timeframe | null) ?? '1m',
  dataSources: [],
  feeds: {},
  // A snapshot read while pushes kept arriving may be older than what they brought: per symbol the newer quote stays,
  // and only one from the instrument's current source (an IB tag must never stand next to a demo price).
  marketLoaded: (instruments, snapshot) =>
    set((s) => {
      const quotes = { ...s.quotes };
      for (const q of snapshot) {
        const held = quotes[q.symbol];
        const fits = (x: Quote) => fromSource(x, s.feeds[q.symbol]?.source);
        if (!held || (fits(q) && (!fits(held) || held.time <= q.time))) quotes[q.symbol] = q;
      }
      return { instruments, quotes: fromCurrentSource(quotes, s.feeds) };
    }),
  applyQuote: (q) => set((s) => ({ quotes: { ...s.quotes, [q.symbol]: q } })),
  applyQuotes: (qs) => set((s) => ({ quotes: { ...s.quotes, ...Object.fromEntries(qs.map((q) => [q.symbol, q])) } })),
  chooseSymbol: (symbol) => set({ symbol }),
  chooseTimeframe: (timeframe) => {
    localStorage.setItem('qc.timeframe', timeframe);
    set({ timeframe });
  },
  setDataSources: (dataSources) => set({ dataSources }),
  setFeeds: (feeds) =>
    set((s) => {
      const bySymbol = Object.fromEntries(feeds.map((f) => [f.symbol, f]));
      return { feeds: bySymbol, quotes: fromCurrentSource(s.quotes, bySymbol) };
    }),
});
