// The MetaTrader 5 execution client: the Broker port over the bridge. Our order id travels in the MT5 order's
// `comment` (as "QC" + the UUID's bytes in base64url, 24 of MT5's 31 characters), so our deals and pending orders are
// recognised in the terminal's lists. A market order is a deal (TRADE_ACTION_DEAL, fill or cancel the rest); limit and
// stop orders are pending orders whose fills are found in the deal history (polled). On every (re)connect the deal
// history since the last one handled, the pending orders and the positions go to the reconciler before any order; a
// request without a clear answer drops the link so that the reconciliation decides. Swap: the growth of each open
// position's swap, read with the deals and after every (re)connect, is a financing charge (financing.ts).
import { Emitter } from '../../../src-shared/common/emitter';
import type { Order } from '../../../src-shared/domain/types';
import { externalOrderId } from '../../domain/reconcile';
import type { Logger } from '../../logging';
import type { Broker, BrokerExecution, BrokerOrderReport, BrokerSnapshot } from '../../ports/broker';
import type { VenueFinancing } from '../../ports/broker-session';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import { realTimers, type Timers } from '../../ports/timers';
import { SnapshotAborted, VenueExecutionBase, type PlacedOrder } from '../venue-kit/execution';
import { describeRetcode, Mt5Error, RETCODE_DONE, RETCODE_PLACED } from './errors';
import { mt5SwapCharge, type Mt5SwapBooked } from './financing';

type Json = Record<string, unknown>;

export interface Mt5SymbolSpec { symbol: string; contractSize: number; volumeMin: number; volumeStep: number; digits: number; currency: string }

/** What the execution client needs of the connection. */
export interface Mt5Link {
  call<T = unknown>(method: string, params?: Json): Promise<T>;
  isConnected(): boolean;
  onConnected(l: () => void): Disposable;
  onDisconnected(l: () => void): Disposable;
  reset(reason: string): void;
  accountHash(): string | null;
  spec(symbol: string): Mt5SymbolSpec | undefined;
  notConnectedReason(): string;
}

export interface Mt5IdStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

const ACTION = { DEAL: 1, PENDING: 5, MODIFY: 7, REMOVE: 8 } as const;
const TYPE = { BUY: 0, SELL: 1, BUY_LIMIT: 2, SELL_LIMIT: 3, BUY_STOP: 4, SELL_STOP: 5 } as const;
const FILLING_IOC = 1;
const MAGIC = 20_261_203;
const RETCODE_PARTIAL = 10010;
const RETCODE_NO_ORDER = 10035;
const FIRST_CATCH_UP_S = 86_400;
const OVERLAP_S = 60;

export function commentOf(orderId: string): string {
  const hex = orderId.replace(/-/g, '');
  if (/^[0-9a-f]{32}$/i.test(hex)) return `QC${Buffer.from(hex, 'hex').toString('base64url')}`;
  return `QH${orderId.replace(/[^A-Za-z0-9]/g, '').slice(0, 29)}`;
}

