// The cTrader simulator's account: symbols with seeded random-walk prices, one funded NETTED demo account (one position
// per symbol), pending orders that trigger on the bid/ask, fills in parts when the book is thin, SL/TP on positions,
// and the order and deal history that ProtoOAOrderListReq / ProtoOADealListReq answer from.
import { DealStatus, ExecutionType, OrderStatus, OrderType, PositionStatus, PRICE_SCALE, TimeInForce, TradeSide, type Json } from '../../src-main/adapters/ctrader/protocol';

export interface SimSymbol {
  symbolId: number;
  symbolName: string;
  description: string;
  categoryId: number;
  digits: number;
  pipPosition: number;
  /** Lot size, min, step, max volume in cents of a unit (as ProtoOASymbol carries them). */
  lotSize: number;
  minVolume: number;
  stepVolume: number;
  maxVolume: number;
  /** Annual financing in percent (swapCalculationType PERCENTAGE). */
  swapLong: number;
  swapShort: number;
  quote: string;
  start: number;
  spread: number;
  vol: number;
}

export const SIM_SYMBOLS: readonly SimSymbol[] = [
  { symbolId: 1, symbolName: 'EURUSD', description: 'Euro vs US Dollar', categoryId: 1, digits: 5, pipPosition: 4, lotSize: 10_000_000, minVolume: 100_000, stepVolume: 100_000, maxVolume: 10_000_000_000, swapLong: -2.5, swapShort: -0.5, quote: 'USD', start: 1.085, spread: 0.00008, vol: 0.00004 },
  { symbolId: 2, symbolName: 'GBPUSD', description: 'British Pound vs US Dollar', categoryId: 1, digits: 5, pipPosition: 4, lotSize: 10_000_000, minVolume: 100_000, stepVolume: 100_000, maxVolume: 10_000_000_000, swapLong: -1.8, swapShort: -1.2, quote: 'USD', start: 1.27, spread: 0.00012, vol: 0.00005 },
  { symbolId: 4, symbolName: 'USDJPY', description: 'US Dollar vs Japanese Yen', categoryId: 1, digits: 3, pipPosition: 2, lotSize: 10_000_000, minVolume: 100_000, stepVolume: 100_000, maxVolume: 10_000_000_000, swapLong: 1.5, swapShort: -4.5, quote: 'JPY', start: 151.2, spread: 0.012, vol: 0.005 },
  { symbolId: 41, symbolName: 'XAUUSD', description: 'Gold vs US Dollar', categoryId: 2, digits: 2, pipPosition: 2, lotSize: 10_000, minVolume: 100, stepVolume: 100, maxVolume: 10_000_000, swapLong: -5.5, swapShort: 0.5, quote: 'USD', start: 2380, spread: 0.3, vol: 0.2 },
  { symbolId: 10015, symbolName: 'US500', description: 'US 500 Index CFD', categoryId: 3, digits: 2, pipPosition: 0, lotSize: 100, minVolume: 100, stepVolume: 100, maxVolume: 1_000_000, swapLong: -6, swapShort: 1, quote: 'USD', start: 5200, spread: 0.5, vol: 0.5 },
];

export const bySymbolId = (id: number): SimSymbol | undefined => SIM_SYMBOLS.find((s) => s.symbolId === id);

export interface SimOrder {
  orderId: number;
  symbolId: number;
  orderType: number;
  tradeSide: number;
  volume: number;
  executedVolume: number;
  limitPrice?: number;
  stopPrice?: number;
  stopLoss?: number;
  takeProfit?: number;
  relativeStopLoss?: number;
  relativeTakeProfit?: number;
  clientOrderId?: string;
  label?: string;
  timeInForce: number;
  status: number;
  positionId: number;
  createTs: number;
  updateTs: number;
  executionPrice?: number;
  closingOrder?: boolean;
}

export interface SimPosition {
  positionId: number;
  symbolId: number;
  tradeSide: number;
  volume: number;
  price: number;
  openTs: number;
  updateTs: number;
  stopLoss?: number;
  takeProfit?: number;
  swap: number;
  status: number;
}

export interface SimDeal {
  dealId: number;
  orderId: number;
  positionId: number;
  volume: number;
  filledVolume: number;
  symbolId: number;
  ts: number;
  price: number;
  tradeSide: number;
  commission: number;
  closed?: { entryPrice: number; grossProfit: number; closedVolume: number; balance: number };
}

