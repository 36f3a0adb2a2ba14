// The demo market seen through the DataProvider port, recording every history request, with a hook to alter what it
// serves (a spike, a restated bar) — for tests of the bar cache until a demo provider lands in adapters/.
import type { Bar } from '../../src-shared/domain/types';
import type { DemoMarket } from '../../src-main/adapters/demo/market';
import type { DataKind, DataProvider, HistoryRequest } from '../../src-main/ports/data-provider';

export interface RecordingProvider extends DataProvider {
  readonly requests: HistoryRequest[];
  /** Changes the bars served from now on (return the bars to serve). */
  alter(fn: ((req: HistoryRequest, bars: Bar[]) => Bar[]) | undefined): void;
}

export function demoDataProvider(market: DemoMarket): RecordingProvider {
  const requests: HistoryRequest[] = [];
  let transform: ((req: HistoryRequest, bars: Bar[]) => Bar[]) | undefined;
  return {
    id: 'demo',
    capabilities: new Set<DataKind>(['bars', 'quotes']),
    requests,
    alter: (fn) => void (transform = fn),
    async history(req) {
      requests.push({ ...req });
      const all = await market.history(req.symbol, req.timeframe, 1_000_000);
      const bars = all.filter((b) => b.time >= req.from && b.time <= req.to);
      return transform ? transform(req, bars) : bars;
    },
    async quote(symbol) {
      const q = market.lastQuote(symbol);
      if (!q) throw new Error(`no quote for ${symbol}`);
      return q;
    },
    async healthCheck() {},
    dispose() {},
  };
}
