// Statistics of a return series with empyrical's definitions (and quantstats' parametric VaR), so that figures line up
// with the Python tools people check against. Every formula is written out in docs/portfolio-analytics.md; the
// cross-check is tools/crosscheck/empyrical_stats.py → tests/fixtures/analytics-reference.json → tests/integration/analytics-crosscheck.test.ts.
// Returns are simple period returns (fractions), `periods` per year (252 for daily), risk-free 0.
import { returnsOf, variance } from '../metrics/metrics';

export const TRADING_DAYS = 252;

/** Simple returns between consecutive values: v[i] / v[i−1] − 1 (the series the statistics below take). */
export const simpleReturns = returnsOf;

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return x.length ? s / x.length : NaN;
}

/** Sample standard deviation (ddof 1), as empyrical's nanstd(ddof=1). */
export function stdev(x: ArrayLike<number>): number {
  return Math.sqrt(variance(x));
}

/** Growth of 1 over the series: Π(1 + r) − 1. */
export function cumulativeReturn(r: ArrayLike<number>): number {
  let g = 1;
  for (let i = 0; i < r.length; i++) g *= 1 + r[i]!;
  return g - 1;
}

/** empyrical.annual_return (CAGR over n/periods years): (Π(1 + r))^(periods / n) − 1. */
export function annualReturn(r: ArrayLike<number>, periods = TRADING_DAYS): number {
  if (r.length < 1) return NaN;
  return (1 + cumulativeReturn(r)) ** (periods / r.length) - 1;
}

/** empyrical.annual_volatility: std(r, ddof 1) · √periods. */
export function annualVolatility(r: ArrayLike<number>, periods = TRADING_DAYS): number {
  return r.length < 2 ? NaN : stdev(r) * Math.sqrt(periods);
}

/** empyrical.sharpe_ratio (rf 0): mean(r) / std(r, ddof 1) · √periods. */
export function sharpe(r: ArrayLike<number>, periods = TRADING_DAYS): number {
  return r.length < 2 ? NaN : (mean(r) / stdev(r)) * Math.sqrt(periods);
}

/** empyrical.downside_risk (required return 0): √(mean(min(r, 0)²)) · √periods. */
export function downsideRisk(r: ArrayLike<number>, periods = TRADING_DAYS): number {
  if (r.length < 1) return NaN;
  let s = 0;
  for (let i = 0; i < r.length; i++) s += Math.min(r[i]!, 0) ** 2;
  return Math.sqrt(s / r.length) * Math.sqrt(periods);
}

/** empyrical.sortino_ratio: mean(r) · periods / downside risk. */
export function sortino(r: ArrayLike<number>, periods = TRADING_DAYS): number {
  return r.length < 2 ? NaN : (mean(r) * periods) / downsideRisk(r, periods);
}

/** empyrical.max_drawdown: min over t of (W_t / max_{s≤t} W_s − 1), W the growth of 100 including the start (≤ 0). */
export function maxDrawdown(r: ArrayLike<number>): number {
  if (r.length < 1) return NaN;
  let w = 100;
  let peak = 100;
  let worst = 0;
  for (let i = 0; i < r.length; i++) {
    w *= 1 + r[i]!;
    if (w > peak) peak = w;
    const dd = (w - peak) / peak;
    if (dd < worst) worst = dd;
  }
  return worst;
}

/** empyrical.calmar_ratio: annual return / |max drawdown|; NaN without a drawdown. */
export function calmar(r: ArrayLike<number>, periods = TRADING_DAYS): number {
  const dd = maxDrawdown(r);
  if (!(dd < 0)) return NaN;
  const c = annualReturn(r, periods) / Math.abs(dd);
  return Number.isFinite(c) ? c : NaN;
}

/** numpy.percentile(x, q) with its default linear interpolation: position (n − 1)·q/100 in the sorted values. */
export function percentile(x: ArrayLike<number>, q: number): number {
  const n = x.length;
  if (n === 0) return NaN;
  const sorted = Float64Array.from(x).sort();
  const h = (n - 1) * (q / 100);
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo]!;
  return a + (h - lo) * (sorted[hi]! - a);
}

