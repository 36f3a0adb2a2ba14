// Bar bucketing, one rule for every process: a bar or a quote belongs to the bucket of its UTC time floored to the
// bucket's length (floor(t / s) · s). The renderer builds live candles from quotes with it; the main process
// aggregates bars to longer timeframes and finds a bar's bucket with it.
import type { Bar, Quote, Timeframe } from './types';
import { TIMEFRAME_SECONDS } from './types';

/** The start of the bucket of `seconds` length holding UTC second `time`. */
export function bucketStart(time: number, seconds: number): number {
  return Math.floor(time / seconds) * seconds;
}

/**
 * The bucket a bar belongs to: its open time floored to the timeframe. Sources stamp bars differently (a daily bar at
 * 00:00 UTC or at the exchange's midnight, an hourly US-equity bar at 13:30 or 13:00 UTC), and all of them land in the
 * same bucket.
 */
export function bucketOf(timeframe: Timeframe, time: number): number {
  return bucketStart(time, TIMEFRAME_SECONDS[timeframe]);
}

/**
 * Adds a bar to bars aggregated into buckets of `seconds` (oldest first): into the last one when it is the bar's
 * bucket, else as a new one. The last bar of `into` is changed in place.
 */
export function aggregateBar(into: Bar[], seconds: number, bar: Bar): void {
  const t = bucketStart(bar.time, seconds);
  const last = into[into.length - 1];
  if (last && last.time === t) {
    if (bar.high > last.high) last.high = bar.high;
    if (bar.low < last.low) last.low = bar.low;
    last.close = bar.close;
    last.volume += bar.volume;
  } else {
    into.push({ ...bar, time: t });
  }
}

/** Returns the updated or new last candle for a quote, or undefined when the quote is older than the last candle. */
export function applyQuote(last: Bar | undefined, q: Pick<Quote, 'time' | 'last' | 'lastSize'>, timeframe: Timeframe): Bar | undefined {
  const bucket = bucketOf(timeframe, q.time / 1000);
  if (last && bucket < last.time) return undefined;
  if (last && bucket === last.time) {
    return { time: bucket, open: last.open, high: Math.max(last.high, q.last), low: Math.min(last.low, q.last), close: q.last, volume: last.volume + q.lastSize };
  }
  return { time: bucket, open: q.last, high: q.last, low: q.last, close: q.last, volume: q.lastSize };
}
