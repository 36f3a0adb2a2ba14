// The pre-trade risk engine: a pure function from an order and the account's state to a decision with a reason.
import type { OrderSide, OrderType } from '../../src-shared/domain/types';

export interface RiskLimitsConfig {
  /** Max |position notional| after the order, as a fraction of NAV (risk.max_position_size). */
  maxPositionSize: number;
  /** Max quantity × reference price of one order (risk.max_order_notional). */
  maxOrderNotional: number;
  /** Limit/stop price must lie within ±this fraction of the last price (risk.price_collar_pct). */
  priceCollarPct: number;
  /** Executions per UTC day with this broker (brokers.<name>.max_daily_trades). */
  maxDailyTrades: number;
}

export type RiskRule =
  | 'kill_switch' | 'invalid_order' | 'no_price' | 'max_order_notional' | 'max_position_size' | 'price_collar' | 'max_daily_trades';

export type RiskDecision = { ok: true } | { ok: false; rule: RiskRule; message: string };

export interface RiskOrder {
  symbol: string;
  side: OrderSide;
  type: OrderType;
  quantity: number;
  limitPrice?: number | null;
  stopPrice?: number | null;
}

export interface RiskContext {
  limits: RiskLimitsConfig;
  killSwitch: boolean;
  brokerName: string;
  /** Last traded (or mid) price of the symbol; undefined when unknown. */
  lastPrice: number | undefined;
  /** Current signed position quantity in the symbol. */
  positionQuantity: number;
  /** Net asset value of the account, in account currency. */
  nav: number;
  /** Executions (fills) already made today with this broker. */
  tradesToday: number;
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const pct = (f: number) => `${(f * 100).toFixed(2).replace(/\.?0+$/, '')} %`;
const reject = (rule: RiskRule, message: string): RiskDecision => ({ ok: false, rule, message });

export function checkOrder(order: RiskOrder, ctx: RiskContext): RiskDecision {
  if (ctx.killSwitch) return reject('kill_switch', 'The kill switch is engaged: no new orders until it is released (risk.kill_switch)');
  if (!Number.isFinite(order.quantity) || order.quantity <= 0)
    return reject('invalid_order', `Quantity must be a finite number greater than 0 (got ${order.quantity})`);
  for (const [name, v] of [['limit price', order.limitPrice], ['stop price', order.stopPrice]] as const) {
    if (v !== undefined && v !== null && (!Number.isFinite(v) || v <= 0)) return reject('invalid_order', `The ${name} must be a finite number greater than 0`);
  }
  if (ctx.lastPrice === undefined || !Number.isFinite(ctx.lastPrice) || ctx.lastPrice <= 0)
    return reject('no_price', `No price is available for ${order.symbol}: the order cannot be risk-checked`);

  const signed = order.side === 'buy' ? order.quantity : -order.quantity;
  const after = ctx.positionQuantity + signed;
  const reducing = Math.abs(after) < Math.abs(ctx.positionQuantity) && Math.sign(after) !== -Math.sign(ctx.positionQuantity);

  if (ctx.tradesToday >= ctx.limits.maxDailyTrades)
    return reject('max_daily_trades', `${ctx.tradesToday} trades were already made with ${ctx.brokerName} today, the max daily trades is ${ctx.limits.maxDailyTrades} (brokers.${ctx.brokerName}.max_daily_trades)`);

  const orderPrice = order.type === 'limit' ? order.limitPrice : order.type === 'stop' ? order.stopPrice : undefined;
  if (orderPrice !== undefined && orderPrice !== null) {
    const deviation = Math.abs(orderPrice - ctx.lastPrice) / ctx.lastPrice;
    if (deviation > ctx.limits.priceCollarPct)
      return reject('price_collar', `The ${order.type} price ${orderPrice} is ${pct(deviation)} from the last price ${ctx.lastPrice}, beyond the price collar of ±${pct(ctx.limits.priceCollarPct)} (risk.price_collar_pct)`);
  }

  const refPrice = orderPrice ?? ctx.lastPrice;
  const notional = order.quantity * refPrice;
  if (!reducing && notional > ctx.limits.maxOrderNotional)
    return reject('max_order_notional', `Order notional ${usd.format(notional)} exceeds the max order notional of ${usd.format(ctx.limits.maxOrderNotional)} (risk.max_order_notional)`);

  if (!reducing) {
    const positionNotional = Math.abs(after) * refPrice;
    const cap = ctx.limits.maxPositionSize * Math.max(ctx.nav, 0);
    if (positionNotional > cap)
      return reject('max_position_size', `The position in ${order.symbol} would be ${usd.format(positionNotional)}, ${pct(positionNotional / Math.max(ctx.nav, 1e-9))} of NAV ${usd.format(ctx.nav)}, above the max position size of ${pct(ctx.limits.maxPositionSize)} (risk.max_position_size)`);
  }
  return { ok: true };
}
