// The simulator's account: orders, trades, positions and the transaction log of one v20 practice account (netting,
// FIFO: an opposite fill reduces the oldest open trades first). Every change is a numbered transaction, as at OANDA.
import { formatPrice, v20Time, type SimMarket } from './market';

export type Json = Record<string, unknown>;
type OrderType = 'MARKET' | 'LIMIT' | 'STOP' | 'MARKET_IF_TOUCHED' | 'STOP_LOSS' | 'TAKE_PROFIT' | 'TRAILING_STOP_LOSS';
const ENTRY_TYPES = ['MARKET', 'LIMIT', 'STOP', 'MARKET_IF_TOUCHED'];

export interface SimOrder {
  id: string;
  type: OrderType;
  state: 'PENDING' | 'FILLED' | 'TRIGGERED' | 'CANCELLED';
  createTime: string;
  instrument: string;
  /** Signed units (entry orders); dependent orders close their trade. */
  units: number;
  /** Units still to fill: a large order fills in parts when the book is thin (kept out of the JSON). */
  remaining: number;
  price?: number;
  distance?: number;
  trailingStopValue?: number;
  initialMarketPrice?: number;
  priceBound?: number;
  tradeID?: string;
  timeInForce: string;
  positionFill: string;
  clientExtensions?: Json;
  tradeClientExtensions?: Json;
  stopLossOnFill?: Json;
  takeProfitOnFill?: Json;
  trailingStopLossOnFill?: Json;
  fillingTransactionID?: string;
  filledTime?: string;
  tradeOpenedID?: string;
  tradeClosedIDs?: string[];
  cancellingTransactionID?: string;
  cancelledTime?: string;
}

export interface SimTrade {
  id: string;
  instrument: string;
  price: number;
  openTime: string;
  initialUnits: number;
  currentUnits: number;
  realizedPL: number;
  /** Financing charged (negative) or paid at the daily rollovers, in the home currency. */
  financing?: number;
  state: 'OPEN' | 'CLOSED';
  closeTime?: string;
  clientExtensions?: Json;
  dependent: { stopLoss?: string; takeProfit?: string; trailingStopLoss?: string };
}

export interface BookState {
  accountId: string;
  lastId: number;
  balance: number;
  pl: number;
  createdTime: string;
  orders: SimOrder[];
  trades: SimTrade[];
  transactions: Json[];
}

export class RejectError extends Error {
  constructor(readonly status: number, readonly body: Json) {
    super(String(body['errorMessage']));
  }
}

const num = (v: unknown): number | undefined => (v === undefined || v === null || v === '' ? undefined : Number(v));
const money = (n: number) => n.toFixed(4);

export class Book {
  private batch: Json[] = [];
  private batchId = '';
  private requestSeq = 0;
  /** Called with each batch of new transactions (the transactions stream, the state file). */
  onTransactions: (txs: Json[]) => void = () => undefined;

  constructor(readonly s: BookState, private readonly market: SimMarket, private readonly now: () => number) {}

  static fresh(accountId: string, balance: number, now: number): BookState {
    const time = v20Time(now);
    return {
      accountId, lastId: 1, balance, pl: 0, createdTime: time, orders: [], trades: [],
      transactions: [{ id: '1', time, userID: 1, accountID: accountId, batchID: '1', requestID: '0', type: 'CREATE', divisionID: 1, siteID: 1, accountUserID: 1, accountNumber: 1, homeCurrency: 'USD' }],
    };
  }

  lastTransactionID(): string {
    return String(this.s.lastId);
  }

  // --- transactions ---

  private tx(fields: Json): Json {
    const id = String(++this.s.lastId);
    if (!this.batchId) this.batchId = id;
    const t = { id, time: v20Time(this.now()), userID: 1, accountID: this.s.accountId, batchID: this.batchId, requestID: String(this.requestSeq), ...fields };
    this.s.transactions.push(t);
    this.batch.push(t);
    return t;
  }

  /** Runs `fn` as one batch: its transactions share a batch id and are published together. */
  private inBatch<T>(fn: () => T): T {
    this.batch = [];
    this.batchId = '';
    this.requestSeq++;
    try {
      return fn();
    } finally {
      const done = this.batch;
      this.batch = [];
      this.batchId = '';
      if (done.length) this.onTransactions(done);
    }
  }

  // --- views ---

  conversion(instrument: string): number {
    return instrument.endsWith('_JPY') ? 1 / this.market.mid(instrument) : 1;
  }

  unrealized(t: SimTrade): number {
    const p = this.market.price(t.instrument);
    const close = t.currentUnits > 0 ? p.bid : p.ask;
    return (close - t.price) * t.currentUnits * this.conversion(t.instrument);
  }

