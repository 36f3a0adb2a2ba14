// Order handling as TWS does it: validation, transmit/hold, modify, cancel, triggers, brackets, OCA and fills against the quote.
import Decimal from 'decimal.js';
import type { Instrument } from '../market/instruments';
import type { Quote } from '../market/prices';
import type { WireOrder } from '../protocol/requests';
import { Err } from '../protocol/ids';
import type { Account } from './account';
import { cumulativeCommission, fillCommission } from './commission';
import type { WhatIfState } from '../protocol/responses';
import type { OrderStatus, SimExecution, SimOrder } from './types';

export interface EngineConfig {
  /** Largest quantity one execution fills; larger orders fill in several steps. */
  maxFillSize: number;
  /** Orders above this quantity are rejected with error 201. */
  maxOrderQuantity: number;
  /** Reject orders whose initial margin exceeds the available funds. */
  checkBuyingPower: boolean;
}

/** Where the engine's output goes: the simulator turns these into wire messages for the owning client. */
export interface EngineSink {
  /** TWS accepted (transmitted) a new order; called before its first openOrder/orderStatus. */
  placed(o: SimOrder): void;
  /** An order was acknowledged or changed state; `openOrder` when TWS would also resend the openOrder message. */
  orderChanged(o: SimOrder, openOrder: boolean): void;
  execution(o: SimOrder, e: SimExecution): void;
  /** A what-if evaluation: TWS answers with an openOrder carrying the margin figures, and nothing else. */
  whatIf(o: SimOrder, state: WhatIfState): void;
  error(clientId: number, id: number, code: number, message: string): void;
}

export interface EngineDeps {
  account: Account;
  quote(inst: Instrument): Quote;
  now(): number;
  config: EngineConfig;
  sink: EngineSink;
}

const WORKING: ReadonlySet<OrderStatus> = new Set(['PreSubmitted', 'Submitted']);
const SUPPORTED = new Set(['MKT', 'LMT', 'STP', 'STP LMT', 'TRAIL']);

export const orderKey = (clientId: number, orderId: number): string => `${clientId}/${orderId}`;

export class OrderEngine {
  readonly orders = new Map<string, SimOrder>();
  readonly executions: SimExecution[] = [];
  private nextPermId = 1_770_000_000;
  private execSeq = 0;
  /** Highest order id any client used, so nextValidId never hands out a used one (it survives restarts). */
  maxOrderId = 0;
  private readonly maxIdByClient = new Map<number, number>();

  constructor(private readonly d: EngineDeps) {}

  isWorking(o: SimOrder): boolean {
    return o.transmit && WORKING.has(o.status);
  }

