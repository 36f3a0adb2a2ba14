// The IB execution client: the Broker port over an IbConnection. Order ids never go below the highest one used (kept in
// the settings table: TWS can hand back a lower nextValidId after a restart); our order id travels in orderRef so a
// resend after a crash or reconnect is checked against TWS first; fills are emitted only with their commission.
// On every (re)connect it fetches a snapshot (open and completed orders, executions, positions) and hands it to the
// reconciler before any new order is sent.
import { EventName, type CommissionReport, type Contract, type Execution, type Order as IbOrder, type OrderState } from '@stoqey/ib';
import type { Instrument, Order } from '../../../src-shared/domain/types';
import type { Logger } from '../../logging';
import type { Broker, BrokerEvent, BrokerExecution, BrokerOrderReport, BrokerPosition, BrokerSnapshot, Reconciler } from '../../ports/broker';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import { realTimers, type Timers } from '../../ports/timers';
import { externalOrderId } from '../../domain/reconcile';
import type { IbTimings } from './config';
import type { IbConnection } from './connection';
import { classifyIbError, describeIbError } from './errors';
import { IbRequests } from './requests';
import { clientOrderIdOf, contractFor, executionOf, formatIbFilterTime, ibOrderFor, orderReportOf, symbolOf } from './parsing';
import { Emitter } from '../../../src-shared/common/emitter';

/** Where the highest order id used is kept (the settings table). */
export interface OrderIdStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

export interface IbExecutionOptions {
  conn: IbConnection;
  clock: Clock;
  logger: Logger;
  timings: IbTimings;
  /** Timeouts of snapshot requests (virtual in tests); real timers by default. */
  timers?: Timers;
  instrument: (symbol: string) => Instrument | undefined;
  ids: OrderIdStore;
  /** Key prefix for the persisted order id (per TWS endpoint). */
  idKey: string;
  /** Time of the newest execution we booked (executions are requested from a little before it), or null. */
  lastExecutionTime?: () => Promise<number | null>;
  /** Ask TWS for completed orders too (TWS ≥ 976): an order cancelled or rejected while we were away is then never
   * re-sent. Default true. */
  completedOrders?: boolean;
}

interface Placed {
  ibId: number;
  done: boolean;
}

class Aborted extends Error {}

/** The TCP socket under @stoqey/ib 1.6's controller (private), to send a bracket in one write. */
function socketOf(api: unknown): { cork(): void; uncork(): void } | undefined {
  const client = (api as { controller?: { socket?: { client?: { cork?: unknown; uncork?: unknown } } } }).controller?.socket?.client;
  return client && typeof client.cork === 'function' && typeof client.uncork === 'function' ? (client as { cork(): void; uncork(): void }) : undefined;
}

/** IBApi's typed overloads do not accept an event name held in a variable; this is the untyped view of the same object. */
interface ApiEvents {
  on(event: string, fn: (...args: never[]) => void): unknown;
  off(event: string, fn: (...args: never[]) => void): unknown;
}

/** Executions are requested from this long before the newest one we booked (clock differences, same-second fills). */
const EXEC_LOOKBACK_MS = 60 * 60_000;

export class IbExecutionClient implements Broker {
  readonly name = 'ib';
  readonly capabilities = { nativeBrackets: true, keepsOrders: true, nativeOrderTypes: ['market', 'limit', 'stop', 'stop-limit', 'trailing-stop'] as const };
  private readonly events = new Emitter<BrokerEvent>();
  private readonly statusChanged = new Emitter();
  private readonly subs: Disposable[] = [];
  private reconciler: Reconciler | undefined;
  private ready = false;
  private reconciling = false;
  /** Bumped on every connect and disconnect: work of an older connection stops. */
  private epoch = 0;
  private readonly queue: { order: Order; children: Order[] }[] = [];
  private readonly placed = new Map<string, Placed>();
  private readonly byIbId = new Map<number, string>();
  private readonly acked = new Set<string>();
  private readonly pendingCancels = new Set<string>();
  /** Modifies sent and not yet answered: the values asked for, by our order id. */
  private readonly pendingModifies = new Map<string, { quantity: number; limitPrice: number | null; stopPrice: number | null }>();
  private readonly announcedExternal = new Set<string>();
  private readonly pendingExec = new Map<string, { contract: Contract; exec: Execution }>();
  private readonly commissions = new Map<string, number>();
  private readonly emittedExec = new Set<string>();
  private nextId = 0;
  private sendChain: Promise<void> = Promise.resolve();
  /** A snapshot being collected: live handlers feed it. */
  private collecting: { openOrders: Map<string, BrokerOrderReport> } | null = null;
  /** Aborts the snapshot requests of the current connection (disconnect, reconnect, dispose). */
  private collectAbort: AbortController | null = null;
  private readonly requests: IbRequests;
  /** Called on each commission report while a snapshot waits for its executions' commissions. */
  private commissionArrived: () => void = () => undefined;