  marginOf(t: SimTrade): number {
    const i = this.market.instrument(t.instrument)!;
    const notional = Math.abs(t.currentUnits) * this.market.mid(t.instrument) * this.conversion(t.instrument);
    return notional * Number(i.marginRate);
  }

  open(): SimTrade[] {
    return this.s.trades.filter((t) => t.state === 'OPEN');
  }

  pending(): SimOrder[] {
    return this.s.orders.filter((o) => o.state === 'PENDING');
  }

  summary(): Json {
    const open = this.open();
    const upl = open.reduce((n, t) => n + this.unrealized(t), 0);
    const used = open.reduce((n, t) => n + this.marginOf(t), 0);
    const positionValue = open.reduce((n, t) => n + Math.abs(t.currentUnits) * this.market.mid(t.instrument) * this.conversion(t.instrument), 0);
    const nav = this.s.balance + upl;
    return {
      id: this.s.accountId, alias: 'Primary', currency: 'USD', createdByUserID: 1, createdTime: this.s.createdTime, guaranteedStopLossOrderMode: 'DISABLED',
      marginRate: '0.0333', hedgingEnabled: false, openTradeCount: open.length, openPositionCount: new Set(open.map((t) => t.instrument)).size,
      pendingOrderCount: this.pending().length, pl: money(this.s.pl), resettablePL: money(this.s.pl), resettablePLTime: '0', financing: '0.0000', commission: '0.0000',
      guaranteedExecutionFees: '0.0000', balance: money(this.s.balance), NAV: money(nav), unrealizedPL: money(upl), marginUsed: money(used),
      marginAvailable: money(Math.max(0, nav - used)), positionValue: money(positionValue), marginCloseoutUnrealizedPL: money(upl), marginCloseoutNAV: money(nav),
      marginCloseoutMarginUsed: money(used), marginCloseoutPositionValue: money(positionValue),
      // OANDA closes out at 100 % of this figure: margin used (closeout) / 2 over NAV.
      marginCloseoutPercent: (nav > 0 ? used / 2 / nav : 1).toFixed(5), marginCallMarginUsed: money(used), marginCallPercent: (nav > 0 ? used / nav : 1).toFixed(5),
      withdrawalLimit: money(Math.max(0, nav - used)), lastTransactionID: this.lastTransactionID(),
    };
  }

  orderJson(o: SimOrder): Json {
    const i = this.market.instrument(o.instrument)!;
    const px = (p: number | undefined) => (p === undefined ? undefined : formatPrice(i, p));
    const base: Json = {
      id: o.id, createTime: o.createTime, type: o.type, state: o.state, clientExtensions: o.clientExtensions, timeInForce: o.timeInForce, triggerCondition: 'DEFAULT',
      fillingTransactionID: o.fillingTransactionID, filledTime: o.filledTime, tradeOpenedID: o.tradeOpenedID, tradeClosedIDs: o.tradeClosedIDs,
      cancellingTransactionID: o.cancellingTransactionID, cancelledTime: o.cancelledTime,
    };
    if (ENTRY_TYPES.includes(o.type)) {
      Object.assign(base, {
        instrument: o.instrument, units: String(o.units), positionFill: o.positionFill, price: px(o.price), priceBound: px(o.priceBound),
        initialMarketPrice: px(o.initialMarketPrice), stopLossOnFill: o.stopLossOnFill, takeProfitOnFill: o.takeProfitOnFill,
        trailingStopLossOnFill: o.trailingStopLossOnFill, tradeClientExtensions: o.tradeClientExtensions,
      });
    } else {
      Object.assign(base, { tradeID: o.tradeID, price: px(o.price), distance: px(o.distance), trailingStopValue: px(o.trailingStopValue) });
    }
    return JSON.parse(JSON.stringify(base)) as Json;
  }

  tradeJson(t: SimTrade): Json {
    const i = this.market.instrument(t.instrument)!;
    const dep = (id: string | undefined) => {
      const o = id ? this.s.orders.find((x) => x.id === id && x.state === 'PENDING') : undefined;
      return o ? this.orderJson(o) : undefined;
    };
    return JSON.parse(JSON.stringify({
      id: t.id, instrument: t.instrument, price: formatPrice(i, t.price), openTime: t.openTime, state: t.state, initialUnits: String(t.initialUnits),
      initialMarginRequired: money(this.marginOf({ ...t, currentUnits: t.initialUnits })), currentUnits: String(t.currentUnits), realizedPL: money(t.realizedPL),
      unrealizedPL: money(t.state === 'OPEN' ? this.unrealized(t) : 0), marginUsed: money(t.state === 'OPEN' ? this.marginOf(t) : 0), financing: money(t.financing ?? 0),
      closeTime: t.closeTime, clientExtensions: t.clientExtensions,
      stopLossOrder: dep(t.dependent.stopLoss), takeProfitOrder: dep(t.dependent.takeProfit), trailingStopLossOrder: dep(t.dependent.trailingStopLoss),
    })) as Json;
  }

