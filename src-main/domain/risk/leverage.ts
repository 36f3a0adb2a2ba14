// Leverage of the holdings: gross and net exposure over NAV, and the cap a volatility target allows.
import { stdev, TRADING_DAYS } from '../analytics/return-stats';

export interface Holding {
  symbol: string;
  /** Signed market value in account currency (short < 0). */
  value: number;
}

/** Gross = Σ|v_i| / NAV, net = Σv_i / NAV. */
export function exposureRatios(holdings: Holding[], nav: number): { gross: number; net: number } {
  let gross = 0;
  let net = 0;
  for (const h of holdings) {
    gross += Math.abs(h.value);
    net += h.value;
  }
  return nav > 0 ? { gross: gross / nav, net: net / nav } : { gross: Infinity, net: Infinity };
}

/** Realised annual volatility of daily portfolio returns: sd (ddof 1) × √252. */
export const realisedVolatility = (dailyReturns: ArrayLike<number>): number => stdev(dailyReturns) * Math.sqrt(TRADING_DAYS);

/**
 * The gross leverage a volatility target allows: target annual vol ÷ the realised vol of the current holdings per unit of
 * gross exposure (their daily returns scaled to gross 1), so that leverage × that vol = target. Infinity when the
 * holdings did not move or there are none.
 */
export function volTargetedCap(targetAnnualVol: number, dailyReturns: ArrayLike<number>, gross: number): number {
  if (!(gross > 0) || dailyReturns.length < 2) return Infinity;
  const volPerGross = realisedVolatility(dailyReturns) / gross;
  return volPerGross > 0 ? targetAnnualVol / volPerGross : Infinity;
}
