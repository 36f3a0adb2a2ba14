// The Strategy API: what a strategy is and what it sees, the same in a backtest and live. The engines and the live
// runner provide the context (built by ./context.ts over their bars); a strategy cannot tell which world it runs in.
import type { BarArrays } from '../backtest/types';

export type OrderKind = 'market' | 'limit' | 'stop' | 'stop-limit' | 'trailing-stop';

export interface OrderSpec {
  side: 'buy' | 'sell';
  type?: OrderKind;
  /** Units, or 'all' for the largest whole number equity affords (commission included). */
  size?: number | 'all';
  limit?: number;
  stop?: number;
  /** Trailing distance as a fraction (0.05 = 5 %) for trailing stops. */
  trail?: number;
  /** Bracket legs attached once this order fills (one cancels the other). */
  stopLoss?: number;
  takeProfit?: number;
}

export interface Fill {
  bar: number;
  time: number;
  side: 'buy' | 'sell';
  size: number;
  price: number;
  commission: number;
}

/** What a strategy sees: the bars up to and including the current one, never later. */
export interface StrategyContext {
  /** Index of the current (just closed) bar. */
  readonly index: number;
  /** Value `ago` bars back (0 = current); asking for the future throws. */
  close(ago?: number): number;
  open(ago?: number): number;
  high(ago?: number): number;
  low(ago?: number): number;
  volume(ago?: number): number;
  time(ago?: number): number;
  /** A precomputed series (an indicator) read with the same rule. */
  value(series: ArrayLike<number>, ago?: number): number;
  readonly position: number;
  readonly cash: number;
  readonly equity: number;
  order(spec: OrderSpec): void;
  buy(spec?: Omit<OrderSpec, 'side'>): void;
  sell(spec?: Omit<OrderSpec, 'side'>): void;
  /** Market order that flattens the position. */
  closePosition(): void;
  cancelAll(): void;
}

/** `rejected` comes from the live world only (the risk gate, the broker), with a reason. */
export type OrderUpdate = { status: 'accepted' | 'filled' | 'cancelled' | 'rejected'; order: OrderSpec; bar: number; reason?: string };

/**
 * A strategy, the same in backtests and live: lifecycle hooks around `next`, called once per closed bar.
 * onStart runs before the first `next` (at the warm-up bar), onStop after the final bar.
 */
export interface Strategy {
  /**
   * Precomputes indicators (which must be causal) from the bars known so far. The engine calls it once with the whole
   * data set; the live runner again each time a bar closes, with the bars up to it — a causal indicator has the same
   * values on the bars both have seen, so `next` sees the same numbers in both worlds. Keep trading state out of it.
   */
  init?(data: BarArrays): void;
  /** First bar index at which `next` may be called (e.g. when the indicators are defined). */
  warmup?: number;
  onStart?(ctx: StrategyContext): void;
  next(ctx: StrategyContext): void;
  onOrderUpdate?(update: OrderUpdate, ctx: StrategyContext): void;
  onFill?(fill: Fill, ctx: StrategyContext): void;
  onStop?(ctx: StrategyContext): void;
}

/** What a multi-instrument strategy sees at each timestamp of the merged timeline. */
export interface PortfolioContext {
  /** Time of the current timestamp (UTC seconds). */
  readonly time: number;
  readonly symbols: readonly string[];
  /** Whether `symbol` has a bar at the current timestamp. */
  has(symbol: string): boolean;
  /** Close `ago` bars back of `symbol`'s own bars, up to the current time (NaN before its first bar). */
  close(symbol: string, ago?: number): number;
  /** Number of bars of `symbol` seen so far. */
  count(symbol: string): number;
  position(symbol: string): number;
  readonly cash: number;
  readonly equity: number;
  /** Market order for `units` (signed) at the symbol's next open. */
  order(symbol: string, units: number): void;
  /** Orders the difference to reach `units`. */
  orderTarget(symbol: string, units: number): void;
  /** Orders the difference to hold `fraction` of equity (whole units, at the last close). */
  orderTargetPercent(symbol: string, fraction: number): void;
}

export interface PortfolioStrategy {
  init?(data: Record<string, BarArrays>): void;
  next(ctx: PortfolioContext): void;
}
