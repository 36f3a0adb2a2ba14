// The OANDA execution client: the Broker port over an OandaConnection. Our order id travels as the v20 client
// extension id, so an order is found at OANDA by `@id` and a second pending one with the same id is refused there.
// Fills come from transactions (the POST's answer and the transactions stream), each handled once by transaction id.
// On every (re)connect it fetches a snapshot (transactions since the last one handled, pending orders, open positions)
// and hands it to the reconciler before any new order is sent; a POST without a clear answer drops the connection so
// that the reconciliation decides, never a blind re-send.
import type { Order } from '../../../src-shared/domain/types';
import { Emitter } from '../../../src-shared/common/emitter';
import { externalOrderId } from '../../domain/reconcile';
import type { Logger } from '../../logging';
import type { Broker, BrokerOrderReport, BrokerPosition, BrokerSnapshot } from '../../ports/broker';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import { addFill, SnapshotAborted, VenueExecutionBase, type PlacedOrder } from '../venue-kit/execution';
import type { OandaConnection } from './connection';
import { describeCancelReason, describeOandaCode, OandaHttpError } from './errors';
import { clientIdOf, executionOfFill, financingOf, isOrderCreate, isReject, orderReportOf, orderRequestOf, symbolOf, type OandaFinancing, type OandaInstrumentSpec } from './parsing';
import type { Json } from './rest';

/** Where the id of the last transaction handled is kept (the settings table), so a restart catches up from there. */
export interface TransactionIdStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

export interface OandaExecutionOptions {
  conn: OandaConnection;
  clock: Clock;
  logger: Logger;
  ids: TransactionIdStore;
  /** The mid now, for a trailing distance given in percent. */
  referencePrice: (symbol: string) => number | undefined;
}

/** ORDER_CANCEL's reason when a replace (our modify) cancels the order it replaces. */
const REPLACED = 'CLIENT_REQUEST_REPLACED';

interface Placed extends PlacedOrder {
  oandaId: string | null;
}

/** Transactions fetched on a first connect (no transaction handled before): enough for a day of active trading. */
const FIRST_CATCH_UP = 1_000;
/** Cancel reasons that mean the order never traded: shown as a rejection with the reason, not as a user's cancel. */
const REFUSALS = new Set(['INSUFFICIENT_MARGIN', 'INSUFFICIENT_LIQUIDITY', 'MARKET_HALTED', 'BOUNDS_VIOLATION', 'ACCOUNT_LOCKED']);

export class OandaExecutionClient extends VenueExecutionBase<Placed, Json> implements Broker {
  readonly name = 'oanda';
  readonly capabilities = { nativeBrackets: true, keepsOrders: true, nativeOrderTypes: ['market', 'limit', 'stop'] as const };
  private readonly financingEvents = new Emitter<OandaFinancing>();
  private readonly byOandaId = new Map<string, string>();
  /** Modifies sent and not yet answered: the values asked for, by our order id. */
  private readonly pendingModifies = new Map<string, { quantity: number; limitPrice: number | null; stopPrice: number | null }>();
  /** The request each order was sent with: a replace repeats its stop-loss / take-profit / trailing stop on fill. */
  private readonly sentBodies = new Map<string, Json>();
  /** Bracket legs by entry: OANDA creates them only when the entry fills, so an entry that never fills ends them. */
  private readonly legs = new Map<string, string[]>();
  private lastTx = 0;

  constructor(private readonly o: OandaExecutionOptions) {
    super({
      venue: 'OANDA', link: o.conn, clock: o.clock, logger: o.logger,
      notConnectedReason: () => {
        const message = o.conn.status().message;
        return `Not connected to OANDA${message ? ` (${message})` : ''}: the order was not sent`;
      },
    });
    this.subs.push(o.conn.onTransaction((tx) => this.deliver(tx)));
  }

  /** Overnight financing OANDA charged or paid (DAILY_FINANCING), each once, also those made while we were away. */
  onFinancing(listener: (f: OandaFinancing) => void): Disposable {
    return this.financingEvents.on(listener);
  }

