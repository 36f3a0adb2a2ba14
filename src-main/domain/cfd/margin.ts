// Margin math of a CFD account: used and free margin, margin level, and how far the account is from a margin call and
// from stop-out. Everything is exact (decimal.js, see ../money.ts); the decisions (margin call, stop-out) compare exact
// values, and only the figures handed out for display are rounded: amounts to cents (half up), the level to 2 decimals
// (half even). Margin level = equity ÷ used margin × 100 %; with no margin used there is no level (null), not infinity.
import { cents, D, dec, ZERO, type Dec } from '../money';

export interface MarginPosition {
  symbol: string;
  /** Signed units. */
  quantity: number;
  price: number;
  /** n for n:1: the margin is the notional divided by it (one division, last, so 1/30 never enters as 0.0333…). */
  leverage: number;
  /** Price of one unit of the quote currency in the account currency (1 when they are the same). */
  toAccount: Dec;
}

/** Margin a position ties up, in the account currency: |units| × price × conversion ÷ leverage. */
export function positionMargin(p: MarginPosition): Dec {
  return dec(p.quantity).abs().times(dec(p.price)).times(p.toAccount).div(p.leverage);
}

export function usedMargin(positions: readonly MarginPosition[]): Dec {
  return positions.reduce((sum, p) => sum.plus(positionMargin(p)), ZERO);
}

/** Percent levels: the broker warns at the margin call level and starts closing positions below the stop-out level. */
export interface MarginLevels {
  marginCall: number;
  stopOut: number;
}

export type MarginState = 'flat' | 'ok' | 'margin-call' | 'stop-out';

export interface MarginFigures {
  equity: Dec;
  used: Dec;
  free: Dec;
  /** Percent, exact; null with no margin used. */
  level: Dec | null;
  /** Equity that can be lost before the level falls to the margin call level (0 when already below); null when flat. */
  toMarginCall: Dec | null;
  toStopOut: Dec | null;
  state: MarginState;
}

export function marginLevel(equity: Dec, used: Dec): Dec | null {
  return used.isZero() ? null : equity.div(used).times(100);
}

/**
 * The account's margin figures. The distances assume the used margin stays as it is (prices barely move the margin of a
 * position compared with its P&L): the level reaches L % when equity falls to used × L / 100.
 */
export function marginFigures(equity: Dec, used: Dec, levels: MarginLevels): MarginFigures {
  const level = marginLevel(equity, used);
  const distance = (pct: number) => (level === null ? null : D.max(ZERO, equity.minus(used.times(pct).div(100))));
  const state: MarginState = level === null ? 'flat' : level.lt(levels.stopOut) ? 'stop-out' : level.lt(levels.marginCall) ? 'margin-call' : 'ok';
  return { equity, used, free: equity.minus(used), level, toMarginCall: distance(levels.marginCall), toStopOut: distance(levels.stopOut), state };
}

/** The level for display: 2 decimals, half even ("48.25"). */
export function levelString(level: Dec | null): string | null {
  return level === null ? null : level.toDecimalPlaces(2).toFixed(2);
}

/** Amounts for display: cents, half up. */
export function amountString(v: Dec | null): string | null {
  return v === null ? null : cents(v).toFixed(2);
}
