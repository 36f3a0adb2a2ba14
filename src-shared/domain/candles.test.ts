import { describe, expect, it } from 'vitest';
// The one bucketing rule, as the renderer's live candles and the main process's aggregation use it.
import { aggregateBar, applyQuote, bucketOf } from './candles';
import type { Bar } from './types';

describe('live candles from quotes', () => {
  const q = (sec: number, last: number, lastSize = 1) => ({ time: sec * 1000, last, lastSize });

  it('updates the current bucket: high, low, close and volume', () => {
    const bar = { time: 120, open: 10, high: 11, low: 9.5, close: 10.5, volume: 100 };
    expect(applyQuote(bar, q(150, 11.5, 3), '1m')).toEqual({ time: 120, open: 10, high: 11.5, low: 9.5, close: 11.5, volume: 103 });
    expect(applyQuote(bar, q(179, 9, 1), '1m')).toMatchObject({ low: 9, close: 9 });
  });

  it('opens a new candle at the bucket boundary of the timeframe', () => {
    const bar = { time: 0, open: 10, high: 10, low: 10, close: 10, volume: 1 };
    expect(applyQuote(bar, q(300, 12, 2), '5m')).toEqual({ time: 300, open: 12, high: 12, low: 12, close: 12, volume: 2 });
    expect(applyQuote(bar, q(299, 12, 2), '5m')!.time).toBe(0);
    expect(applyQuote({ ...bar, time: 86_400 }, q(86_400 * 2 - 1, 11), '1d')!.time).toBe(86_400);
  });

  it('ignores quotes older than the last candle', () => {
    expect(applyQuote({ time: 600, open: 1, high: 1, low: 1, close: 1, volume: 0 }, q(590, 2), '1m')).toBeUndefined();
  });

  it('aggregates bars into buckets, as the demo market builds hours and days from minutes', () => {
    const into: Bar[] = [];
    const m = (t: number, o: number, h: number, l: number, c: number) => ({ time: t, open: o, high: h, low: l, close: c, volume: 1 });
    for (const bar of [m(60, 10, 11, 9, 10.5), m(120, 10.5, 12, 10, 11), m(3599 - 59, 11, 11, 8, 9), m(3600, 9, 9.5, 8.5, 9.2)]) aggregateBar(into, 3600, bar);
    expect(into).toEqual([{ time: 0, open: 10, high: 12, low: 8, close: 9, volume: 3 }, { time: 3600, open: 9, high: 9.5, low: 8.5, close: 9.2, volume: 1 }]);
    expect(bucketOf('1h', 13.5 * 3600)).toBe(13 * 3600);
  });
});