  /** placeOrder: a new order, or a modification when the id is already known. */
  place(clientId: number, inst: Instrument, w: WireOrder): SimOrder | undefined {
    const key = orderKey(clientId, w.orderId);
    const existing = this.orders.get(key);
    const reject = (code: number, msg: string): undefined => {
      this.d.sink.error(clientId, w.orderId, code, msg);
      return undefined;
    };
    // TWS wants each new order id above every id the client used before.
    const highest = this.maxIdByClient.get(clientId) ?? 0;
    if (!existing && w.orderId <= highest) return reject(Err.DUPLICATE_ORDER_ID, 'Duplicate order id');
    this.maxIdByClient.set(clientId, Math.max(highest, w.orderId));
    this.maxOrderId = Math.max(this.maxOrderId, w.orderId);
    if (existing && existing.status === 'Filled') return reject(Err.CANNOT_MODIFY_FILLED, 'Cannot modify a filled order.');
    if (existing && !WORKING.has(existing.status) && existing.transmit) return reject(Err.DUPLICATE_ORDER_ID, 'Duplicate order id');
    const invalid = this.validate(inst, w);
    if (invalid) return reject(Err.ORDER_REJECTED, `Order rejected - reason:${invalid}`);
    const action = w.action.toUpperCase() === 'BUY' ? 'BUY' : 'SELL';
    if (w.totalQuantity > this.d.config.maxOrderQuantity) {
      return reject(Err.ORDER_REJECTED, `Order rejected - reason:The order size of ${w.totalQuantity} exceeds the maximum order size of ${this.d.config.maxOrderQuantity}.`);
    }
    if (this.d.config.checkBuyingPower && !existing) {
      const q = this.d.quote(inst);
      const price = w.lmtPrice ?? (action === 'BUY' ? q.ask : q.bid);
      const need = this.d.account.marginFor(inst, action, w.totalQuantity, price);
      const v = this.d.account.values((i) => this.mark(i));
      if (need.gt(v.AvailableFunds)) {
        return reject(Err.ORDER_REJECTED, `Order rejected - reason:YOUR ORDER IS NOT ACCEPTED. IN ORDER TO OBTAIN THE DESIRED POSITION YOUR EQUITY WITH LOAN VALUE [${v.EquityWithLoanValue.toFixed(2)} USD] MUST EXCEED THE INITIAL MARGIN [${v.InitMarginReq.add(need).toFixed(2)} USD]`);
      }
    }
    if (w.whatIf) return this.whatIf(clientId, inst, w, action);
    if (existing) return this.modify(existing, w);
    const parent = w.parentId ? this.orders.get(orderKey(clientId, w.parentId)) : undefined;
    if (w.parentId && !parent) return reject(Err.ORDER_REJECTED, `Order rejected - reason:Parent order ${w.parentId} not found`);
    const o: SimOrder = {
      clientId, orderId: w.orderId, permId: this.nextPermId++, inst, action, totalQuantity: w.totalQuantity, orderType: w.orderType,
      lmtPrice: w.lmtPrice, auxPrice: w.auxPrice, tif: w.tif || 'DAY', ocaGroup: w.ocaGroup, ocaType: w.ocaType, account: this.d.account.id,
      openClose: w.openClose, origin: w.origin, orderRef: w.orderRef, parentId: w.parentId, outsideRth: w.outsideRth,
      goodTillDate: w.goodTillDate, trailingPercent: w.trailingPercent, trailStopPrice: w.trailStopPrice, transmit: w.transmit,
      status: 'PreSubmitted', filled: 0, avgFillPrice: 0, lastFillPrice: 0, triggered: false,
      held: !!parent && parent.status !== 'Filled', rested: false, commission: '0', placedAt: this.d.now(),
    };
    this.orders.set(key, o);
    if (!o.transmit) return o; // TWS keeps it, untransmitted and silent, until a later order of its group transmits.
    this.transmit(o);
    return o;
  }

  /** A what-if order is only evaluated: margins before/after and the commission of a full fill, nothing placed. */
  private whatIf(clientId: number, inst: Instrument, w: WireOrder, action: 'BUY' | 'SELL'): undefined {
    const q = this.d.quote(inst);
    const price = w.lmtPrice ?? (action === 'BUY' ? q.ask : q.bid);
    const v = this.d.account.values((i) => this.mark(i));
    const initChange = this.d.account.marginFor(inst, action, w.totalQuantity, price);
    const maintChange = initChange.div(2);
    const commission = cumulativeCommission(inst, w.totalQuantity, new Decimal(price).mul(w.totalQuantity).mul(inst.multiplier), w.orderType === 'MKT');
    const o: SimOrder = {
      clientId, orderId: w.orderId, permId: 0, inst, action, totalQuantity: w.totalQuantity, orderType: w.orderType,
      lmtPrice: w.lmtPrice, auxPrice: w.auxPrice, tif: w.tif || 'DAY', ocaGroup: w.ocaGroup, ocaType: w.ocaType, account: this.d.account.id,
      openClose: w.openClose, origin: w.origin, orderRef: w.orderRef, parentId: w.parentId, outsideRth: w.outsideRth,
      goodTillDate: w.goodTillDate, transmit: w.transmit, status: 'PreSubmitted', filled: 0, avgFillPrice: 0, lastFillPrice: 0,
      triggered: false, held: false, rested: false, commission: commission.toString(), placedAt: this.d.now(),
    };
    this.d.sink.whatIf(o, {
      initMarginBefore: v.InitMarginReq.toFixed(2), maintMarginBefore: v.MaintMarginReq.toFixed(2),
      equityWithLoanBefore: v.EquityWithLoanValue.toFixed(2), initMarginChange: initChange.toFixed(2),
      maintMarginChange: maintChange.toFixed(2), equityWithLoanChange: commission.neg().toFixed(2),
      initMarginAfter: v.InitMarginReq.add(initChange).toFixed(2), maintMarginAfter: v.MaintMarginReq.add(maintChange).toFixed(2),
      equityWithLoanAfter: v.EquityWithLoanValue.sub(commission).toFixed(2), commission: commission.toString(),
    });
    return undefined;
  }

