// Bars built from the live price stream: 5-second real-time bars and the current bar of a keepUpToDate request.
import type { LiveBar } from './bar';

export class BarBuilder {
  current?: LiveBar;
  private notional = 0;

  constructor(readonly barSeconds: number, seed?: LiveBar) {
    this.current = seed ? { ...seed } : undefined;
    if (seed) this.notional = seed.wap * seed.volume;
  }

  /** Adds a trade at `tMs`; returns the bar it completed when the trade opens a new one. */
  add(price: number, size: number, tMs: number): LiveBar | undefined {
    const start = Math.floor(tMs / 1000 / this.barSeconds) * this.barSeconds;
    let completed: LiveBar | undefined;
    if (this.current && start > this.current.time) {
      completed = this.current;
      this.current = undefined;
    }
    if (!this.current) {
      this.current = { time: start, open: price, high: price, low: price, close: price, volume: 0, wap: price, count: 0 };
      this.notional = 0;
    }
    const b = this.current;
    b.high = Math.max(b.high, price);
    b.low = Math.min(b.low, price);
    b.close = price;
    b.volume += size;
    b.count += 1;
    this.notional += price * size;
    b.wap = b.volume > 0 ? Number((this.notional / b.volume).toFixed(6)) : price;
    return completed;
  }
}
