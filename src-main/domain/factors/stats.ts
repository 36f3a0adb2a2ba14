// Cross-sectional statistics of the factor engine, with the conventions of the Python tools a quant checks against:
// - percentiles interpolate linearly between order statistics (numpy's default, `np.percentile(x, p)`);
// - z-scores use the population standard deviation (ddof 0, as `scipy.stats.zscore`);
// - ranks are average ranks for ties, from 1 (as `scipy.stats.rankdata`), so Spearman = Pearson of average ranks
//   (`scipy.stats.spearmanr`);
// - `qcut` is pandas' `pd.qcut(x, q, labels=False) + 1`: edges at the linear percentiles 0, 1/q, …, 1, bins closed on
//   the right with the lowest edge included; non-unique edges make the cut fail (null), as pandas raises.

/** The p-quantile (0 ≤ p ≤ 1) of ascending-sorted values, linearly interpolated (numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Values clipped to their own [lo, hi] quantiles (1st/99th percentile by default); order is kept. */
export function winsorize(values: readonly number[], lo = 0.01, hi = 0.99): number[] {
  if (values.length === 0) return [];
  const sorted = Float64Array.from(values).sort();
  const a = quantileSorted(sorted, lo);
  const b = quantileSorted(sorted, hi);
  return values.map((v) => (v < a ? a : v > b ? b : v));
}

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return values.length ? s / values.length : NaN;
}

/** Standard deviation with `ddof` degrees of freedom removed (0: population, 1: sample as pandas' default). */
export function std(values: ArrayLike<number>, ddof: 0 | 1): number {
  const n = values.length;
  if (n - ddof <= 0) return NaN;
  const m = mean(values);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - m) ** 2;
  return Math.sqrt(ss / (n - ddof));
}

/**
 * z-scores with the population standard deviation. A group whose values are all equal (or a single value) has no
 * dispersion: every member sits at its group's mean, z = 0.
 */
export function zscores(values: readonly number[]): number[] {
  const m = mean(values);
  const s = std(values, 0);
  return values.map((v) => (s > 0 ? (v - m) / s : 0));
}

/** Average ranks from 1 (ties share the mean of the ranks they span), as scipy.stats.rankdata. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  // A typed copy and a typed index sort: monomorphic and allocation-light (the factor test ranks ~10⁴ groups).
  const v = values instanceof Float64Array ? values : Float64Array.from(values);
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => v[a]! - v[b]!);
  const out = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && v[idx[j + 1]!] === v[idx[i]!]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[idx[k]!] = r;
    i = j + 1;
  }
  return out;
}

/** Pearson correlation; NaN when either side has no variance or fewer than 2 points. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return NaN;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Spearman rank correlation (Pearson of average ranks); NaN when undefined. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearson(averageRanks(x), averageRanks(y));
}

/**
 * pandas' `qcut(x, q, labels=False) + 1`: labels 1…q of equal-count bins. Null when the edges are not unique (too few
 * distinct values for q bins), where pandas raises "Bin edges must be unique".
 */
export function qcut(values: ArrayLike<number>, q: number): Int32Array | null {
  const n = values.length;
  if (n === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const edges = new Float64Array(q + 1);
  for (let j = 0; j <= q; j++) edges[j] = quantileSorted(sorted, j / q);
  for (let j = 1; j <= q; j++) if (!(edges[j]! > edges[j - 1]!)) return null;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    // Bin j covers (edges[j-1], edges[j]]; the first also includes edges[0] (pd.cut's include_lowest).
    let j = 1;
    while (j < q && v > edges[j]!) j++;
    out[i] = j;
  }
  return out;
}

/**
 * Percentile of each value within its set, as a fraction: (average rank − 1) / (n − 1), so the lowest is 0 and the
 * highest 1; a lone value is 0.5.
 */
export function percentiles(values: readonly number[]): number[] {
  const n = values.length;
  if (n === 1) return [0.5];
  const r = averageRanks(values);
  return Array.from(r, (x) => (x - 1) / (n - 1));
}
