// The demo market as a DataProvider, so the demo session goes through the failover manager like any real source.
import type { Quote } from '../../../src-shared/domain/types';
import type { DataKind, DataProvider, HistoryRequest, SymbolMatch } from '../../ports/data-provider';
import { ProviderError } from '../../ports/data-provider';
import type { Disposable } from '../../ports/disposable';
import type { DemoMarket } from './market';

/** Bars the demo market keeps per timeframe are bounded (seven days of minutes); asking for more returns what it has. */
const MAX_BARS = 1_000_000;

export function createDemoProvider(market: DemoMarket): DataProvider {
  const known = (symbol: string) => {
    if (!market.instrument(symbol)) throw new ProviderError('demo', 'not-found', `demo: unknown symbol ${symbol}`);
  };
  const capabilities: ReadonlySet<DataKind> = new Set<DataKind>(['bars', 'quotes', 'search']);
  return {
    id: 'demo',
    capabilities,
    async history(req: HistoryRequest) {
      known(req.symbol);
      const bars = await market.history(req.symbol, req.timeframe, MAX_BARS);
      return bars.filter((b) => b.time >= req.from && b.time <= req.to);
    },
    async quote(symbol: string): Promise<Quote> {
      known(symbol);
      const q = market.lastQuote(symbol);
      if (!q) throw new ProviderError('demo', 'unavailable', `demo: no quote yet for ${symbol}`);
      return q;
    },
    subscribe(symbols: string[], onQuote: (q: Quote) => void): Disposable {
      const wanted = new Set(symbols);
      // The market's own timer (started by the composition root) or a test's tick() drives the quotes.
      return market.onQuote((q) => wanted.has(q.symbol) && onQuote(q));
    },
    async search(query: string): Promise<SymbolMatch[]> {
      const q = query.trim().toLowerCase();
      const matches = (i: { symbol: string; name: string }) => i.symbol.toLowerCase().includes(q) || i.name.toLowerCase().includes(q);
      const base = market.instruments().filter(matches);
      // The demo universe's companies too (issue 16), after the base instruments and at most 20 of them.
      const companies = q.length === 0 ? [] : market.universe().companies.filter(matches).slice(0, 20).map((c) => market.instrument(c.symbol)!);
      return [...base, ...companies]
        .map((i) => ({ symbol: i.symbol, name: i.name, exchange: i.exchange, type: i.assetClass.toUpperCase(), source: 'demo' as const }));
    },
    async healthCheck() {
      // In process: it answers as long as it exists.
    },
    dispose() {
      // The market is owned by the composition root, which disposes it.
    },
  };
}
