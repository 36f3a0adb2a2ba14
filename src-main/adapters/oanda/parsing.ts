// v20 messages ↔ our types: instrument names and specs, order requests, and transactions as executions and order reports.
import type { Instrument, Order, OrderSide, OrderType } from '../../../src-shared/domain/types';
import type { BrokerExecution, BrokerOrderReport } from '../../ports/broker';
import type { Json } from './rest';

/** Our symbols for OANDA's instruments where the plain rule (drop the underscore) would not match the app's names. */
const ALIASES: Record<string, string> = { SPX500_USD: 'US500', NAS100_USD: 'NAS100', DE30_EUR: 'DE30', UK100_GBP: 'UK100' };

export function symbolOf(oandaName: string): string {
  return ALIASES[oandaName] ?? oandaName.replace(/_/g, '');
}

/**
 * OANDA's instrument spec as this venue reports it (the CFD domain maps it to its own shape). Rates are fractions;
 * `financing` rates are annual (−0.0386 = −3.86 % a year on the position value); `daysCharged` counts per weekday
 * (3 on Wednesday for FX: the weekend's rollover).
 */
export interface OandaInstrumentSpec {
  symbol: string;
  oandaName: string;
  type: 'CURRENCY' | 'METAL' | 'CFD';
  displayName: string;
  /** The pip is 10^pipLocation (−4 for EUR_USD: 0.0001). */
  pipLocation: number;
  displayPrecision: number;
  /** Decimals allowed in units (0: whole units). */
  tradeUnitsPrecision: number;
  minimumTradeSize: number;
  maximumOrderUnits: number;
  /** Margin rate (0.0333 = 30:1); the account's own rate applies when it is higher. */
  marginRate: number;
  maxLeverage: number;
  minimumTrailingStopDistance: number;
  maximumTrailingStopDistance: number;
  financing: { longRate: number; shortRate: number; daysCharged: Record<string, number> } | null;
  baseCurrency: string;
  quoteCurrency: string;
}

export function specOf(i: Json): OandaInstrumentSpec {
  const name = String(i['name']);
  const [base = '', quote = ''] = name.split('_');
  const f = i['financing'] as { longRate?: string; shortRate?: string; financingDaysOfWeek?: { dayOfWeek: string; daysCharged: number }[] } | undefined;
  const marginRate = Number(i['marginRate'] ?? 1);
  return {
    symbol: symbolOf(name), oandaName: name, type: String(i['type']) as OandaInstrumentSpec['type'], displayName: String(i['displayName'] ?? name),
    pipLocation: Number(i['pipLocation']), displayPrecision: Number(i['displayPrecision']), tradeUnitsPrecision: Number(i['tradeUnitsPrecision'] ?? 0),
    minimumTradeSize: Number(i['minimumTradeSize'] ?? 1), maximumOrderUnits: Number(i['maximumOrderUnits'] ?? 0), marginRate, maxLeverage: marginRate > 0 ? Math.round(1 / marginRate) : 0,
    minimumTrailingStopDistance: Number(i['minimumTrailingStopDistance'] ?? 0), maximumTrailingStopDistance: Number(i['maximumTrailingStopDistance'] ?? 0),
    financing: f ? {
      longRate: Number(f.longRate ?? 0), shortRate: Number(f.shortRate ?? 0),
      daysCharged: Object.fromEntries((f.financingDaysOfWeek ?? []).map((d) => [d.dayOfWeek, d.daysCharged])),
    } : null,
    baseCurrency: base, quoteCurrency: quote,
  };
}

export function instrumentOf(s: OandaInstrumentSpec): Instrument {
  const assetClass = s.type === 'CURRENCY' ? 'fx' : s.type === 'METAL' ? 'commodity-cfd' : 'index-cfd';
  return {
    symbol: s.symbol, name: s.displayName, assetClass, currency: s.quoteCurrency.length === 3 ? s.quoteCurrency : 'USD', exchange: 'OANDA',
    tickSize: 10 ** -s.displayPrecision, lotSize: 10 ** -s.tradeUnitsPrecision, session: s.type === 'CURRENCY' ? 'fx-24x5' : 'cfd-23x5',
  };
}

const units = (side: OrderSide, quantity: number, precision: number): string => (side === 'buy' ? 1 : -1) * Number(quantity.toFixed(precision)) + '';