  positions(openOnly: boolean): Json[] {
    const names = new Set(this.s.trades.filter((t) => !openOnly || t.state === 'OPEN').map((t) => t.instrument));
    return [...names].map((name) => this.position(name));
  }

  position(name: string): Json {
    const i = this.market.instrument(name)!;
    const side = (sign: 1 | -1) => {
      const ts = this.open().filter((t) => t.instrument === name && Math.sign(t.currentUnits) === sign);
      const units = ts.reduce((n, t) => n + t.currentUnits, 0);
      const avg = units === 0 ? 0 : ts.reduce((n, t) => n + t.price * t.currentUnits, 0) / units;
      const realized = this.s.trades.filter((t) => t.instrument === name && Math.sign(t.initialUnits) === sign).reduce((n, t) => n + t.realizedPL, 0);
      const upl = ts.reduce((n, t) => n + this.unrealized(t), 0);
      return JSON.parse(JSON.stringify({
        units: String(units), averagePrice: units === 0 ? undefined : formatPrice(i, avg), tradeIDs: units === 0 ? undefined : ts.map((t) => t.id),
        pl: money(realized), resettablePL: money(realized), unrealizedPL: money(upl), financing: '0.0000', guaranteedExecutionFees: '0.0000',
      })) as Json;
    };
    const [long, short] = [side(1), side(-1)];
    const tradesHere = this.open().filter((t) => t.instrument === name);
    return {
      instrument: name, long, short, pl: money(Number(long['pl']) + Number(short['pl'])), resettablePL: money(Number(long['pl']) + Number(short['pl'])),
      unrealizedPL: money(Number(long['unrealizedPL']) + Number(short['unrealizedPL'])), marginUsed: money(tradesHere.reduce((n, t) => n + this.marginOf(t), 0)),
      commission: '0.0000', financing: '0.0000', guaranteedExecutionFees: '0.0000',
    };
  }

  findOrder(spec: string): SimOrder | undefined {
    if (spec.startsWith('@')) return [...this.s.orders].reverse().find((o) => o.clientExtensions?.['id'] === spec.slice(1));
    return this.s.orders.find((o) => o.id === spec);
  }

  // --- order creation ---

  createOrder(body: Json): Json {
    const req = (body['order'] ?? {}) as Json;
    return this.inBatch(() => this.create(req));
  }

  private reject(req: Json, code: string, message: string, status = 400): never {
    const type = String(req['type'] ?? 'MARKET');
    const t = this.tx({ ...this.requestFields(req), type: `${type}_ORDER_REJECT`, reason: 'CLIENT_ORDER', rejectReason: code });
    throw new RejectError(status, { orderRejectTransaction: t, relatedTransactionIDs: [t['id']], lastTransactionID: this.lastTransactionID(), errorCode: code, errorMessage: message });
  }

  private requestFields(req: Json): Json {
    const pick = ['instrument', 'units', 'price', 'priceBound', 'timeInForce', 'gtdTime', 'positionFill', 'triggerCondition', 'clientExtensions', 'tradeClientExtensions',
      'stopLossOnFill', 'takeProfitOnFill', 'trailingStopLossOnFill'];
    return Object.fromEntries(pick.filter((k) => req[k] !== undefined).map((k) => [k, req[k]]));
  }

  /**
   * Replaces a pending order (PUT /orders/{specifier}): the new order is validated as any; once accepted, the old one is
   * cancelled (ORDER_CANCEL, reason CLIENT_REQUEST_REPLACED, replacedByOrderID) and the new one created with
   * replacesOrderID, in that order, in one batch, as at OANDA. A refused replacement leaves the old order pending.
   */
  replaceOrder(spec: string, body: Json): Json {
    return this.inBatch(() => {
      const old = this.findOrder(spec);
      if (!old || old.state !== 'PENDING' || !ENTRY_TYPES.includes(old.type)) {
        const t = this.tx({ type: 'ORDER_CANCEL_REJECT', orderID: old?.id ?? spec, clientOrderID: old?.clientExtensions?.['id'], rejectReason: old ? 'ORDER_NOT_PENDING' : 'ORDER_DOESNT_EXIST' });
        throw new RejectError(404, {
          orderCancelRejectTransaction: t, relatedTransactionIDs: [t['id']], lastTransactionID: this.lastTransactionID(),
          errorCode: old ? 'ORDER_NOT_PENDING' : 'ORDER_DOESNT_EXIST', errorMessage: old ? 'The Order is not pending' : 'The Order specified does not exist',
        });
      }
      const req = (body['order'] ?? {}) as Json;
      let cancel: Json | undefined;
      const out = this.create(req, old, () => {
        cancel = this.cancelTx(old, 'CLIENT_REQUEST_REPLACED', { replacedByOrderID: String(this.s.lastId + 2) });
        return { replacesOrderID: old.id };
      });
      return { orderCancelTransaction: cancel, ...out };
    });
  }

