// IB messages ↔ domain objects: contracts for our instruments, orders both ways, executions and their times.
import { OrderAction, OrderType as IbOrderType, SecType, TimeInForce as IbTif, type Contract, type Execution, type Order as IbOrder } from '@stoqey/ib';
import type { Instrument, Order, OrderSide, OrderType, TimeInForce } from '../../../src-shared/domain/types';
import { moneyString, dec } from '../../domain/money';
import type { BrokerExecution, BrokerOrderReport } from '../../ports/broker';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Our orders carry their UUID in orderRef; anything else (empty, another tool's tag) is not ours. */
export function clientOrderIdOf(orderRef: string | undefined): string | null {
  return orderRef && UUID_RE.test(orderRef) ? orderRef : null;
}

/** The IB contract for one of our instruments. */
export function contractFor(instrument: Pick<Instrument, 'symbol' | 'assetClass' | 'currency'>): Contract {
  const { symbol, assetClass, currency } = instrument;
  switch (assetClass) {
    case 'fx':
      return { symbol: symbol.slice(0, 3), secType: SecType.CASH, currency: symbol.slice(3, 6) || currency, exchange: 'IDEALPRO' };
    case 'crypto':
      return { symbol: symbol.replace(/USD$/, ''), secType: SecType.CRYPTO, currency, exchange: 'PAXOS' };
    case 'index-cfd':
    case 'commodity-cfd':
      return { symbol, secType: SecType.CFD, currency, exchange: 'SMART' };
    case 'stock':
      return { symbol, secType: SecType.STK, currency, exchange: 'SMART' };
  }
}

/** Our symbol for an IB contract (EUR.USD cash → EURUSD; BTC crypto → BTCUSD). */
export function symbolOf(contract: Contract): string {
  const symbol = contract.symbol ?? contract.localSymbol ?? '';
  if (contract.secType === SecType.CASH) return `${symbol}${contract.currency ?? ''}`;
  if (contract.secType === SecType.CRYPTO && contract.currency && !symbol.endsWith(contract.currency)) return `${symbol}${contract.currency}`;
  return symbol;
}

export function ibOrderFor(order: Order, account: string | null): IbOrder {
  const base: IbOrder = {
    action: order.side === 'buy' ? OrderAction.BUY : OrderAction.SELL,
    totalQuantity: order.quantity - order.filledQuantity,
    orderType: IbOrderType.MKT,
    tif: order.timeInForce === 'gtc' ? IbTif.GTC : IbTif.DAY,
    orderRef: order.id,
    transmit: true,
  };
  if (account) base.account = account;
  switch (order.type) {
    case 'market':
      return base;
    case 'limit':
      return { ...base, orderType: IbOrderType.LMT, lmtPrice: order.limitPrice! };
    case 'stop':
      return { ...base, orderType: IbOrderType.STP, auxPrice: order.stopPrice! };
    case 'stop-limit':
      return { ...base, orderType: IbOrderType.STP_LMT, auxPrice: order.stopPrice!, lmtPrice: order.limitPrice! };
    case 'trailing-stop':
      // IB's trailingPercent is in percent, as ours.
      return { ...base, orderType: IbOrderType.TRAIL, trailingPercent: order.trailPercent! };
  }
}

function typeOf(o: IbOrder): OrderType {
  const t = String(o.orderType ?? '').toUpperCase();
  if (t === 'LMT') return 'limit';
  if (t === 'STP LMT') return 'stop-limit';
  if (t === 'TRAIL') return 'trailing-stop';
  if (t === 'STP') return 'stop';
  return 'market';
}

export function sideOf(action: string | undefined): OrderSide {
  const a = String(action ?? '').toUpperCase();
  return a === 'BUY' || a === 'BOT' ? 'buy' : 'sell';
}

function finite(n: number | undefined): number | null {
  return n !== undefined && Number.isFinite(n) && Math.abs(n) < 1e300 ? n : null;
}

/** TWS order states: working, done, or refused. */
export function statusOf(twsStatus: string | undefined): BrokerOrderReport['status'] {
  switch (twsStatus) {
    case 'Filled':
      return 'filled';
    case 'Cancelled':
    case 'ApiCancelled':
    case 'PendingCancel':
      return 'cancelled';
    case 'Inactive':
      return 'rejected';
    default:
      return 'working';
  }
}

export function orderReportOf(ibOrderId: number, contract: Contract, o: IbOrder, twsStatus: string | undefined, filled = 0): BrokerOrderReport {
  const tif: TimeInForce = String(o.tif ?? '').toUpperCase() === 'GTC' ? 'gtc' : 'day';
  return {
    brokerOrderId: String(ibOrderId), permId: o.permId ? String(o.permId) : null, clientOrderId: clientOrderIdOf(o.orderRef),
    symbol: symbolOf(contract), side: sideOf(o.action), type: typeOf(o), quantity: Number(o.totalQuantity ?? 0),
    limitPrice: typeOf(o) === 'limit' ? finite(o.lmtPrice) : null, stopPrice: typeOf(o) === 'stop' ? finite(o.auxPrice) : null, timeInForce: tif,
    parentBrokerOrderId: o.parentId ? String(o.parentId) : null, status: statusOf(twsStatus), filledQuantity: filled,
  };
}

/**
 * TWS execution times: "20261125  14:03:07" (TWS local time, which we cannot know: read as UTC), optionally followed by a
 * time zone ("20261125 14:03:07 US/Eastern" is read as UTC too), or "20261125-14:03:07" (UTC). Unparsable → `fallback`.
 */
export function parseIbTime(text: string | undefined, fallback: number): number {
  const m = /^(\d{4})(\d{2})(\d{2})[-\s]+(\d{2}):(\d{2}):(\d{2})/.exec(text?.trim() ?? '');
  if (!m) {
    const epoch = Number(text);
    return Number.isFinite(epoch) && epoch > 0 ? (epoch < 1e11 ? epoch * 1000 : epoch) : fallback;
  }
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

/** The ExecutionFilter time format ("yyyymmdd-hh:mm:ss", UTC). */
export function formatIbFilterTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

export function executionOf(contract: Contract, e: Execution, commission: number, fallbackTime: number): BrokerExecution {
  return {
    execId: e.execId!, brokerOrderId: String(e.orderId ?? 0), permId: e.permId ? String(e.permId) : null, clientOrderId: clientOrderIdOf(e.orderRef),
    symbol: symbolOf(contract), side: sideOf(e.side), quantity: Number(e.shares ?? 0), price: Number(e.price ?? 0),
    commission: moneyString(dec(Number.isFinite(commission) ? commission : 0)), time: parseIbTime(e.time, fallbackTime),
  };
}
