// Orders the venue cannot hold (a type missing from its BrokerCapabilities.nativeOrderTypes, e.g. a trailing stop on the
// paper broker) and stops the app manages (break-even, time exit): the app holds them, watching quotes, and sends the
// venue's own order when they trigger — a trailing stop or a stop as a market order, a stop-limit as a limit order —
// under the same order id, so acks and fills book as usual. Every step is journaled before it is acted on; after a
// restart held orders are restored from the store (the stop's current level is its stopPrice; how it trails, its
// break-even and its time exit are in the order's intent and its 'order.held' entry).
//
// Dynamic stops:
// - trailing by percent (trailPercent), by a distance in price (trailAmount), or by a multiple of ATR(14) on hourly bars
//   (trailAtrMultiple), turned into a fixed distance when the stop is placed: a stop whose distance changed with
//   volatility after it was set would move back against the trader, which a stop must never do;
// - break-even (breakEvenAfter): once the position is that far in profit from its average price (read when the stop is
//   held), the stop moves to that price, if that is better than where it is; trailing continues from there;
// - time exit (exitAt): at that time (the quote's time, so the deterministic clock drives it in tests) the stop is sent
//   as a market order whatever the price.
import type { ValidOrderRequest } from '../../src-shared/api/order-request';
import type { Order, OrderType, Quote } from '../../src-shared/domain/types';
import type { Logger } from '../logging';
import type { Broker } from '../ports/broker';
import type { Disposable } from '../ports/disposable';
import { freshPrice, type MarketData } from '../ports/market-data';
import type { Store } from '../ports/store';
import { atr } from '../../src-shared/domain/indicators/batch';

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

/** How a trailing stop follows the best price. */
export type Trail = { kind: 'percent'; value: number } | { kind: 'distance'; value: number };

/** What the app manages on top of the order type (from the order request). */
export type StopManagement = Pick<ValidOrderRequest, 'trailAmount' | 'trailAtrMultiple' | 'breakEvenAfter' | 'exitAt'>;

interface Held {
  order: Order;
  trail: Trail | null;
  /** The level that triggers it (a trailing stop's moves with the best price). */
  stop: number;
  /** Break-even: the profit that moves the stop to `entry`; done once moved (or once the stop is past it). */
  breakEven: { after: number; entry: number; done: boolean } | null;
  exitAt: number | null;
  /** A trigger is being journaled and sent. */
  firing: boolean;
}

const ATR_BARS = 14;

/** The trailing stop's level for the price `last`. */
function trailStop(side: Order['side'], last: number, trail: Trail): number {
  const d = trail.kind === 'percent' ? (last * trail.value) / 100 : trail.value;
  return side === 'sell' ? last - d : last + d;
}