export interface BookState {
  accountId: number;
  /** Cents of USD (moneyDigits 2). */
  balance: number;
  nextOrderId: number;
  nextPositionId: number;
  nextDealId: number;
  orders: SimOrder[];
  positions: SimPosition[];
  deals: SimDeal[];
}

/** What one step of the book did, for the server to send as ProtoOAExecutionEvents. */
export interface BookEvent {
  executionType: number;
  order: SimOrder;
  position: SimPosition | undefined;
  deal?: SimDeal;
  errorCode?: string;
}

export class RejectError extends Error {
  constructor(readonly errorCode: string, description: string) {
    super(description);
  }
}

/** Deterministic random numbers (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LEVERAGE = 30;
/** Commission in USD per million of notional, per side. */
const COMMISSION_PER_MILLION = 30;

export class SimMarket {
  private readonly mids = new Map<number, number>();
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = seeded(seed);
    for (const s of SIM_SYMBOLS) this.mids.set(s.symbolId, s.start);
  }

  mid(symbolId: number): number {
    return this.mids.get(symbolId)!;
  }

  set(symbolId: number, mid: number): void {
    this.mids.set(symbolId, mid);
  }

  step(): void {
    for (const s of SIM_SYMBOLS) this.mids.set(s.symbolId, Math.max(s.spread * 10, this.mid(s.symbolId) + (this.random() - 0.5) * 2 * s.vol));
  }

  /** Bid and ask as the protocol's integers, on the symbol's digits. */
  quote(symbolId: number): { bid: number; ask: number } {
    const s = bySymbolId(symbolId)!;
    const step = 10 ** (5 - s.digits);
    const mid = this.mid(symbolId) * PRICE_SCALE;
    const half = (s.spread * PRICE_SCALE) / 2;
    return { bid: Math.round((mid - half) / step) * step, ask: Math.round((mid + half) / step) * step };
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.mids].map(([id, m]) => [String(id), m]));
  }
}

export class Book {
  onEvents: (events: BookEvent[]) => void = () => undefined;

  constructor(readonly s: BookState, private readonly market: SimMarket, private readonly now: () => number, private readonly liquidity: number) {}

  static fresh(accountId: number, balanceUsd: number): BookState {
    return { accountId, balance: balanceUsd * 100, nextOrderId: 1001, nextPositionId: 5001, nextDealId: 9001, orders: [], positions: [], deals: [] };
  }

  private px(symbolId: number): { bid: number; ask: number } {
    const q = this.market.quote(symbolId);
    return { bid: q.bid / PRICE_SCALE, ask: q.ask / PRICE_SCALE };
  }

  openPosition(symbolId: number): SimPosition | undefined {
    return this.s.positions.find((p) => p.symbolId === symbolId && p.status === PositionStatus.OPEN);
  }

  /** USD per unit of the symbol's quote currency now. */
  private usdPer(symbol: SimSymbol): number {
    return symbol.quote === 'USD' ? 1 : 1 / this.market.mid(4);
  }

  usedMargin(): number {
    let used = 0;
    for (const p of this.s.positions.filter((x) => x.status === PositionStatus.OPEN)) {
      const sym = bySymbolId(p.symbolId)!;
      used += ((p.volume / 100) * this.market.mid(p.symbolId) * this.usdPer(sym)) / LEVERAGE;
    }
    return used;
  }

  unrealized(): number {
    let pnl = 0;
    for (const p of this.s.positions.filter((x) => x.status === PositionStatus.OPEN)) {
      const sym = bySymbolId(p.symbolId)!;
      const { bid, ask } = this.px(p.symbolId);
      const exit = p.tradeSide === TradeSide.BUY ? bid : ask;
      pnl += (p.tradeSide === TradeSide.BUY ? 1 : -1) * (exit - p.price) * (p.volume / 100) * this.usdPer(sym);
    }
    return pnl;
  }

