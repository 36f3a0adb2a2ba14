// Position size from risk: the amount at risk (a percent of equity, or an amount) divided by what one unit loses when
// the stop is hit (stop distance × conversion to the account currency). The size is rounded DOWN to the size step, so
// the trade never risks more than asked; below the minimum size there is no trade (a plain-words problem instead).
import { dec, D, type Dec } from '../money';
import { convert, type RateLookup } from './pip';

export interface RiskSizeInput {
  equity: Dec;
  /** Percent of equity (1 = 1 %) or an amount in the account currency. */
  risk: { percent: number } | { amount: string };
  /** Distance from entry to stop, in price (0.0025 on EURUSD = 25 pips). */
  stopDistance: number;
  quoteCurrency: string;
  accountCurrency: string;
  rates: RateLookup;
  pipLocation: number;
  contractSize: number;
  minSize: number;
  sizeStep: number;
}

export type RiskSize =
  | {
      ok: true;
      units: number;
      /** units ÷ contract size (FX: standard lots of 100,000). */
      lots: number;
      /** What the trader asked to risk, and what the rounded size risks, in the account currency. */
      riskAmount: Dec;
      actualRisk: Dec;
      stopPips: Dec;
      /** Value of one pip on the size, in the account currency. */
      pipValue: Dec;
    }
  | { ok: false; problem: string };

export function riskSize(i: RiskSizeInput): RiskSize {
  if (!(i.stopDistance > 0)) return { ok: false, problem: 'The stop distance must be above 0' };
  const riskAmount = 'percent' in i.risk ? i.equity.times(i.risk.percent).div(100) : dec(i.risk.amount);
  if (!riskAmount.gt(0)) return { ok: false, problem: 'The risk must be above 0' };
  const lossPerUnit = convert(dec(i.stopDistance), i.quoteCurrency, i.accountCurrency, i.rates);
  if (lossPerUnit === undefined) return { ok: false, problem: `No ${i.quoteCurrency}/${i.accountCurrency} rate to convert the risk` };
  // A billionth of a unit settles what repeating decimals leave (0.5 JPY at 1/150 is 0.00333… USD: 100 USD over it is
  // 29,999.99…9 in 34 digits, which is 30,000 in fact and must not round down to the step below).
  const raw = riskAmount.div(lossPerUnit).toDecimalPlaces(9);
  const step = dec(i.sizeStep);
  const units = raw.div(step).floor().times(step);
  if (units.lt(i.minSize)) return { ok: false, problem: `Risking ${riskAmount.toFixed(2)} ${i.accountCurrency} with this stop gives ${raw.toSignificantDigits(4).toString()} units, below the minimum size of ${i.minSize}` };
  const pip = new D(10).pow(i.pipLocation);
  return {
    ok: true, units: units.toNumber(), lots: units.div(i.contractSize).toNumber(), riskAmount, actualRisk: units.times(lossPerUnit),
    stopPips: dec(i.stopDistance).div(pip), pipValue: units.times(pip).times(lossPerUnit.div(i.stopDistance)),
  };
}

/**
 * The Kelly fraction of equity to risk per trade from a backtest's closed trades: f = W − (1 − W) ÷ R, W the share of
 * winning trades, R the average win over the average loss. Capped at 25 % (full Kelly is far too aggressive when W and
 * R are estimates) and floored at 0 (a negative edge says: do not trade). Null without at least one win and one loss.
 */
export function kellyFraction(tradePnls: readonly (number | string)[]): { fraction: number; raw: number; winRate: number; payoff: number; trades: number } | null {
  const pnl = tradePnls.map((p) => dec(p));
  const wins = pnl.filter((p) => p.gt(0));
  const losses = pnl.filter((p) => p.lt(0));
  if (wins.length === 0 || losses.length === 0) return null;
  const w = dec(wins.length).div(pnl.length);
  const avgWin = wins.reduce((s, p) => s.plus(p), dec(0)).div(wins.length);
  const avgLoss = losses.reduce((s, p) => s.plus(p), dec(0)).abs().div(losses.length);
  const r = avgWin.div(avgLoss);
  const raw = w.minus(new D(1).minus(w).div(r));
  return { fraction: D.min(D.max(raw, 0), '0.25').toNumber(), raw: raw.toNumber(), winRate: w.toNumber(), payoff: r.toNumber(), trades: pnl.length };
}
