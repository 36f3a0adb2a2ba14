// The order bookkeeping every CFD venue's execution client shares: orders queued while not ready, our orders at the
// venue by our id (quantity, filled, done), acknowledgements once, fills once by execution id, cancels kept until the
// venue knows the order, and the connect sequence: take a snapshot, hand it to the reconciler, handle what arrived
// meanwhile, then send what was queued. The venue subclass only speaks its wire (send, cancel, the snapshot).
import type { Order } from '../../../src-shared/domain/types';
import { Emitter } from '../../../src-shared/common/emitter';
import type { Logger } from '../../logging';
import type { BrokerEvent, BrokerExecution, BrokerSnapshot, Reconciler } from '../../ports/broker';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';

/** One of our orders as the venue has it. */
export interface PlacedOrder {
  quantity: number;
  filled: number;
  done: boolean;
}

/** What the execution client needs of the connection. */
export interface ExecutionLink {
  isConnected(): boolean;
  onConnected(l: () => void): Disposable;
  onDisconnected(l: () => void): Disposable;
  reset(reason: string): void;
}

export interface VenueExecutionOptions {
  /** The venue in words ("OANDA"). */
  venue: string;
  link: ExecutionLink;
  clock: Clock;
  logger: Logger;
  /** Why an order cannot go now while the link is down (with the connection's own message). */
  notConnectedReason: () => string;
}

/** Thrown while taking a snapshot when the connection it belongs to is gone: nothing to report. */
export class SnapshotAborted extends Error {}

export interface Queued {
  order: Order;
  children: Order[];
}

/** Fills count an order done once within this of its quantity (venues report units as decimals). */
const QUANTITY_EPSILON = 1e-9;

/** Adds a fill's quantity to an order; true when that filled it. */
export function addFill(p: PlacedOrder, quantity: number): boolean {
  p.filled += quantity;
  if (p.filled >= p.quantity - QUANTITY_EPSILON) p.done = true;
  return p.done;
}

/**
 * The base of the venue execution clients. `E` is what the venue's event stream carries (transactions, execution
 * events); those arriving while a snapshot is taken and reconciled are handled after it, in order.
 */
export abstract class VenueExecutionBase<P extends PlacedOrder, E = never> {
  protected readonly events = new Emitter<BrokerEvent>();
  protected readonly statusChanged = new Emitter();
  protected readonly subs: Disposable[] = [];
  protected reconciler: Reconciler | undefined;
  protected ready = false;
  protected reconciling = false;
  /** Changes on every connect and drop: answers to requests of an older link are recognised. */
  protected epoch = 0;
  protected readonly queue: Queued[] = [];
  protected readonly placed = new Map<string, P>();
  protected readonly acked = new Set<string>();
  protected readonly pendingCancels = new Set<string>();
  /** Executions handled (by execution id): a fill seen twice (an answer and a stream, a resend) is booked once. */
  protected readonly seen = new Set<string>();
  protected readonly announcedExternal = new Set<string>();
  private buffered: E[] | null = null;

  constructor(protected readonly base: VenueExecutionOptions) {
    this.subs.push(base.link.onConnected(() => void this.onConnected()));
    this.subs.push(base.link.onDisconnected(() => this.onDisconnected()));
  }

  /** Sends an order (and its bracket legs, where the venue takes them) now: the client is ready and connected. */
  protected abstract send(order: Order, children: Order[]): void | Promise<void>;
  abstract cancelOrder(orderId: string): void;
  /** The venue's view on (re)connect: open orders, finished ones, executions since the last handled, positions. */
  protected abstract fetchSnapshot(epoch: number): Promise<BrokerSnapshot>;
  /** One event of the venue's stream (never called for events that arrive during a snapshot until it is applied). */
  protected handle(_event: E): void {}
  /** After a reconciliation, before queued orders go out (start the venue's polls). */
  protected afterReady(_epoch: number): void {}
  /** After the link dropped (stop the venue's polls). */
  protected afterDrop(): void {}

  setReconciler(reconciler: Reconciler): void {
    this.reconciler = reconciler;
    if (this.base.link.isConnected() && !this.ready) void this.onConnected();
  }

  onEvent(listener: (e: BrokerEvent) => void): Disposable {
    return this.events.on(listener);
  }

  onStatusChange(listener: () => void): Disposable {
    return this.statusChanged.on(listener);
  }

  protected emit(e: BrokerEvent): void {
    this.events.emit(e);
  }

  protected changed(): void {
    this.statusChanged.emit();
  }

  isReady(): boolean {
    return this.ready;
  }

  queuedOrders(): number {
    return this.queue.length;
  }

  notReadyReason(): string | null {
    if (this.ready && this.base.link.isConnected()) return null;
    if (this.base.link.isConnected()) return `Reconciling with ${this.base.venue} after connecting: orders are accepted again in a moment`;
    return this.base.notConnectedReason();
  }

  workingOrderIds(): string[] {
    const ids = this.queue.map((q) => q.order.id);
    for (const [id, p] of this.placed) if (!p.done) ids.push(id);
    return ids;
  }

