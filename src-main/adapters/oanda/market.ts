// OANDA's market data: instruments of the account, quotes from the pricing stream, candles for history.
import type { Bar, Instrument, Quote, Timeframe } from '../../../src-shared/domain/types';
import { Emitter } from '../../../src-shared/common/emitter';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import type { MarketData } from '../../ports/market-data';
import type { OandaConnection } from './connection';
import { instrumentOf, parseTime, symbolOf } from './parsing';
import type { Json } from './rest';

const GRANULARITY: Record<Timeframe, string> = { '1m': 'M1', '5m': 'M5', '1h': 'H1', '1d': 'D' };

export class OandaMarketData implements MarketData {
  readonly name = 'oanda';
  private readonly quotes = new Map<string, Quote>();
  private readonly tradeable = new Map<string, boolean>();
  private readonly events = new Emitter<Quote>();
  private readonly subs: Disposable[];

  constructor(private readonly conn: OandaConnection, private readonly o: { clock: Clock; staleQuoteMs: number }) {
    this.subs = [conn.onPrice((p) => this.onPrice(p))];
  }

  instruments(): Instrument[] {
    return this.conn.specs().map(instrumentOf);
  }

  instrument(symbol: string): Instrument | undefined {
    const s = this.conn.specs().find((x) => x.symbol === symbol);
    return s ? instrumentOf(s) : undefined;
  }

  async history(symbol: string, timeframe: Timeframe, limit = 500): Promise<Bar[]> {
    const s = this.conn.specs().find((x) => x.symbol === symbol);
    if (!s) throw new Error(`OANDA does not offer ${symbol} on this account`);
    const count = Math.max(1, Math.min(5000, limit));
    const res = await this.conn.rest.request<{ candles: { time: string; volume: number; mid?: Record<string, string> }[] }>(
      'GET', `/v3/instruments/${s.oandaName}/candles?granularity=${GRANULARITY[timeframe]}&count=${count}&price=M`, undefined, this.conn.signal,
    );
    return res.candles.filter((c) => c.mid).map((c) => ({
      time: Math.floor(parseTime(c.time) / 1000), open: Number(c.mid!['o']), high: Number(c.mid!['h']), low: Number(c.mid!['l']), close: Number(c.mid!['c']), volume: c.volume,
    }));
  }

  lastQuote(symbol: string): Quote | undefined {
    return this.quotes.get(symbol);
  }

  freshQuote(symbol: string): Quote | undefined {
    const q = this.quotes.get(symbol);
    return q && this.conn.isConnected() && this.o.clock.now() - q.time <= this.o.staleQuoteMs ? q : undefined;
  }

  /** OANDA says per price whether the instrument trades now; before the first price, it is taken as open. */
  isOpen(symbol: string): boolean {
    return this.tradeable.get(symbol) ?? true;
  }

  onQuote(listener: (q: Quote) => void): Disposable {
    return this.events.on(listener);
  }

  start(): void {
    // The connection opens the pricing stream; nothing to start here.
  }

  private onPrice(p: Json): void {
    if (p['type'] !== 'PRICE') return;
    const bids = p['bids'] as { price: string }[] | undefined;
    const asks = p['asks'] as { price: string }[] | undefined;
    const bid = Number(bids?.[0]?.price ?? p['closeoutBid']);
    const ask = Number(asks?.[0]?.price ?? p['closeoutAsk']);
    if (!(bid > 0) || !(ask > 0)) return;
    const symbol = symbolOf(String(p['instrument']));
    // Our clock, not OANDA's: freshness is judged against it.
    const q: Quote = { symbol, time: this.o.clock.now(), bid, ask, last: (bid + ask) / 2, lastSize: 0, source: 'oanda' };
    this.tradeable.set(symbol, p['tradeable'] !== false);
    this.quotes.set(symbol, q);
    this.events.emit(q);
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.events.clear();
  }
}
