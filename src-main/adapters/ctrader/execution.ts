// The cTrader execution client: the Broker port over a CtraderConnection. Our order id travels as the clientOrderId;
// ProtoOAExecutionEvents (accepted, partial fill, filled, cancelled, rejected) become broker events, each deal once by
// its dealId. On every (re)connect it takes a snapshot (ProtoOAReconcileReq for positions and pending orders, then the
// orders and deals since the last deal handled, from the historical requests) and hands it to the reconciler before any
// new order is sent; an order without a clear answer drops the connection, so the reconciliation decides, never a
// blind re-send. The bookkeeping (queue, acknowledgements, the connect sequence) is venue-kit's.
import type { Order } from '../../../src-shared/domain/types';
import { Emitter } from '../../../src-shared/common/emitter';
import { externalOrderId } from '../../domain/reconcile';
import type { Logger } from '../../logging';
import type { Broker, BrokerExecution, BrokerOrderReport, BrokerSnapshot } from '../../ports/broker';
import type { VenueFinancing } from '../../ports/broker-session';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import { SnapshotAborted, VenueExecutionBase, type PlacedOrder } from '../venue-kit/execution';
import type { CtraderConnection } from './connection';
import { CtraderError } from './errors';
import { swapCharge, swapOf, type SwapState } from './financing';
import { clientIdOf, execIdOf, executionOfDeal, orderReportOf, orderRequestOf, positionsOf } from './parsing';
import { DealStatus, enumValue, ExecutionType, fromUnits, OrderStatus, OrderType, PT, toUnits, type Json } from './protocol';

/** Where the time of the last deal handled is kept (the settings table), so a restart catches up from there. */
export interface DealTimeStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

export interface CtraderExecutionOptions {
  conn: CtraderConnection;
  clock: Clock;
  logger: Logger;
  ids: DealTimeStore;
}

interface Placed extends PlacedOrder {
  ctraderId: number | null;
}

/** History fetched on a first connect (no deal handled before). */
const FIRST_CATCH_UP_MS = 24 * 3600_000;
/** Deals are fetched from a little before the last one handled: clocks differ, and a repeated deal is recognised. */
const CATCH_UP_OVERLAP_MS = 60_000;

export class CtraderExecutionClient extends VenueExecutionBase<Placed, Json> implements Broker {
  readonly name = 'ctrader';
  // Stop-loss and take-profit go as separate stop and limit orders the app links (cTrader's own SL/TP belong to a
  // position, not to an order we could follow by id).
  readonly capabilities = { nativeBrackets: false, keepsOrders: true, nativeOrderTypes: ['market', 'limit', 'stop'] as const };
  private readonly byCtraderId = new Map<number, string>();
  private readonly pendingModifies = new Set<string>();
  private lastDealTime = 0;
  private readonly financingEvents = new Emitter<VenueFinancing>();
  /** The swap total booked per position (cents), as stored: a charge is its growth. */
  private readonly swapBooked = new Map<number, number>();
  /** Swap charges are worked out one at a time (each reads and writes the stored total). */
  private swapSteps: Promise<void> = Promise.resolve();

  constructor(private readonly o: CtraderExecutionOptions) {
    super({
      venue: 'cTrader', link: o.conn, clock: o.clock, logger: o.logger,
      notConnectedReason: () => {
        const message = o.conn.status().message;
        return `Not connected to cTrader${message ? ` (${message})` : ''}: the order was not sent`;
      },
    });
    this.subs.push(o.conn.onFrame((f) => {
      if (f.payloadType === PT.EXECUTION_EVENT && f.payload) this.deliver(f.payload);
    }));
  }

  cancelOrder(orderId: string): void {
    if (this.cancelQueued(orderId)) return;
    const p = this.placed.get(orderId);
    if (p?.done) return;
    // Not at cTrader yet (no orderId known), or not connected: cancelled once it is acknowledged or after reconnecting.
    if (!p || p.ctraderId === null || !this.ready || !this.o.conn.isConnected()) {
      this.pendingCancels.add(orderId);
      return;
    }
    const epoch = this.epoch;
    this.o.conn.request(PT.CANCEL_ORDER_REQ, { ctidTraderAccountId: this.o.conn.accountNumber(), orderId: p.ctraderId }).catch((err: unknown) => {
      if (err instanceof CtraderError && (err.code === 'ORDER_NOT_FOUND' || err.code === 'UNABLE_TO_CANCEL_ORDER')) return; // filled or cancelled: its event says which
      this.pendingCancels.add(orderId);
      if (epoch !== this.epoch) return;
      this.o.logger.warn({ err: (err as Error).message }, 'cTrader: cancel failed; retried after reconnecting');
      this.o.conn.reset('a cancel got no clear answer');
    });
  }

