// Portfolio VaR and CVaR on the current holdings: historical, parametric (normal) and Monte Carlo (multivariate normal),
// with each position's Euler contribution. Losses are positive fractions of NAV; every formula is in docs/risk.md.
import { cvar95, normalQuantile, percentile, stdev, var95Parametric } from '../analytics/return-stats';

/** Aligned simple daily returns: returns[i][t] is symbols[i]'s return on day t (the same days for every symbol). */
export interface ReturnMatrix {
  symbols: string[];
  returns: Float64Array[];
}

export type VarMethod = 'historical' | 'parametric' | 'monte-carlo';

export interface VarFigure {
  method: VarMethod;
  /** 0.95 or 0.99. */
  confidence: number;
  /** Trading days; 10-day figures are the 1-day ones × √10 (square-root-of-time, i.i.d. returns). */
  horizonDays: number;
  /** Loss not exceeded with `confidence`, as a positive fraction of NAV. */
  var: number;
  /** Mean loss at or beyond the VaR (expected shortfall), positive fraction of NAV. */
  cvar: number;
}

/** Square-root-of-time scaling of a 1-day figure to `days` (Basel's 10-day rule). */
export const scaleToHorizon = (oneDay: number, days: number): number => oneDay * Math.sqrt(days);

/** Portfolio return per day: p_t = Σ_i w_i · r_it, weights w_i = value_i / NAV. */
export function portfolioReturns(m: ReturnMatrix, weights: ArrayLike<number>): Float64Array {
  const t = m.returns[0]?.length ?? 0;
  const p = new Float64Array(t);
  for (let i = 0; i < m.returns.length; i++) {
    const w = weights[i]!;
    if (w === 0) continue;
    const r = m.returns[i]!;
    for (let k = 0; k < t; k++) p[k]! += w * r[k]!;
  }
  return p;
}

/** Historical VaR (empyrical.value_at_risk): −percentile(p, 100·(1 − c)), numpy's linear interpolation. */
export const historicalVar = (p: ArrayLike<number>, confidence: number): number => -percentile(p, 100 * (1 - confidence));

/** Historical CVaR (empyrical.conditional_value_at_risk): −mean of the ⌊(n−1)(1−c)⌋ + 1 smallest returns. */
export const historicalCvar = (p: ArrayLike<number>, confidence: number): number => -cvar95(p, 1 - confidence);

/** Parametric VaR (quantstats.value_at_risk): −(μ + σ·Φ⁻¹(1 − c)), sample mean and sd (ddof 1). */
export const parametricVar = (p: ArrayLike<number>, confidence: number): number => -var95Parametric(p, confidence);

/** Parametric CVaR, the normal expected shortfall: −(μ − σ·φ(z)/(1 − c)), z = Φ⁻¹(1 − c). */
export function parametricCvar(p: ArrayLike<number>, confidence: number): number {
  if (p.length < 2) return NaN;
  const z = normalQuantile(1 - confidence);
  const phi = Math.exp(-(z * z) / 2) / Math.sqrt(2 * Math.PI);
  return -(mean(p) - (stdev(p) * phi) / (1 - confidence));
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return x.length ? s / x.length : NaN;
}

/** Sample means and covariance (ddof 1, row-major n×n) of the matrix's rows. */
export function covariance(m: ReturnMatrix): { means: Float64Array; cov: Float64Array } {
  const n = m.returns.length;
  const t = m.returns[0]?.length ?? 0;
  const means = new Float64Array(n);
  const centred = m.returns.map((r, i) => {
    means[i] = mean(r);
    return r.map((x) => x - means[i]!);
  });
  const cov = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const a = centred[i]!;
    for (let j = 0; j <= i; j++) {
      const b = centred[j]!;
      let s = 0;
      for (let k = 0; k < t; k++) s += a[k]! * b[k]!;
      cov[i * n + j] = cov[j * n + i] = t > 1 ? s / (t - 1) : 0;
    }
  }
  return { means, cov };
}

/**
 * Lower-triangular L with L·Lᵀ = A (row-major n×n). A sample covariance is only positive semi-definite (fewer days
 * than instruments, an instrument that did not move, two that moved alike): a pivot at or below a relative tolerance
 * gets a zero column instead of failing, which keeps L·Lᵀ = A on the space the data spans.
 */
export function cholesky(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, a[i * n + i]!);
  const tol = maxDiag * 1e-12;
  for (let j = 0; j < n; j++) {
    let s = a[j * n + j]!;
    for (let k = 0; k < j; k++) s -= l[j * n + k]! ** 2;
    if (s <= tol) continue;
    const d = Math.sqrt(s);
    l[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let x = a[i * n + j]!;
      for (let k = 0; k < j; k++) x -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = x / d;
    }
  }
  return l;
}

/** A seeded uniform generator on (0, 1) (mulberry32): the same seed gives the same paths. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}

/**
 * Fills `out` with standard normals from a uniform generator (Marsaglia's polar method: pairs (u, v) uniform in the
 * square, kept inside the unit circle, give u·√(−2 ln s / s) and v·√(−2 ln s / s); one log and no sine or cosine).
 */
