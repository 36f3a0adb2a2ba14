// Orders the venue cannot hold (a type missing from its BrokerCapabilities.nativeOrderTypes, e.g. a trailing stop on the
// paper broker): the app holds them, watching quotes, and sends the venue's own order when they trigger — a trailing
// stop or a stop as a market order, a stop-limit as a limit order — under the same order id, so acks and fills book as
// usual. Every step is journaled before it is acted on; after a restart held orders are restored from the store (the
// trailing stop's current level is its stopPrice; its distance is in the order's intent).
import type { Order, OrderType, Quote } from '../../src-shared/domain/types';
import type { Logger } from '../logging';
import type { Broker } from '../ports/broker';
import type { Disposable } from '../ports/disposable';
import { freshPrice, type MarketData } from '../ports/market-data';
import type { Store } from '../ports/store';

export interface HeldOrdersOptions {
  broker: Broker;
  market: MarketData;
  store: Store;
  logger: Logger;
  /** Runs a step in the trading service's queue (one at a time with placements, cancels and broker events). */
  serial<T>(fn: () => Promise<T>): Promise<T>;
  /** Writes the order's new state with the audit entries that explain it, and tells listeners. */
  update(order: Order, entries: [kind: string, payload: Record<string, unknown>][]): Promise<Order>;
}

interface Held {
  order: Order;
  /** Trailing stops: distance in percent. */
  trailPercent: number | null;
  /** The level that triggers it (a trailing stop's moves with the best price). */
  stop: number;
  /** A trigger is being journaled and sent. */
  firing: boolean;
}

/** The trailing stop's level for the price `last`. */
const trailStop = (side: Order['side'], last: number, pct: number) => (side === 'sell' ? last * (1 - pct / 100) : last * (1 + pct / 100));

/** What the venue is sent when a held order triggers. */
function venueForm(order: Order): Order {
  return order.type === 'stop-limit' ? { ...order, type: 'limit', stopPrice: null, trailPercent: null } : { ...order, type: 'market', limitPrice: null, stopPrice: null, trailPercent: null };
}

export class HeldOrders implements Disposable {
  private readonly held = new Map<string, Held>();
  private quoteSub: Disposable | undefined;

  constructor(private readonly o: HeldOrdersOptions) {}

  /** Whether the venue takes this order type itself. */
  native(type: OrderType): boolean {
    return this.o.broker.capabilities.nativeOrderTypes.includes(type);
  }

  has(orderId: string): boolean {
    return this.held.has(orderId);
  }

  /** Starts holding a submitted order (journaled as working); the trailing stop starts from the last price. */
  async hold(order: Order): Promise<Order> {
    const pct = order.type === 'trailing-stop' ? order.trailPercent ?? null : null;
    let stop = order.stopPrice;
    if (pct !== null) {
      const last = freshPrice(this.o.market, order.symbol) ?? this.o.market.lastQuote(order.symbol)?.last;
      if (last === undefined) throw new Error(`No price for ${order.symbol}: a trailing stop cannot start`);
      stop = trailStop(order.side, last, pct);
    }
    if (stop === null) throw new Error(`A held ${order.type} order needs a stop price`);
    const working = await this.o.update({ ...order, status: 'working', stopPrice: stop }, [['order.held', { type: order.type, stop, trailPercent: pct }]]);
    this.track({ order: working, trailPercent: pct, stop, firing: false });
    return working;
  }

  /** Stops holding it (cancelled by the trader or the strategy); false when it is not held (already sent). */
  release(orderId: string): boolean {
    return this.held.delete(orderId);
  }

  /** After a restart: open orders of types the venue lacks are held again, or re-sent in the venue's form when their
   * trigger was journaled (the venue ignores an order id it already holds). */
  async restore(open: Order[]): Promise<void> {
    for (const order of open) {
      if (this.native(order.type) || order.status === 'new' || this.held.has(order.id)) continue;
      const audit = await this.o.store.audit.list({ orderId: order.id, limit: 100 });
      if (audit.some((e) => e.kind === 'order.held-triggered')) {
        this.o.broker.placeOrder(venueForm(order));
        continue;
      }
      const intent = audit.find((e) => e.kind === 'order.intent');
      const request = intent?.payload['request'] as { trailPercent?: unknown } | undefined;
      const pct = order.type === 'trailing-stop' && typeof request?.trailPercent === 'number' ? request.trailPercent : null;
      if (order.stopPrice === null || (order.type === 'trailing-stop' && pct === null)) {
        this.o.logger.error({ orderId: order.id, type: order.type }, 'a held order without its stop or trail could not be restored');
        continue;
      }
      this.track({ order: { ...order, trailPercent: pct }, trailPercent: pct, stop: order.stopPrice, firing: false });
    }
  }

  private track(h: Held): void {
    this.held.set(h.order.id, h);
    this.quoteSub ??= this.o.market.onQuote((q) => this.onQuote(q));
  }

  private onQuote(q: Quote): void {
    for (const h of this.held.values()) {
      if (h.order.symbol !== q.symbol || h.firing) continue;
      const buy = h.order.side === 'buy';
      // Checked against the level before this price moves it (as the backtest engine: the stop, then the new extreme).
      if (buy ? q.last >= h.stop : q.last <= h.stop) {
        h.firing = true;
        void this.o.serial(() => this.fire(h, q.last)).catch((err: unknown) => this.o.logger.error({ err, orderId: h.order.id }, 'a held order could not be sent'));
        continue;
      }
      if (h.trailPercent === null) continue;
      const next = trailStop(h.order.side, q.last, h.trailPercent);
      if (buy ? next >= h.stop : next <= h.stop) continue;
      h.stop = next;
      const order = { ...h.order, stopPrice: next };
      h.order = order;
      // Journaled so that a restart resumes from the level reached, not from the price after the restart.
      void this.o.serial(async () => {
        if (this.held.get(order.id) !== h) return; // sent or cancelled meanwhile
        await this.o.update({ ...h.order }, [['order.held-moved', { stop: h.stop }]]);
      }).catch((err: unknown) => this.o.logger.error({ err, orderId: order.id }, 'a trailing stop level could not be saved'));
    }
  }

  private async fire(h: Held, price: number): Promise<void> {
    if (this.held.get(h.order.id) !== h) return; // cancelled meanwhile
    this.held.delete(h.order.id);
    const venue = venueForm(h.order);
    await this.o.update({ ...h.order }, [['order.held-triggered', { price, stop: h.stop, sentAs: venue.type }]]);
    this.o.broker.placeOrder(venue);
  }

  dispose(): void {
    this.quoteSub?.dispose();
    this.quoteSub = undefined;
    this.held.clear();
  }
}