  cancelOrder(orderId: string): void {
    if (this.cancelQueued(orderId)) return;
    const p = this.placed.get(orderId);
    if (p?.done) return;
    if (!this.ready || !this.o.conn.isConnected()) {
      this.pendingCancels.add(orderId);
      return;
    }
    const epoch = this.epoch;
    // By client id: works before OANDA's own id is known. The ORDER_CANCEL transaction carries the outcome.
    this.o.conn.rest.request<Json>('PUT', `${this.o.conn.accountPath()}/orders/@${encodeURIComponent(orderId)}/cancel`, undefined, this.o.conn.signal).then(
      (res) => this.handleAll([res['orderCancelTransaction']]),
      (err: unknown) => {
        if (epoch !== this.epoch) {
          this.pendingCancels.add(orderId);
          return;
        }
        if (err instanceof OandaHttpError && err.status === 404) {
          // Filled or cancelled already (its transaction tells which), or not at OANDA yet: a pending bracket leg
          // exists only once its entry fills, so the cancel is kept for then.
          if (!p || p.oandaId === null) this.pendingCancels.add(orderId);
          return;
        }
        this.pendingCancels.add(orderId);
        this.o.logger.warn({ err: (err as Error).message }, 'OANDA: cancel failed; retried after reconnecting');
        this.o.conn.reset('a cancel got no clear answer');
      },
    );
  }

  /**
   * OANDA changes a pending order by replacing it (PUT orders/@clientId): it cancels the order (CLIENT_REQUEST_REPLACED)
   * and creates a new one with replacesOrderID, under our same client id; that creation is the acknowledgement. The
   * replacement asks for what is left (units = quantity − filled) and repeats the entry's on-fill legs. Legs pending on
   * a trade (stop-loss, take-profit) are changed on the trade at OANDA: refused here in words.
   */
  modifyOrder(order: Order): void {
    const refuse = (reason: string): void => this.refuseModify(order.id, reason);
    const p = this.placed.get(order.id);
    if (order.parentId) return refuse('OANDA keeps stop-loss and take-profit legs on the trade: they cannot be modified here yet (cancel and place a new one)');
    if (!p || p.done || p.oandaId === null) return refuse('The order is not working at OANDA (filled, cancelled, or not acknowledged yet)');
    if (!this.ready || !this.o.conn.isConnected()) return refuse('Not connected to OANDA: the modify was not sent');
    const spec = this.spec(order.symbol);
    if (!spec) return refuse(`OANDA does not offer ${order.symbol} on this account`);
    const sent = this.sentBodies.get(order.id);
    if (this.legs.has(order.id) && !sent) return refuse('The protective legs of this order are not known since the restart: cancel it and place a new one');
    let body: Json;
    try {
      body = orderRequestOf({ ...order, quantity: order.quantity - order.filledQuantity }, [], spec, this.o.referencePrice(order.symbol));
    } catch (err) {
      return refuse((err as Error).message);
    }
    for (const k of ['stopLossOnFill', 'takeProfitOnFill', 'trailingStopLossOnFill']) if (sent?.[k] !== undefined) body[k] = sent[k];
    this.pendingModifies.set(order.id, { quantity: order.quantity, limitPrice: order.limitPrice, stopPrice: order.stopPrice });
    this.o.conn.rest.request<Json>('PUT', `${this.o.conn.accountPath()}/orders/@${encodeURIComponent(order.id)}`, { order: body }, this.o.conn.signal).then(
      (res) => {
        this.sentBodies.set(order.id, body);
        this.handleAll([res['orderCancelTransaction'], res['orderCreateTransaction'], res['orderFillTransaction']]);
      },
      (err: unknown) => {
        if (!this.pendingModifies.delete(order.id)) return;
        const code = err instanceof OandaHttpError ? err.errorCode : undefined;
        const reason = code ? describeOandaCode(code) : `OANDA did not answer the modify (${(err as Error).message}); the order may keep its old values`;
        this.emit({ kind: 'modify-rejected', orderId: order.id, reason, time: this.o.clock.now() });
      },
    );
  }

  // --- sending ---

  private spec(symbol: string): OandaInstrumentSpec | undefined {
    return this.o.conn.specs().find((s) => s.symbol === symbol);
  }