export function orderIdOfComment(comment: unknown): string | null {
  if (typeof comment !== 'string' || !comment.startsWith('QC') || comment.length !== 24) return null;
  const hex = Buffer.from(comment.slice(2), 'base64url').toString('hex');
  return hex.length === 32 ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` : null;
}

interface Placed extends PlacedOrder { ticket: number | null }

export class Mt5ExecutionClient extends VenueExecutionBase<Placed> implements Broker {
  readonly name = 'mt5';
  readonly capabilities = { nativeBrackets: false, keepsOrders: true, nativeOrderTypes: ['market', 'limit', 'stop'] as const };
  private readonly timers: Timers;
  private readonly byTicket = new Map<number, string>();
  private cursor = 0;
  private cancelPoll: (() => void) | undefined;
  private readonly financingEvents = new Emitter<VenueFinancing>();
  /** The swap booked per position, as stored (`mt5.swap-booked.<account key>.<position>`): a charge is its growth. */
  private readonly swapBooked = new Map<number, Mt5SwapBooked>();
  /** Swap charges are worked out one at a time (each reads and writes the stored total). */
  private swapSteps: Promise<void> = Promise.resolve();

  constructor(private readonly o: { link: Mt5Link; clock: Clock; logger: Logger; ids: Mt5IdStore; dealPollMs: number; timers?: Timers }) {
    super({ venue: 'MetaTrader 5', link: o.link, clock: o.clock, logger: o.logger, notConnectedReason: () => o.link.notConnectedReason() });
    this.timers = o.timers ?? realTimers;
  }

  cancelOrder(orderId: string): void {
    if (this.cancelQueued(orderId)) return;
    const p = this.placed.get(orderId);
    if (!p || p.done) return;
    if (!this.ready || p.ticket === null) {
      this.pendingCancels.add(orderId);
      return;
    }
    const epoch = this.epoch;
    this.o.link.call<Json>('order_send', { request: { action: ACTION.REMOVE, order: p.ticket } }).then((r) => {
      if (r['retcode'] === RETCODE_DONE) this.finish(orderId);
      else if (r['retcode'] === RETCODE_NO_ORDER) this.pollDeals(epoch); // filled or gone already: the deal history tells
    }, (err: unknown) => {
      if (epoch !== this.epoch) return;
      this.pendingCancels.add(orderId);
      this.o.link.reset(`a cancel got no clear answer (${(err as Error).message})`);
    });
  }

  /**
   * A working limit or stop order's price, changed in place (TRADE_ACTION_MODIFY). MT5 cannot change a pending order's
   * volume: a new quantity is refused in words (cancel and place a new order).
   */
  modifyOrder(order: Order): void {
    const refuse = (reason: string): void => this.refuseModify(order.id, reason);
    const p = this.placed.get(order.id);
    if (!p || p.done || p.ticket === null) return refuse('The order is not working at MetaTrader 5 (filled, cancelled, or not acknowledged yet)');
    if (!this.ready || !this.o.link.isConnected()) return refuse('Not connected to MetaTrader 5: the modify was not sent');
    if (order.type !== 'limit' && order.type !== 'stop') return refuse('MetaTrader 5 modifies the price of limit and stop orders only');
    if (Math.abs(order.quantity - p.quantity) > 1e-9) return refuse('MetaTrader 5 cannot change the volume of a pending order: cancel it and place a new one');
    const price = order.type === 'limit' ? order.limitPrice : order.stopPrice;
    this.o.link.call<Json>('order_send', { request: { action: ACTION.MODIFY, order: p.ticket, symbol: order.symbol, price, sl: 0, tp: 0 } }).then((r) => {
      const retcode = Number(r['retcode']);
      if (retcode === RETCODE_DONE || retcode === RETCODE_PLACED) {
        this.emit({ kind: 'modified', orderId: order.id, quantity: order.quantity, limitPrice: order.limitPrice, stopPrice: order.stopPrice, time: this.o.clock.now() });
      } else this.emit({ kind: 'modify-rejected', orderId: order.id, reason: describeRetcode(retcode, String(r['comment'] ?? '')), time: this.o.clock.now() });
    }, (err: unknown) => {
      this.emit({ kind: 'modify-rejected', orderId: order.id, reason: `MetaTrader 5 did not answer the modify (${(err as Error).message}); the order may keep its old price`, time: this.o.clock.now() });
    });
  }

  protected async send(order: Order): Promise<void> {
    const time = this.o.clock.now();
    const reject = (reason: string) => {
      this.placed.set(order.id, { quantity: order.quantity, filled: 0, done: true, ticket: null });
      this.emit({ kind: 'reject', orderId: order.id, reason, time });
    };
    const spec = this.o.link.spec(order.symbol);
    if (!spec) return reject(`MetaTrader 5: this connection has no symbol ${order.symbol}`);
    if (order.type !== 'market' && order.type !== 'limit' && order.type !== 'stop') return reject(`MetaTrader 5 takes market, limit and stop orders; a ${order.type} order is held by the app`);
    const volume = Number((order.quantity / spec.contractSize).toFixed(8));
    const buy = order.side === 'buy';
    const request: Json = { symbol: spec.symbol, volume, comment: commentOf(order.id), magic: MAGIC, type_filling: FILLING_IOC, deviation: 20 };
    if (order.type === 'market') Object.assign(request, { action: ACTION.DEAL, type: buy ? TYPE.BUY : TYPE.SELL });
    else Object.assign(request, { action: ACTION.PENDING, type: order.type === 'limit' ? (buy ? TYPE.BUY_LIMIT : TYPE.SELL_LIMIT) : (buy ? TYPE.BUY_STOP : TYPE.SELL_STOP), price: order.type === 'limit' ? order.limitPrice : order.stopPrice });
    this.placed.set(order.id, { quantity: order.quantity, filled: 0, done: false, ticket: null });
    const epoch = this.epoch;
    let r: Json;
    try {
      r = await this.o.link.call<Json>('order_send', { request });
    } catch (err) {
      if (epoch !== this.epoch) return;
      if (err instanceof Mt5Error && err.code === -2) return reject(err.message);
      this.o.link.reset(`an order got no clear answer (${(err as Error).message})`);
      return;
    }
    if (epoch !== this.epoch) return;
    const retcode = Number(r['retcode']);
    const p = this.placed.get(order.id)!;
    if (retcode !== RETCODE_DONE && retcode !== RETCODE_PLACED && retcode !== RETCODE_PARTIAL) return this.finish(order.id, describeRetcode(retcode, String(r['comment'] ?? '')));
    p.ticket = Number(r['order']);
    this.byTicket.set(p.ticket, order.id);
    this.ack(order.id, String(p.ticket));
    if (order.type === 'market') {
      this.fill(order.id, {
        execId: `MT5-${String(r['deal'])}`, brokerOrderId: String(p.ticket), permId: String(p.ticket), clientOrderId: order.id, symbol: order.symbol, side: order.side,
        quantity: Number((Number(r['volume']) * spec.contractSize).toFixed(8)), price: Number(r['price']), commission: '0.0000', time: this.o.clock.now(),
      });
      // Fill-or-cancel-the-rest: what did not fill is cancelled (MT5's partial fill, retcode 10010).
      if (!p.done) this.finish(order.id);
    } else if (this.pendingCancels.delete(order.id)) this.cancelOrder(order.id);
  }

  private executionOf(d: Json): BrokerExecution | null {
    const symbol = String(d['symbol'] ?? '');
    const spec = this.o.link.spec(symbol);
    const type = Number(d['type']);
    if (!symbol || (type !== 0 && type !== 1)) return null; // balance and credit operations are deals too
    const ticket = String(d['order']);
    return {
      execId: `MT5-${String(d['ticket'])}`, brokerOrderId: ticket, permId: ticket, clientOrderId: orderIdOfComment(d['comment']), symbol, side: type === 0 ? 'buy' : 'sell',
      quantity: Number((Number(d['volume']) * (spec?.contractSize ?? 1)).toFixed(8)), price: Number(d['price']), commission: Math.abs(Number(d['commission'] ?? 0)).toFixed(4),
      time: Number(d['time_msc'] ?? Number(d['time']) * 1000),
    };
  }

  private async deals(fromS: number): Promise<Json[]> {
    return this.o.link.call<Json[]>('history_deals', { from: Math.max(0, Math.floor(fromS)), to: Math.floor(this.o.clock.now() / 1000) + 86_400 });
  }

  private moveCursor(list: Json[]): void {
    for (const d of list) this.cursor = Math.max(this.cursor, Number(d['time']));
    const h = this.o.link.accountHash();
    if (h) this.o.ids.set(`mt5.deals-since.${h}`, String(this.cursor)).catch(() => undefined);
  }

  private pollDeals(epoch: number): void {
    if (epoch !== this.epoch || !this.ready) return;
    this.deals(this.cursor - OVERLAP_S).then((list) => {
      if (epoch !== this.epoch) return;
      for (const d of list) {
        const e = this.executionOf(d);
        if (!e || this.seen.has(e.execId)) continue;
        const mine = e.clientOrderId && this.placed.has(e.clientOrderId) ? e.clientOrderId : null;
        this.fill(mine ?? externalOrderId({ permId: e.permId, brokerOrderId: e.brokerOrderId }), e);
      }
      this.moveCursor(list);
      return this.o.link.call<Json[]>('positions').then((positions) => {
        if (epoch === this.epoch) this.noteSwaps(positions);
      });
    }).catch((err: unknown) => this.o.logger.warn({ err: (err as Error).message }, 'MT5: reading the deal history or the positions failed'));
  }

  /** Overnight financing (swap) MT5 charged or paid, each charge once, also those made while we were away. */
  onFinancing(listener: (f: VenueFinancing) => void): Disposable {
    return this.financingEvents.on(listener);
  }

  /** The positions' swap totals seen (a poll, a reconnect's snapshot): each one's growth since the last booked. */
  private noteSwaps(positions: Json[]): void {
    const hash = this.o.link.accountHash();
    if (!hash) return;
    const now = this.o.clock.now();
    for (const p of positions) {
      if (p['swap'] === undefined || p['swap'] === null) continue;
      const positionId = Number(p['identifier'] ?? p['ticket']);
      const key = `mt5.swap-booked.${hash}.${positionId}`;
      const seen = { positionId, symbol: String(p['symbol']), swap: Number(p['swap']), volume: Number(p['volume']), time: now };
      this.swapSteps = this.swapSteps.then(async () => {
        const stored = this.swapBooked.get(positionId) ?? (await this.o.ids.get(key).then((v) => (v ? (JSON.parse(v) as Mt5SwapBooked) : undefined)));
        if (!stored && seen.swap === 0) return;
        const { charge, booked } = mt5SwapCharge(seen, stored);
        if (stored && booked.total === stored.total && booked.volume === stored.volume) return;
        this.swapBooked.set(positionId, booked);
        await this.o.ids.set(key, JSON.stringify(booked));
        if (charge) this.financingEvents.emit(charge);
      }).catch((err: unknown) => this.o.logger.error({ err }, 'MT5: a swap charge could not be worked out'));
    }
  }

  override dispose(): void {
    super.dispose();
    this.financingEvents.clear();
  }

  private schedule(epoch: number): void {
    this.cancelPoll = this.timers.after(this.o.dealPollMs, () => {
      this.pollDeals(epoch);
      if (epoch === this.epoch) this.schedule(epoch);
    });
  }

  protected override afterDrop(): void {
    this.cancelPoll?.();
  }

  protected override afterReady(epoch: number): void {
    this.schedule(epoch);
  }

  protected async fetchSnapshot(epoch: number): Promise<BrokerSnapshot> {
    const now = this.o.clock.now();
    const h = this.o.link.accountHash();
    const stored = Number((h ? await this.o.ids.get(`mt5.deals-since.${h}`) : undefined) ?? NaN);
    if (Number.isFinite(stored) && stored > this.cursor) this.cursor = stored;
    const from = this.cursor > 0 ? this.cursor - OVERLAP_S : now / 1000 - FIRST_CATCH_UP_S;
    const deals = await this.deals(from);
    const orders = await this.o.link.call<Json[]>('orders');
    const positions = await this.o.link.call<Json[]>('positions');
    if (epoch !== this.epoch) throw new SnapshotAborted();
    const executions = deals.map((d) => this.executionOf(d)).filter((e): e is BrokerExecution => e !== null);
    for (const e of executions) this.noteSnapshotFill(e);
    const openOrders: BrokerOrderReport[] = orders.map((o) => {
      const type = Number(o['type']);
      const spec = this.o.link.spec(String(o['symbol']));
      const ticket = Number(o['ticket']);
      const clientOrderId = orderIdOfComment(o['comment']);
      const limit = type === TYPE.BUY_LIMIT || type === TYPE.SELL_LIMIT;
      const quantity = Number((Number(o['volume_current']) * (spec?.contractSize ?? 1)).toFixed(8));
      const id = clientOrderId ?? externalOrderId({ permId: String(ticket), brokerOrderId: String(ticket) });
      this.placed.set(id, { ...(this.placed.get(id) ?? { quantity, filled: 0 }), done: false, ticket });
      this.byTicket.set(ticket, id);
      this.acked.add(id);
      return {
        brokerOrderId: String(ticket), permId: String(ticket), clientOrderId, symbol: String(o['symbol']), side: type % 2 === 0 ? 'buy' : 'sell', type: limit ? 'limit' : 'stop', quantity,
        limitPrice: limit ? Number(o['price_open']) : null, stopPrice: limit ? null : Number(o['price_open']), timeInForce: 'gtc', parentBrokerOrderId: null, status: 'working', filledQuantity: 0,
      };
    });
    this.moveCursor(deals);
    if (this.cursor === 0) this.cursor = Math.floor(now / 1000) - OVERLAP_S;
    // Swap charged while we were away: each open position's total against the one booked.
    this.noteSwaps(positions);
    return {
      time: now, openOrders, completedOrders: [], executions,
      positions: positions.map((p) => ({
        symbol: String(p['symbol']), quantity: (Number(p['type']) === 0 ? 1 : -1) * Number((Number(p['volume']) * (this.o.link.spec(String(p['symbol']))?.contractSize ?? 1)).toFixed(8)), avgPrice: Number(p['price_open']),
      })),
    };
  }
}
