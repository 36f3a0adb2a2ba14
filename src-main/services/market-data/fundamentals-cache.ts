// Fundamentals for the screener, cached in the store with their as-of dates: served from the store while younger than
// maxAge, else fetched through the failover manager's fundamentals chain and stored. A symbol that fails is reported
// with its reason (and the older stored figures, if any); the others are still served.
import type { Clock } from '../../ports/clock';
import type { Fundamentals } from '../../ports/data-provider';
import type { Store } from '../../ports/store';

export interface FundamentalsEntry {
  symbol: string;
  /** cached: from the store, within maxAge; fetched: just now; stale: the fetch failed, older stored figures; failed: none. */
  status: 'cached' | 'fetched' | 'stale' | 'failed';
  fundamentals: Fundamentals | null;
  error: string | null;
}

export interface FundamentalsCacheDeps {
  store: Store;
  clock: Clock;
  /** The fundamentals chain (MarketDataManager.fundamentals). */
  fetch: (symbol: string) => Promise<Fundamentals>;
  /** Symbols fetched at once; the chain's rate limits queue the rest anyway. Default 4. */
  concurrency?: number;
}

export class FundamentalsCache {
  constructor(private readonly deps: FundamentalsCacheDeps) {}

  /** One entry per symbol, in the order asked (duplicates once). */
  async get(symbols: readonly string[], maxAgeMs: number): Promise<FundamentalsEntry[]> {
    const { store, clock } = this.deps;
    const unique = [...new Set(symbols)];
    const stored = new Map((await store.fundamentals.get(unique)).map((f) => [f.symbol, f]));
    const now = clock.now();
    const one = async (symbol: string): Promise<FundamentalsEntry> => {
      const have = stored.get(symbol);
      if (have && now - have.fetchedAt <= maxAgeMs) return { symbol, status: 'cached', fundamentals: have, error: null };
      try {
        const f = await this.deps.fetch(symbol);
        await store.fundamentals.upsert(f);
        return { symbol, status: 'fetched', fundamentals: f, error: null };
      } catch (err) {
        return { symbol, status: have ? 'stale' : 'failed', fundamentals: have ?? null, error: err instanceof Error ? err.message : String(err) };
      }
    };
    const out: FundamentalsEntry[] = new Array(unique.length);
    let next = 0;
    const worker = async () => {
      while (next < unique.length) {
        const i = next++;
        out[i] = await one(unique[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.deps.concurrency ?? 4, unique.length) }, worker));
    return out;
  }
}