/** An entry order (with its bracket legs as on-fill details) as a v20 order request. */
export function orderRequestOf(order: Order, children: Order[], spec: OandaInstrumentSpec, referencePrice: number | undefined): Json {
  const px = (p: number) => p.toFixed(spec.displayPrecision);
  const type = order.type === 'market' ? 'MARKET' : order.type === 'limit' ? 'LIMIT' : order.type === 'stop' ? 'STOP' : null;
  if (!type) throw new Error(`OANDA takes market, limit and stop entry orders; a ${order.type} order is held by the app`);
  const req: Json = {
    type, instrument: spec.oandaName, units: units(order.side, order.quantity, spec.tradeUnitsPrecision), positionFill: 'DEFAULT',
    // Our order id travels as the client id: OANDA refuses a second pending order with it, and finds it by `@id`.
    clientExtensions: { id: order.id, tag: 'quant-claude' },
    timeInForce: type === 'MARKET' ? 'FOK' : order.timeInForce === 'day' ? 'GFD' : 'GTC',
  };
  if (type === 'LIMIT') req['price'] = px(order.limitPrice!);
  if (type === 'STOP') req['price'] = px(order.stopPrice!);
  for (const c of children) {
    const ext = { id: c.id, tag: 'quant-claude' };
    if (c.type === 'stop' && c.stopPrice !== null) req['stopLossOnFill'] = { price: px(c.stopPrice), timeInForce: 'GTC', clientExtensions: ext };
    else if (c.type === 'limit' && c.limitPrice !== null) req['takeProfitOnFill'] = { price: px(c.limitPrice), timeInForce: 'GTC', clientExtensions: ext };
    else if (c.type === 'trailing-stop' && c.trailPercent && referencePrice) req['trailingStopLossOnFill'] = { distance: px(referencePrice * c.trailPercent / 100), timeInForce: 'GTC', clientExtensions: ext };
  }
  // A trailing distance on the entry itself (trailPercent on a market/limit/stop order): OANDA's trailingStopLossOnFill.
  if (order.trailPercent && referencePrice && !req['trailingStopLossOnFill']) {
    req['trailingStopLossOnFill'] = { distance: px(referencePrice * order.trailPercent / 100), timeInForce: 'GTC' };
  }
  return req;
}

const ORDER_TYPES: Record<string, OrderType> = {
  MARKET: 'market', LIMIT: 'limit', STOP: 'stop', MARKET_IF_TOUCHED: 'limit', STOP_LOSS: 'stop', TAKE_PROFIT: 'limit', TRAILING_STOP_LOSS: 'trailing-stop',
};

export const isOrderCreate = (type: string): boolean => /_ORDER$/.test(type) && type !== 'ORDER_FILL';
export const isReject = (type: string): boolean => /_ORDER_REJECT$/.test(type);

/** Our client order id of an order or transaction, when it carries one. */
export function clientIdOf(x: Json): string | null {
  const ext = x['clientExtensions'] as Json | undefined;
  const id = (x['clientOrderID'] as string | undefined) ?? (ext?.['id'] as string | undefined);
  return id ?? null;
}

/** A v20 Order (from /pendingOrders) as a report; dependent orders (SL/TP/TSL) take side and size from their trade. */
export function orderReportOf(o: Json, trades: Map<string, { instrument: string; units: number }>, filled: number): BrokerOrderReport | null {
  const type = String(o['type']);
  const trade = o['tradeID'] ? trades.get(String(o['tradeID'])) : undefined;
  const instrument = (o['instrument'] as string | undefined) ?? trade?.instrument;
  if (!instrument) return null;
  const u = o['units'] !== undefined ? Number(o['units']) : -(trade?.units ?? 0);
  const price = o['price'] !== undefined ? Number(o['price']) : null;
  const domainType = ORDER_TYPES[type.replace(/_ORDER$/, '')] ?? 'market';
  const state = String(o['state'] ?? 'PENDING');
  return {
    brokerOrderId: String(o['id']), permId: String(o['id']), clientOrderId: clientIdOf(o), symbol: symbolOf(instrument), side: u >= 0 ? 'buy' : 'sell',
    type: domainType, quantity: Math.abs(u), limitPrice: domainType === 'limit' ? price : null, stopPrice: domainType === 'stop' ? price : null,
    timeInForce: o['timeInForce'] === 'GFD' ? 'day' : 'gtc', parentBrokerOrderId: null,
    status: state === 'PENDING' ? 'working' : state === 'FILLED' ? 'filled' : 'cancelled', filledQuantity: filled,
  };
}

/** An ORDER_FILL transaction as an execution (its id is the execution id: unique and stable at OANDA). */
export function executionOfFill(tx: Json, time: number): BrokerExecution {
  const u = Number(tx['units']);
  return {
    execId: execIdOf(tx), brokerOrderId: String(tx['orderID']), permId: String(tx['orderID']), clientOrderId: clientIdOf(tx),
    symbol: symbolOf(String(tx['instrument'])), side: u >= 0 ? 'buy' : 'sell', quantity: Math.abs(u), price: Number(tx['price']),
    // OANDA reports the commission charged as a positive amount in the account currency.
    commission: Math.abs(Number(tx['commission'] ?? 0)).toFixed(4), time: parseTime(String(tx['time'] ?? '')) || time,
  };
}

export function execIdOf(tx: Json): string {
  return `OANDA-${String(tx['id'])}`;
}

/** RFC 3339 with up to nanoseconds, as UTC ms (NaN when unreadable). */
export function parseTime(s: string): number {
  return Date.parse(s.replace(/(\.\d{3})\d*Z$/, '$1Z'));
}

/** One instrument's overnight financing from a DAILY_FINANCING transaction: charged (negative) or paid, in the account's
 * home currency. `id` is stable (transaction id and instrument), so a repeated transaction is recognised. */
export interface OandaFinancing {
  id: string;
  transactionId: string;
  time: number;
  symbol: string;
  amount: string;
}

export function financingOf(tx: Json, now: number): OandaFinancing[] {
  const time = parseTime(String(tx['time'] ?? '')) || now;
  const list = (tx['positionFinancings'] as { instrument: string; financing: string }[] | undefined) ?? [];
  return list.map((p) => ({ id: `OANDA-${String(tx['id'])}-${p.instrument}`, transactionId: String(tx['id']), time, symbol: symbolOf(p.instrument), amount: p.financing }));
}