  /** ProtoOANewOrderReq: validated, accepted (ORDER_ACCEPTED), then filled at once where it can be. */
  newOrder(p: Json): BookEvent[] {
    const sym = bySymbolId(Number(p['symbolId']));
    if (!sym) throw new RejectError('SYMBOL_NOT_FOUND', `symbol ${String(p['symbolId'])} not found`);
    const orderType = Number(p['orderType']);
    const tradeSide = Number(p['tradeSide']);
    const volume = Number(p['volume']);
    if (![OrderType.MARKET, OrderType.LIMIT, OrderType.STOP].includes(orderType as 1)) throw new RejectError('INVALID_REQUEST', `order type ${orderType} is not supported here`);
    if (tradeSide !== TradeSide.BUY && tradeSide !== TradeSide.SELL) throw new RejectError('INVALID_REQUEST', 'tradeSide must be BUY or SELL');
    if (!Number.isInteger(volume) || volume < sym.minVolume || volume > sym.maxVolume || volume % sym.stepVolume !== 0) {
      throw new RejectError('TRADING_BAD_VOLUME', `volume ${volume} outside ${sym.minVolume}..${sym.maxVolume} step ${sym.stepVolume}`);
    }
    if (orderType === OrderType.LIMIT && !(Number(p['limitPrice']) > 0)) throw new RejectError('TRADING_BAD_PRICES', 'a LIMIT order needs limitPrice');
    if (orderType === OrderType.STOP && !(Number(p['stopPrice']) > 0)) throw new RejectError('TRADING_BAD_PRICES', 'a STOP order needs stopPrice');
    if (orderType === OrderType.MARKET && (p['stopLoss'] !== undefined || p['takeProfit'] !== undefined)) {
      throw new RejectError('TRADING_BAD_STOPS', 'absolute stopLoss/takeProfit are not supported for MARKET orders: use relativeStopLoss/relativeTakeProfit');
    }
    const pos = this.openPosition(sym.symbolId);
    const increases = !pos || pos.tradeSide === tradeSide;
    if (increases) {
      const need = ((volume / 100) * this.market.mid(sym.symbolId) * this.usdPer(sym)) / LEVERAGE;
      const equity = this.s.balance / 100 + this.unrealized();
      if (need > equity - this.usedMargin()) throw new RejectError('NOT_ENOUGH_MONEY', 'not enough money to allocate margin');
    }
    const now = this.now();
    const order: SimOrder = {
      orderId: this.s.nextOrderId++, symbolId: sym.symbolId, orderType, tradeSide, volume, executedVolume: 0,
      limitPrice: orderType === OrderType.LIMIT ? Number(p['limitPrice']) : undefined, stopPrice: orderType === OrderType.STOP ? Number(p['stopPrice']) : undefined,
      stopLoss: p['stopLoss'] !== undefined ? Number(p['stopLoss']) : undefined, takeProfit: p['takeProfit'] !== undefined ? Number(p['takeProfit']) : undefined,
      relativeStopLoss: p['relativeStopLoss'] !== undefined ? Number(p['relativeStopLoss']) : undefined,
      relativeTakeProfit: p['relativeTakeProfit'] !== undefined ? Number(p['relativeTakeProfit']) : undefined,
      clientOrderId: typeof p['clientOrderId'] === 'string' ? p['clientOrderId'] : undefined, label: typeof p['label'] === 'string' ? p['label'] : undefined,
      timeInForce: orderType === OrderType.MARKET ? TimeInForce.IMMEDIATE_OR_CANCEL : Number(p['timeInForce'] ?? TimeInForce.GOOD_TILL_CANCEL),
      status: OrderStatus.ACCEPTED, positionId: pos?.positionId ?? this.s.nextPositionId++, createTs: now, updateTs: now,
    };
    this.s.orders.push(order);
    const events: BookEvent[] = [{ executionType: ExecutionType.ORDER_ACCEPTED, order: { ...order }, position: pos ? { ...pos } : this.emptyPosition(order) }];
    events.push(...this.work(order));
    return events;
  }

  private emptyPosition(o: SimOrder): SimPosition {
    return { positionId: o.positionId, symbolId: o.symbolId, tradeSide: o.tradeSide, volume: 0, price: 0, openTs: o.createTs, updateTs: o.createTs, swap: 0, status: PositionStatus.CREATED };
  }