/** What the venue is sent when a held order triggers. */
function venueForm(order: Order): Order {
  return order.type === 'stop-limit' ? { ...order, type: 'limit', stopPrice: null, trailPercent: null } : { ...order, type: 'market', limitPrice: null, stopPrice: null, trailPercent: null };
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export class HeldOrders implements Disposable {
  private readonly held = new Map<string, Held>();
  private quoteSub: Disposable | undefined;

  constructor(private readonly o: HeldOrdersOptions) {}

  /** Whether the venue takes this order type itself. */
  native(type: OrderType): boolean {
    return this.o.broker.capabilities.nativeOrderTypes.includes(type);
  }

  /** Whether the app must hold the order even when the venue has its type (break-even, time exit). */
  static managed(m: StopManagement): boolean {
    return m.breakEvenAfter !== undefined || m.exitAt !== undefined;
  }

  has(orderId: string): boolean {
    return this.held.has(orderId);
  }

  /** Starts holding a submitted order (journaled as working); a trailing stop starts from the last price. */
  async hold(order: Order, m: StopManagement = {}): Promise<Order> {
    let trail: Trail | null = null;
    let atrValue: number | undefined;
    if (order.type === 'trailing-stop') {
      if (order.trailPercent !== null && order.trailPercent !== undefined) trail = { kind: 'percent', value: order.trailPercent };
      else if (m.trailAmount !== undefined) trail = { kind: 'distance', value: m.trailAmount };
      else if (m.trailAtrMultiple !== undefined) {
        atrValue = await this.atr(order.symbol);
        if (atrValue === undefined) {
          const reason = `Not enough hourly bars of ${order.symbol} for ATR(${ATR_BARS}): the trailing stop cannot be placed`;
          return this.o.update({ ...order, status: 'rejected', rejectReason: reason }, [['order.rejected', { by: 'terminal', reason }]]);
        }
        trail = { kind: 'distance', value: m.trailAtrMultiple * atrValue };
      }
    }
    let stop = order.stopPrice;
    if (trail !== null) {
      const last = freshPrice(this.o.market, order.symbol) ?? this.o.market.lastQuote(order.symbol)?.last;
      if (last === undefined) throw new Error(`No price for ${order.symbol}: a trailing stop cannot start`);
      stop = trailStop(order.side, last, trail);
    }
    if (stop === null) throw new Error(`A held ${order.type} order needs a stop price`);
    const breakEven = m.breakEvenAfter !== undefined ? await this.breakEven(order, stop, m.breakEvenAfter) : null;
    const exitAt = m.exitAt ?? null;
    const working = await this.o.update({ ...order, status: 'working', stopPrice: stop }, [['order.held', {
      type: order.type, stop, trailPercent: trail?.kind === 'percent' ? trail.value : null, trail,
      ...(atrValue !== undefined ? { atr: atrValue, atrMultiple: m.trailAtrMultiple } : {}),
      ...(breakEven ? { breakEvenAfter: breakEven.after, entry: breakEven.entry } : {}), ...(exitAt !== null ? { exitAt } : {}),
    }]]);
    this.track({ order: working, trail, stop, breakEven, exitAt, firing: false });
    return working;
  }

  /** ATR(14) of the hourly bars, or undefined with too few. */
  private async atr(symbol: string): Promise<number | undefined> {
    const bars = await this.o.market.history(symbol, '1h', ATR_BARS * 4);
    const series = atr(bars.map((b) => b.high), bars.map((b) => b.low), bars.map((b) => b.close), ATR_BARS);
    const v = series[series.length - 1];
    return v !== undefined && Number.isFinite(v) && v > 0 ? v : undefined;
  }

  /** The entry is the position's average price now; a stop that closes nothing yet has no break-even. */
  private async breakEven(order: Order, stop: number, after: number): Promise<Held['breakEven']> {
    const pos = await this.o.store.positions.get(order.accountId, order.symbol);
    if (!pos || pos.quantity === 0 || (order.side === 'sell') !== pos.quantity > 0) {
      this.o.logger.warn({ orderId: order.id }, 'break-even without a position to protect: ignored');
      return null;
    }
    const entry = pos.avgPrice;
    return { after, entry, done: order.side === 'sell' ? stop >= entry : stop <= entry };
  }

  /** A modify of a held order: its new stop level and quantity (a trailing stop keeps trailing from the new level). */
  modify(order: Order): void {
    const h = this.held.get(order.id);
    if (!h || order.stopPrice === null) return;
    h.order = { ...h.order, quantity: order.quantity, stopPrice: order.stopPrice, limitPrice: order.limitPrice };
    h.stop = order.stopPrice;
  }

  /** Stops holding it (cancelled by the trader or the strategy); false when it is not held (already sent). */
  release(orderId: string): boolean {
    return this.held.delete(orderId);
  }

  /** The open orders of types the venue has that the app manages (the venue must not restore them into its book). */
  async managedIds(open: Order[]): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const order of open) {
      if (!this.native(order.type) || order.status === 'new') continue;
      const intent = (await this.o.store.audit.list({ orderId: order.id, limit: 100 })).find((e) => e.kind === 'order.intent');
      const request = (intent?.payload['request'] ?? {}) as Record<string, unknown>;
      if (HeldOrders.managed({ breakEvenAfter: num(request['breakEvenAfter']), exitAt: num(request['exitAt']) })) ids.add(order.id);
    }
    return ids;
  }

  /** After a restart: open orders of types the venue lacks (and managed stops) are held again, or re-sent in the venue's
   * form when their trigger was journaled (the venue ignores an order id it already holds). */
  async restore(open: Order[]): Promise<void> {
    const managed = await this.managedIds(open);
    for (const order of open) {
      if ((this.native(order.type) && !managed.has(order.id)) || order.status === 'new' || this.held.has(order.id)) continue;
      const audit = await this.o.store.audit.list({ orderId: order.id, limit: 100 });
      if (audit.some((e) => e.kind === 'order.held-triggered')) {
        this.o.broker.placeOrder(venueForm(order));
        continue;
      }
      const request = (audit.find((e) => e.kind === 'order.intent')?.payload['request'] ?? {}) as Record<string, unknown>;
      const heldEntry = (audit.find((e) => e.kind === 'order.held')?.payload ?? {}) as Record<string, unknown>;
      let trail: Trail | null = null;
      const saved = heldEntry['trail'] as Trail | null | undefined;
      if (order.type === 'trailing-stop') {
        if (saved && (saved.kind === 'percent' || saved.kind === 'distance') && num(saved.value) !== undefined) trail = saved;
        else if (num(request['trailPercent']) !== undefined) trail = { kind: 'percent', value: num(request['trailPercent'])! };
        else if (num(request['trailAmount']) !== undefined) trail = { kind: 'distance', value: num(request['trailAmount'])! };
      }
      if (order.stopPrice === null || (order.type === 'trailing-stop' && trail === null)) {
        this.o.logger.error({ orderId: order.id, type: order.type }, 'a held order without its stop or trail could not be restored');
        continue;
      }
      const after = num(request['breakEvenAfter']);
      const entry = num(heldEntry['entry']);
      const breakEven = after !== undefined && entry !== undefined
        ? { after, entry, done: order.side === 'sell' ? order.stopPrice >= entry : order.stopPrice <= entry } : null;
      const pct = trail?.kind === 'percent' ? trail.value : null;
      this.track({ order: { ...order, trailPercent: pct }, trail, stop: order.stopPrice, breakEven, exitAt: num(request['exitAt']) ?? null, firing: false });
    }
  }

  private track(h: Held): void {
    this.held.set(h.order.id, h);
    this.quoteSub ??= this.o.market.onQuote((q) => this.onQuote(q));
  }

  private onQuote(q: Quote): void {
    for (const h of this.held.values()) {
      if (h.order.symbol !== q.symbol || h.firing) continue;
      const sell = h.order.side === 'sell';
      if (h.exitAt !== null && q.time >= h.exitAt) {
        this.trigger(h, q.last, 'time exit');
        continue;
      }
      // Checked against the level before this price moves it (as the backtest engine: the stop, then the new extreme).
      if (sell ? q.last <= h.stop : q.last >= h.stop) {
        this.trigger(h, q.last, 'stop');
        continue;
      }
      let next = h.stop;
      let by = '';
      const be = h.breakEven;
      if (be && !be.done && (sell ? q.last - be.entry : be.entry - q.last) >= be.after) {
        be.done = true;
        if (sell ? be.entry > next : be.entry < next) {
          next = be.entry;
          by = 'break-even';
        }
      }
      if (h.trail !== null) {
        const trailed = trailStop(h.order.side, q.last, h.trail);
        if (sell ? trailed > next : trailed < next) {
          next = trailed;
          by = by ? `${by}, trail` : 'trail';
        }
      }
      if (next !== h.stop) this.move(h, next, by);
    }
  }

  private trigger(h: Held, price: number, by: string): void {
    h.firing = true;
    void this.o.serial(() => this.fire(h, price, by)).catch((err: unknown) => this.o.logger.error({ err, orderId: h.order.id }, 'a held order could not be sent'));
  }

  private move(h: Held, stop: number, by: string): void {
    h.stop = stop;
    h.order = { ...h.order, stopPrice: stop };
    // Journaled so that a restart resumes from the level reached, not from the price after the restart.
    void this.o.serial(async () => {
      if (this.held.get(h.order.id) !== h) return; // sent or cancelled meanwhile
      await this.o.update({ ...h.order }, [['order.held-moved', { stop: h.stop, by }]]);
    }).catch((err: unknown) => this.o.logger.error({ err, orderId: h.order.id }, 'a stop level could not be saved'));
  }

  private async fire(h: Held, price: number, by: string): Promise<void> {
    if (this.held.get(h.order.id) !== h) return; // cancelled meanwhile
    this.held.delete(h.order.id);
    const venue = venueForm(h.order);
    // The quote as it is sent: the arrival its slippage is measured from (services/trading.ts reads it from here).
    const q = this.o.market.lastQuote(h.order.symbol);
    const arrival = q && q.bid > 0 && q.ask >= q.bid ? { bid: q.bid, ask: q.ask, time: q.time } : undefined;
    await this.o.update({ ...h.order }, [['order.held-triggered', { price, stop: h.stop, sentAs: venue.type, by, ...(arrival ? { arrival } : {}) }]]);
    this.o.broker.placeOrder(venue);
  }

  dispose(): void {
    this.quoteSub?.dispose();
    this.quoteSub = undefined;
    this.held.clear();
  }
}
