import { describe, expect, it } from 'vitest';
import { atr, bbands, correlation, donchian, ema, hedgeRatio, macd, roc, rsi, sma, stoch, wma, zscore } from '../../../src-shared/domain/indicators/batch';
import { BollingerStream, DonchianStream, MacdStream, PairStream, RocStream, StochasticStream, WmaStream, ZScoreStream } from './streaming';
import { AtrStream, EmaStream, RsiStream, SmaStream } from './streaming';

const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const arr = (a: Float64Array) => Array.from(a, (v) => (Number.isNaN(v) ? null : Number(v.toFixed(6))));

describe('indicators (hand-checked)', () => {
  it('SMA, WMA and EMA with SMA seeding', () => {
    expect(arr(sma(x, 3))).toEqual([null, null, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(arr(wma([1, 2, 3, 4], 3))).toEqual([null, null, 14 / 6, 20 / 6].map((v) => (v === null ? null : Number(v.toFixed(6)))));
    // EMA(3): seed mean(1,2,3)=2, α=0.5: 2 → 3 → 4 …
    expect(arr(ema([1, 2, 3, 4, 5], 3))).toEqual([null, null, 2, 3, 4]);
    expect(arr(ema([10, 20, 30, 10], 3))).toEqual([null, null, 20, 15]);
  });

  it('SMA: correctly rounded over a long random walk, and bit-equal means for windows of equal values', () => {
    // Exact window sums by Shewchuk's algorithm (Python's math.fsum): a list of non-overlapping partials.
    const fsum = (values: ArrayLike<number>): number => {
      const partials: number[] = [];
      for (let k = 0; k < values.length; k++) {
        let v = values[k]!;
        let j = 0;
        for (let p of partials) {
          if (Math.abs(v) < Math.abs(p)) [v, p] = [p, v];
          const hi = v + p;
          const lo = p - (hi - v);
          if (lo) partials[j++] = lo;
          v = hi;
        }
        partials.length = j;
        partials.push(v);
      }
      return partials.reduce((a, b) => a + b, 0);
    };
    let seed = 11;
    const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const walk = new Float64Array(300_000);
    let price = 100;
    for (let i = 0; i < walk.length; i++) walk[i] = price *= 1 + (rnd() - 0.5) * 0.01;
    const means = sma(walk, 30);
    let worst = 0;
    for (let i = 29; i < walk.length; i += 997) {
      const exact = fsum(walk.subarray(i - 29, i + 1)) / 30;
      worst = Math.max(worst, Math.abs(means[i]! - exact) / (Math.abs(exact) * Number.EPSILON));
    }
    expect(worst).toBeLessThanOrEqual(1); // within one unit in the last place after 300k additions and removals
    // A series repeating every 7 values: every window of 7 holds the same values, so every mean is the same double.
    const period = [0.1, 0.7, 1e-3, 123.456, 0.3, 9.99, 0.2];
    const periodic = Float64Array.from({ length: 100_000 }, (_, i) => period[i % 7]!);
    const m = sma(periodic, 7);
    expect(new Set(Array.from(m.subarray(6))).size).toBe(1);
  });

  it('RSI (Wilder): all gains → 100; a known mixed case', () => {
    expect(rsi(x, 3)[3]).toBe(100);
    // changes: +2, −1, +1 → avg gain 1, avg loss 1/3 → RSI 75; next change −2: gain 2/3, loss 8/9 → RSI 42.857…
    const r = rsi([10, 12, 11, 12, 10], 3);
    expect(r[3]).toBeCloseTo(75, 10);
    expect(r[4]).toBeCloseTo(100 - 100 / (1 + (2 / 3) / (8 / 9)), 10);
  });

  it('Bollinger Bands use the population standard deviation', () => {
    const b = bbands([2, 4, 4, 4, 5, 5, 7, 9], 8, 2);
    expect(b.middle[7]).toBe(5);
    expect(b.upper[7]).toBeCloseTo(9, 12); // σ = 2
    expect(b.lower[7]).toBeCloseTo(1, 12);
  });

  it('ATR (Wilder) from the true range of the second bar on', () => {
    const h = [10, 11, 12, 12];
    const l = [9, 9, 10, 8];
    const c = [9.5, 10.5, 11, 9];
    // TR: −, max(2, 1.5, 0.5)=2, max(2, 1.5, 0.5)=2, max(4, 1, 3)=4 → ATR(2): (2+2)/2=2 at 2, then (2·1+4)/2=3
    expect(arr(atr(h, l, c, 2))).toEqual([null, null, 2, 3]);
  });

  it('MACD line, signal and histogram', () => {
    const m = macd(x, 2, 3, 2);
    const e2 = ema(x, 2);
    const e3 = ema(x, 3);
    expect(m.macd[2]).toBeCloseTo(e2[2]! - e3[2]!, 12);
    expect(Number.isNaN(m.signal[2]!)).toBe(true);
    expect(m.signal[3]).toBeCloseTo((m.macd[2]! + m.macd[3]!) / 2, 12);
    expect(m.hist[5]).toBeCloseTo(m.macd[5]! - m.signal[5]!, 12);
  });

  it('Stochastic, Donchian, ROC, z-score, correlation and hedge ratio', () => {
    const h = [3, 4, 5, 6];
    const l = [1, 2, 3, 4];
    const c = [2, 3, 4, 5];
    const s = stoch(h, l, c, 2, 1, 2);
    expect(s.k[1]).toBeCloseTo((100 * (3 - 1)) / (4 - 1), 12);
    expect(s.d[2]).toBeCloseTo((s.k[1]! + s.k[2]!) / 2, 12);
    expect(arr(donchian(h, l, 2).upper)).toEqual([null, 4, 5, 6]);
    expect(arr(roc([100, 110, 121], 1))).toEqual([null, 10, 10]);
    expect(zscore([1, 2, 3], 3)[2]).toBeCloseTo(1 / Math.sqrt(2 / 3), 12);
    const y = x.map((v) => 3 * v + 1);
    expect(correlation(x, y, 5)[9]).toBeCloseTo(1, 12);
    expect(hedgeRatio(y, x, 5)[9]).toBeCloseTo(3, 12);
  });
});

describe('streaming = batch', () => {
  const n = 500;
  let seed = 7;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const close: number[] = [];
  const high: number[] = [];
  const low: number[] = [];
  let p = 100;
  for (let i = 0; i < n; i++) {
    p *= 1 + (rnd() - 0.5) * 0.04;
    close.push(p);
    high.push(p * (1 + rnd() * 0.01));
    low.push(p * (1 - rnd() * 0.01));
  }

  it('SMA, EMA, RSI and ATR agree at every bar', () => {
    const s = new SmaStream(20), e = new EmaStream(20), r = new RsiStream(14), a = new AtrStream(14);
    const bs = sma(close, 20), be = ema(close, 20), br = rsi(close, 14), ba = atr(high, low, close, 14);
    for (let i = 0; i < n; i++) {
      const got = [s.update(close[i]!), e.update(close[i]!), r.update(close[i]!), a.update(high[i]!, low[i]!, close[i]!)];
      const want = [bs[i]!, be[i]!, br[i]!, ba[i]!];
      for (let k = 0; k < 4; k++) {
        if (Number.isNaN(want[k]!)) expect(Number.isNaN(got[k]!)).toBe(true);
        else expect(got[k]).toBeCloseTo(want[k]!, 9);
      }
    }
  });
});

describe('streaming = batch for every indicator', () => {
  let seed = 11;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const n = 400;
  const c: number[] = [], h: number[] = [], l: number[] = [], x2: number[] = [];
  let p = 50;
  for (let i = 0; i < n; i++) {
    p *= 1 + (rnd() - 0.5) * 0.05;
    c.push(p); h.push(p * (1 + rnd() * 0.02)); l.push(p * (1 - rnd() * 0.02)); x2.push(p * 0.5 + rnd());
  }
  const same = (got: number, want: number) => (Number.isNaN(want) ? expect(Number.isNaN(got)).toBe(true) : expect(got).toBeCloseTo(want, 8));

  it('WMA, MACD, Bollinger, z-score, ROC, Donchian, Stochastic, correlation and hedge ratio', () => {
    const bw = wma(c, 10), bm = macd(c, 12, 26, 9), bb = bbands(c, 20, 2), bz = zscore(c, 20), br = roc(c, 10), bd = donchian(h, l, 20), bs = stoch(h, l, c, 14, 3, 3), bc = correlation(c, x2, 30), bh = hedgeRatio(x2, c, 30);
    const w = new WmaStream(10), m = new MacdStream(12, 26, 9), b = new BollingerStream(20, 2), z = new ZScoreStream(20), r = new RocStream(10), d = new DonchianStream(20), s = new StochasticStream(14, 3, 3), pr = new PairStream(30);
    for (let i = 0; i < n; i++) {
      same(w.update(c[i]!), bw[i]!);
      m.update(c[i]!); same(m.macd, bm.macd[i]!); same(m.signal, bm.signal[i]!);
      b.update(c[i]!); same(b.upper, bb.upper[i]!); same(b.lower, bb.lower[i]!);
      same(z.update(c[i]!), bz[i]!);
      same(r.update(c[i]!), br[i]!);
      d.update(h[i]!, l[i]!); same(d.upper, bd.upper[i]!); same(d.lower, bd.lower[i]!);
      s.update(h[i]!, l[i]!, c[i]!); same(s.k, bs.k[i]!); same(s.d, bs.d[i]!);
      pr.update(c[i]!, x2[i]!); same(pr.correlation, bc[i]!); same(pr.hedgeRatio, bh[i]!);
    }
  });
});