  protected send(order: Order, children: Order[]): void {
    const time = this.o.clock.now();
    const rejectAll = (reason: string) => {
      for (const x of [order, ...children]) {
        this.placed.set(x.id, { quantity: x.quantity, filled: 0, done: true, oandaId: null });
        this.emit({ kind: 'reject', orderId: x.id, reason, time });
      }
    };
    // A bracket leg on its own (its entry is at OANDA already): OANDA creates it from the entry's on-fill details,
    // with our id, when the entry fills; sending it alone would open a position instead of protecting one. An entry
    // that is no longer working (or unknown) will never create it. A leg held by the app (a trailing or managed stop)
    // arrives as a market order when it triggers: that one is sent like any order (it reduces the position).
    if (order.parentId && order.type !== 'market') {
      const parent = this.placed.get(order.parentId);
      this.placed.set(order.id, { quantity: order.quantity, filled: 0, done: !parent || parent.done, oandaId: null });
      if (parent && !parent.done) this.legs.set(order.parentId, [...(this.legs.get(order.parentId) ?? []), order.id]);
      else setImmediate(() => this.emit({ kind: 'cancelled', orderId: order.id, time: this.o.clock.now() }));
      return;
    }
    if (!this.o.conn.isConnected()) {
      // Dropped between the caller's check and now: nothing was sent; the next reconciliation decides.
      return this.enqueue(order, children);
    }
    const spec = this.spec(order.symbol);
    if (!spec) return rejectAll(`OANDA does not offer ${order.symbol} on this account`);
    let body: Json;
    try {
      body = orderRequestOf(order, children, spec, this.o.referencePrice(order.symbol));
    } catch (err) {
      return rejectAll((err as Error).message);
    }
    for (const x of [order, ...children]) this.placed.set(x.id, { quantity: x.quantity, filled: 0, done: false, oandaId: null });
    this.sentBodies.set(order.id, body);
    if (children.length) this.legs.set(order.id, children.map((c) => c.id));
    const epoch = this.epoch;
    this.o.conn.rest.request<Json>('POST', `${this.o.conn.accountPath()}/orders`, { order: body }, this.o.conn.signal).then(
      (res) => this.handleAll([res['orderCreateTransaction'], res['orderFillTransaction'], res['orderCancelTransaction']]),
      (err: unknown) => {
        if (err instanceof OandaHttpError && err.body?.['orderRejectTransaction']) {
          if (err.errorCode === 'CLIENT_ORDER_ID_ALREADY_EXISTS') return; // ours, pending already: its transactions came or come
          this.handleAll([err.body['orderRejectTransaction']]);
          return;
        }
        if (err instanceof OandaHttpError && err.status >= 400 && err.status < 500 && err.status !== 429 && !err.uncertain) {
          rejectAll(err.message);
          return;
        }
        // No clear answer: OANDA may hold the order. The reconnect's reconciliation finds it, or sends it again.
        if (epoch === this.epoch) {
          this.o.logger.warn({ err: (err as Error).message }, 'OANDA: an order got no clear answer; reconciling');
          this.o.conn.reset('an order got no clear answer');
        }
      },
    );
  }

  // --- transactions ---

  private handleAll(txs: unknown[]): void {
    for (const t of txs) if (t && typeof t === 'object') this.deliver(t as Json);
  }

  private ourId(tx: Json): string | null {
    const cid = clientIdOf(tx);
    if (cid && (this.placed.has(cid) || (tx['clientExtensions'] as Json | undefined)?.['tag'] === 'quant-claude')) return cid;
    const oid = tx['orderID'] !== undefined ? this.byOandaId.get(String(tx['orderID'])) : undefined;
    return oid ?? cid ?? null;
  }