  constructor(private readonly o: IbExecutionOptions) {
    this.requests = new IbRequests({
      timers: o.timers ?? realTimers, isConnected: () => o.conn.isConnected(), nextReqId: () => o.conn.nextReqId(), timeoutMs: o.timings.requestTimeoutMs,
    });
    const api = o.conn.api as unknown as ApiEvents;
    const on = <A extends unknown[]>(event: EventName, fn: (...args: A) => void) => {
      const h = fn as unknown as (...args: never[]) => void;
      api.on(event, h);
      this.subs.push({ dispose: () => void api.off(event, h) });
    };
    on(EventName.openOrder, (ibId: number, contract: Contract, order: IbOrder, state: OrderState) => this.onOpenOrder(ibId, contract, order, state));
    on(EventName.orderStatus, (ibId: number, status: string, filled: number) => this.onOrderStatus(ibId, status, filled));
    on(EventName.execDetails, (_reqId: number, contract: Contract, exec: Execution) => this.onExecDetails(contract, exec));
    on(EventName.commissionReport, (r: CommissionReport) => this.onCommission(r));
    on(EventName.error, (err: Error, code: number, reqId: number) => this.onError(err, code, reqId));
    this.subs.push(o.conn.onConnected(() => void this.onConnected()));
    this.subs.push(o.conn.onDisconnected(() => this.onDisconnected()));
    // TWS regained IB after 1100: orders may have filled meanwhile, so reconcile again before trading on.
    this.subs.push(o.conn.onRestored(() => void this.onConnected()));
  }

  setReconciler(reconciler: Reconciler): void {
    this.reconciler = reconciler;
    // Connected before anyone could reconcile: do it now (nothing is sent until it is done).
    if (this.o.conn.isConnected() && !this.ready) void this.onConnected();
  }

  onEvent(listener: (e: BrokerEvent) => void): Disposable {
    return this.events.on(listener);
  }

  onStatusChange(listener: () => void): Disposable {
    return this.statusChanged.on(listener);
  }

  private emit(e: BrokerEvent): void {
    this.events.emit(e);
  }

  private changed(): void {
    this.statusChanged.emit();
  }

  isReady(): boolean {
    return this.ready;
  }

  queuedOrders(): number {
    return this.queue.length;
  }

  notReadyReason(): string | null {
    if (this.ready && this.o.conn.orderChannelUp()) return null;
    if (this.o.conn.isConnected() && !this.o.conn.orderChannelUp()) return 'TWS has lost its connection to IB servers: orders cannot be sent until it is restored';
    if (this.o.conn.isConnected()) return 'Reconciling with Interactive Brokers after connecting: orders are accepted again in a moment';
    const message = this.o.conn.status().message;
    return `Not connected to Interactive Brokers${message ? ` (${message})` : ''}: the order was not sent`;
  }

  workingOrderIds(): string[] {
    const ids = this.queue.map((q) => q.order.id);
    for (const [id, p] of this.placed) if (!p.done) ids.push(id);
    return ids;
  }

  placeOrder(order: Order, children: Order[] = []): void {
    if (this.queue.some((q) => q.order.id === order.id)) return;
    // Sent on this connection already: a second call is a duplicate (only reconciliation may re-send, and it asks
    // only for orders TWS proved not to have).
    if (this.placed.has(order.id) && !this.reconciling) return;
    if (!this.reconciling && !(this.ready && this.o.conn.orderChannelUp())) {
      this.queue.push({ order, children });
      this.changed();
      return;
    }
    this.send(order, children);
  }

