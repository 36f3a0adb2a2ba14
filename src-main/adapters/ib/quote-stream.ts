// A plain IB quote stream as the session's MarketData (until the IB data client with history and pacing is wired):
// reqMktData for every instrument, re-issued on every (re)connect and after 1101; no history of its own.
import { EventName } from '@stoqey/ib';
import type { Bar, Instrument, Quote } from '../../../src-shared/domain/types';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import type { MarketData } from '../../ports/market-data';
import type { IbConnection } from './connection';
import { contractFor } from './parsing';

const BID = [1, 66];
const ASK = [2, 67];
const LAST = [4, 68];

export function createIbQuoteMarket(conn: IbConnection, instruments: Instrument[], clock: Clock): MarketData {
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));
  const quotes = new Map<string, Quote>();
  const reqs = new Map<number, string>();
  const listeners = new Set<(q: Quote) => void>();
  const subs: Disposable[] = [];
  let started = false;

  const subscribe = () => {
    if (!started || !conn.isConnected()) return;
    for (const id of reqs.keys()) conn.api.cancelMktData(id);
    reqs.clear();
    for (const i of instruments) {
      const id = conn.nextReqId();
      reqs.set(id, i.symbol);
      conn.api.reqMktData(id, contractFor(i), '', false, false);
    }
  };

  const onTick = (reqId: number, field: number, value: number) => {
    const symbol = reqs.get(reqId);
    if (!symbol || !Number.isFinite(value) || value <= 0) return;
    const q = quotes.get(symbol) ?? { symbol, time: 0, bid: value, ask: value, last: value, lastSize: 0, source: 'ib' };
    const next: Quote = { ...q, time: clock.now() };
    if (BID.includes(field)) next.bid = value;
    else if (ASK.includes(field)) next.ask = value;
    else if (LAST.includes(field)) next.last = value;
    else return;
    quotes.set(symbol, next);
    for (const l of listeners) l(next);
  };
  conn.api.on(EventName.tickPrice, onTick);
  subs.push({ dispose: () => void conn.api.off(EventName.tickPrice, onTick) });
  subs.push(conn.onConnected(() => {
    reqs.clear(); // TWS forgot them with the old socket
    subscribe();
  }));
  subs.push(conn.onRestored((dataLost) => dataLost && subscribe()));

  return {
    name: 'Interactive Brokers',
    instruments: () => instruments,
    instrument: (symbol) => bySymbol.get(symbol),
    history: async (): Promise<Bar[]> => [],
    lastQuote: (symbol) => quotes.get(symbol),
    isOpen: () => true, // TWS decides whether an order can trade now
    onQuote(listener) {
      listeners.add(listener);
      return { dispose: () => void listeners.delete(listener) };
    },
    start() {
      started = true;
      subscribe();
    },
    dispose() {
      for (const s of subs) s.dispose();
      listeners.clear();
    },
  };
}