  /**
   * A working limit or stop order amended in place (ProtoOAAmendOrderReq: volume, limit or stop price); cTrader answers
   * with an ORDER_REPLACED execution event (then 'modified') or an order error (then 'modify-rejected').
   */
  modifyOrder(order: Order): void {
    const refuse = (reason: string): void => this.refuseModify(order.id, reason);
    const p = this.placed.get(order.id);
    if (!p || p.done || p.ctraderId === null) return refuse('The order is not working at cTrader (filled, cancelled, or not acknowledged yet)');
    if (!this.ready || !this.o.conn.isConnected()) return refuse('Not connected to cTrader: the modify was not sent');
    if (order.type !== 'limit' && order.type !== 'stop') return refuse('cTrader amends limit and stop orders here');
    const spec = this.o.conn.specs().find((s) => s.symbol === order.symbol);
    if (!spec) return refuse(`cTrader does not offer ${order.symbol} on this account`);
    const volume = fromUnits(order.quantity);
    if (volume < fromUnits(spec.minUnits) || volume % fromUnits(spec.stepUnits) !== 0) return refuse(`${spec.symbol} trades at least ${spec.minUnits} units, in steps of ${spec.stepUnits}`);
    const round = (x: number) => Number(x.toFixed(spec.digits));
    this.pendingModifies.add(order.id);
    this.o.conn.request(PT.AMEND_ORDER_REQ, {
      ctidTraderAccountId: this.o.conn.accountNumber(), orderId: p.ctraderId, volume,
      ...(order.type === 'limit' ? { limitPrice: round(order.limitPrice!) } : { stopPrice: round(order.stopPrice!) }),
    }).catch((err: unknown) => {
      if (!this.pendingModifies.delete(order.id)) return;
      const reason = err instanceof CtraderError && !err.uncertain ? err.message : `cTrader did not answer the modify (${(err as Error).message}); the order may keep its old values`;
      this.emit({ kind: 'modify-rejected', orderId: order.id, reason, time: this.o.clock.now() });
    });
  }

  // --- sending ---

  protected send(order: Order): void {
    const time = this.o.clock.now();
    const reject = (reason: string) => {
      const p = this.placed.get(order.id);
      if (p?.done) return;
      this.placed.set(order.id, { quantity: order.quantity, filled: p?.filled ?? 0, done: true, ctraderId: p?.ctraderId ?? null });
      this.emit({ kind: 'reject', orderId: order.id, reason, time });
    };
    if (!this.o.conn.isConnected()) return this.enqueue(order);
    const spec = this.o.conn.specs().find((s) => s.symbol === order.symbol);
    if (!spec) return reject(`cTrader does not offer ${order.symbol} on this account`);
    let payload: Json;
    try {
      payload = orderRequestOf(order, spec, this.o.conn.accountNumber());
    } catch (err) {
      return reject((err as Error).message);
    }
    this.placed.set(order.id, { quantity: order.quantity, filled: 0, done: false, ctraderId: null });
    const epoch = this.epoch;
    // The answer is the first execution event (handled from the frame stream) or an order error.
    this.o.conn.request(PT.NEW_ORDER_REQ, payload).catch((err: unknown) => {
      if (err instanceof CtraderError && !err.uncertain) {
        // Refused: ProtoOAOrderErrorEvent or ProtoOAErrorRes; cTrader did not take the order.
        if (epoch === this.epoch || err.code !== 'CANT_ROUTE_REQUEST') reject(err.message);
        else this.queueAgain(order);
        return;
      }
      // No clear answer: cTrader may hold the order. The reconnect's reconciliation finds it, or sends it again.
      if (epoch === this.epoch) {
        this.o.logger.warn({ err: (err as Error).message }, 'cTrader: an order got no clear answer; reconciling');
        this.o.conn.reset('an order got no clear answer');
      }
    });
  }

  /** An order that never left (the link went between the check and the send): the next reconciliation sends it. */
  private queueAgain(order: Order): void {
    this.placed.delete(order.id);
    this.enqueue(order);
  }

  // --- execution events ---

  private symbolOf = (id: number): string | undefined => this.o.conn.specs().find((s) => s.symbolId === id)?.symbol;

  private ourId(order: Json | undefined): string | null {
    const cid = clientIdOf(order);
    if (cid && (this.placed.has(cid) || order?.['label'] === 'quant-claude')) return cid;
    const byId = order ? this.byCtraderId.get(Number(order['orderId'])) : undefined;
    return byId ?? cid ?? null;
  }

