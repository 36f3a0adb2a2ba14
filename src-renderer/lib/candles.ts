// Client-side candle updates from live quotes: the same bucketing as main (UTC, bucket = floor(t / tf) · tf).
import type { Bar, Quote, Timeframe } from '../../src-shared/domain/types';
import { TIMEFRAME_SECONDS } from '../../src-shared/domain/types';

/** Returns the updated or new last candle for a quote, or undefined when the quote is older than the last candle. */
export function applyQuote(last: Bar | undefined, q: Pick<Quote, 'time' | 'last' | 'lastSize'>, timeframe: Timeframe): Bar | undefined {
  const tf = TIMEFRAME_SECONDS[timeframe];
  const bucket = Math.floor(q.time / 1000 / tf) * tf;
  if (last && bucket < last.time) return undefined;
  if (last && bucket === last.time) {
    return { time: bucket, open: last.open, high: Math.max(last.high, q.last), low: Math.min(last.low, q.last), close: q.last, volume: last.volume + q.lastSize };
  }
  return { time: bucket, open: q.last, high: q.last, low: q.last, close: q.last, volume: q.lastSize };
}