export function fillNormals(out: Float64Array, uniform: () => number): void {
  const n = out.length;
  for (let i = 0; i < n; ) {
    const u = 2 * uniform() - 1;
    const v = 2 * uniform() - 1;
    const s = u * u + v * v;
    if (s >= 1 || s === 0) continue;
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    out[i++] = u * f;
    if (i < n) out[i++] = v * f;
  }
}

export interface MonteCarloOptions {
  paths?: number;
  seed?: number;
}
export const MONTE_CARLO_PATHS = 10_000;
export const MONTE_CARLO_SEED = 17;

/**
 * Simulated 1-day portfolio returns: each path draws the instruments' returns x = μ + L·z (z ~ N(0, I), L the Cholesky
 * factor of the sample covariance) and values the holdings, p = w·x. Since w·(L·z) = (Lᵀw)·z, the portfolio return of a
 * path is computed from the same n normals without forming x (n operations a path instead of n²/2).
 */
export function monteCarloReturns(m: ReturnMatrix, weights: ArrayLike<number>, o: MonteCarloOptions = {}): Float64Array {
  const n = m.returns.length;
  const paths = o.paths ?? MONTE_CARLO_PATHS;
  const { means, cov } = covariance(m);
  const l = cholesky(cov, n);
  const v = new Float64Array(n);
  let mu = 0;
  for (let i = 0; i < n; i++) {
    mu += weights[i]! * means[i]!;
    for (let j = 0; j <= i; j++) v[j]! += l[i * n + j]! * weights[i]!;
  }
  const uniform = mulberry32(o.seed ?? MONTE_CARLO_SEED);
  const z = new Float64Array(n);
  const out = new Float64Array(paths);
  for (let k = 0; k < paths; k++) {
    fillNormals(z, uniform);
    let s = mu;
    for (let j = 0; j < n; j++) s += v[j]! * z[j]!;
    out[k] = s;
  }
  return out;
}

/** Every method at 95 % and 99 %, 1-day and 10-day. */
export function varTable(m: ReturnMatrix, weights: ArrayLike<number>, o: MonteCarloOptions = {}): VarFigure[] {
  const p = portfolioReturns(m, weights);
  const mc = monteCarloReturns(m, weights, o);
  const out: VarFigure[] = [];
  for (const horizonDays of [1, 10]) {
    for (const confidence of [0.95, 0.99]) {
      const s = (x: number) => scaleToHorizon(x, horizonDays);
      out.push({ method: 'historical', confidence, horizonDays, var: s(historicalVar(p, confidence)), cvar: s(historicalCvar(p, confidence)) });
      out.push({ method: 'parametric', confidence, horizonDays, var: s(parametricVar(p, confidence)), cvar: s(parametricCvar(p, confidence)) });
      out.push({ method: 'monte-carlo', confidence, horizonDays, var: s(historicalVar(mc, confidence)), cvar: s(historicalCvar(mc, confidence)) });
    }
  }
  return out;
}

/**
 * Component VaR (Euler allocation), one figure per instrument of the matrix, summing to the portfolio's VaR.
 * Historical: the VaR is read between two days of the sorted history (lo, hi, fraction f), so each position's part is
 * −w_i·(r_i,lo + f·(r_i,hi − r_i,lo)). Parametric: VaR(w) = −(w·μ + z·√(wᵀΣw)) is homogeneous of degree one, so
 * Σ_i w_i·∂VaR/∂w_i = VaR with w_i·∂VaR/∂w_i = −w_i·μ_i − z·w_i·(Σw)_i / σ_p.
 */
export function componentVar(m: ReturnMatrix, weights: ArrayLike<number>, confidence: number, method: 'historical' | 'parametric'): Float64Array {
  const n = m.returns.length;
  const out = new Float64Array(n);
  const p = portfolioReturns(m, weights);
  const t = p.length;
  if (t === 0) return out;
  if (method === 'historical') {
    const order = Array.from({ length: t }, (_, k) => k).sort((a, b) => p[a]! - p[b]!);
    const h = (t - 1) * (1 - confidence);
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, t - 1);
    const f = h - lo;
    for (let i = 0; i < n; i++) {
      const r = m.returns[i]!;
      const a = r[order[lo]!]!;
      out[i] = -weights[i]! * (a + f * (r[order[hi]!]! - a));
    }
    return out;
  }
  const { means, cov } = covariance(m);
  const sw = new Float64Array(n);
  let variance = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) sw[i]! += cov[i * n + j]! * weights[j]!;
    variance += weights[i]! * sw[i]!;
  }
  const sigma = Math.sqrt(variance);
  const z = normalQuantile(1 - confidence);
  for (let i = 0; i < n; i++) out[i] = -weights[i]! * means[i]! - (sigma > 0 ? (z * weights[i]! * sw[i]!) / sigma : 0);
  return out;
}