  cancelOrder(orderId: string): void {
    const q = this.queue.findIndex((x) => x.order.id === orderId);
    if (q >= 0) {
      const [{ children }] = this.queue.splice(q, 1) as [{ order: Order; children: Order[] }];
      const time = this.o.clock.now();
      setImmediate(() => {
        for (const id of [orderId, ...children.map((c) => c.id)]) this.emit({ kind: 'cancelled', orderId: id, time });
      });
      this.changed();
      return;
    }
    const p = this.placed.get(orderId);
    if (p?.done) return;
    // Not mapped yet (in flight, or before reconciliation): cancelled as soon as TWS reports it.
    if (p && this.ready && this.o.conn.isConnected()) this.o.conn.api.cancelOrder(p.ibId);
    else this.pendingCancels.add(orderId);
  }

  /**
   * TWS modifies an order when it is placed again under the same order id. Its answer is the openOrder that follows
   * (with the new values: 'modified') or an error on that id ('modify-rejected': the order keeps working as it was).
   * Total quantity as TWS counts it: the order's whole size, filled part included.
   */
  modifyOrder(order: Order): void {
    const time = this.o.clock.now();
    const p = this.placed.get(order.id);
    const instrument = this.o.instrument(order.symbol);
    const refuse = (reason: string): void => void setImmediate(() => this.emit({ kind: 'modify-rejected', orderId: order.id, reason, time }));
    if (!p || p.done) return refuse('The order is not working at Interactive Brokers (filled, cancelled, or not sent yet)');
    if (!instrument || !this.ready || !this.o.conn.orderChannelUp()) return refuse('Not connected to Interactive Brokers: the modify was not sent');
    const ib = { ...ibOrderFor(order, this.o.conn.accountCode()), totalQuantity: order.quantity };
    const parent = order.parentId ? this.placed.get(order.parentId) : undefined;
    if (parent) Object.assign(ib, { parentId: parent.ibId, ocaGroup: `qc-${order.parentId}`, ocaType: 1 });
    this.pendingModifies.set(order.id, { quantity: order.quantity, limitPrice: order.limitPrice, stopPrice: order.stopPrice });
    this.o.conn.api.placeOrder(p.ibId, contractFor(instrument), ib);
  }

  // --- sending ---

  private async allocate(n: number): Promise<number> {
    const first = this.nextId;
    this.nextId += n;
    // Written before the ids are used: after a crash the next session starts above them.
    await this.o.ids.set(this.o.idKey + this.o.conn.currentClientId(), String(this.nextId - 1));
    return first;
  }

  private send(order: Order, children: Order[]): void {
    const epoch = this.epoch;
    this.sendChain = this.sendChain.then(async () => {
      const instrument = this.o.instrument(order.symbol);
      if (!instrument) {
        const time = this.o.clock.now();
        for (const o of [order, ...children]) this.emit({ kind: 'reject', orderId: o.id, reason: `Unknown instrument ${order.symbol} for Interactive Brokers`, time });
        return;
      }
      const first = await this.allocate(1 + children.length);
      if (epoch !== this.epoch || !this.o.conn.orderChannelUp()) {
        // The connection went away while the id was being saved: nothing was sent; the next reconciliation decides.
        this.queue.unshift({ order, children });
        this.changed();
        return;
      }
      const contract = contractFor(instrument);
      const account = this.o.conn.accountCode();
      const parent = ibOrderFor(order, account);
      if (children.length > 0) parent.transmit = false;
      // A bracket goes out in one socket write: cut between the parent (transmit=false) and its last leg, TWS would
      // keep the parent untransmitted and invisible to open-order requests, and a re-send would place a second one.
      const socket = socketOf(this.o.conn.api);
      socket?.cork();
      try {
        this.record(order.id, first);
        this.o.conn.api.placeOrder(first, contract, parent);
        children.forEach((child, i) => {
          const leg = { ...ibOrderFor(child, account), parentId: first, ocaGroup: `qc-${order.id}`, ocaType: 1, transmit: i === children.length - 1 };
          this.record(child.id, first + 1 + i);
          this.o.conn.api.placeOrder(first + 1 + i, contract, leg);
        });
      } finally {
        socket?.uncork();
      }
    }).catch((err: unknown) => this.o.logger.error({ err }, 'IB: sending an order failed'));
  }

