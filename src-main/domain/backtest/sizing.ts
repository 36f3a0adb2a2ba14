// Position sizing helpers: whole units for an order, from equity, price and risk. Pure functions for strategies.

/** A fixed number of units. */
export const fixedUnits = (units: number): number => Math.max(0, Math.trunc(units));

/** Units worth `fraction` of equity at `price`. */
export function percentOfEquity(equity: number, price: number, fraction: number): number {
  if (!(price > 0) || !(equity > 0) || !(fraction > 0)) return 0;
  return Math.floor((equity * fraction) / price);
}

/**
 * ATR risk sizing: risk `riskFraction` of equity on a stop `atrMultiple` ATRs away, so that a stop-out loses that
 * fraction: units = equity · risk / (ATR · multiple).
 */
export function atrRisk(equity: number, atr: number, riskFraction: number, atrMultiple = 2): number {
  if (!(atr > 0) || !(equity > 0) || !(riskFraction > 0) || !(atrMultiple > 0)) return 0;
  return Math.floor((equity * riskFraction) / (atr * atrMultiple));
}

/**
 * Kelly fraction f* = W − (1 − W) / R for win rate W and win/loss ratio R, capped at 25 % of equity (full Kelly is
 * too aggressive when W and R are estimates); never negative.
 */
export function kellyFraction(winRate: number, winLossRatio: number, cap = 0.25): number {
  if (!(winLossRatio > 0) || !(winRate >= 0 && winRate <= 1)) return 0;
  return Math.min(cap, Math.max(0, winRate - (1 - winRate) / winLossRatio));
}

/** Units for the capped Kelly fraction of equity at `price`. */
export function kellyUnits(equity: number, price: number, winRate: number, winLossRatio: number, cap = 0.25): number {
  return percentOfEquity(equity, price, kellyFraction(winRate, winLossRatio, cap));
}