  placeOrder(order: Order, children: Order[] = []): void {
    if (this.queue.some((q) => q.order.id === order.id)) return;
    if (this.placed.has(order.id) && !this.reconciling) return;
    if (!this.reconciling && !(this.ready && this.base.link.isConnected())) return this.enqueue(order, children);
    void this.send(order, children);
  }

  /** Kept for the next reconciliation (not connected, or the link went between the check and the send). */
  protected enqueue(order: Order, children: Order[] = []): void {
    this.queue.push({ order, children });
    this.changed();
  }

  /** A cancel of an order still in our queue: it never left, so it (and its legs) are cancelled here. True if it was. */
  protected cancelQueued(orderId: string): boolean {
    const q = this.queue.findIndex((x) => x.order.id === orderId);
    if (q < 0) return false;
    const [{ children }] = this.queue.splice(q, 1) as [Queued];
    const time = this.base.clock.now();
    setImmediate(() => {
      for (const id of [orderId, ...children.map((c) => c.id)]) this.emit({ kind: 'cancelled', orderId: id, time });
    });
    this.changed();
    return true;
  }

  /** A modify refused before it was sent, in words (on the next turn, as the caller expects an event later). */
  protected refuseModify(orderId: string, reason: string): void {
    const time = this.base.clock.now();
    setImmediate(() => this.emit({ kind: 'modify-rejected', orderId, reason, time }));
  }

  protected ack(orderId: string, brokerOrderId: string): void {
    if (this.acked.has(orderId)) return;
    this.acked.add(orderId);
    this.emit({ kind: 'ack', orderId, brokerOrderId, time: this.base.clock.now() });
  }

  /** A fill of `orderId` (ours or an external id), booked once by its execution id. */
  protected fill(orderId: string, e: BrokerExecution, ackAs?: string): void {
    if (this.seen.has(e.execId)) return;
    this.seen.add(e.execId);
    const p = this.placed.get(orderId);
    if (p) {
      this.ack(orderId, ackAs ?? e.brokerOrderId);
      addFill(p, e.quantity);
    }
    this.emit({ kind: 'fill', orderId, execId: e.execId, quantity: e.quantity, price: e.price, commission: e.commission, time: e.time, execution: e });
  }

  /** The order ended at the venue: cancelled, or rejected with the venue's reason in words. */
  protected finish(orderId: string, reject?: string): void {
    const p = this.placed.get(orderId);
    if (!p || p.done) return;
    p.done = true;
    const time = this.base.clock.now();
    this.emit(reject === undefined ? { kind: 'cancelled', orderId, time } : { kind: 'reject', orderId, reason: reject, time });
  }

  /** A snapshot's execution is booked by the reconciliation: a later copy from the stream or a poll is a duplicate. */
  protected noteSnapshotFill(e: BrokerExecution): void {
    if (this.seen.has(e.execId)) return;
    this.seen.add(e.execId);
    const p = e.clientOrderId ? this.placed.get(e.clientOrderId) : undefined;
    if (p) addFill(p, e.quantity);
  }

  /** An event from the venue's stream: buffered while a snapshot is taken and applied, else handled now. */
  protected deliver(e: E): void {
    if (this.buffered) this.buffered.push(e);
    else this.handle(e);
  }

  private flushQueue(): void {
    const items = this.queue.splice(0);
    this.changed();
    for (const { order, children } of items) {
      if (this.placed.has(order.id)) continue;
      void this.send(order, children);
    }
    for (const id of [...this.pendingCancels]) {
      this.pendingCancels.delete(id);
      this.cancelOrder(id);
    }
  }

  private onDisconnected(): void {
    this.epoch++;
    this.ready = false;
    this.reconciling = false;
    this.buffered = null;
    this.afterDrop();
    this.changed();
  }

  private async onConnected(): Promise<void> {
    const epoch = ++this.epoch;
    this.ready = false;
    if (!this.reconciler) return;
    this.buffered = [];
    this.changed();
    try {
      const snapshot = await this.fetchSnapshot(epoch);
      if (epoch !== this.epoch) return;
      this.reconciling = true;
      try {
        await this.reconciler(snapshot);
      } finally {
        this.reconciling = false;
      }
      if (epoch !== this.epoch || !this.base.link.isConnected()) return;
      const later = this.buffered ?? [];
      this.buffered = null;
      for (const e of later) this.handle(e);
      this.ready = true;
      this.changed();
      this.afterReady(epoch);
      this.flushQueue();
    } catch (err) {
      if (err instanceof SnapshotAborted || epoch !== this.epoch) return;
      this.base.logger.error({ err: (err as Error).message }, `${this.base.venue}: reconciliation failed; reconnecting`);
      this.base.link.reset('reconciliation failed');
    }
  }

  dispose(): void {
    this.epoch++;
    this.afterDrop();
    for (const s of this.subs) s.dispose();
    this.events.clear();
    this.statusChanged.clear();
  }
}