  private record(orderId: string, ibId: number): void {
    const previous = this.placed.get(orderId);
    if (previous) this.byIbId.delete(previous.ibId);
    this.placed.set(orderId, { ibId, done: false });
    this.byIbId.set(ibId, orderId);
    this.acked.delete(orderId);
  }

  private flushQueue(): void {
    const items = this.queue.splice(0);
    this.changed();
    for (const { order, children } of items) {
      if (this.placed.has(order.id)) continue; // reconciliation found or re-sent it
      this.send(order, children);
    }
    for (const id of [...this.pendingCancels]) {
      if (!this.placed.has(id)) continue; // still waiting for TWS to report it
      this.pendingCancels.delete(id);
      this.cancelOrder(id);
    }
  }

  // --- live messages ---

  private ourId(ibId: number, orderRef: string | undefined, permId: number | undefined): string {
    return this.byIbId.get(ibId) ?? clientOrderIdOf(orderRef) ?? externalOrderId({ permId: permId ? String(permId) : null, brokerOrderId: String(ibId) });
  }

  private onOpenOrder(ibId: number, contract: Contract, order: IbOrder, state: OrderState): void {
    const report = orderReportOf(ibId, contract, order, state?.status);
    const id = this.ourId(ibId, order.orderRef, order.permId);
    if (this.collecting) this.collecting.openOrders.set(report.permId ?? `${ibId}:${order.clientId ?? ''}`, report);
    if (order.clientId === undefined || order.clientId === this.o.conn.currentClientId()) {
      if (!this.byIbId.has(ibId) && clientOrderIdOf(order.orderRef)) {
        this.placed.set(id, { ibId, done: report.status !== 'working' });
        this.byIbId.set(ibId, id);
      }
    }
    if (report.status === 'working') this.ack(id, ibId);
    const m = this.pendingModifies.get(id);
    if (m && report.status === 'working' && this.byIbId.get(ibId) === id && report.quantity === m.quantity
      && (report.limitPrice === null || report.limitPrice === m.limitPrice) && (report.stopPrice === null || report.stopPrice === m.stopPrice)) {
      this.pendingModifies.delete(id);
      this.emit({ kind: 'modified', orderId: id, ...m, time: this.o.clock.now() });
    }
    if (report.status === 'working' && this.pendingCancels.has(id) && this.byIbId.get(ibId) === id && this.ready) {
      this.pendingCancels.delete(id);
      this.o.conn.api.cancelOrder(ibId);
    }
    const ours = this.byIbId.get(ibId) === id || clientOrderIdOf(order.orderRef) !== null;
    if (!ours && !this.collecting && !this.announcedExternal.has(id)) {
      this.announcedExternal.add(id);
      this.emit({ kind: 'external', report, time: this.o.clock.now() });
    }
  }

  private ack(id: string, ibId: number): void {
    if (this.acked.has(id)) return;
    this.acked.add(id);
    this.emit({ kind: 'ack', orderId: id, brokerOrderId: String(ibId), time: this.o.clock.now() });
  }

  private onOrderStatus(ibId: number, status: string, _filled: number): void {
    const id = this.byIbId.get(ibId);
    if (!id) return;
    const p = this.placed.get(id)!;
    const time = this.o.clock.now();
    switch (status) {
      case 'PreSubmitted':
      case 'Submitted':
        this.ack(id, ibId);
        return;
      case 'Filled':
        p.done = true;
        return;
      case 'Cancelled':
      case 'ApiCancelled':
        if (p.done) return;
        p.done = true;
        this.emit({ kind: 'cancelled', orderId: id, time });
        return;
      case 'Inactive':
        if (p.done) return;
        p.done = true;
        this.emit({ kind: 'reject', orderId: id, reason: 'IB made the order inactive (rejected or not allowed for this account)', time });
        return;
    }
  }

