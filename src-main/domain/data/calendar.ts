// Which bars a trading calendar expects: the basis of gap reports, the bar cache's missing ranges and the completeness
// view. Weekends, closed hours, exchange holidays and the hours after an early close are not gaps (exchange-calendar.ts).
import { TIMEFRAME_SECONDS, type SessionKind, type Timeframe } from '../../../src-shared/domain/types';
import { bucketOf } from '../../../src-shared/domain/candles';
import { tradingIntervals } from '../../../src-shared/domain/exchange-calendar';

const DAY = 86_400;

/** Expected bucket times on UTC day `day` (days since 1970-01-01): every bucket that overlaps an open interval. */
export function expectedOnDay(session: SessionKind, timeframe: Timeframe, day: number): number[] {
  const intervals = tradingIntervals(session, day);
  if (intervals.length === 0) return [];
  const start = day * DAY;
  if (timeframe === '1d') return [start];
  const step = TIMEFRAME_SECONDS[timeframe] / 60;
  const out: number[] = [];
  for (let m = 0; m < 1440; m += step) {
    if (intervals.some(([a, b]) => m < b && m + step > a)) out.push(start + m * 60);
  }
  return out;
}

/** Expected bucket times within [from, to] (UTC seconds), oldest first. */
export function expectedBars(session: SessionKind, timeframe: Timeframe, from: number, to: number): number[] {
  const out: number[] = [];
  for (let day = Math.floor(from / DAY); day * DAY <= to; day++) {
    for (const t of expectedOnDay(session, timeframe, day)) if (t >= bucketOf(timeframe, from) && t <= to) out.push(t);
  }
  return out;
}

/** A run of expected bars that are absent: `from`/`to` are the first and last missing bucket, UTC seconds. */
export interface MissingRange {
  from: number;
  to: number;
  bars: number;
}

/**
 * Runs of expected buckets with no bar among `present` (bar times, any order). A run spans closed time (a weekend
 * between two missing Fridays and Mondays is one range): what is not expected cannot break a run.
 */
export function missingRanges(session: SessionKind, timeframe: Timeframe, from: number, to: number, present: ArrayLike<number>): MissingRange[] {
  // Sorted buckets and one pointer, not a Set: a 1M-bar import checks 1M times.
  const have = new Float64Array(present.length);
  for (let i = 0; i < present.length; i++) have[i] = bucketOf(timeframe, present[i]!);
  have.sort();
  let p = 0;
  const out: MissingRange[] = [];
  let run: MissingRange | undefined;
  for (const t of expectedBars(session, timeframe, from, to)) {
    while (p < have.length && have[p]! < t) p++;
    if (p < have.length && have[p] === t) {
      run = undefined;
      continue;
    }
    if (run) {
      run.to = t;
      run.bars++;
    } else out.push((run = { from: t, to: t, bars: 1 }));
  }
  return out;
}
