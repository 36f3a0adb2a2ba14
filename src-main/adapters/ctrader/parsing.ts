// Open API messages ↔ our types: symbols as instruments and CFD specs, orders as ProtoOANewOrderReq payloads, and
// orders, deals and positions as the broker port's reports, executions and positions.
import type { Instrument, Order, OrderType as DomainOrderType } from '../../../src-shared/domain/types';
import type { CfdCategory, CfdSpec } from '../../domain/cfd/specs';
import type { BrokerExecution, BrokerOrderReport, BrokerPosition } from '../../ports/broker';
import { enumValue, fromUnits, OrderStatus, OrderType, SwapCalculationType, TimeInForce, toUnits, TradeSide, type Json } from './protocol';

/** A symbol as this venue reports it (ProtoOALightSymbol + ProtoOASymbol); sizes in units, not cents. */
export interface CtraderSymbolSpec {
  symbolId: number;
  symbol: string;
  description: string;
  digits: number;
  /** The pip is 10^−pipPosition (EURUSD 4: 0.0001). */
  pipPosition: number;
  lotUnits: number;
  minUnits: number;
  stepUnits: number;
  maxUnits: number;
  /** Financing as the broker states it: annual percent (PERCENTAGE) or pips a lot a day (PIPS, POINTS). */
  swapLong: number;
  swapShort: number;
  swapType: 'percentage' | 'pips' | 'points';
  /** The account's leverage (n for n:1): cTrader gives it per account (dynamic leverage per symbol is not read). */
  leverage: number;
  assetClass: Instrument['assetClass'];
  quoteCurrency: string;
}

