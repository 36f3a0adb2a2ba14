// The stop-out procedure: when the margin level is below the stop-out level, positions are closed one at a time, the
// one with the largest loss (most negative unrealised P&L, in the account currency) first, until the level is back at
// or above the stop-out level or nothing is left open (the procedure MT5 and cTrader document for their "largest
// loss first" mode). Closing a position turns its unrealised P&L into realised P&L, so equity is unchanged apart from
// the cost of closing (ignored in the plan) while the margin it tied up is freed; ties go by symbol, so the order is
// always the same. The paper CFD desk (services/paper-cfd.ts) closes the first position of the plan, waits for its
// fill and plans again on the new figures: the real fill, not the plan, decides whether the next one goes too.
import { ZERO, type Dec } from '../money';
import { marginLevel } from './margin';

export interface StopOutCandidate {
  symbol: string;
  unrealizedPnl: Dec;
  margin: Dec;
}

export interface StopOutPlan {
  /** Symbols to close, in order. */
  close: string[];
  /** The level once they are closed (null: nothing left open). */
  levelAfter: Dec | null;
}

export function planStopOut(equity: Dec, positions: readonly StopOutCandidate[], stopOutLevel: number): StopOutPlan {
  const order = [...positions].sort((a, b) => a.unrealizedPnl.comparedTo(b.unrealizedPnl) || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  let used = order.reduce((s, p) => s.plus(p.margin), ZERO);
  const close: string[] = [];
  for (const p of order) {
    const level = marginLevel(equity, used);
    if (level === null || level.gte(stopOutLevel)) break;
    close.push(p.symbol);
    used = used.minus(p.margin);
  }
  return { close, levelAfter: marginLevel(equity, used) };
}