  private validate(inst: Instrument, w: WireOrder): string | undefined {
    const action = w.action.toUpperCase();
    if (action !== 'BUY' && action !== 'SELL' && action !== 'SSHORT') return `Invalid action "${w.action}"`;
    if (!(w.totalQuantity > 0)) return 'The order quantity must be positive';
    if (!SUPPORTED.has(w.orderType)) return `Order type ${w.orderType || '(empty)'} is not supported by the simulator`;
    if ((w.orderType === 'LMT' || w.orderType === 'STP LMT') && w.lmtPrice === undefined) return 'Missing limit price';
    if ((w.orderType === 'STP' || w.orderType === 'STP LMT') && w.auxPrice === undefined) return 'Missing stop price';
    if (w.orderType === 'TRAIL' && w.auxPrice === undefined && w.trailingPercent === undefined) return 'Missing trailing amount or percent';
    for (const p of [w.lmtPrice, w.auxPrice]) {
      if (p !== undefined && w.orderType !== 'TRAIL' && !isOnTick(p, inst.minTick)) {
        return `The price does not conform to the minimum price variation for this contract (${inst.minTick}).`;
      }
    }
    return undefined;
  }

  /** Transmits an order and every untransmitted order of its bracket (TWS sends a group when its last order transmits). */
  private transmit(o: SimOrder): void {
    const group = this.groupOf(o).filter((x) => x.status === 'PreSubmitted' && !x.transmitted);
    for (const x of [...group, o].sort((a, b) => a.orderId - b.orderId)) {
      if (x.transmitted) continue;
      x.transmit = true;
      x.transmitted = true;
      if (x.parentId) {
        const parent = this.orders.get(orderKey(x.clientId, x.parentId));
        x.held = !!parent && parent.status !== 'Filled';
      }
      x.status = this.restingStatus(x);
      this.activate(x);
      this.d.sink.placed(x);
      this.d.sink.orderChanged(x, true);
    }
  }

  /** The parent and siblings of a bracket order (same client). */
  private groupOf(o: SimOrder): SimOrder[] {
    const rootId = o.parentId || o.orderId;
    return [...this.orders.values()].filter(
      (x) => x.clientId === o.clientId && x !== o && (x.orderId === rootId || x.parentId === rootId),
    );
  }

  /** IB holds stop, trailing and bracket-child orders at its side until triggered: they show PreSubmitted. */
  private restingStatus(o: SimOrder): OrderStatus {
    if (o.held) return 'PreSubmitted';
    if (awaitsTrigger(o)) return 'PreSubmitted';
    return 'Submitted';
  }

  private modify(o: SimOrder, w: WireOrder): SimOrder | undefined {
    if (w.totalQuantity < o.filled) {
      this.d.sink.error(o.clientId, o.orderId, Err.ORDER_REJECTED, 'Order rejected - reason:The new quantity is below the filled quantity');
      return undefined;
    }
    o.totalQuantity = w.totalQuantity;
    o.lmtPrice = w.lmtPrice;
    o.auxPrice = w.auxPrice;
    o.orderType = w.orderType;
    o.tif = w.tif || o.tif;
    o.orderRef = w.orderRef || o.orderRef;
    o.trailingPercent = w.trailingPercent;
    o.outsideRth = w.outsideRth;
    o.goodTillDate = w.goodTillDate;
    if (!o.transmit) {
      if (w.transmit) this.transmit(o);
      return o;
    }
    if (o.filled >= o.totalQuantity) {
      this.complete(o);
      return o;
    }
    this.activate(o);
    this.d.sink.orderChanged(o, true);
    return o;
  }

