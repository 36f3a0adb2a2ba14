// Seeded synthetic bars shared by the benchmarks and the engine A/B.
import type { BarArrays } from '../src-main/domain/backtest/types';

/** 1M synthetic 1-minute bars (a seeded random walk). */
export function syntheticBars(n: number, seed = 1): BarArrays {
  let s = seed;
  const rnd = () => ((s = (s * 48271) % 2147483647) / 2147483647);
  const d: BarArrays = { time: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  let p = 100;
  for (let i = 0; i < n; i++) {
    const o = p;
    p *= 1 + (rnd() - 0.5) * 0.002;
    d.time[i] = 1_700_000_000 + i * 60;
    d.open[i] = o;
    d.high[i] = Math.max(o, p) * (1 + rnd() * 0.0005);
    d.low[i] = Math.min(o, p) * (1 - rnd() * 0.0005);
    d.close[i] = p;
    d.volume[i] = 100;
  }
  return d;
}
