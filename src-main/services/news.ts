// Headlines per symbol through the market-data layer (the failover manager's news, Yahoo's search), each scored by the
// lexicon sentiment (domain/sentiment), with an aggregate per symbol; kept a few minutes so a chart switching back and
// forth, or a screener asking for many symbols, does not ask Yahoo again.
import type { SymbolNews } from '../../src-shared/api/news';
import type { NewsItem } from '../../src-shared/domain/news';
import { aggregateSentiment, scoreHeadline } from '../domain/sentiment/score';
import type { Clock } from '../ports/clock';

export interface NewsServiceOptions {
  /** The market-data layer's news (MarketDataManager.news). */
  fetch: (symbol: string, count: number) => Promise<{ source: string; items: NewsItem[] }>;
  clock: Clock;
  /** How long fetched headlines are served from memory; default 5 minutes. A failure is kept 30 s. */
  ttlMs?: number;
  /** Symbols fetched at once; default 4. */
  concurrency?: number;
}

const FAILURE_TTL_MS = 30_000;

export class NewsService {
  private readonly cache = new Map<string, { at: number; ttl: number; value: Promise<SymbolNews> }>();

  constructor(private readonly o: NewsServiceOptions) {}

  async headlines(symbols: readonly string[], count = 10): Promise<SymbolNews[]> {
    const unique = [...new Set(symbols)];
    const out = new Map<string, SymbolNews>();
    let next = 0;
    const worker = async () => {
      while (next < unique.length) {
        const symbol = unique[next++]!;
        out.set(symbol, await this.one(symbol, count));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.concurrency ?? 4, unique.length) }, worker));
    return unique.map((s) => out.get(s)!);
  }

  private one(symbol: string, count: number): Promise<SymbolNews> {
    const key = `${symbol}|${count}`;
    const now = this.o.clock.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < hit.ttl) return hit.value;
    const entry = { at: now, ttl: this.o.ttlMs ?? 300_000, value: this.fetch(symbol, count) };
    void entry.value.then((v) => {
      if (v.error !== null) entry.ttl = FAILURE_TTL_MS;
    });
    this.cache.set(key, entry);
    // The cache stays small: entries past their time are dropped when another is added.
    for (const [k, e] of this.cache) if (now - e.at >= e.ttl) this.cache.delete(k);
    return entry.value;
  }

  private async fetch(symbol: string, count: number): Promise<SymbolNews> {
    try {
      const { source, items } = await this.o.fetch(symbol, count);
      const headlines = items.map((item) => ({ ...item, sentiment: scoreHeadline(item.title) }));
      return { symbol, headlines, aggregate: aggregateSentiment(headlines.map((h) => h.sentiment)), source, fetchedAt: this.o.clock.now(), error: null };
    } catch (err) {
      return { symbol, headlines: [], aggregate: aggregateSentiment([]), source: null, fetchedAt: null, error: err instanceof Error ? err.message : String(err) };
    }
  }
}
