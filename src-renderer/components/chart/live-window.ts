// Which of a chart's loaded bars its series hold. lightweight-charts rebuilds a series' items from all of its bars on
// every update (each live tick), so a series holding fewer bars draws a tick for less: at 1,000 quotes/s over a 4-chart
// layout, holding 500 of the 2,000 loaded bars cut the library's drawing time by two thirds (a Chromium trace of
// 2026-12-04: 1,769 → 570 ms over 10 s). Older loaded bars join the series as the view nears the oldest one held.
import { BACKTEST_BARS_SENT } from '../../../src-shared/api/contract';
import type { Drawing } from './drawings';

export const LIVE_WINDOW = 500;
/** The view within this many bars of the oldest bar held: the next LIVE_WINDOW loaded bars join. */
export const EXTEND_AT = 100;

/** The index of the first of `history`'s bars the series hold at first: the newest LIVE_WINDOW, and further back (by
 * whole windows) until the oldest drawing's anchors are held, so a drawing never loses the bars it is pinned to. */
export function heldFrom(history: readonly { time: number }[], drawings: readonly Drawing[]): number {
  let from = Math.max(0, history.length - LIVE_WINDOW);
  const oldest = Math.min(...drawings.flatMap((d) => (d.tool === 'hline' ? [] : [d.a.time, d.b.time])));
  while (from > 0 && history[from]!.time > oldest) from = Math.max(0, from - LIVE_WINDOW);
  return from;
}

/** The next bars to hold: the newest LIVE_WINDOW of `older` move in front of `held`. */
export function holdMore<B>(older: readonly B[], held: readonly B[]): { older: B[]; held: B[] } {
  const from = Math.max(0, older.length - LIVE_WINDOW);
  return { older: older.slice(0, from), held: older.slice(from).concat(held) };
}

/** A backtest's price chart holds only its newest BACKTEST_HOLD bars at first when it has more (a one-minute run of a
 * few months has 100,000: the library's first draw of those took 2.7–4 s in the app): the bars its result carries.
 * The newest BACKTEST_VIEW are in view. */
export const BACKTEST_HOLD = BACKTEST_BARS_SENT;
export const BACKTEST_VIEW = 1_000;

/** The index of the first bar held once more join: the bars held double, so a view zoomed out to the whole run gets
 * there in a few steps with each bar handed to the library about twice in all. */
export function doubleHeld(from: number, total: number): number {
  return Math.max(0, from - (total - from));
}