/** empyrical.value_at_risk (historical): the `cutoff` percentile of the returns, linearly interpolated. */
export function var95(r: ArrayLike<number>, cutoff = 0.05): number {
  return percentile(r, 100 * cutoff);
}

/**
 * empyrical.conditional_value_at_risk: the mean of the ⌊(n − 1)·cutoff⌋ + 1 smallest returns — the returns at or
 * below the interpolated VaR (which lies between the k-th and (k+1)-th smallest).
 */
export function cvar95(r: ArrayLike<number>, cutoff = 0.05): number {
  const n = r.length;
  if (n === 0) return NaN;
  const k = Math.floor((n - 1) * cutoff);
  const sorted = Float64Array.from(r).sort();
  let s = 0;
  for (let i = 0; i <= k; i++) s += sorted[i]!;
  return s / (k + 1);
}

/**
 * Inverse of the standard normal CDF: Acklam's rational approximation (relative error < 1.15e-9), refined by one
 * Halley step, as scipy's norm.ppf gives it to double precision.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const plow = 0.02425;
  let x: number;
  if (p < plow) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - plow) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  // One Halley step on an exact CDF takes the approximation to double precision where the series below converges.
  if (Math.abs(x) > 6) return x;
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** Φ(x) = ½ + φ(x)·Σ x^(2n+1)/(2n+1)!! (Marsaglia 2004), to double precision for |x| ≤ 6. */
function normalCdf(x: number): number {
  let term = x;
  let sum = x;
  for (let k = 3; Math.abs(term) > 1e-17 * Math.abs(sum); k += 2) {
    term *= (x * x) / k;
    sum += term;
  }
  return 0.5 + sum * Math.exp(-(x * x) / 2 - 0.9189385332046728);
}

/** quantstats.value_at_risk (variance-covariance): the normal quantile at 1 − confidence with mean(r) and std(r, ddof 1). */
export function var95Parametric(r: ArrayLike<number>, confidence = 0.95): number {
  if (r.length < 2) return NaN;
  return mean(r) + stdev(r) * normalQuantile(1 - confidence);
}

/** empyrical.beta (rf 0): mean((b − mean b) · r) / mean((b − mean b)²); NaN when the benchmark does not move. */
export function beta(r: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(r.length, b.length);
  if (n < 2) return NaN;
  const mb = mean(b);
  let cov = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    const x = b[i]! - mb;
    cov += x * r[i]!;
    vb += x * x;
  }
  cov /= n;
  vb /= n;
  return vb < 1e-30 ? NaN : cov / vb;
}

/** empyrical.alpha (rf 0): (1 + mean(r − β·b))^periods − 1, the mean daily excess return compounded over a year. */
export function alpha(r: ArrayLike<number>, b: ArrayLike<number>, periods = TRADING_DAYS): number {
  const n = Math.min(r.length, b.length);
  if (n < 2) return NaN;
  const bt = beta(r, b);
  let s = 0;
  for (let i = 0; i < n; i++) s += r[i]! - bt * b[i]!;
  return (1 + s / n) ** periods - 1;
}

/** Annualised tracking error: std(r − b, ddof 1) · √periods. */
export function trackingError(r: ArrayLike<number>, b: ArrayLike<number>, periods = TRADING_DAYS): number {
  const active = Array.from({ length: Math.min(r.length, b.length) }, (_, i) => r[i]! - b[i]!);
  return active.length < 2 ? NaN : stdev(active) * Math.sqrt(periods);
}

/** Annualised information ratio: mean(r − b) · periods / tracking error (empyrical.excess_sharpe · √periods). */
export function informationRatio(r: ArrayLike<number>, b: ArrayLike<number>, periods = TRADING_DAYS): number {
  const active = Array.from({ length: Math.min(r.length, b.length) }, (_, i) => r[i]! - b[i]!);
  if (active.length < 2) return NaN;
  const te = stdev(active);
  return te > 0 ? (mean(active) / te) * Math.sqrt(periods) : NaN;
}