  private create(req: Json, replacing?: SimOrder, beforeCreate?: () => Json): Json {
    const type = String(req['type'] ?? '') as OrderType;
    if (!ENTRY_TYPES.includes(type)) this.reject(req, 'INVALID_ORDER_TYPE', `Order type ${type || '(none)'} is not supported by this endpoint`);
    const instrument = String(req['instrument'] ?? '');
    const spec = this.market.instrument(instrument);
    if (!spec) this.reject(req, 'INSTRUMENT_UNKNOWN', `Invalid value specified for 'instrument'`);
    const units = num(req['units']);
    if (units === undefined || !Number.isFinite(units) || units === 0) this.reject(req, 'UNITS_INVALID', `Invalid value specified for 'units'`);
    if (Math.abs(units) < Number(spec.minimumTradeSize)) this.reject(req, 'UNITS_MINIMUM_NOT_MET', `The Order's units are below the instrument's minimum trade size`);
    if (Math.abs(units) > Number(spec.maximumOrderUnits)) this.reject(req, 'UNITS_LIMIT_EXCEEDED', `The Order's units exceed the instrument's maximum order units`);
    const price = num(req['price']);
    if (type !== 'MARKET' && (price === undefined || !(price > 0))) this.reject(req, 'PRICE_INVALID', `Invalid value specified for 'price'`);
    const clientId = (req['clientExtensions'] as Json | undefined)?.['id'];
    if (clientId !== undefined && this.pending().some((o) => o !== replacing && o.clientExtensions?.['id'] === clientId)) {
      this.reject(req, 'CLIENT_ORDER_ID_ALREADY_EXISTS', 'The client Order ID specified is already assigned to another pending Order');
    }
    const tsl = req['trailingStopLossOnFill'] as Json | undefined;
    if (tsl) {
      const d = num(tsl['distance']);
      if (d === undefined || d < Number(spec.minimumTrailingStopDistance) || d > Number(spec.maximumTrailingStopDistance)) {
        this.reject(req, 'TRAILING_STOP_LOSS_ON_FILL_PRICE_DISTANCE_MAXIMUM_EXCEEDED', `The trailing stop loss distance is outside the instrument's bounds`);
      }
    }
    const defaultTif = type === 'MARKET' ? 'FOK' : 'GTC';
    const timeInForce = String(req['timeInForce'] ?? defaultTif);
    const order: SimOrder = {
      id: '', type, state: 'PENDING', createTime: v20Time(this.now()), instrument, units, remaining: units, price, priceBound: num(req['priceBound']),
      timeInForce, positionFill: String(req['positionFill'] ?? 'DEFAULT'),
      clientExtensions: req['clientExtensions'] as Json | undefined, tradeClientExtensions: req['tradeClientExtensions'] as Json | undefined,
      stopLossOnFill: req['stopLossOnFill'] as Json | undefined, takeProfitOnFill: req['takeProfitOnFill'] as Json | undefined, trailingStopLossOnFill: tsl,
    };
    if (type === 'MARKET_IF_TOUCHED') order.initialMarketPrice = this.market.mid(instrument);
    const extra = beforeCreate?.() ?? {};
    const create = this.tx({ ...this.requestFields(req), type: `${type}_ORDER`, reason: replacing ? 'REPLACEMENT' : 'CLIENT_ORDER', timeInForce, positionFill: order.positionFill, ...extra });
    order.id = String(create['id']);
    this.s.orders.push(order);
    const out: Json = { orderCreateTransaction: create };
    if (type === 'MARKET') {
      const r = this.fillMarket(order);
      Object.assign(out, r);
    } else if (this.triggered(order)) {
      // A LIMIT priced through the market fills at once, as at OANDA.
      const fill = this.fillEntry(order);
      if (fill) out['orderFillTransaction'] = fill;
    }
    out['relatedTransactionIDs'] = this.batch.map((t) => t['id']);
    out['lastTransactionID'] = this.lastTransactionID();
    return out;
  }