  /** Overnight financing (swap) cTrader charged or paid, each charge once, also those made while we were away. */
  onFinancing(listener: (f: VenueFinancing) => void): Disposable {
    return this.financingEvents.on(listener);
  }

  /** A position's swap total seen (a SWAP event, the reconcile): its growth since the last booked is a charge. */
  private noteSwap(s: SwapState): void {
    const symbol = this.symbolOf(s.symbolId);
    const hash = this.o.conn.accountHash();
    if (!symbol || !hash) return;
    const key = `ctrader.swap-booked.${hash}.${s.positionId}`;
    this.swapSteps = this.swapSteps.then(async () => {
      const booked = this.swapBooked.get(s.positionId) ?? Number(await this.o.ids.get(key) ?? 0);
      const charge = swapCharge(s, booked, symbol);
      if (!charge) return;
      this.swapBooked.set(s.positionId, s.total);
      await this.o.ids.set(key, String(s.total));
      this.financingEvents.emit(charge);
    }).catch((err: unknown) => this.o.logger.error({ err }, 'cTrader: a swap charge could not be worked out'));
  }

  protected override handle(e: Json): void {
    const type = enumValue(ExecutionType, e['executionType']);
    if (type === ExecutionType.SWAP) {
      const s = swapOf(e['position'] as Json | undefined, this.o.conn.moneyDigits(), this.o.clock.now());
      if (s) this.noteSwap(s);
      return;
    }
    const order = e['order'] as Json | undefined;
    const deal = e['deal'] as Json | undefined;
    const time = this.o.clock.now();
    const ours = this.ourId(order);
    const ctraderId = order ? Number(order['orderId']) : NaN;
    const p = ours ? this.placed.get(ours) : undefined;
    if (ours && order && Number.isFinite(ctraderId)) {
      this.byCtraderId.set(ctraderId, ours);
      if (p) p.ctraderId = ctraderId;
    }
    if (type === ExecutionType.ORDER_ACCEPTED) {
      if (ours && p) {
        this.ack(ours, String(ctraderId));
        if (this.pendingCancels.delete(ours)) this.cancelOrder(ours);
      } else if (!ours && order && enumValue(OrderType, order['orderType']) !== OrderType.MARKET) {
        const report = orderReportOf(order, this.symbolOf);
        const extId = externalOrderId({ permId: String(ctraderId), brokerOrderId: String(ctraderId) });
        if (report && !this.announcedExternal.has(extId)) {
          this.announcedExternal.add(extId);
          this.emit({ kind: 'external', report, time });
        }
      }
    } else if ((type === ExecutionType.ORDER_FILLED || type === ExecutionType.ORDER_PARTIAL_FILL) && deal) {
      const execId = execIdOf(deal['dealId']);
      if (this.seen.has(execId)) return; // a duplicate event
      const symbol = this.symbolOf(Number(deal['symbolId']));
      if (!symbol) return;
      const ex = executionOfDeal(deal, ours, symbol, this.o.conn.moneyDigits());
      this.fill(ours ?? externalOrderId({ permId: ex.permId, brokerOrderId: ex.brokerOrderId }), ex);
      this.noteHandled(ex.time);
    } else if (type === ExecutionType.ORDER_REPLACED) {
      // The acknowledgement of our amend: the values cTrader now works.
      if (ours && p && order && this.pendingModifies.delete(ours)) {
        const td = order['tradeData'] as Json | undefined;
        const quantity = td ? toUnits(Number(td['volume'])) : p.quantity;
        p.quantity = quantity;
        this.emit({
          kind: 'modified', orderId: ours, quantity, time,
          limitPrice: order['limitPrice'] !== undefined ? Number(order['limitPrice']) : null, stopPrice: order['stopPrice'] !== undefined ? Number(order['stopPrice']) : null,
        });
      }
    } else if (type === ExecutionType.ORDER_CANCELLED || type === ExecutionType.ORDER_EXPIRED) {
      if (ours) this.finish(ours);
    } else if (type === ExecutionType.ORDER_REJECTED) {
      if (ours) this.finish(ours, new CtraderError(String(e['errorCode'] ?? 'UNKNOWN_ERROR'), '').message);
    }
  }

  private key(): string | null {
    const h = this.o.conn.accountHash();
    return h ? `ctrader.last-deal-time.${h}` : null;
  }

