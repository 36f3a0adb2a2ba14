// IG's market data: the session's markets as instruments, quotes from the price poll, price history from GET /prices.
import type { Bar, Instrument, Quote, Timeframe } from '../../../src-shared/domain/types';
import { Emitter } from '../../../src-shared/common/emitter';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import type { MarketData } from '../../ports/market-data';
import type { IgConnection, IgPrice } from './connection';
import { instrumentOf, symbolOfEpic } from './parsing';

const RESOLUTION: Record<Timeframe, string> = { '1m': 'MINUTE', '5m': 'MINUTE_5', '1h': 'HOUR', '1d': 'DAY' };

interface IgPricePoint { snapshotTimeUTC: string; openPrice: { bid: number; ask: number }; closePrice: { bid: number; ask: number }; highPrice: { bid: number; ask: number }; lowPrice: { bid: number; ask: number }; lastTradedVolume: number | null }

export class IgMarketData implements MarketData {
  readonly name = 'ig';
  private readonly quotes = new Map<string, Quote>();
  private readonly tradeable = new Map<string, boolean>();
  private readonly events = new Emitter<Quote>();
  private readonly subs: Disposable[];

  constructor(private readonly conn: IgConnection, private readonly o: { clock: Clock; staleQuoteMs: number }) {
    this.subs = [conn.onPrices((list) => this.onPrices(list))];
  }

  instruments(): Instrument[] {
    return [...this.conn.specs().values()].map(instrumentOf);
  }

  instrument(symbol: string): Instrument | undefined {
    const s = this.conn.specBySymbol(symbol);
    return s ? instrumentOf(s) : undefined;
  }

  /** Mid bars from GET /prices/{epic} (version 3). IG counts these points against a weekly allowance (10,000). */
  async history(symbol: string, timeframe: Timeframe, limit = 500): Promise<Bar[]> {
    const s = this.conn.specBySymbol(symbol);
    if (!s) throw new Error(`IG: this connection has no market for ${symbol}`);
    const max = Math.max(1, Math.min(1000, limit));
    const res = await this.conn.rest.request<{ prices: IgPricePoint[] }>('GET', `/prices/${encodeURIComponent(s.epic)}?resolution=${RESOLUTION[timeframe]}&max=${max}&pageSize=${max}`, 3, undefined, this.conn.signal);
    const mid = (p: { bid: number; ask: number }) => (p.bid + p.ask) / 2;
    return res.prices.map((p) => ({
      time: Math.floor(Date.parse(`${p.snapshotTimeUTC}Z`) / 1000), open: mid(p.openPrice), high: mid(p.highPrice), low: mid(p.lowPrice), close: mid(p.closePrice), volume: p.lastTradedVolume ?? 0,
    }));
  }

  lastQuote(symbol: string): Quote | undefined {
    return this.quotes.get(symbol);
  }

  freshQuote(symbol: string): Quote | undefined {
    const q = this.quotes.get(symbol);
    return q && this.conn.isConnected() && this.o.clock.now() - q.time <= this.o.staleQuoteMs ? q : undefined;
  }

  /** IG's marketStatus per market (TRADEABLE or not); before the first price, it is taken as open. */
  isOpen(symbol: string): boolean {
    return this.tradeable.get(symbol) ?? true;
  }

  onQuote(listener: (q: Quote) => void): Disposable {
    return this.events.on(listener);
  }

  start(): void {
    // The connection polls the prices; nothing to start here.
  }

  private onPrices(list: IgPrice[]): void {
    for (const p of list) {
      const symbol = symbolOfEpic(p.epic);
      // Our clock, not IG's: freshness is judged against it.
      const q: Quote = { symbol, time: this.o.clock.now(), bid: p.bid, ask: p.offer, last: (p.bid + p.offer) / 2, lastSize: 0, source: 'ig' };
      this.tradeable.set(symbol, p.tradeable);
      this.quotes.set(symbol, q);
      this.events.emit(q);
    }
  }

  async dispose(): Promise<void> {
    for (const s of this.subs) s.dispose();
    this.events.clear();
  }
}