  private fillMarket(order: SimOrder): Json {
    const p = this.market.price(order.instrument);
    const out: Json = {};
    if (order.priceBound !== undefined && (order.units > 0 ? p.ask > order.priceBound : p.bid < order.priceBound)) {
      out['orderCancelTransaction'] = this.cancelTx(order, 'BOUNDS_VIOLATION');
      return out;
    }
    if (Math.abs(order.units) > p.liquidity && order.timeInForce === 'FOK') {
      out['orderCancelTransaction'] = this.cancelTx(order, 'INSUFFICIENT_LIQUIDITY');
      return out;
    }
    if (!this.marginAllows(order)) {
      out['orderCancelTransaction'] = this.cancelTx(order, 'INSUFFICIENT_MARGIN');
      return out;
    }
    const fill = this.fillEntry(order);
    if (fill) out['orderFillTransaction'] = fill;
    // IOC: what the book could not take is cancelled.
    if (order.state === 'PENDING') out['orderCancelTransaction'] = this.cancelTx(order, 'INSUFFICIENT_LIQUIDITY');
    return out;
  }

  private marginAllows(order: SimOrder): boolean {
    const s = this.summary();
    const net = this.open().filter((t) => t.instrument === order.instrument).reduce((n, t) => n + t.currentUnits, 0);
    const increase = Math.max(0, Math.abs(net + order.units) - Math.abs(net));
    const need = increase * this.market.mid(order.instrument) * this.conversion(order.instrument) * Number(this.market.instrument(order.instrument)!.marginRate);
    return need <= Number(s['marginAvailable']);
  }

  private cancelTx(order: SimOrder, reason: string, extra: Json = {}): Json {
    const t = this.tx({ type: 'ORDER_CANCEL', orderID: order.id, clientOrderID: order.clientExtensions?.['id'], reason, ...extra });
    order.state = 'CANCELLED';
    order.cancellingTransactionID = String(t['id']);
    order.cancelledTime = String(t['time']);
    return JSON.parse(JSON.stringify(t)) as Json;
  }

  cancelOrder(spec: string): Json {
    return this.inBatch(() => {
      const order = this.findOrder(spec);
      if (!order || order.state !== 'PENDING') {
        const t = this.tx({ type: 'ORDER_CANCEL_REJECT', orderID: order?.id ?? spec, clientOrderID: order?.clientExtensions?.['id'], rejectReason: order ? 'ORDER_NOT_PENDING' : 'ORDER_DOESNT_EXIST' });
        throw new RejectError(404, {
          orderCancelRejectTransaction: t, relatedTransactionIDs: [t['id']], lastTransactionID: this.lastTransactionID(),
          errorCode: order ? 'ORDER_NOT_PENDING' : 'ORDER_DOESNT_EXIST', errorMessage: order ? 'The Order is not pending' : 'The Order specified does not exist',
        });
      }
      const t = this.cancelTx(order, 'CLIENT_REQUEST');
      return { orderCancelTransaction: t, relatedTransactionIDs: [t['id']], lastTransactionID: this.lastTransactionID() };
    });
  }

  closeTrade(spec: string): Json {
    return this.inBatch(() => {
      const trade = this.s.trades.find((t) => (spec.startsWith('@') ? t.clientExtensions?.['id'] === spec.slice(1) : t.id === spec));
      if (!trade || trade.state !== 'OPEN') throw new RejectError(404, { errorCode: 'TRADE_DOESNT_EXIST', errorMessage: 'The Trade specified does not exist', lastTransactionID: this.lastTransactionID() });
      const create = this.tx({ type: 'MARKET_ORDER', instrument: trade.instrument, units: String(-trade.currentUnits), timeInForce: 'FOK', positionFill: 'REDUCE_ONLY', reason: 'TRADE_CLOSE', tradeClose: { tradeID: trade.id, units: 'ALL' } });
      const order: SimOrder = { id: String(create['id']), type: 'MARKET', state: 'PENDING', createTime: String(create['time']), instrument: trade.instrument, units: -trade.currentUnits, remaining: -trade.currentUnits, timeInForce: 'FOK', positionFill: 'REDUCE_ONLY' };
      this.s.orders.push(order);
      const fill = this.fillClosing(order, trade, 'MARKET_ORDER_TRADE_CLOSE');
      return { orderCreateTransaction: create, orderFillTransaction: fill, relatedTransactionIDs: this.batch.map((t) => t['id']), lastTransactionID: this.lastTransactionID() };
    });
  }