function capture(r: ArrayLike<number>, b: ArrayLike<number>, keep: (x: number) => boolean, periods: number): number {
  const rs: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < Math.min(r.length, b.length); i++) {
    if (!keep(b[i]!)) continue;
    rs.push(r[i]!);
    bs.push(b[i]!);
  }
  return annualReturn(rs, periods) / annualReturn(bs, periods);
}

/** empyrical.up_capture: annual return over the benchmark's up periods ÷ the benchmark's annual return over them. */
export function upCapture(r: ArrayLike<number>, b: ArrayLike<number>, periods = TRADING_DAYS): number {
  return capture(r, b, (x) => x > 0, periods);
}

/** empyrical.down_capture: the same over the periods where the benchmark fell. */
export function downCapture(r: ArrayLike<number>, b: ArrayLike<number>, periods = TRADING_DAYS): number {
  return capture(r, b, (x) => x < 0, periods);
}

export interface ReturnStats {
  annualReturn: number | null;
  annualVolatility: number | null;
  sharpe: number | null;
  sortino: number | null;
  calmar: number | null;
  maxDrawdown: number | null;
  var95: number | null;
  cvar95: number | null;
  var95Parametric: number | null;
  /** Against the benchmark; null without one. */
  beta: number | null;
  alpha: number | null;
}

export interface BenchmarkStats {
  beta: number | null;
  alpha: number | null;
  trackingError: number | null;
  informationRatio: number | null;
  upCapture: number | null;
  downCapture: number | null;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** The statistics the CLI's `analytics` prints; a figure that is undefined for the series (NaN, ±∞) is null. */
export function returnStats(r: ArrayLike<number>, benchmark?: ArrayLike<number>, periods = TRADING_DAYS): ReturnStats {
  return {
    annualReturn: finite(annualReturn(r, periods)),
    annualVolatility: finite(annualVolatility(r, periods)),
    sharpe: finite(sharpe(r, periods)),
    sortino: finite(sortino(r, periods)),
    calmar: finite(calmar(r, periods)),
    maxDrawdown: finite(maxDrawdown(r)),
    var95: finite(var95(r)),
    cvar95: finite(cvar95(r)),
    var95Parametric: finite(var95Parametric(r)),
    beta: benchmark ? finite(beta(r, benchmark)) : null,
    alpha: benchmark ? finite(alpha(r, benchmark, periods)) : null,
  };
}

/** Beta, alpha, tracking error, information ratio and capture ratios against a benchmark's returns (same periods). */
export function benchmarkStats(r: ArrayLike<number>, b: ArrayLike<number>, periods = TRADING_DAYS): BenchmarkStats {
  return {
    beta: finite(beta(r, b)),
    alpha: finite(alpha(r, b, periods)),
    trackingError: finite(trackingError(r, b, periods)),
    informationRatio: finite(informationRatio(r, b, periods)),
    upCapture: finite(upCapture(r, b, periods)),
    downCapture: finite(downCapture(r, b, periods)),
  };
}

/**
 * Two dated value series → their simple returns over the dates both have (the benchmark is sampled on the series'
 * own dates; a date missing from either is skipped, and the return spans from the previous common date).
 */
export function alignedReturns(a: { time: ArrayLike<number>; value: ArrayLike<number> }, b: { time: ArrayLike<number>; value: ArrayLike<number> }): { time: number[]; r: number[]; b: number[] } {
  const time: number[] = [];
  const va: number[] = [];
  const vb: number[] = [];
  let j = 0;
  for (let i = 0; i < a.time.length; i++) {
    const t = a.time[i]!;
    while (j < b.time.length && b.time[j]! < t) j++;
    if (j < b.time.length && b.time[j] === t) {
      time.push(t);
      va.push(a.value[i]!);
      vb.push(b.value[j]!);
    }
  }
  return { time: time.slice(1), r: returnsOf(va), b: returnsOf(vb) };
}
