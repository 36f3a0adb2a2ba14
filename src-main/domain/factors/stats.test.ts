// Hand-checked statistics of the factor engine; each expected number is worked out in the comment beside it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averageRanks, percentiles, qcut, quantileSorted, spearman, std, winsorize, zscores } from './stats';

describe('factor statistics', () => {
  it('interpolates percentiles linearly between order statistics (numpy default)', () => {
    // [1..5]: p=0.25 → h = 4·0.25 = 1 → the 2nd value, 2; p=0.1 → h = 0.4 → 1 + 0.4·(2 − 1) = 1.4.
    expect(quantileSorted([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantileSorted([1, 2, 3, 4, 5], 0.1)).toBeCloseTo(1.4, 12);
  });

  it('winsorises at the 1st and 99th percentile', () => {
    // 1..100: p01 at h = 99·0.01 = 0.99 → 1 + 0.99 = 1.99; p99 at h = 98.01 → 99 + 0.01 = 99.01.
    const x = Array.from({ length: 100 }, (_, i) => i + 1);
    const w = winsorize(x);
    expect(w[0]).toBeCloseTo(1.99, 12);
    expect(w[99]).toBeCloseTo(99.01, 12);
    expect(w.slice(1, 99)).toEqual(x.slice(1, 99));
    // An outlier is pulled in to the 99th percentile of its own set: [1..99, 10000] → p99 at h = 98.01 → 99 + 0.01·9901.
    const y = [...x.slice(0, 99), 10_000];
    expect(winsorize(y)[99]).toBeCloseTo(99 + 0.01 * 9901, 9);
  });

  it('z-scores with the population standard deviation; no dispersion scores 0', () => {
    // [2,4,4,4,5,5,7,9]: mean 5, Σ(x−5)² = 9+1+1+1+0+0+4+16 = 32, /8 = 4, σ = 2.
    expect(zscores([2, 4, 4, 4, 5, 5, 7, 9])).toEqual([-1.5, -0.5, -0.5, -0.5, 0, 0, 1, 2]);
    expect(zscores([3, 3, 3])).toEqual([0, 0, 0]);
    expect(zscores([7])).toEqual([0]);
    // Sample standard deviation (ddof 1) of the same: √(32/7).
    expect(std([2, 4, 4, 4, 5, 5, 7, 9], 1)).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });

  it('ranks ties by their average rank and correlates ranks (Spearman)', () => {
    expect(Array.from(averageRanks([10, 20, 20, 30]))).toEqual([1, 2.5, 2.5, 4]);
    // x ranks 1..5, y = [5,6,7,8,7] ranks [1,2,3.5,5,3.5]; deviations from 3: x [−2,−1,0,1,2], y [−2,−1,0.5,2,0.5]:
    // Σdxdy = 4+1+0+2+1 = 8, Σdx² = 10, Σdy² = 9.5 → ρ = 8/√95 = 0.82078268… (scipy.stats.spearmanr: 0.8207826816681233).
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(8 / Math.sqrt(95), 12);
    expect(spearman([1, 2, 3], [4, 4, 4])).toBeNaN();
  });

  it('property: average ranks equal (values below) + (ties + 1) / 2, past the insertion-sort size and with many ties', () => {
    // The definition of scipy's average rank, counted directly (O(n²)); sizes above 16 exercise the quicksort, few
    // distinct values the runs of ties, −0 beside 0 a tie JavaScript's === agrees with.
    const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.constant(-0));
    fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 400 }), (x) => {
      const r = averageRanks(x);
      x.forEach((v, i) => {
        const below = x.filter((w) => w < v).length;
        const ties = x.filter((w) => w === v).length;
        expect(r[i]).toBe(below + (ties + 1) / 2);
      });
    }));
  });

  it('cuts into equal-count quantiles as pandas qcut (labels 1..q), and refuses non-unique edges', () => {
    // 1..10 into 5: edges at h = 9·j/5 → 1, 2.8, 4.6, 6.4, 8.2, 10; bins (a, b], the first closed: two values each.
    expect(Array.from(qcut([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5)!)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    // 1..7 into 3: edges 1, 3, 5, 7 → [1,3] (3 values), (3,5], (5,7] — pd.qcut(range(1,8), 3, labels=False) + 1.
    expect(Array.from(qcut([7, 1, 2, 3, 4, 5, 6], 3)!)).toEqual([3, 1, 1, 1, 2, 2, 3]);
    // [1,1,1,1,2] into 2: edges 1, 1, 2 are not unique → pandas raises, we return null.
    expect(qcut([1, 1, 1, 1, 2], 2)).toBeNull();
  });

  it('percentiles run from 0 (lowest) to 1 (highest); a lone value is 0.5', () => {
    expect(percentiles([30, 10, 20])).toEqual([1, 0, 0.5]);
    expect(percentiles([5])).toEqual([0.5]);
  });

  it('properties: z-scores sum to 0 with unit variance, qcut labels are monotone in the value and balanced', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 }).map((i) => i / 100), { minLength: 2, maxLength: 60 }), (x) => {
      const z = zscores(x);
      const s = z.reduce((a, b) => a + b, 0);
      expect(Math.abs(s)).toBeLessThan(1e-6);
      if (z.some((v) => v !== 0)) expect(z.reduce((a, b) => a + b * b, 0) / z.length).toBeCloseTo(1, 6);
    }));
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 10, maxLength: 80 }), fc.integer({ min: 2, max: 10 }), (x, q) => {
      const labels = qcut(x, q);
      if (!labels) return;
      const order = x.map((v, i) => [v, labels[i]!] as const).sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < order.length; i++) expect(order[i]![1]).toBeGreaterThanOrEqual(order[i - 1]![1]);
      // Distinct values: each bin holds ⌊n/q⌋ or ⌈n/q⌉ ± 1 (linear edges may shift one value across a boundary).
      for (let b = 1; b <= q; b++) {
        const count = labels.filter((l) => l === b).length;
        expect(Math.abs(count - x.length / q)).toBeLessThanOrEqual(1.5);
      }
    }));
  });
});