  closePosition(instrument: string, longUnits: string | undefined, shortUnits: string | undefined): Json {
    return this.inBatch(() => {
      const net = this.open().filter((t) => t.instrument === instrument).reduce((n, t) => n + t.currentUnits, 0);
      const wanted = net > 0 && longUnits ? longUnits : net < 0 && shortUnits ? shortUnits : undefined;
      if (!wanted || net === 0) throw new RejectError(400, { errorCode: 'CLOSEOUT_POSITION_DOESNT_EXIST', errorMessage: 'The Position requested to be closed out does not exist', lastTransactionID: this.lastTransactionID() });
      const units = wanted === 'ALL' ? -net : -Math.sign(net) * Math.abs(Number(wanted));
      const create = this.tx({ type: 'MARKET_ORDER', instrument, units: String(units), timeInForce: 'FOK', positionFill: 'REDUCE_ONLY', reason: 'POSITION_CLOSEOUT', [net > 0 ? 'longPositionCloseout' : 'shortPositionCloseout']: { instrument, units: wanted } });
      const order: SimOrder = { id: String(create['id']), type: 'MARKET', state: 'PENDING', createTime: String(create['time']), instrument, units, remaining: units, timeInForce: 'FOK', positionFill: 'REDUCE_ONLY' };
      this.s.orders.push(order);
      const fill = this.fillEntry(order, 'MARKET_ORDER_POSITION_CLOSEOUT');
      return { [net > 0 ? 'longOrderCreateTransaction' : 'shortOrderCreateTransaction']: create, [net > 0 ? 'longOrderFillTransaction' : 'shortOrderFillTransaction']: fill, relatedTransactionIDs: this.batch.map((t) => t['id']), lastTransactionID: this.lastTransactionID() };
    });
  }

  // --- fills ---

  private fullPrice(instrument: string): Json {
    const c = this.market.clientPrice(instrument);
    return { type: 'PRICE', bids: c['bids'], asks: c['asks'], closeoutBid: c['closeoutBid'], closeoutAsk: c['closeoutAsk'], timestamp: c['time'] };
  }

  /** Fills (part of) an entry order at the market, netting FIFO against open trades; returns the ORDER_FILL. */
  private fillEntry(order: SimOrder, reason = `${order.type}_ORDER`): Json | undefined {
    const i = this.market.instrument(order.instrument)!;
    const p = this.market.price(order.instrument);
    const units = Math.sign(order.remaining) * Math.min(Math.abs(order.remaining), p.liquidity);
    if (units === 0) return undefined;
    const price = units > 0 ? p.ask : p.bid;
    const conv = this.conversion(order.instrument);
    let left = units;
    const tradesClosed: Json[] = [];
    let tradeReduced: Json | undefined;
    let pl = 0;
    const emptied: SimTrade[] = [];
    for (const t of this.open().filter((x) => x.instrument === order.instrument && Math.sign(x.currentUnits) === -Math.sign(units))) {
      if (left === 0) break;
      const take = Math.sign(left) * Math.min(Math.abs(left), Math.abs(t.currentUnits));
      const realized = (price - t.price) * -take * conv;
      pl += realized;
      t.currentUnits += take;
      t.realizedPL += realized;
      left -= take;
      const leg = { tradeID: t.id, units: String(take), price: formatPrice(i, price), realizedPL: money(realized), financing: '0.0000', guaranteedExecutionFee: '0.0000', halfSpreadCost: money(Math.abs(take) * i.sim.spread / 2 * conv) };
      if (t.currentUnits === 0) {
        // Closed after the fill transaction: the fill's id is the new trade's id, so nothing may come before it.
        emptied.push(t);
        tradesClosed.push(leg);
      } else tradeReduced = leg;
    }
    if (order.positionFill === 'REDUCE_ONLY') left = 0;
    let tradeOpened: Json | undefined;
    let opened: SimTrade | undefined;
    const fillId = String(this.s.lastId + 1);
    if (left !== 0) {
      opened = { id: fillId, instrument: order.instrument, price, openTime: v20Time(this.now()), initialUnits: left, currentUnits: left, realizedPL: 0, state: 'OPEN', clientExtensions: order.tradeClientExtensions, dependent: {} };
      this.s.trades.push(opened);
      tradeOpened = { tradeID: fillId, units: String(left), price: formatPrice(i, price), guaranteedExecutionFee: '0.0000', halfSpreadCost: money(Math.abs(left) * i.sim.spread / 2 * conv), initialMarginRequired: money(this.marginOf(opened)), clientExtensions: order.tradeClientExtensions };
    }
    const filled = units - (order.positionFill === 'REDUCE_ONLY' ? left : 0);
    this.s.balance += pl;
    this.s.pl += pl;
    order.remaining -= units;
    const fill = this.tx(JSON.parse(JSON.stringify({
      type: 'ORDER_FILL', orderID: order.id, clientOrderID: order.clientExtensions?.['id'], instrument: order.instrument, units: String(filled),
      price: formatPrice(i, price), fullVWAP: formatPrice(i, price), fullPrice: this.fullPrice(order.instrument), reason, pl: money(pl), financing: '0.0000',
      commission: '0.0000', guaranteedExecutionFee: '0.0000', accountBalance: money(this.s.balance), tradeOpened, tradesClosed: tradesClosed.length ? tradesClosed : undefined, tradeReduced,
      halfSpreadCost: money(Math.abs(units) * i.sim.spread / 2 * conv), gainQuoteHomeConversionFactor: String(conv), lossQuoteHomeConversionFactor: String(conv),
    })) as Json);
    for (const t of emptied) this.closeTradeState(t);
    if (order.remaining === 0) {
      order.state = 'FILLED';
      order.fillingTransactionID = String(fill['id']);
      order.filledTime = String(fill['time']);
      if (opened) order.tradeOpenedID = opened.id;
      if (tradesClosed.length) order.tradeClosedIDs = tradesClosed.map((t) => String(t['tradeID']));
    }
    if (opened) this.onFillOrders(order, opened);
    return fill;
  }

