// The closed bars a live strategy reads: a growing window of typed arrays per symbol, read through the Strategy API's
// bar reader (the same reads as the engine's, up to the last closed bar).
import type { Bar } from '../../src-shared/domain/types';
import type { BarArrays } from '../domain/backtest/types';
import type { BarReader } from '../domain/strategy/context';

/** Bars of one symbol kept for the strategy: a growing window of typed arrays (trimmed from the front when full). */
export class BarWindow implements BarReader {
  readonly cols: Record<keyof Bar, Float64Array>;
  length = 0;
  constructor(private capacity: number) {
    this.cols = BarWindow.alloc(capacity);
  }
  private static alloc(n: number): Record<keyof Bar, Float64Array> {
    return { time: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  }
  push(b: Bar): void {
    if (this.length === this.capacity) {
      // (cols stays the same object: only its contents move)
      // Drop the oldest half: amortised O(1) per bar, and the window never shrinks below what indicators need.
      const keep = Math.floor(this.capacity / 2);
      for (const c of Object.values(this.cols)) c.copyWithin(0, this.length - keep, this.length);
      this.length = keep;
    }
    const i = this.length++;
    this.cols.time[i] = b.time;
    this.cols.open[i] = b.open;
    this.cols.high[i] = b.high;
    this.cols.low[i] = b.low;
    this.cols.close[i] = b.close;
    this.cols.volume[i] = b.volume;
  }
  /** The strategy reads the columns up to the last closed bar (slots after it are stale). */
  get bars(): BarArrays {
    return this.cols;
  }
  get index(): number {
    return this.length - 1;
  }
  get lastTime(): number | null {
    return this.length ? this.cols.time[this.length - 1]! : null;
  }
  /** Fresh views of the bars so far (new objects, so indicator caches keyed by the array never see stale data). */
  view(): BarArrays {
    const v = (c: Float64Array) => c.subarray(0, this.length);
    return { time: v(this.cols.time), open: v(this.cols.open), high: v(this.cols.high), low: v(this.cols.low), close: v(this.cols.close), volume: v(this.cols.volume) };
  }
}
