// cTrader's market data: the account's symbols as instruments, quotes from ProtoOASpotEvent (a spot carries only the
// side that changed, so the other is kept from the last one), bars from ProtoOAGetTrendbarsReq (a historical request:
// it waits for the 5-a-second limiter).
import type { Bar, Instrument, Quote, Timeframe } from '../../../src-shared/domain/types';
import { Emitter } from '../../../src-shared/common/emitter';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import type { MarketData } from '../../ports/market-data';
import type { CtraderConnection } from './connection';
import { instrumentOf } from './parsing';
import { PT, toPrice, TrendbarPeriod, type Frame, type Json } from './protocol';

const PERIOD: Record<Timeframe, { period: number; minutes: number }> = {
  '1m': { period: TrendbarPeriod.M1, minutes: 1 }, '5m': { period: TrendbarPeriod.M5, minutes: 5 }, '1h': { period: TrendbarPeriod.H1, minutes: 60 }, '1d': { period: TrendbarPeriod.D1, minutes: 1440 },
};

export class CtraderMarketData implements MarketData {
  readonly name = 'ctrader';
  private readonly quotes = new Map<string, Quote>();
  private readonly sides = new Map<number, { bid: number; ask: number }>();
  private readonly events = new Emitter<Quote>();
  private readonly subs: Disposable[];

  constructor(private readonly conn: CtraderConnection, private readonly o: { clock: Clock; staleQuoteMs: number }) {
    this.subs = [conn.onFrame((f) => this.onFrame(f)), conn.onDisconnected(() => this.sides.clear())];
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
    if (!s) throw new Error(`cTrader does not offer ${symbol} on this account`);
    const { period, minutes } = PERIOD[timeframe];
    const count = Math.max(1, Math.min(5000, limit));
    const to = this.o.clock.now();
    const res = await this.conn.request(PT.GET_TRENDBARS_REQ, {
      ctidTraderAccountId: this.conn.accountNumber(), symbolId: s.symbolId, period, toTimestamp: to, fromTimestamp: to - count * minutes * 60_000, count,
    });
    const bars = (res.payload?.['trendbar'] as Json[] | undefined) ?? [];
    return bars.map((b) => {
      const low = Number(b['low']);
      return {
        time: Number(b['utcTimestampInMinutes']) * 60, open: toPrice(low + Number(b['deltaOpen'] ?? 0)), high: toPrice(low + Number(b['deltaHigh'] ?? 0)),
        low: toPrice(low), close: toPrice(low + Number(b['deltaClose'] ?? 0)), volume: Number(b['volume'] ?? 0),
      };
    });
  }

  lastQuote(symbol: string): Quote | undefined {
    return this.quotes.get(symbol);
  }

  freshQuote(symbol: string): Quote | undefined {
    const q = this.quotes.get(symbol);
    return q && this.conn.isConnected() && this.o.clock.now() - q.time <= this.o.staleQuoteMs ? q : undefined;
  }

  isOpen(): boolean {
    return true;
  }

  onQuote(listener: (q: Quote) => void): Disposable {
    return this.events.on(listener);
  }

  start(): void {
    // The connection subscribes to the spots; nothing to start here.
  }

  private onFrame(f: Frame): void {
    if (f.payloadType !== PT.SPOT_EVENT || !f.payload) return;
    const id = Number(f.payload['symbolId']);
    const spec = this.conn.specs().find((s) => s.symbolId === id);
    if (!spec) return;
    const last = this.sides.get(id);
    const bid = f.payload['bid'] !== undefined ? toPrice(Number(f.payload['bid'])) : last?.bid;
    const ask = f.payload['ask'] !== undefined ? toPrice(Number(f.payload['ask'])) : last?.ask;
    if (!(bid! > 0) || !(ask! > 0)) return;
    this.sides.set(id, { bid: bid!, ask: ask! });
    // Our clock, not cTrader's: freshness is judged against it.
    const q: Quote = { symbol: spec.symbol, time: this.o.clock.now(), bid: bid!, ask: ask!, last: (bid! + ask!) / 2, lastSize: 0, source: 'ctrader' };
    this.quotes.set(spec.symbol, q);
    this.events.emit(q);
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.events.clear();
  }
}