  private noteHandled(time: number): void {
    if (!(time > this.lastDealTime)) return;
    this.lastDealTime = time;
    const key = this.key();
    if (key) this.o.ids.set(key, String(time)).catch((err: unknown) => this.o.logger.error({ err }, 'cTrader: saving the last deal time failed'));
  }

  // --- connect, snapshot, reconcile ---

  protected async fetchSnapshot(epoch: number): Promise<BrokerSnapshot> {
    const conn = this.o.conn;
    const account = { ctidTraderAccountId: conn.accountNumber() };
    const ask = async (pt: number, payload: Json): Promise<Json> => {
      if (epoch !== this.epoch) throw new SnapshotAborted();
      return (await conn.request(pt, { ...account, ...payload })).payload ?? {};
    };
    const now = this.o.clock.now();
    const rec = await ask(PT.RECONCILE_REQ, {});
    const stored = Number(await this.o.ids.get(this.key()!) ?? NaN);
    const since = Number.isFinite(stored) ? stored - CATCH_UP_OVERLAP_MS : now - FIRST_CATCH_UP_MS;
    const to = now + CATCH_UP_OVERLAP_MS;
    // Historical requests (5 a second): the orders (for our clientOrderIds) and the deals since the last one handled.
    const history = ((await ask(PT.ORDER_LIST_REQ, { fromTimestamp: since, toTimestamp: to }))['order'] as Json[] | undefined) ?? [];
    const deals: Json[] = [];
    for (let from = since; ;) {
      const page = await ask(PT.DEAL_LIST_REQ, { fromTimestamp: from, toTimestamp: to, maxRows: 1_000 });
      const list = (page['deal'] as Json[] | undefined) ?? [];
      deals.push(...list);
      if (!page['hasMore'] || list.length === 0) break;
      from = Math.max(...list.map((d) => Number(d['executionTimestamp']))) + 1;
    }
    const pending = (rec['order'] as Json[] | undefined) ?? [];
    const clientIds = new Map<number, string>();
    for (const [id, ours] of this.byCtraderId) clientIds.set(id, ours);
    for (const o of [...history, ...pending]) {
      const cid = clientIdOf(o);
      if (cid) clientIds.set(Number(o['orderId']), cid);
    }

    const openOrders: BrokerOrderReport[] = [];
    for (const o of pending) {
      const r = orderReportOf(o, this.symbolOf);
      if (!r) continue;
      openOrders.push(r);
      if (r.clientOrderId) {
        this.byCtraderId.set(Number(r.brokerOrderId), r.clientOrderId);
        const p = this.placed.get(r.clientOrderId) ?? { quantity: r.quantity, filled: r.filledQuantity, done: false, ctraderId: null };
        p.ctraderId = Number(r.brokerOrderId);
        this.placed.set(r.clientOrderId, p);
        this.acked.add(r.clientOrderId); // the reconciliation acknowledges it
      }
    }
    const pendingIds = new Set(pending.map((o) => Number(o['orderId'])));
    const completedOrders = history
      .filter((o) => !pendingIds.has(Number(o['orderId'])) && enumValue(OrderStatus, o['orderStatus']) !== OrderStatus.ACCEPTED)
      .flatMap((o) => orderReportOf(o, this.symbolOf) ?? []);
    const executions: BrokerExecution[] = [];
    for (const d of deals) {
      const status = enumValue(DealStatus, d['dealStatus']);
      if (status !== DealStatus.FILLED && status !== DealStatus.PARTIALLY_FILLED) continue;
      const symbol = this.symbolOf(Number(d['symbolId']));
      if (!symbol) continue;
      const ex = executionOfDeal(d, clientIds.get(Number(d['orderId'])) ?? null, symbol, conn.moneyDigits());
      executions.push(ex);
      // Everything in the snapshot is handled by the reconciliation: the events' copies are duplicates.
      this.noteSnapshotFill(ex);
      this.noteHandled(ex.time);
    }
    for (const c of completedOrders) {
      const p = c.clientOrderId ? this.placed.get(c.clientOrderId) : undefined;
      if (p) p.done = true;
    }
    const positions = positionsOf((rec['position'] as Json[] | undefined) ?? [], this.symbolOf);
    // Swap charged while we were away: each open position's total against the one booked.
    for (const p of (rec['position'] as Json[] | undefined) ?? []) {
      const s = swapOf(p, conn.moneyDigits(), now);
      if (s) this.noteSwap(s);
    }
    return { time: now, openOrders, completedOrders, executions, positions };
  }

  override dispose(): void {
    super.dispose();
    this.financingEvents.clear();
  }
}