  cancel(orderId: number): BookEvent[] {
    const o = this.s.orders.find((x) => x.orderId === orderId);
    if (!o || o.status !== OrderStatus.ACCEPTED) throw new RejectError('ORDER_NOT_FOUND', `order ${orderId} is not pending`);
    if (o.orderType === OrderType.MARKET) throw new RejectError('UNABLE_TO_CANCEL_ORDER', 'a market order under execution cannot be cancelled');
    o.status = OrderStatus.CANCELLED;
    o.updateTs = this.now();
    return [{ executionType: ExecutionType.ORDER_CANCELLED, order: { ...o }, position: this.openPosition(o.symbolId) }];
  }

  /** ProtoOAAmendOrderReq on a pending order: new volume, limit or stop price (ORDER_REPLACED), then worked at once. */
  amend(orderId: number, p: Record<string, unknown>): BookEvent[] {
    const o = this.s.orders.find((x) => x.orderId === orderId);
    if (!o || o.status !== OrderStatus.ACCEPTED || o.orderType === OrderType.MARKET) throw new RejectError('ORDER_NOT_FOUND', `order ${orderId} is not pending`);
    if (p['volume'] !== undefined) {
      const volume = Number(p['volume']);
      const sym = bySymbolId(o.symbolId)!;
      if (!(volume >= sym.minVolume) || volume % sym.stepVolume !== 0 || volume <= o.executedVolume) throw new RejectError('TRADING_BAD_VOLUME', 'Invalid volume');
      o.volume = volume;
    }
    if (o.orderType === OrderType.LIMIT && p['limitPrice'] !== undefined) {
      if (!(Number(p['limitPrice']) > 0)) throw new RejectError('TRADING_BAD_PRICES', 'Invalid limitPrice');
      o.limitPrice = Number(p['limitPrice']);
    }
    if (o.orderType === OrderType.STOP && p['stopPrice'] !== undefined) {
      if (!(Number(p['stopPrice']) > 0)) throw new RejectError('TRADING_BAD_PRICES', 'Invalid stopPrice');
      o.stopPrice = Number(p['stopPrice']);
    }
    o.updateTs = this.now();
    return [{ executionType: ExecutionType.ORDER_REPLACED, order: { ...o }, position: this.openPosition(o.symbolId) }, ...this.work(o)];
  }

  /** Fills what can fill now: orders whose price is reached (and the rest of those filling in parts), then SL/TP. */
  step(): BookEvent[] {
    const events: BookEvent[] = [];
    for (const o of this.s.orders.filter((x) => x.status === OrderStatus.ACCEPTED)) events.push(...this.work(o));
    for (const p of this.s.positions.filter((x) => x.status === PositionStatus.OPEN)) events.push(...this.protect(p));
    return events;
  }

  private triggered(o: SimOrder): boolean {
    const { bid, ask } = this.px(o.symbolId);
    const buy = o.tradeSide === TradeSide.BUY;
    if (o.orderType === OrderType.MARKET || o.orderType === OrderType.STOP_LOSS_TAKE_PROFIT) return true;
    if (o.orderType === OrderType.LIMIT) return buy ? ask <= o.limitPrice! + 1e-12 : bid >= o.limitPrice! - 1e-12;
    if (o.orderType === OrderType.STOP) return buy ? ask >= o.stopPrice! - 1e-12 : bid <= o.stopPrice! + 1e-12;
    return false;
  }

  private work(o: SimOrder): BookEvent[] {
    if (o.status !== OrderStatus.ACCEPTED || !this.triggered(o)) return [];
    const { bid, ask } = this.px(o.symbolId);
    const buy = o.tradeSide === TradeSide.BUY;
    // A limit fills at its price or better; market and stop orders at the touch.
    const price = o.orderType === OrderType.LIMIT ? (buy ? Math.min(ask, o.limitPrice!) : Math.max(bid, o.limitPrice!)) : buy ? ask : bid;
    const fill = Math.min(o.volume - o.executedVolume, Math.max(bySymbolId(o.symbolId)!.stepVolume, this.liquidity * 100));
    return [this.fill(o, fill, price)];
  }