const CURRENCIES = new Set(['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'AUD', 'NZD', 'CAD', 'SEK', 'NOK', 'DKK', 'SGD', 'HKD', 'ZAR', 'MXN', 'PLN', 'CZK', 'HUF', 'TRY', 'CNH']);
const MAJORS = new Set(['EURUSD', 'GBPUSD', 'USDJPY', 'USDCHF', 'AUDUSD', 'USDCAD', 'NZDUSD']);
/** Index CFDs by the currency they are priced in (the rest: USD). */
const INDEX_CURRENCY: Record<string, string> = { DE40: 'EUR', GER40: 'EUR', DE30: 'EUR', FRA40: 'EUR', F40: 'EUR', EU50: 'EUR', STOXX50: 'EUR', UK100: 'GBP', JP225: 'JPY', JPN225: 'JPY', AUS200: 'AUD', HK50: 'HKD' };
const MAJOR_INDICES = new Set(['US500', 'US30', 'USTEC', 'NAS100', 'US100', 'DE40', 'GER40', 'UK100', 'JP225', 'FRA40', 'EU50', 'AUS200']);

export function classify(name: string): { assetClass: Instrument['assetClass']; quoteCurrency: string; category: CfdCategory } {
  const n = name.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (n.length === 6 && CURRENCIES.has(n.slice(0, 3)) && CURRENCIES.has(n.slice(3))) return { assetClass: 'fx', quoteCurrency: n.slice(3), category: MAJORS.has(n) ? 'major-fx' : 'minor-fx' };
  if (/^X(AU|AG|PT|PD)[A-Z]{3}$/.test(n)) return { assetClass: 'commodity-cfd', quoteCurrency: n.slice(3), category: n.startsWith('XAU') ? 'gold' : 'commodity' };
  if (/^(BTC|ETH|LTC|XRP)/.test(n)) return { assetClass: 'crypto', quoteCurrency: 'USD', category: 'crypto' };
  return { assetClass: 'index-cfd', quoteCurrency: INDEX_CURRENCY[n] ?? 'USD', category: MAJOR_INDICES.has(n) ? 'major-index' : 'minor-index' };
}

export function specOf(light: Json, full: Json, leverage: number): CtraderSymbolSpec {
  const symbol = String(light['symbolName']).replace('/', '');
  const { assetClass, quoteCurrency } = classify(symbol);
  const swapType = enumValue(SwapCalculationType, full['swapCalculationType']) ?? SwapCalculationType.PIPS;
  return {
    symbolId: Number(full['symbolId']), symbol, description: String(light['description'] ?? symbol), digits: Number(full['digits']), pipPosition: Number(full['pipPosition']),
    lotUnits: toUnits(Number(full['lotSize'] ?? 10_000_000)), minUnits: toUnits(Number(full['minVolume'] ?? 100)), stepUnits: toUnits(Number(full['stepVolume'] ?? 100)),
    maxUnits: toUnits(Number(full['maxVolume'] ?? 0)), swapLong: Number(full['swapLong'] ?? 0), swapShort: Number(full['swapShort'] ?? 0),
    swapType: swapType === SwapCalculationType.PERCENTAGE ? 'percentage' : swapType === SwapCalculationType.POINTS ? 'points' : 'pips', leverage, assetClass, quoteCurrency,
  };
}

export function instrumentOf(s: CtraderSymbolSpec): Instrument {
  return {
    symbol: s.symbol, name: s.description, assetClass: s.assetClass, currency: s.quoteCurrency, exchange: 'cTrader',
    tickSize: 10 ** -s.digits, lotSize: s.stepUnits, session: s.assetClass === 'fx' ? 'fx-24x5' : s.assetClass === 'crypto' ? 'crypto-24x7' : 'cfd-23x5',
  };
}

/**
 * The CFD domain's spec of a cTrader symbol. Financing: a PERCENTAGE swap is already an annual rate; a swap in pips (or
 * points) a lot a day is turned into an annual rate on the notional at `referencePrice` (0 without one: unknown).
 */
export function cfdSpecOf(s: CtraderSymbolSpec, referencePrice?: number): CfdSpec {
  const { category } = classify(s.symbol);
  const annual = (swap: number): string => {
    if (s.swapType === 'percentage') return (swap / 100).toFixed(6);
    if (!referencePrice) return '0';
    const perUnitDay = swap * (s.swapType === 'pips' ? 10 ** -s.pipPosition : 10 ** -s.digits);
    return ((perUnitDay * 365) / referencePrice).toFixed(6);
  };
  return {
    symbol: s.symbol, category, assetClass: s.assetClass, quoteCurrency: s.quoteCurrency, contractSize: s.lotUnits, minSize: s.minUnits, sizeStep: s.stepUnits,
    maxLeverage: s.leverage, financing: { long: annual(s.swapLong), short: annual(s.swapShort) },
    financingConvention: s.assetClass === 'fx' ? 'fx' : s.assetClass === 'crypto' ? 'crypto' : 'cfd', tradingHours: instrumentOf(s).session, pipLocation: s.pipPosition === 0 ? 0 : -s.pipPosition,
  };
}

/** Our order as a ProtoOANewOrderReq payload. Our order id travels as clientOrderId (cTrader allows 50 characters). */
export function orderRequestOf(order: Order, spec: CtraderSymbolSpec, ctidTraderAccountId: number): Json {
  const type = order.type === 'market' ? OrderType.MARKET : order.type === 'limit' ? OrderType.LIMIT : order.type === 'stop' ? OrderType.STOP : null;
  if (type === null) throw new Error(`cTrader takes market, limit and stop orders here; a ${order.type} order is held by the app`);
  if (order.id.length > 50) throw new Error('the order id is longer than cTrader\'s 50-character clientOrderId');
  const volume = fromUnits(order.quantity);
  const step = fromUnits(spec.stepUnits);
  if (volume < fromUnits(spec.minUnits) || volume % step !== 0) throw new Error(`${spec.symbol} trades at least ${spec.minUnits} units, in steps of ${spec.stepUnits}`);
  const round = (p: number) => Number(p.toFixed(spec.digits));
  return {
    ctidTraderAccountId, symbolId: spec.symbolId, orderType: type, tradeSide: order.side === 'buy' ? TradeSide.BUY : TradeSide.SELL, volume,
    ...(type === OrderType.LIMIT ? { limitPrice: round(order.limitPrice!) } : {}), ...(type === OrderType.STOP ? { stopPrice: round(order.stopPrice!) } : {}),
    // cTrader has no good-for-day: pending orders are good till cancelled (the app cancels day orders itself).
    ...(type !== OrderType.MARKET ? { timeInForce: TimeInForce.GOOD_TILL_CANCEL } : {}),
    clientOrderId: order.id, label: 'quant-claude',
  };
}

const DOMAIN_TYPE: Record<number, DomainOrderType> = { [OrderType.MARKET]: 'market', [OrderType.LIMIT]: 'limit', [OrderType.STOP]: 'stop', [OrderType.STOP_LOSS_TAKE_PROFIT]: 'stop', [OrderType.MARKET_RANGE]: 'market', [OrderType.STOP_LIMIT]: 'stop' };

export function clientIdOf(order: Json | undefined): string | null {
  const id = order?.['clientOrderId'];
  return typeof id === 'string' && id ? id : null;
}

export function orderReportOf(o: Json, symbolOf: (id: number) => string | undefined): BrokerOrderReport | null {
  const td = o['tradeData'] as Json | undefined;
  const symbol = td ? symbolOf(Number(td['symbolId'])) : undefined;
  if (!td || !symbol) return null;
  const type = DOMAIN_TYPE[enumValue(OrderType, o['orderType']) ?? 1] ?? 'market';
  const status = enumValue(OrderStatus, o['orderStatus']);
  return {
    brokerOrderId: String(o['orderId']), permId: String(o['orderId']), clientOrderId: clientIdOf(o), symbol, side: enumValue(TradeSide, td['tradeSide']) === TradeSide.SELL ? 'sell' : 'buy',
    type, quantity: toUnits(Number(td['volume'])), limitPrice: type === 'limit' ? Number(o['limitPrice'] ?? 0) || null : null, stopPrice: type === 'stop' ? Number(o['stopPrice'] ?? 0) || null : null,
    timeInForce: 'gtc', parentBrokerOrderId: null,
    status: status === OrderStatus.ACCEPTED ? 'working' : status === OrderStatus.FILLED ? 'filled' : status === OrderStatus.REJECTED ? 'rejected' : 'cancelled',
    filledQuantity: toUnits(Number(o['executedVolume'] ?? 0)),
  };
}

export const execIdOf = (dealId: unknown): string => `CTRADER-${String(dealId)}`;

/** A ProtoOADeal as an execution; its commission (negative: charged) in the deposit currency, as a positive cost. */
export function executionOfDeal(d: Json, clientOrderId: string | null, symbol: string, moneyDigits: number): BrokerExecution {
  const digits = Number(d['moneyDigits'] ?? moneyDigits);
  return {
    execId: execIdOf(d['dealId']), brokerOrderId: String(d['orderId']), permId: String(d['orderId']), clientOrderId, symbol,
    side: enumValue(TradeSide, d['tradeSide']) === TradeSide.SELL ? 'sell' : 'buy', quantity: toUnits(Number(d['filledVolume'])), price: Number(d['executionPrice']),
    commission: (Math.abs(Number(d['commission'] ?? 0)) / 10 ** digits).toFixed(4), time: Number(d['executionTimestamp']),
  };
}

/** Open positions as one signed quantity per symbol (a hedged account's long and short net out, as our books hold them). */
export function positionsOf(list: Json[], symbolOf: (id: number) => string | undefined): BrokerPosition[] {
  const by = new Map<string, { quantity: number; cost: number }>();
  for (const p of list) {
    const td = p['tradeData'] as Json;
    const symbol = symbolOf(Number(td['symbolId']));
    if (!symbol) continue;
    const q = (enumValue(TradeSide, td['tradeSide']) === TradeSide.SELL ? -1 : 1) * toUnits(Number(td['volume']));
    const cur = by.get(symbol) ?? { quantity: 0, cost: 0 };
    by.set(symbol, { quantity: cur.quantity + q, cost: cur.cost + q * Number(p['price'] ?? 0) });
  }
  return [...by].filter(([, v]) => Math.abs(v.quantity) > 1e-9).map(([symbol, v]) => ({ symbol, quantity: v.quantity, avgPrice: v.cost / v.quantity }));
}
