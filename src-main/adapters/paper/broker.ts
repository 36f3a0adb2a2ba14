// The paper broker: works orders against the demo market's quotes with commissions and adverse slippage.
//
// Across restarts it behaves like a broker that keeps orders: its book is the store. Every order the trading service
// recorded as sent ('submitted', 'working', 'partially-filled') is held by the paper broker; after a restart, restore()
// reloads them from the store and works them again (acknowledging those that had not been yet). Nothing is re-sent and
// no order is held twice: the trading service never calls placeOrder for them again, and the lock on the data folder
// keeps a second instance from restoring the same book. A fill the broker computed but the store never committed (a
// kill in between) was never booked, so the order is still working after the restart and fills once, at the then
// current price: the ledger has exactly the fills it acknowledged.
import { Emitter } from '../../../src-shared/common/emitter';
import type { Instrument, Order, OrderType, Quote } from '../../../src-shared/domain/types';
import type { Broker, BrokerEvent } from '../../ports/broker';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import type { MarketData } from '../../ports/market-data';
import { roundToTick } from '../demo/instruments';
import { quantityProblem } from '../../domain/risk';
import { commissionFor } from './commission';
import type { Dec } from '../../domain/money';

export interface PaperBrokerOptions {
  market: MarketData;
  clock: Clock;
  slippageBps?: number;
  commission?: typeof commissionFor;
  /** The orders the store records as sent and still open (the paper broker's book across restarts). */
  book?: () => Promise<Order[]>;
  /** Why the account cannot trade an instrument (rejected with these words), or null. */
  refuse?: (instrument: Instrument) => string | null;
  /** The rate of the instrument's quote currency in the account currency (commissions are charged in the account
   * currency on the converted notional); absent: every instrument is quoted in the account currency. */
  toAccount?: (instrument: Instrument) => Dec | undefined;
}

interface Working {
  order: Order;
  remaining: number;
  triggered: boolean;
}

/** What the paper book fills itself (stop-limit and trailing stops are held by the trading service). */
const NATIVE: readonly OrderType[] = ['market', 'limit', 'stop'];

export function createPaperBroker(opts: PaperBrokerOptions): Broker {
  const events = new Emitter<BrokerEvent>();
  const working = new Map<string, Working>();
  const commission = opts.commission ?? commissionFor;
  const slip = (opts.slippageBps ?? 1) / 10_000;
  let nextBrokerId = 1;
  let nextExec = 1;
  // Execution ids must never repeat across runs (a repeated one is dropped as already booked), even on a manual clock.
  const runId = `${opts.clock.now().toString(36)}${crypto.randomUUID().slice(0, 6)}`;

  const emit = (e: BrokerEvent) => events.emit(e);

  function tryFill(w: Working, q: Quote): void {
    const { order } = w;
    const inst = opts.market.instrument(order.symbol);
    if (!inst || !opts.market.isOpen(order.symbol, q.time)) return;
    const buy = order.side === 'buy';
    const touch = buy ? q.ask : q.bid;
    let price: number | undefined;
    switch (order.type) {
      case 'market':
        price = touch * (buy ? 1 + slip : 1 - slip);
        break;
      case 'limit': {
        const limit = order.limitPrice!;
        if (buy ? touch <= limit : touch >= limit) price = buy ? Math.min(limit, touch) : Math.max(limit, touch);
        break;
      }
      case 'stop': {
        const stop = order.stopPrice!;
        if (!w.triggered && (buy ? q.last >= stop : q.last <= stop)) w.triggered = true;
        if (w.triggered) price = touch * (buy ? 1 + slip : 1 - slip);
        break;
      }
    }
    if (price === undefined) return;
    price = roundToTick(price, inst.tickSize);
    const quantity = w.remaining;
    working.delete(order.id);
    emit({ kind: 'fill', orderId: order.id, execId: `PX-${runId}-${nextExec++}`, quantity, price, commission: commission(inst, quantity, price, opts.toAccount?.(inst)), time: q.time });
  }

  /** Takes an order into the book and tries it against the current quote. */
  function work(order: Order, ack: boolean): void {
    const time = opts.clock.now();
    const inst = opts.market.instrument(order.symbol);
    if (!inst) return emit({ kind: 'reject', orderId: order.id, reason: `Unknown symbol ${order.symbol}`, time });
    const refused = opts.refuse?.(inst);
    if (refused) return emit({ kind: 'reject', orderId: order.id, reason: refused, time });
    const problem = quantityProblem(order.quantity, inst.lotSize, order.symbol);
    if (problem) return emit({ kind: 'reject', orderId: order.id, reason: problem, time });
    const w: Working = { order, remaining: order.quantity - order.filledQuantity, triggered: false };
    working.set(order.id, w);
    if (ack) emit({ kind: 'ack', orderId: order.id, brokerOrderId: `PAPER-${runId}-${nextBrokerId++}`, time });
    const q = opts.market.lastQuote(order.symbol);
    // Fill immediately against the current quote when the session is open; otherwise wait for the next quote.
    if (q && opts.market.isOpen(order.symbol, time)) tryFill(w, { ...q, time });
  }

  const quotes = opts.market.onQuote((q) => {
    for (const w of [...working.values()]) if (w.order.symbol === q.symbol) tryFill(w, q);
  });

  return {
    name: 'paper',
    capabilities: { nativeBrackets: false, keepsOrders: false, nativeOrderTypes: NATIVE },
    notReadyReason: () => null,
    placeOrder(order) {
      setImmediate(() => {
        // Keyed by our client order id: an order already in the book is not taken twice.
        if (!working.has(order.id)) work(order, true);
      });
    },
    async restore(except) {
      for (const order of (await opts.book?.()) ?? []) {
        // Types it lacks (and the stops the app manages: `except`) are held by the trading service, which restores them.
        if (working.has(order.id) || order.status === 'new' || !NATIVE.includes(order.type) || except?.has(order.id)) continue;
        work(order, order.brokerOrderId === null || order.status === 'submitted');
      }
    },
    cancelOrder(orderId) {
      setImmediate(() => {
        // Unknown or finished orders: nothing to cancel, and no event (the trading service knows the order's state).
        if (!working.delete(orderId)) return;
        emit({ kind: 'cancelled', orderId, time: opts.clock.now() });
      });
    },
    modifyOrder(order) {
      setImmediate(() => {
        const w = working.get(order.id);
        const time = opts.clock.now();
        if (!w) return emit({ kind: 'modify-rejected', orderId: order.id, reason: 'The order is no longer working (filled or cancelled)', time });
        const inst = opts.market.instrument(order.symbol);
        const problem = inst ? quantityProblem(order.quantity, inst.lotSize, order.symbol) : null;
        if (problem) return emit({ kind: 'modify-rejected', orderId: order.id, reason: problem, time });
        // In place: what has filled stays filled; a stop already triggered stays triggered.
        w.order = { ...w.order, quantity: order.quantity, limitPrice: order.limitPrice, stopPrice: order.stopPrice };
        w.remaining = order.quantity - order.filledQuantity;
        emit({ kind: 'modified', orderId: order.id, quantity: order.quantity, limitPrice: order.limitPrice, stopPrice: order.stopPrice, time });
        // A limit moved through the market fills now, as a new one would.
        const q = opts.market.lastQuote(order.symbol);
        if (q && opts.market.isOpen(order.symbol, time)) tryFill(w, { ...q, time });
      });
    },
    workingOrderIds: () => [...working.keys()],
    onEvent(listener): Disposable {
      return events.on(listener);
    },
    dispose() {
      quotes.dispose();
      events.clear();
      working.clear();
    },
  };
}