  private fill(o: SimOrder, volume: number, price: number): BookEvent {
    const sym = bySymbolId(o.symbolId)!;
    const now = this.now();
    let pos = this.openPosition(o.symbolId);
    const commission = Math.round(((volume / 100) * price * this.usdPer(sym) * COMMISSION_PER_MILLION) / 1_000_000 * 100);
    const deal: SimDeal = { dealId: this.s.nextDealId++, orderId: o.orderId, positionId: 0, volume, filledVolume: volume, symbolId: o.symbolId, ts: now, price, tradeSide: o.tradeSide, commission: -commission };
    this.s.balance -= commission;
    if (!pos) {
      // The position id given at acceptance, unless that position has lived and closed since (netting reuses none).
      const positionId = this.s.positions.some((x) => x.positionId === o.positionId) ? this.s.nextPositionId++ : o.positionId;
      pos = { positionId, symbolId: o.symbolId, tradeSide: o.tradeSide, volume, price, openTs: now, updateTs: now, swap: 0, status: PositionStatus.OPEN };
      this.s.positions.push(pos);
      this.attachProtection(pos, o, price);
    } else if (pos.tradeSide === o.tradeSide) {
      pos.price = (pos.price * pos.volume + price * volume) / (pos.volume + volume);
      pos.volume += volume;
      this.attachProtection(pos, o, price);
    } else {
      const closed = Math.min(volume, pos.volume);
      const gross = (pos.tradeSide === TradeSide.BUY ? 1 : -1) * (price - pos.price) * (closed / 100) * this.usdPer(sym);
      this.s.balance += Math.round(gross * 100);
      deal.closed = { entryPrice: pos.price, grossProfit: Math.round(gross * 100), closedVolume: closed, balance: this.s.balance };
      pos.volume -= closed;
      if (pos.volume === 0) {
        pos.status = PositionStatus.CLOSED;
        const rest = volume - closed;
        if (rest > 0) {
          const flipped: SimPosition = { positionId: this.s.nextPositionId++, symbolId: o.symbolId, tradeSide: o.tradeSide, volume: rest, price, openTs: now, updateTs: now, swap: 0, status: PositionStatus.OPEN };
          this.s.positions.push(flipped);
          this.attachProtection(flipped, o, price);
          pos = flipped;
        }
      }
    }
    pos.updateTs = now;
    deal.positionId = pos.positionId;
    o.positionId = pos.positionId;
    o.executedVolume += volume;
    o.executionPrice = price;
    o.updateTs = now;
    if (o.executedVolume >= o.volume) o.status = OrderStatus.FILLED;
    this.s.deals.push(deal);
    return { executionType: o.status === OrderStatus.FILLED ? ExecutionType.ORDER_FILLED : ExecutionType.ORDER_PARTIAL_FILL, order: { ...o }, position: { ...pos }, deal: { ...deal } };
  }

  /** SL/TP from the order onto the position it opens or adds to (absolute prices; relative ones from the fill price). */
  private attachProtection(pos: SimPosition, o: SimOrder, price: number): void {
    const sign = o.tradeSide === TradeSide.BUY ? 1 : -1;
    if (o.stopLoss !== undefined) pos.stopLoss = o.stopLoss;
    else if (o.relativeStopLoss !== undefined) pos.stopLoss = price - (sign * o.relativeStopLoss) / PRICE_SCALE;
    if (o.takeProfit !== undefined) pos.takeProfit = o.takeProfit;
    else if (o.relativeTakeProfit !== undefined) pos.takeProfit = price + (sign * o.relativeTakeProfit) / PRICE_SCALE;
  }

  private protect(p: SimPosition): BookEvent[] {
    if (p.stopLoss === undefined && p.takeProfit === undefined) return [];
    const { bid, ask } = this.px(p.symbolId);
    const long = p.tradeSide === TradeSide.BUY;
    const exit = long ? bid : ask;
    const hitSl = p.stopLoss !== undefined && (long ? exit <= p.stopLoss : exit >= p.stopLoss);
    const hitTp = p.takeProfit !== undefined && (long ? exit >= p.takeProfit : exit <= p.takeProfit);
    if (!hitSl && !hitTp) return [];
    const now = this.now();
    const o: SimOrder = {
      orderId: this.s.nextOrderId++, symbolId: p.symbolId, orderType: OrderType.STOP_LOSS_TAKE_PROFIT, tradeSide: long ? TradeSide.SELL : TradeSide.BUY, volume: p.volume,
      executedVolume: 0, stopPrice: hitSl ? p.stopLoss : undefined, limitPrice: hitSl ? undefined : p.takeProfit, timeInForce: TimeInForce.IMMEDIATE_OR_CANCEL,
      status: OrderStatus.ACCEPTED, positionId: p.positionId, createTs: now, updateTs: now, closingOrder: true,
    };
    this.s.orders.push(o);
    const e = this.fill(o, p.volume, exit);
    o.status = OrderStatus.FILLED;
    return [{ ...e, executionType: ExecutionType.ORDER_FILLED, order: { ...o } }];
  }

