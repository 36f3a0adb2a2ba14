// The stock-analysis data layer of issue 16, built in one place for the terminal and the CLI: universes (demo,
// S&P 500, imports, custom lists, watchlists), point-in-time statements (the store's, the demo universe's in memory)
// and daily closes (stored bars split-adjusted, the demo market's). The factor engine and the screener read only these.
import type { StatementRecord, Universe, UniverseMember } from '../../src-shared/domain/fundamentals';
import type { DemoMarket } from '../adapters/demo/market';
import { demoDailyCloses } from '../adapters/demo/daily-closes';
import { shippedSp500 } from '../adapters/universes/shipped';
import type { Clock } from '../ports/clock';
import type { DailyPrices, PointInTimeFundamentals, UniverseSource } from '../ports/fundamentals';
import type { Store } from '../ports/store';
import { createDailyPrices } from '../services/daily-prices';
import { StatementsService } from '../services/statements';
import { UniverseService } from '../services/universes';

export interface StockData {
  universes: UniverseSource;
  fundamentals: PointInTimeFundamentals;
  prices: DailyPrices;
}

/** What the composition root also uses: imports of universes and the recording of fetched statements. */
export interface StockDataServices extends StockData {
  universes: UniverseService;
  fundamentals: StatementsService;
}

export interface StockDataDeps {
  store: Pick<Store, 'statements' | 'settings' | 'bars' | 'corporateActions' | 'profiles'>;
  /** The demo market (its universe, the closes of its symbols), or a function that builds it on first use (the CLI). */
  demo: DemoMarket | (() => DemoMarket);
  clock: Clock;
  /** The watchlists (services/watchlists.ts), each a universe; none without it. */
  watchlists?: { list(): Promise<{ id: string; name: string; symbols: string[] }[]> };
  /** Statement history from the data sources (the failover manager's fundamentals chain); none without it. */
  fetchStatements?: (symbol: string) => Promise<StatementRecord[]>;
  /** The shipped S&P 500 file; default: resources/universes/sp500.csv found from the app or the repo. */
  sp500File?: string;
}

export function createStockData(deps: StockDataDeps): StockDataServices {
  const { store, clock } = deps;
  const market = typeof deps.demo === 'function' ? deps.demo : () => deps.demo as DemoMarket;
  let demoUniverse: Universe | undefined;
  const demoAsUniverse = (): Universe => (demoUniverse ??= {
    id: 'demo', kind: 'demo', name: 'Demo universe (fictitious companies)', asOf: null, source: 'demo market',
    members: market().universe().companies.map(({ symbol, name, sector, industry }) => ({ symbol, name, sector, industry })),
  });
  const isDemo = (symbol: string) => symbol.endsWith('.DEMO');
  const universes = new UniverseService({
    settings: store.settings, clock, demo: demoAsUniverse,
    shipped: shippedSp500(deps.sp500File),
    ...(deps.watchlists ? { watchlists: () => deps.watchlists!.list() } : {}),
    describe: async (symbols) => {
      const out = new Map<string, Omit<UniverseMember, 'symbol'>>();
      for (const s of symbols) {
        const c = isDemo(s) ? market().universe().company(s) : undefined;
        if (c) out.set(s, { name: c.name, sector: c.sector, industry: c.industry });
      }
      const others = symbols.filter((s) => !out.has(s));
      // Stored profiles name sectors in their source's words; the user's edit wins over a fetched one.
      for (const p of others.length ? await store.profiles.list(others) : []) {
        const held = out.get(p.symbol);
        if (held && p.source !== 'user') continue;
        out.set(p.symbol, { name: market().instrument(p.symbol)?.name ?? '', sector: p.sector ?? held?.sector ?? null, industry: p.industry ?? held?.industry ?? null });
      }
      return out;
    },
  });
  const fundamentals = new StatementsService({
    store: store.statements, clock, ...(deps.fetchStatements ? { fetch: deps.fetchStatements } : {}),
    demo: { statements: (symbol) => (isDemo(symbol) ? market().universe().statements(symbol) : []) },
  });
  const prices = createDailyPrices({ store, demo: demoDailyCloses(market, clock) });
  return { universes, fundamentals, prices };
}