  private onError(err: Error, code: number, reqId: number): void {
    if (reqId === undefined || reqId < 0) return;
    const id = this.byIbId.get(reqId);
    if (!id) return;
    const p = this.placed.get(id)!;
    const info = classifyIbError(code, err?.message ?? '');
    if (info.class === 'order-reject' && this.pendingModifies.delete(id)) {
      // An answer to the modify: the order itself is untouched (TWS keeps working it as it was).
      this.emit({ kind: 'modify-rejected', orderId: id, reason: describeIbError(info), time: this.o.clock.now() });
      return;
    }
    if (info.class !== 'order-reject' || p.done) return;
    if (code === 202) {
      p.done = true;
      this.emit({ kind: 'cancelled', orderId: id, time: this.o.clock.now() });
    } else if (info.action === 'fail-request') {
      p.done = true;
      this.emit({ kind: 'reject', orderId: id, reason: describeIbError(info), time: this.o.clock.now() });
    }
  }

  private onExecDetails(contract: Contract, exec: Execution): void {
    if (!exec.execId) return;
    this.pendingExec.set(exec.execId, { contract, exec });
    this.tryFill(exec.execId);
  }

  private onCommission(r: CommissionReport): void {
    if (!r.execId) return;
    this.commissions.set(r.execId, Number(r.commission ?? 0));
    this.commissionArrived();
    this.tryFill(r.execId);
  }

  /** A fill is emitted once both halves are here (execution and commission), and only once per execution id. */
  private tryFill(execId: string): void {
    const pending = this.pendingExec.get(execId);
    const commission = this.commissions.get(execId);
    if (!pending || commission === undefined || this.emittedExec.has(execId) || this.collecting) return;
    this.emittedExec.add(execId);
    this.pendingExec.delete(execId);
    this.commissions.delete(execId);
    const e = executionOf(pending.contract, pending.exec, commission, this.o.clock.now());
    const orderId = this.ourId(pending.exec.orderId ?? -1, pending.exec.orderRef, pending.exec.permId);
    // An execution proves TWS accepted the order, even if its status message was lost or overtaken.
    if (this.byIbId.get(pending.exec.orderId ?? -1) === orderId) this.ack(orderId, pending.exec.orderId!);
    this.emit({ kind: 'fill', orderId, execId, quantity: e.quantity, price: e.price, commission: e.commission, time: e.time, execution: e });
  }

  // --- connect, snapshot, reconcile ---

  private onDisconnected(): void {
    this.epoch++;
    this.ready = false;
    this.reconciling = false;
    this.collectAbort?.abort(new Aborted('disconnected'));
    this.changed();
  }

  private async onConnected(): Promise<void> {
    const epoch = ++this.epoch;
    this.ready = false;
    if (!this.reconciler) return; // not ready until someone reconciles (setReconciler)
    this.collectAbort?.abort(new Aborted('reconnected'));
    this.changed();
    try {
      const stored = Number(await this.o.ids.get(this.o.idKey + this.o.conn.currentClientId()) ?? 0);
      this.nextId = Math.max(this.o.conn.validIdFromTws(), stored + 1, this.nextId);
      const snapshot = await this.fetchSnapshot(epoch);
      if (epoch !== this.epoch) return;
      this.reconciling = true;
      try {
        await this.reconciler(snapshot);
      } finally {
        this.reconciling = false;
      }
      if (epoch !== this.epoch || !this.o.conn.isConnected()) return;
      this.ready = true;
      this.changed();
      this.flushQueue();
    } catch (err) {
      if (err instanceof Aborted || epoch !== this.epoch) return;
      // A connection that cannot be reconciled is not traded on: drop it and try again with the backoff.
      this.o.logger.error({ err }, 'IB: reconciliation failed; reconnecting');
      this.o.conn.api.disconnect();
    }
  }

  /** Sends a request (`send`), feeding events to handlers until `end` (for which `isEnd` holds); rejects on timeout, on
   * disconnect or reconnect (`signal`). */
  private collect(
    what: string, signal: AbortSignal, send: (reqId: number) => void, handlers: Partial<Record<EventName, (...args: never[]) => void>>,
    end: EventName, isEnd: (reqId: number, ...args: never[]) => boolean = () => true,
  ): Promise<void> {
    const api = this.o.conn.api as unknown as ApiEvents;
    return this.requests.oneShot<void>(what, signal, (reqId, done) => {
      const entries = Object.entries(handlers) as [EventName, (...args: never[]) => void][];
      const onEnd = (...args: never[]) => {
        if (isEnd(reqId, ...args)) done(undefined);
      };
      for (const [ev, h] of entries) api.on(ev, h);
      api.on(end, onEnd);
      send(reqId);
      return () => {
        for (const [ev, h] of entries) api.off(ev, h);
        api.off(end, onEnd);
      };
    });
  }