  cancel(clientId: number, orderId: number): void {
    const o = this.orders.get(orderKey(clientId, orderId));
    if (!o) {
      this.d.sink.error(clientId, orderId, Err.CANCEL_NOT_FOUND, `OrderId ${orderId} that needs to be cancelled is not found.`);
      return;
    }
    if (o.transmit && !WORKING.has(o.status)) {
      this.d.sink.error(clientId, orderId, Err.CANCEL_NOT_CANCELLABLE, `OrderId ${orderId} that needs to be cancelled cannot be cancelled, state: ${o.status}.`);
      return;
    }
    this.cancelOrder(o, '');
  }

  /** Cancels every working order of every client (reqGlobalCancel). */
  cancelAll(): void {
    for (const o of this.orders.values()) if (this.isWorking(o)) this.cancelOrder(o, '');
  }

  private cancelOrder(o: SimOrder, reason: string): void {
    o.status = 'Cancelled';
    o.doneAt = this.d.now();
    this.d.sink.orderChanged(o, false);
    this.d.sink.error(o.clientId, o.orderId, Err.ORDER_CANCELLED, `Order Canceled - reason:${reason}`);
    // Cancelling a bracket parent cancels its children.
    for (const c of this.orders.values()) {
      if (c.clientId === o.clientId && c.parentId === o.orderId && (this.isWorking(c) || !c.transmit)) this.cancelOrder(c, '');
    }
  }

  /** The price used to mark positions (last trade). */
  mark(inst: Instrument): number {
    return this.d.quote(inst).last;
  }

  /** One matching pass over every working order; returns true when some order can still fill (partial fills pending). */
  match(): boolean {
    let more = false;
    const working = [...this.orders.values()].filter((o) => this.isWorking(o) && !o.held).sort((a, b) => a.placedAt - b.placedAt || a.permId - b.permId);
    for (const o of working) {
      if (!this.isWorking(o) || o.held) continue; // an earlier fill in this pass may have cancelled it (OCA)
      const q = this.d.quote(o.inst);
      const price = this.fillPrice(o, q);
      if (price === undefined) {
        o.rested = true;
        continue;
      }
      const qty = Math.min(o.totalQuantity - o.filled, this.d.config.maxFillSize);
      this.fill(o, qty, price);
      if (this.isWorking(o)) more = true;
    }
    // Immediate-or-cancel: whatever did not fill on the first pass is cancelled (with partial fills, after the first step).
    for (const o of working) if (o.tif === 'IOC' && this.isWorking(o) && !awaitsTrigger(o)) this.cancelOrder(o, '');
    return more;
  }

  /** The price an order can fill at now, or undefined if it cannot (not triggered, not marketable). */
  private fillPrice(o: SimOrder, q: Quote): number | undefined {
    const buy = o.action === 'BUY';
    if (o.orderType === 'TRAIL') this.updateTrail(o, q.last);
    if (!o.triggered && (o.orderType === 'STP' || o.orderType === 'STP LMT' || o.orderType === 'TRAIL')) {
      const stop = o.orderType === 'TRAIL' ? o.trailStopPrice! : o.auxPrice!;
      const hit = buy ? q.last >= stop : q.last <= stop;
      if (!hit) return undefined;
      o.triggered = true;
      // The limit order starts now (as in TWS and the backtest engine): marketable at the trigger, it takes the quote
      // rather than the limit it never rested at.
      o.rested = false;
      o.status = 'Submitted';
      this.d.sink.orderChanged(o, false);
    }
    const market = buy ? q.ask : q.bid;
    const limit = o.orderType === 'LMT' || o.orderType === 'STP LMT' ? o.lmtPrice : undefined;
    if (limit === undefined) return market;
    const marketable = buy ? market <= limit : market >= limit;
    if (!marketable) return undefined;
    // A resting limit order trades at its limit when the market crosses it; a marketable one takes the quote.
    return o.rested ? limit : market;
  }

  /**
   * An order starts working (transmitted, modified, or released by its parent's fill): a trailing stop starts trailing
   * from here, and a limit order that cannot trade now rests, so that it later trades at its limit, not at the quote.
   */
  private activate(o: SimOrder): void {
    if (o.held) return;
    const q = this.d.quote(o.inst);
    if (o.orderType === 'TRAIL') this.updateTrail(o, q.last);
    if (o.orderType === 'LMT' && o.lmtPrice !== undefined) {
      o.rested = o.action === 'BUY' ? q.ask > o.lmtPrice : q.bid < o.lmtPrice;
    }
  }