  // --- the protocol's shapes ---

  orderJson(o: SimOrder): Json {
    return {
      orderId: o.orderId, tradeData: { symbolId: o.symbolId, volume: o.volume, tradeSide: o.tradeSide, openTimestamp: o.createTs, ...(o.label ? { label: o.label } : {}) },
      orderType: o.orderType, orderStatus: o.status, executedVolume: o.executedVolume, utcLastUpdateTimestamp: o.updateTs,
      ...(o.executionPrice !== undefined ? { executionPrice: o.executionPrice } : {}), ...(o.limitPrice !== undefined ? { limitPrice: o.limitPrice } : {}),
      ...(o.stopPrice !== undefined ? { stopPrice: o.stopPrice } : {}), ...(o.stopLoss !== undefined ? { stopLoss: o.stopLoss } : {}),
      ...(o.takeProfit !== undefined ? { takeProfit: o.takeProfit } : {}), ...(o.relativeStopLoss !== undefined ? { relativeStopLoss: o.relativeStopLoss } : {}),
      ...(o.relativeTakeProfit !== undefined ? { relativeTakeProfit: o.relativeTakeProfit } : {}), ...(o.clientOrderId ? { clientOrderId: o.clientOrderId } : {}),
      timeInForce: o.timeInForce, positionId: o.positionId, ...(o.closingOrder ? { closingOrder: true } : {}),
    };
  }

  /**
   * The daily rollover: every open position is charged (or paid) its symbol's swap, a PERCENTAGE swap (an annual rate
   * in percent) on its value at the mid, for `days` days (3 on a Wednesday), in cents of the deposit currency; the
   * position's `swap` keeps the total, as cTrader's does. Returns the positions it changed.
   */
  rollover(days = 1): SimPosition[] {
    const changed: SimPosition[] = [];
    for (const p of this.s.positions.filter((x) => x.status === PositionStatus.OPEN)) {
      const sym = bySymbolId(p.symbolId)!;
      const rate = p.tradeSide === TradeSide.BUY ? sym.swapLong : sym.swapShort;
      const cents = Math.round((p.volume / 100) * this.market.mid(p.symbolId) * this.usdPer(sym) * (rate / 100 / 365) * days * 100);
      if (cents === 0) continue;
      p.swap += cents;
      p.updateTs = Date.now();
      this.s.balance += cents;
      changed.push(p);
    }
    return changed;
  }

  positionJson(p: SimPosition): Json {
    const sym = bySymbolId(p.symbolId)!;
    const used = ((p.volume / 100) * this.market.mid(p.symbolId) * this.usdPer(sym)) / LEVERAGE;
    return {
      positionId: p.positionId, tradeData: { symbolId: p.symbolId, volume: p.volume, tradeSide: p.tradeSide, openTimestamp: p.openTs },
      positionStatus: p.status, swap: p.swap, price: p.price, ...(p.stopLoss !== undefined ? { stopLoss: p.stopLoss } : {}),
      ...(p.takeProfit !== undefined ? { takeProfit: p.takeProfit } : {}), utcLastUpdateTimestamp: p.updateTs, commission: 0,
      marginRate: 1, usedMargin: Math.round(used * 100), moneyDigits: 2,
    };
  }

  dealJson(d: SimDeal): Json {
    return {
      dealId: d.dealId, orderId: d.orderId, positionId: d.positionId, volume: d.volume, filledVolume: d.filledVolume, symbolId: d.symbolId,
      createTimestamp: d.ts, executionTimestamp: d.ts, utcLastUpdateTimestamp: d.ts, executionPrice: d.price, tradeSide: d.tradeSide,
      dealStatus: DealStatus.FILLED, commission: d.commission, moneyDigits: 2,
      ...(d.closed ? { closePositionDetail: { entryPrice: d.closed.entryPrice, grossProfit: d.closed.grossProfit, swap: 0, commission: d.commission, balance: d.closed.balance, closedVolume: d.closed.closedVolume, moneyDigits: 2 } } : {}),
    };
  }
}
