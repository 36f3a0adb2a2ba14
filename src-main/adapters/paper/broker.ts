// The paper broker: works orders against the demo market's quotes with commissions and adverse slippage.
// It keeps no state across restarts; the trading service re-sends its open orders at start-up.
import type { Order, Quote } from '../../../src-shared/domain/types';
import type { Broker, BrokerEvent } from '../../ports/broker';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import type { MarketData } from '../../ports/market-data';
import { roundToTick } from '../demo/instruments';
import { commissionFor } from './commission';

export interface PaperBrokerOptions {
  market: MarketData;
  clock: Clock;
  slippageBps?: number;
  commission?: typeof commissionFor;
}

interface Working {
  order: Order;
  remaining: number;
  triggered: boolean;
}

export function createPaperBroker(opts: PaperBrokerOptions): Broker {
  const listeners = new Set<(e: BrokerEvent) => void>();
  const working = new Map<string, Working>();
  const commission = opts.commission ?? commissionFor;
  const slip = (opts.slippageBps ?? 1) / 10_000;
  let nextBrokerId = 1;
  let nextExec = 1;
  const runId = opts.clock.now().toString(36);

  const emit = (e: BrokerEvent) => {
    for (const l of listeners) l(e);
  };

  /** A multiple of the lot size, allowing for float representation (0.05 BTC with lot 0.001). */
  function isLotMultiple(q: number, lot: number): boolean {
    const n = q / lot;
    return Math.abs(n - Math.round(n)) < 1e-9 * Math.max(1, n);
  }

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
    emit({ kind: 'fill', orderId: order.id, execId: `PX-${runId}-${nextExec++}`, quantity, price, commission: commission(inst, quantity, price), time: q.time });
  }

  const quotes = opts.market.onQuote((q) => {
    for (const w of [...working.values()]) if (w.order.symbol === q.symbol) tryFill(w, q);
  });

  return {
    name: 'paper',
    capabilities: { nativeBrackets: false, keepsOrders: false },
    notReadyReason: () => null,
    placeOrder(order) {
      const inst = opts.market.instrument(order.symbol);
      const time = opts.clock.now();
      setImmediate(() => {
        if (!inst) return emit({ kind: 'reject', orderId: order.id, reason: `Unknown symbol ${order.symbol}`, time });
        const remaining = order.quantity - order.filledQuantity;
        if (!isLotMultiple(order.quantity, inst.lotSize))
          return emit({ kind: 'reject', orderId: order.id, reason: `Quantity ${order.quantity} is not a multiple of the lot size ${inst.lotSize} of ${order.symbol}`, time });
        const w: Working = { order, remaining, triggered: false };
        working.set(order.id, w);
        emit({ kind: 'ack', orderId: order.id, brokerOrderId: `PAPER-${nextBrokerId++}`, time });
        const q = opts.market.lastQuote(order.symbol);
        // Fill immediately against the current quote when the session is open; otherwise wait for the next quote.
        if (q && opts.market.isOpen(order.symbol, opts.clock.now())) tryFill(w, { ...q, time: opts.clock.now() });
      });
    },
    cancelOrder(orderId) {
      setImmediate(() => {
        // Unknown or finished orders: nothing to cancel, and no event (the trading service knows the order's state).
        if (!working.delete(orderId)) return;
        emit({ kind: 'cancelled', orderId, time: opts.clock.now() });
      });
    },
    workingOrderIds: () => [...working.keys()],
    onEvent(listener): Disposable {
      listeners.add(listener);
      return { dispose: () => void listeners.delete(listener) };
    },
    dispose() {
      quotes.dispose();
      listeners.clear();
      working.clear();
    },
  };
}