  private async fetchSnapshot(epoch: number): Promise<BrokerSnapshot> {
    const api = this.o.conn.api;
    const account = this.o.conn.accountCode();
    const openOrders = new Map<string, BrokerOrderReport>();
    const filled = new Map<number, number>();
    this.collectAbort?.abort(new Aborted('superseded'));
    const abort = new AbortController();
    this.collectAbort = abort;
    const signal = abort.signal;
    this.collecting = { openOrders };
    try {
      if (epoch !== this.epoch) throw new Aborted('disconnected');
      await this.collect('open orders', signal, () => api.reqAllOpenOrders(), {
        [EventName.orderStatus]: ((ibId: number, _s: string, f: number) => filled.set(ibId, Number(f) || 0)) as never,
      }, EventName.openOrderEnd);
      const completedOrders: BrokerOrderReport[] = [];
      if (this.o.completedOrders !== false) {
        await this.collect('completed orders', signal, () => api.reqCompletedOrders(false), {
          [EventName.completedOrder]: ((contract: Contract, order: IbOrder, state: OrderState) =>
            completedOrders.push(orderReportOf(order.orderId ?? 0, contract, order, state?.status, Number(order.filledQuantity ?? 0)))) as never,
        }, EventName.completedOrdersEnd);
      }
      const execs = new Map<string, { contract: Contract; exec: Execution }>();
      const since = await this.o.lastExecutionTime?.();
      const filter = since ? { time: formatIbFilterTime(since - EXEC_LOOKBACK_MS) } : {};
      let execReqId = -1;
      await this.collect('executions', signal, (reqId) => {
        execReqId = reqId;
        api.reqExecutions(reqId, filter);
      }, {
        [EventName.execDetails]: ((reqId: number, contract: Contract, exec: Execution) => {
          if (reqId === execReqId && exec.execId) execs.set(exec.execId, { contract, exec });
        }) as never,
      }, EventName.execDetailsEnd, ((reqId: number, endReqId: number) => endReqId === reqId) as never);
      // Commission reports follow their executions; give them a moment to arrive (checked as each one arrives).
      const commissions = this.requests.until(() => [...execs.keys()].every((id) => this.commissions.has(id) || this.emittedExec.has(id)),
        Math.min(this.o.timings.requestTimeoutMs, 2_000), signal);
      this.commissionArrived = commissions.poke;
      try {
        await commissions.promise;
      } finally {
        this.commissionArrived = () => undefined;
      }
      const positions: BrokerPosition[] = [];
      await this.collect('positions', signal, () => api.reqPositions(), {
        [EventName.position]: ((acct: string, contract: Contract, pos: number, avgCost?: number) => {
          if (account && acct && acct !== account) return;
          positions.push({ symbol: symbolOf(contract), quantity: Number(pos), avgPrice: Number(avgCost ?? 0) });
        }) as never,
      }, EventName.positionEnd);
      api.cancelPositions();

      const now = this.o.clock.now();
      const executions: BrokerExecution[] = [];
      for (const [execId, { contract, exec }] of execs) {
        const commission = this.commissions.get(execId);
        if (commission === undefined) continue; // still without commission: booked live when it arrives
        executions.push(executionOf(contract, exec, commission, now));
        this.emittedExec.add(execId);
        this.pendingExec.delete(execId);
        this.commissions.delete(execId);
      }
      const open = [...openOrders.values()].filter((r) => r.status === 'working').map((r) => ({ ...r, filledQuantity: filled.get(Number(r.brokerOrderId)) ?? r.filledQuantity }));
      return { time: now, openOrders: open, completedOrders, executions, positions };
    } finally {
      if (this.collectAbort === abort) this.collectAbort = null;
      this.collecting = null;
      // Executions that completed while collecting are emitted now (the store ignores any already booked).
      for (const execId of [...this.pendingExec.keys()]) this.tryFill(execId);
    }
  }

  dispose(): void {
    this.epoch++;
    this.collectAbort?.abort(new Aborted('disposed'));
    for (const s of this.subs) s.dispose();
    this.events.clear();
    this.statusChanged.clear();
  }
}