  private updateTrail(o: SimOrder, last: number): void {
    const buy = o.action === 'BUY';
    const offset = o.trailingPercent !== undefined ? last * (o.trailingPercent / 100) : o.auxPrice ?? 0;
    const candidate = roundTo(buy ? last + offset : last - offset, o.inst.minTick);
    if (o.trailStopPrice === undefined) o.trailStopPrice = candidate;
    else o.trailStopPrice = buy ? Math.min(o.trailStopPrice, candidate) : Math.max(o.trailStopPrice, candidate);
  }

  private fill(o: SimOrder, qty: number, price: number): void {
    const mult = o.inst.multiplier;
    const before = { qty: o.filled, value: new Decimal(o.avgFillPrice).mul(o.filled).mul(mult) };
    const after = { qty: o.filled + qty, value: before.value.add(new Decimal(price).mul(qty).mul(mult)) };
    const commission = fillCommission(o.inst, before, after, !o.rested);
    o.avgFillPrice = after.value.div(after.qty).div(mult).toDecimalPlaces(8).toNumber();
    o.filled += qty;
    o.lastFillPrice = price;
    o.commission = new Decimal(o.commission).add(commission).toString();
    const realized = this.d.account.applyFill(o.inst, o.action, qty, price, commission);
    const now = this.d.now();
    this.execSeq++;
    const e: SimExecution = {
      execId: `${o.permId.toString(16).padStart(8, '0')}.${Math.floor(now / 1000).toString(16)}.${String(this.execSeq).padStart(2, '0')}.01`,
      clientId: o.clientId, orderId: o.orderId, permId: o.permId, inst: o.inst, side: o.action === 'BUY' ? 'BOT' : 'SLD', shares: qty,
      price, time: now, account: o.account, exchange: execExchange(o.inst), cumQty: o.filled, avgPrice: o.avgFillPrice,
      orderRef: o.orderRef, liquidity: o.rested ? 1 : 2, commission: commission.toString(), realizedPnl: realized?.toString(),
    };
    this.executions.push(e);
    if (o.filled >= o.totalQuantity) o.status = 'Filled';
    this.d.sink.execution(o, e);
    if (o.status === 'Filled') this.complete(o);
    else this.d.sink.orderChanged(o, false);
    this.cancelOcaSiblings(o);
  }

  private complete(o: SimOrder): void {
    o.status = 'Filled';
    o.doneAt ??= this.d.now();
    this.d.sink.orderChanged(o, true);
    // Bracket children start working once their parent has filled.
    for (const c of this.orders.values()) {
      if (c.clientId === o.clientId && c.parentId === o.orderId && c.held && this.isWorking(c)) {
        c.held = false;
        c.status = this.restingStatus(c);
        this.activate(c);
        this.d.sink.orderChanged(c, false);
      }
    }
  }

  /** One-cancels-all: explicit OCA groups, and the children of one bracket parent (which TWS links implicitly). */
  private cancelOcaSiblings(o: SimOrder): void {
    for (const x of this.orders.values()) {
      if (x === o || x.clientId !== o.clientId || !this.isWorking(x)) continue;
      const sameOca = o.ocaGroup !== '' && x.ocaGroup === o.ocaGroup;
      const bracketSiblings = o.parentId !== 0 && x.parentId === o.parentId;
      if (sameOca || bracketSiblings) this.cancelOrder(x, '');
    }
  }
}

function awaitsTrigger(o: SimOrder): boolean {
  return (o.orderType === 'STP' || o.orderType === 'STP LMT' || o.orderType === 'TRAIL') && !o.triggered;
}

function execExchange(i: Instrument): string {
  if (i.exchange !== 'SMART') return i.exchange;
  return i.secType === 'OPT' ? 'CBOE' : i.primaryExch === 'ARCA' ? 'ARCA' : 'ISLAND';
}

function isOnTick(p: number, tick: number): boolean {
  const n = p / tick;
  return Math.abs(n - Math.round(n)) < 1e-6;
}

function roundTo(p: number, tick: number): number {
  const decimals = Math.max(0, Math.ceil(-Math.log10(tick)) + 1);
  return Number((Math.round(p / tick) * tick).toFixed(decimals));
}
