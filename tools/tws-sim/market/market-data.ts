// Market data as TWS streams it: tick types per market data type, full quote on subscribe, changes afterwards.
import * as R from '../protocol/responses';
import type { OutMessage } from '../protocol/responses';
import type { Instrument } from './instruments';
import type { Quote } from './prices';

export interface MarketDataSub {
  inst: Instrument;
  /** 1 live, 2 frozen, 3 delayed, 4 delayed-frozen: the type actually served. */
  type: number;
  /** What the client was last sent, to send only changes. */
  last?: { bid: number; ask: number; last: number; volume: number };
}

// IB's TickType ids: live 0 bid size, 1 bid, 2 ask, 3 ask size, 4 last, 5 last size, 6 high, 7 low, 8 volume, 9 close,
// 45 last timestamp; delayed 66 bid, 67 ask, 68 last, 69-71 sizes, 72 high, 73 low, 74 volume, 75 close, 88 timestamp.
const LIVE = { bid: 1, ask: 2, last: 4, bidSize: 0, askSize: 3, lastSize: 5, high: 6, low: 7, volume: 8, close: 9, ts: 45 };
const DELAYED = { bid: 66, ask: 67, last: 68, bidSize: 69, askSize: 70, lastSize: 71, high: 72, low: 73, volume: 74, close: 75, ts: 88 };

/** The ticks for a subscription: everything when `full`, else only what changed since the last call (which it records). */
export function quoteMessages(reqId: number, sub: MarketDataSub, q: Quote, full: boolean, nowSeconds: number): OutMessage[] {
  const T = sub.type === 3 || sub.type === 4 ? DELAYED : LIVE;
  const prev = full ? undefined : sub.last;
  const out: OutMessage[] = [];
  // TWS sends each price with its size, then the size again as its own tick (the client relies on the latter for
  // BID_SIZE: tick type 0 is falsy in @stoqey/ib's decoder, so the embedded bid size is never emitted).
  if (!prev || prev.bid !== q.bid) out.push(R.tickPrice(reqId, T.bid, q.bid, q.bidSize, 1), R.tickSize(reqId, T.bidSize, q.bidSize));
  if (!prev || prev.ask !== q.ask) out.push(R.tickPrice(reqId, T.ask, q.ask, q.askSize, 1), R.tickSize(reqId, T.askSize, q.askSize));
  if (!prev || prev.last !== q.last || prev.volume !== q.volume) {
    out.push(
      R.tickPrice(reqId, T.last, q.last, q.lastSize, 0),
      R.tickSize(reqId, T.lastSize, q.lastSize),
      R.tickSize(reqId, T.volume, q.volume),
      R.tickString(reqId, T.ts, String(nowSeconds)),
    );
  }
  if (full) {
    out.push(
      R.tickPrice(reqId, T.high, q.high, undefined, 0),
      R.tickPrice(reqId, T.low, q.low, undefined, 0),
      R.tickPrice(reqId, T.close, q.close, undefined, 0),
    );
  }
  sub.last = { bid: q.bid, ask: q.ask, last: q.last, volume: q.volume };
  return out;
}