  /** Dependent orders created with the trade (stopLossOnFill, takeProfitOnFill, trailingStopLossOnFill). */
  private onFillOrders(order: SimOrder, trade: SimTrade): void {
    const make = (type: 'STOP_LOSS' | 'TAKE_PROFIT' | 'TRAILING_STOP_LOSS', d: Json | undefined) => {
      if (!d) return undefined;
      const i = this.market.instrument(trade.instrument)!;
      const distance = num(d['distance']);
      let price = num(d['price']);
      if (type === 'STOP_LOSS' && price === undefined && distance !== undefined) price = trade.price - Math.sign(trade.currentUnits) * distance;
      const p = this.market.price(trade.instrument);
      const trailingStopValue = type === 'TRAILING_STOP_LOSS' ? (trade.currentUnits > 0 ? p.bid - distance! : p.ask + distance!) : undefined;
      const t = this.tx(JSON.parse(JSON.stringify({
        type: `${type}_ORDER`, tradeID: trade.id, clientTradeID: trade.clientExtensions?.['id'], price: price === undefined ? undefined : formatPrice(i, price),
        distance: type === 'TRAILING_STOP_LOSS' ? formatPrice(i, distance!) : undefined, timeInForce: String(d['timeInForce'] ?? 'GTC'), triggerCondition: 'DEFAULT',
        reason: 'ON_FILL', orderFillTransactionID: String(this.s.lastId), clientExtensions: d['clientExtensions'],
      })) as Json);
      const o: SimOrder = {
        id: String(t['id']), type, state: 'PENDING', createTime: String(t['time']), instrument: trade.instrument, units: -trade.currentUnits, remaining: -trade.currentUnits,
        price, distance: type === 'TRAILING_STOP_LOSS' ? distance : undefined, trailingStopValue, tradeID: trade.id, timeInForce: String(d['timeInForce'] ?? 'GTC'),
        positionFill: 'REDUCE_ONLY', clientExtensions: d['clientExtensions'] as Json | undefined,
      };
      this.s.orders.push(o);
      return o.id;
    };
    trade.dependent = {
      stopLoss: make('STOP_LOSS', order.stopLossOnFill), takeProfit: make('TAKE_PROFIT', order.takeProfitOnFill), trailingStopLoss: make('TRAILING_STOP_LOSS', order.trailingStopLossOnFill),
    };
  }

  private closeTradeState(t: SimTrade): void {
    t.state = 'CLOSED';
    t.closeTime = v20Time(this.now());
    for (const id of Object.values(t.dependent)) {
      const o = id ? this.s.orders.find((x) => x.id === id) : undefined;
      if (o && o.state === 'PENDING') this.cancelTx(o, 'LINKED_TRADE_CLOSED');
    }
  }

  /** Fills a dependent order (or a trade close): closes its trade at the market. */
  private fillClosing(order: SimOrder, trade: SimTrade, reason: string): Json {
    const i = this.market.instrument(trade.instrument)!;
    const p = this.market.price(trade.instrument);
    const units = -trade.currentUnits;
    const price = units > 0 ? p.ask : p.bid;
    const conv = this.conversion(trade.instrument);
    const realized = (price - trade.price) * trade.currentUnits * conv;
    trade.realizedPL += realized;
    trade.currentUnits = 0;
    this.s.balance += realized;
    this.s.pl += realized;
    order.state = 'FILLED';
    order.remaining = 0;
    const fill = this.tx(JSON.parse(JSON.stringify({
      type: 'ORDER_FILL', orderID: order.id, clientOrderID: order.clientExtensions?.['id'], instrument: trade.instrument, units: String(units), price: formatPrice(i, price),
      fullVWAP: formatPrice(i, price), fullPrice: this.fullPrice(trade.instrument), reason, pl: money(realized), financing: '0.0000', commission: '0.0000',
      guaranteedExecutionFee: '0.0000', accountBalance: money(this.s.balance),
      tradesClosed: [{ tradeID: trade.id, units: String(units), price: formatPrice(i, price), realizedPL: money(realized), financing: '0.0000', guaranteedExecutionFee: '0.0000', halfSpreadCost: money(Math.abs(units) * i.sim.spread / 2 * conv) }],
      halfSpreadCost: money(Math.abs(units) * i.sim.spread / 2 * conv),
    })) as Json);
    order.fillingTransactionID = String(fill['id']);
    order.filledTime = String(fill['time']);
    order.tradeClosedIDs = [trade.id];
    this.closeTradeState(trade);
    return fill;
  }