  protected override handle(tx: Json): void {
    const id = String(tx['id'] ?? '');
    if (!id || this.seen.has(id)) return; // a duplicate (the POST's answer and the stream both carry it, or a resend)
    this.seen.add(id);
    const type = String(tx['type'] ?? '');
    const time = this.o.clock.now();
    if (type === 'ORDER_CANCEL' && tx['reason'] === REPLACED) {
      // The old half of a replace (a modify): the order lives on under the replacing id.
    } else if (isOrderCreate(type)) {
      const ours = this.ourId(tx);
      if (ours && (this.placed.has(ours) || clientIdOf(tx) === ours)) {
        this.byOandaId.set(id, ours);
        const p = this.placed.get(ours) ?? { quantity: Math.abs(Number(tx['units'] ?? 0)), filled: 0, done: false, oandaId: null };
        p.oandaId = id;
        this.placed.set(ours, p);
        this.ack(ours, id);
        const m = tx['replacesOrderID'] !== undefined ? this.pendingModifies.get(ours) : undefined;
        if (m) {
          this.pendingModifies.delete(ours);
          p.quantity = m.quantity;
          this.emit({ kind: 'modified', orderId: ours, ...m, time });
        }
        if (this.pendingCancels.delete(ours)) this.cancelOrder(ours);
      } else if (/^(MARKET|LIMIT|STOP|MARKET_IF_TOUCHED)_ORDER$/.test(type) && tx['reason'] === 'CLIENT_ORDER') {
        const report = orderReportOf({ ...tx, state: 'PENDING' }, new Map(), 0);
        const extId = externalOrderId({ permId: id, brokerOrderId: id });
        this.byOandaId.set(id, extId);
        if (report && type !== 'MARKET_ORDER' && !this.announcedExternal.has(extId)) {
          this.announcedExternal.add(extId);
          this.emit({ kind: 'external', report, time });
        }
      }
    } else if (type === 'ORDER_FILL') {
      const e = executionOfFill(tx, time);
      const orderId = this.ourId(tx) ?? externalOrderId({ permId: e.permId, brokerOrderId: e.brokerOrderId });
      const p = this.placed.get(orderId);
      if (p) {
        this.ack(orderId, e.brokerOrderId);
        addFill(p, e.quantity);
      }
      this.emit({ kind: 'fill', orderId, execId: e.execId, quantity: e.quantity, price: e.price, commission: e.commission, time: e.time, execution: e });
      // OANDA attaches on-fill legs only to a trade the fill opens: an entry that only reduced a position has none.
      if (p?.done && !tx['tradeOpened']) this.endLegs(orderId);
    } else if (type === 'ORDER_CANCEL') {
      const orderId = this.ourId(tx);
      const p = orderId ? this.placed.get(orderId) : undefined;
      if (orderId && p && !p.done) {
        p.done = true;
        const reason = String(tx['reason'] ?? '');
        if (REFUSALS.has(reason) && p.filled === 0) this.emit({ kind: 'reject', orderId, reason: `OANDA: ${describeCancelReason(reason)}`, time });
        else this.emit({ kind: 'cancelled', orderId, time });
        if (p.filled === 0) this.endLegs(orderId);
      }
    } else if (type === 'DAILY_FINANCING') {
      for (const f of financingOf(tx, time)) this.financingEvents.emit(f);
    } else if (isReject(type)) {
      const orderId = clientIdOf(tx);
      const p = orderId ? this.placed.get(orderId) : undefined;
      if (orderId && p && !p.done && this.pendingModifies.delete(orderId)) {
        // The replacement was refused: the order stays pending as it was.
        this.emit({ kind: 'modify-rejected', orderId, reason: describeOandaCode(String(tx['rejectReason'] ?? 'UNKNOWN')), time });
      } else if (orderId && p && !p.done) {
        p.done = true;
        this.emit({ kind: 'reject', orderId, reason: describeOandaCode(String(tx['rejectReason'] ?? 'UNKNOWN')), time });
        this.endLegs(orderId);
      }
    }
    this.noteHandled(Number(id));
  }

  /** The entry ended without a fill: its legs will never exist at OANDA. */
  private endLegs(entryId: string): void {
    for (const id of this.legs.get(entryId) ?? []) {
      const p = this.placed.get(id);
      if (!p || p.done) continue;
      p.done = true;
      this.emit({ kind: 'cancelled', orderId: id, time: this.o.clock.now() });
    }
    this.legs.delete(entryId);
  }

  private key(): string | null {
    const h = this.o.conn.accountHash();
    return h ? `oanda.last-transaction.${h}` : null;
  }

  private noteHandled(id: number): void {
    if (!(id > this.lastTx)) return;
    this.lastTx = id;
    const key = this.key();
    if (key) this.o.ids.set(key, String(id)).catch((err: unknown) => this.o.logger.error({ err }, 'OANDA: saving the last transaction id failed'));
  }

  // --- connect, snapshot, reconcile ---

