// Trading states, as nautilus_trader's risk engine has them: ACTIVE (everything passes the other checks), REDUCING
// (only orders that reduce a position), HALTED (only cancels). One state per account and one for the terminal; the
// stricter applies. Thresholds on drawdown and daily loss only ever make the state stricter: going back is by hand.

export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';
export const TRADING_STATES: readonly TradingState[] = ['ACTIVE', 'REDUCING', 'HALTED'];
const RANK: Record<TradingState, number> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };

export const stricter = (a: TradingState, b: TradingState): TradingState => (RANK[a] >= RANK[b] ? a : b);

/** The state an order meets: the stricter of the terminal's and the account's; an engaged kill switch is HALTED. */
export function effectiveState(terminal: TradingState, account: TradingState, killSwitch: boolean): TradingState {
  return killSwitch ? 'HALTED' : stricter(terminal, account);
}

export type StateDecision = { ok: true } | { ok: false; rule: 'trading_state'; message: string };

/**
 * Whether an order may pass in `state`. `reducing`: it only brings the position toward zero (it does not flip it).
 * Protective legs and stop-outs (which only close) pass HALTED as they passed the kill switch: refusing them would leave
 * a position unprotected.
 */
export function stateAllows(state: TradingState, o: { reducing: boolean; protective: boolean }, where: string): StateDecision {
  if (state === 'ACTIVE' || o.protective) return { ok: true };
  if (state === 'HALTED') return { ok: false, rule: 'trading_state', message: `Trading is HALTED (${where}): only cancels pass` };
  if (!o.reducing) return { ok: false, rule: 'trading_state', message: `Trading is REDUCING (${where}): only orders that reduce a position pass` };
  return { ok: true };
}

/** Whether `after` (signed quantity after the order) is closer to flat than `before`, on the same side or flat. */
export const isReducing = (before: number, after: number): boolean => Math.abs(after) < Math.abs(before) && Math.sign(after) !== -Math.sign(before);

export interface StateThresholds {
  /** Drawdown from the NAV peak (fraction) at which the state becomes REDUCING / HALTED; null = off. */
  drawdownReducing: number | null;
  drawdownHalted: number | null;
  /** Loss since the day's first NAV (fraction of it) at which the state becomes REDUCING / HALTED; null = off. */
  dailyLossReducing: number | null;
  dailyLossHalted: number | null;
}

/** The state the thresholds ask for, with the reason, when it is stricter than `current`; else null. */
export function thresholdTransition(
  th: StateThresholds, current: TradingState, m: { drawdownFromPeak: number; dailyLoss: number },
): { state: TradingState; reason: string } | null {
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  const hits: { state: TradingState; reason: string }[] = [];
  if (th.drawdownHalted !== null && m.drawdownFromPeak >= th.drawdownHalted) hits.push({ state: 'HALTED', reason: `drawdown from the NAV peak ${pct(m.drawdownFromPeak)} reached the HALTED threshold ${pct(th.drawdownHalted)} (risk.states.drawdown_halted)` });
  if (th.dailyLossHalted !== null && m.dailyLoss >= th.dailyLossHalted) hits.push({ state: 'HALTED', reason: `daily loss ${pct(m.dailyLoss)} reached the HALTED threshold ${pct(th.dailyLossHalted)} (risk.states.daily_loss_halted)` });
  if (th.drawdownReducing !== null && m.drawdownFromPeak >= th.drawdownReducing) hits.push({ state: 'REDUCING', reason: `drawdown from the NAV peak ${pct(m.drawdownFromPeak)} reached the REDUCING threshold ${pct(th.drawdownReducing)} (risk.states.drawdown_reducing)` });
  if (th.dailyLossReducing !== null && m.dailyLoss >= th.dailyLossReducing) hits.push({ state: 'REDUCING', reason: `daily loss ${pct(m.dailyLoss)} reached the REDUCING threshold ${pct(th.dailyLossReducing)} (risk.states.daily_loss_reducing)` });
  const first = hits[0];
  return first && RANK[first.state] > RANK[current] ? first : null;
}

/** Submissions and modifications in the last second, counting this one, over the limit? (null = off). */
export function orderRateExceeded(recent: readonly number[], now: number, maxPerSecond: number | null): boolean {
  if (maxPerSecond === null) return false;
  let n = 1;
  for (const t of recent) if (now - t < 1000) n++;
  return n > maxPerSecond;
}

export interface RecentOrder {
  accountId: string;
  symbol: string;
  side: string;
  quantity: number;
  time: number;
}

/** Same account, symbol, side and quantity within `windowMs`: likely a double click, to be confirmed. */
export function isDuplicate(recent: readonly RecentOrder[], o: Omit<RecentOrder, 'time'>, now: number, windowMs: number): boolean {
  return recent.some((r) => now - r.time < windowMs && r.accountId === o.accountId && r.symbol === o.symbol && r.side === o.side && r.quantity === o.quantity);
}