  // --- financing ---

  /**
   * The daily rollover (17:00 New York at OANDA): every open trade is charged or paid its instrument's annual rate on
   * its value, times the days charged for the weekday (3 on Wednesday for FX), or `days` when given. One DAILY_FINANCING.
   */
  rollover(days?: number): Json | undefined {
    return this.inBatch(() => {
      const weekday = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'][new Date(this.now()).getUTCDay()]!;
      const byInstrument = new Map<string, { financing: number; trades: Json[] }>();
      let total = 0;
      for (const t of this.open()) {
        const i = this.market.instrument(t.instrument)!;
        const charged = days ?? i.financing.financingDaysOfWeek.find((d) => d.dayOfWeek === weekday)?.daysCharged ?? 1;
        const rate = Number(t.currentUnits > 0 ? i.financing.longRate : i.financing.shortRate);
        const value = Math.abs(t.currentUnits) * this.market.mid(t.instrument) * this.conversion(t.instrument);
        const f = (value * rate / 365) * charged;
        t.financing = (t.financing ?? 0) + f;
        total += f;
        const entry = byInstrument.get(t.instrument) ?? { financing: 0, trades: [] };
        entry.financing += f;
        entry.trades.push({ tradeID: t.id, financing: money(f) });
        byInstrument.set(t.instrument, entry);
      }
      if (byInstrument.size === 0) return undefined;
      this.s.balance += total;
      return this.tx({
        type: 'DAILY_FINANCING', financing: money(total), accountBalance: money(this.s.balance), accountFinancingMode: 'DAILY',
        positionFinancings: [...byInstrument].map(([instrument, e]) => ({ instrument, financing: money(e.financing), openTradeFinancings: e.trades })),
      });
    });
  }

  // --- triggers ---

  private triggered(o: SimOrder): boolean {
    const p = this.market.price(o.instrument);
    const buy = o.units > 0;
    switch (o.type) {
      case 'LIMIT':
        return buy ? p.ask <= o.price! : p.bid >= o.price!;
      case 'STOP':
        return buy ? p.ask >= o.price! : p.bid <= o.price!;
      case 'MARKET_IF_TOUCHED': {
        const below = o.price! < o.initialMarketPrice!;
        const m = buy ? p.ask : p.bid;
        return below ? m <= o.price! : m >= o.price!;
      }
      case 'STOP_LOSS':
        return buy ? p.ask >= o.price! : p.bid <= o.price!;
      case 'TAKE_PROFIT':
        return buy ? p.ask <= o.price! : p.bid >= o.price!;
      case 'TRAILING_STOP_LOSS':
        return buy ? p.ask >= o.trailingStopValue! : p.bid <= o.trailingStopValue!;
      default:
        return false;
    }
  }

  /** After a price move: trailing stops follow, pending orders that are touched fill (in parts when the book is thin). */
  onPrices(instruments: string[]): void {
    this.inBatch(() => {
      for (const o of this.pending()) {
        if (!instruments.includes(o.instrument)) continue;
        if (o.type === 'TRAILING_STOP_LOSS') {
          const p = this.market.price(o.instrument);
          o.trailingStopValue = o.units < 0 ? Math.max(o.trailingStopValue!, p.bid - o.distance!) : Math.min(o.trailingStopValue!, p.ask + o.distance!);
        }
        if (o.state !== 'PENDING' || !this.triggered(o)) continue;
        if (o.tradeID) {
          const trade = this.s.trades.find((t) => t.id === o.tradeID);
          if (trade?.state === 'OPEN') this.fillClosing(o, trade, `${o.type}_ORDER`);
        } else {
          this.fillEntry(o);
        }
      }
    });
  }

  /** The trailing stop's current level of a trade (for the admin view and tests). */
  trailingStopValue(tradeId: string): number | undefined {
    const t = this.s.trades.find((x) => x.id === tradeId);
    const o = t?.dependent.trailingStopLoss ? this.s.orders.find((x) => x.id === t.dependent.trailingStopLoss) : undefined;
    return o?.trailingStopValue;
  }
}