  protected async fetchSnapshot(epoch: number): Promise<BrokerSnapshot> {
    const conn = this.o.conn;
    const path = conn.accountPath();
    const get = async <T>(p: string): Promise<T> => {
      if (epoch !== this.epoch) throw new SnapshotAborted();
      return conn.rest.request<T>('GET', p, undefined, conn.signal);
    };
    const summary = await get<{ lastTransactionID: string }>(`${path}/summary`);
    const key = this.key()!;
    const stored = Number(await this.o.ids.get(key) ?? NaN);
    const last = Number(summary.lastTransactionID);
    const since = Number.isFinite(stored) ? Math.min(stored, last) : Math.max(0, last - FIRST_CATCH_UP);
    const txs = (await get<{ transactions: Json[] }>(`${path}/transactions/sinceid?id=${since}`)).transactions;
    const pending = (await get<{ orders: Json[] }>(`${path}/pendingOrders`)).orders;
    const openTrades = (await get<{ trades: Json[] }>(`${path}/openTrades`)).trades;
    const openPositions = (await get<{ positions: Json[] }>(`${path}/openPositions`)).positions;
    const now = this.o.clock.now();

    const trades = new Map(openTrades.map((t) => [String(t['id']), { instrument: String(t['instrument']), units: Number(t['currentUnits']) }]));
    const fillsByOrder = new Map<string, number>();
    const executions = [];
    for (const tx of txs) {
      if (tx['type'] !== 'ORDER_FILL') continue;
      const e = executionOfFill(tx, now);
      executions.push(e);
      fillsByOrder.set(e.brokerOrderId, (fillsByOrder.get(e.brokerOrderId) ?? 0) + e.quantity);
    }
    const openOrders: BrokerOrderReport[] = [];
    for (const o of pending) {
      const r = orderReportOf(o, trades, fillsByOrder.get(String(o['id'])) ?? 0);
      if (!r) continue;
      openOrders.push(r);
      if (r.clientOrderId) {
        this.byOandaId.set(r.brokerOrderId, r.clientOrderId);
        const p = this.placed.get(r.clientOrderId) ?? { quantity: r.quantity, filled: r.filledQuantity, done: false, oandaId: null };
        p.oandaId = r.brokerOrderId;
        this.placed.set(r.clientOrderId, p);
        this.acked.add(r.clientOrderId); // the reconciliation acknowledges it
      }
    }
    // Orders that finished since the last transaction handled: cancelled or rejected ones must not be sent again.
    const pendingIds = new Set(pending.map((o) => String(o['id'])));
    const completed = new Map<string, BrokerOrderReport>();
    const created = new Map<string, Json>();
    for (const tx of txs) {
      const type = String(tx['type']);
      if (isOrderCreate(type)) created.set(String(tx['id']), tx);
      if (type === 'ORDER_CANCEL' && tx['reason'] === REPLACED) continue; // it lives on as its replacement
      const orderId = type === 'ORDER_FILL' || type === 'ORDER_CANCEL' ? String(tx['orderID']) : isReject(type) ? `reject-${String(tx['id'])}` : null;
      if (!orderId || pendingIds.has(orderId)) continue;
      const base = created.get(orderId) ?? tx;
      const report = orderReportOf({ ...base, id: orderId, instrument: base['instrument'] ?? tx['instrument'], clientOrderID: clientIdOf(tx) ?? clientIdOf(base), state: type === 'ORDER_FILL' ? 'FILLED' : 'CANCELLED' }, trades, fillsByOrder.get(orderId) ?? 0);
      if (!report) continue;
      if (isReject(type)) report.status = 'rejected';
      if (type === 'ORDER_CANCEL' || !completed.has(orderId)) completed.set(orderId, report);
    }
    const positions: BrokerPosition[] = openPositions.map((p) => {
      const long = p['long'] as Json;
      const short = p['short'] as Json;
      const quantity = Number(long['units'] ?? 0) + Number(short['units'] ?? 0);
      const avg = quantity > 0 ? long['averagePrice'] : short['averagePrice'];
      return { symbol: symbolOf(String(p['instrument'])), quantity, avgPrice: Number(avg ?? 0) };
    }).filter((p) => p.quantity !== 0);
    // Everything in the snapshot is handled by the reconciliation (financing here): the stream's copies are duplicates.
    for (const tx of txs) {
      this.seen.add(String(tx['id']));
      if (tx['type'] === 'DAILY_FINANCING') for (const f of financingOf(tx, now)) this.financingEvents.emit(f);
      const orderId = this.ourId(tx);
      if (tx['type'] === 'ORDER_FILL' && orderId) {
        const p = this.placed.get(orderId);
        if (p) addFill(p, Math.abs(Number(tx['units'])));
      }
      if (tx['type'] === 'ORDER_CANCEL' && tx['reason'] !== REPLACED && orderId) {
        const p = this.placed.get(orderId);
        if (p) p.done = true;
      }
    }
    this.noteHandled(last);
    return { time: now, openOrders, completedOrders: [...completed.values()], executions, positions };
  }

  override dispose(): void {
    super.dispose();
    this.financingEvents.clear();
  }
}
