// The pre-trade risk engine: a pure function from an order and the account's exposure to a decision with a reason.
// Exposure counts working orders as if they all filled (per side), so a burst of orders cannot race past a limit
// while earlier ones are still on their way to a fill.
import type { OrderSide, OrderType } from '../../src-shared/domain/types';
import { D } from './money';

export interface RiskLimitsConfig {
  /** Max |position notional| after the order, as a fraction of NAV (risk.max_position_size). */
  maxPositionSize: number;
  /** Max quantity × reference price of one order (risk.max_order_notional). */
  maxOrderNotional: number;
  /** Limit/stop price must lie within ±this fraction of the last price (risk.price_collar_pct). */
  priceCollarPct: number;
  /** Trades per UTC day with this broker (brokers.<name>.max_daily_trades): fills made today plus working orders. */
  maxDailyTrades: number;
}

export type RiskRule =
  | 'kill_switch' | 'invalid_order' | 'invalid_quantity' | 'no_price' | 'max_order_notional' | 'max_position_size' | 'price_collar' | 'max_daily_trades';

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
  /** Unfilled remainder of the working buy and sell orders in the symbol (protective bracket legs excluded). */
  workingBuyQuantity?: number;
  workingSellQuantity?: number;
  /** Net asset value of the account, in account currency. */
  nav: number;
  /** Account currency per unit of the instrument's quote currency (USDJPY on a USD account: 1 / the USDJPY rate);
   * absent: 1 (the same currency); NaN: no rate known, and the order cannot be valued. */
  fxToAccount?: number;
  /** The instrument's quote currency, for messages (default: the account's). */
  quoteCurrency?: string;
  /** The account's currency, to name the missing pair when there is no rate. */
  accountCurrency?: string;
  /** Fills made today with this broker plus the orders still working (each will trade at least once). */
  tradesToday: number;
  /** The instrument's size step, which is also its minimum size (lotSize); undefined skips the check. */
  lotSize?: number;
  /** A protective stop-loss / take-profit leg of a filled entry (or a flatten): it only reduces the position, so it
   * is exempt from the price collar, the notional, position and daily-trade limits (refusing it would leave the
   * position unprotected). */
  protective?: boolean;
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const pct = (f: number) => `${(f * 100).toFixed(2).replace(/\.?0+$/, '')} %`;
const reject = (rule: RiskRule, message: string): RiskDecision => ({ ok: false, rule, message });

/** Why a quantity is not a whole, non-zero number of lots (decimal arithmetic: 1000.0000001 is not 1000), or null. */
export function quantityProblem(quantity: number, lotSize: number, symbol: string): string | null {
  if (!(lotSize > 0)) return null;
  const q = new D(quantity);
  const lot = new D(lotSize);
  if (q.lt(lot)) return `Quantity ${quantity} is below the minimum size ${lotSize} of ${symbol}`;
  if (!q.mod(lot).isZero()) return `Quantity ${quantity} is not a multiple of the size step ${lotSize} of ${symbol}`;
  return null;
}

export function checkOrder(order: RiskOrder, ctx: RiskContext): RiskDecision {
  if (ctx.killSwitch && !ctx.protective) return reject('kill_switch', 'The kill switch is engaged: no new orders until it is released (risk.kill_switch)');
  if (!Number.isFinite(order.quantity) || order.quantity <= 0)
    return reject('invalid_order', `Quantity must be a finite number greater than 0 (got ${order.quantity})`);
  for (const [name, v] of [['limit price', order.limitPrice], ['stop price', order.stopPrice]] as const) {
    if (v !== undefined && v !== null && (!Number.isFinite(v) || v <= 0)) return reject('invalid_order', `The ${name} must be a finite number greater than 0`);
  }
  if (ctx.lotSize !== undefined) {
    const problem = quantityProblem(order.quantity, ctx.lotSize, order.symbol);
    if (problem) return reject('invalid_quantity', problem);
  }
  if (ctx.protective) return { ok: true };
  if (ctx.lastPrice === undefined || !Number.isFinite(ctx.lastPrice) || ctx.lastPrice <= 0)
    return reject('no_price', `No fresh price for ${order.symbol} from the account's own feed: the order cannot be risk-checked`);

  // Worst case on the order's side: every working order on that side fills before this one.
  const base = order.side === 'buy' ? ctx.positionQuantity + (ctx.workingBuyQuantity ?? 0) : ctx.positionQuantity - (ctx.workingSellQuantity ?? 0);
  const after = base + (order.side === 'buy' ? order.quantity : -order.quantity);
  const reducing = Math.abs(after) < Math.abs(base) && Math.sign(after) !== -Math.sign(base);

  if (!reducing && ctx.tradesToday >= ctx.limits.maxDailyTrades)
    return reject('max_daily_trades', `${ctx.tradesToday} trades were already made or are working with ${ctx.brokerName} today, the max daily trades is ${ctx.limits.maxDailyTrades} (brokers.${ctx.brokerName}.max_daily_trades)`);

  const orderPrice = order.type === 'limit' ? order.limitPrice : order.type === 'stop' ? order.stopPrice : undefined;
  if (orderPrice !== undefined && orderPrice !== null) {
    const deviation = Math.abs(orderPrice - ctx.lastPrice) / ctx.lastPrice;
    if (deviation > ctx.limits.priceCollarPct)
      return reject('price_collar', `The ${order.type} price ${orderPrice} is ${pct(deviation)} from the last price ${ctx.lastPrice}, beyond the price collar of ±${pct(ctx.limits.priceCollarPct)} (risk.price_collar_pct)`);
  }

  // Notional and position are valued in account currency, like NAV and the notional limit (a USDJPY order is in yen).
  const fx = ctx.fxToAccount ?? 1;
  if (!Number.isFinite(fx) || fx <= 0) {
    const q = ctx.quoteCurrency;
    const a = ctx.accountCurrency;
    const pair = q && a ? ` to ${a} (the market quotes neither ${q}${a} nor ${a}${q})` : ' to the account currency';
    return reject('no_price', `No exchange rate from ${q ?? 'the quote currency'}${pair}: the order cannot be risk-checked`);
  }
  // A buy limit below the market is valued at the market (it can fill there after a move), never below it.
  const refPrice = (orderPrice === undefined || orderPrice === null ? ctx.lastPrice : Math.max(orderPrice, ctx.lastPrice)) * fx;
  const notional = order.quantity * refPrice;
  if (!reducing && notional > ctx.limits.maxOrderNotional)
    return reject('max_order_notional', `Order notional ${usd.format(notional)} exceeds the max order notional of ${usd.format(ctx.limits.maxOrderNotional)} (risk.max_order_notional)`);

  if (!reducing) {
    const positionNotional = Math.abs(after) * refPrice;
    const cap = ctx.limits.maxPositionSize * Math.max(ctx.nav, 0);
    if (positionNotional > cap) {
      const working = Math.abs(base - ctx.positionQuantity);
      const incl = working > 0 ? ` including ${working} in working orders` : '';
      return reject('max_position_size', `The position in ${order.symbol} would be ${usd.format(positionNotional)}${incl}, ${pct(positionNotional / Math.max(ctx.nav, 1e-9))} of NAV ${usd.format(ctx.nav)}, above the max position size of ${pct(ctx.limits.maxPositionSize)} (risk.max_position_size)`);
    }
  }
  return { ok: true };
}
