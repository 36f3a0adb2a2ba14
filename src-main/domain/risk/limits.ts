// Portfolio limits as a what-if: the holdings as they would be after the order fills, against each configured cap.
// A model is built once per price/position change (the returns history and the clusters); checking an order is then a
// few passes over a year of days (see bench `pretrade_check_us`).
import { historicalVar, portfolioReturns } from './var';
import { correlatedClusters, correlationMatrix } from './correlation';
import type { AlignedReturns } from './returns';
import type { Holding } from './leverage';
import { realisedVolatility } from './leverage';
import type { RiskProfileLookup } from './profile';

export interface PortfolioLimitsConfig {
  /** 1-day 95 % historical VaR / NAV (risk.max_portfolio_risk); null = off. */
  maxPortfolioRisk: number | null;
  /** Σ|value| of a correlated cluster / NAV; null = off. */
  maxClusterConcentration: number | null;
  correlationThreshold: number;
  correlationWindow: number;
  /** |value| of one issuer / NAV; null = off. */
  maxIssuerConcentration: number | null;
  /** Σ|value| of one sector / NAV; null = off. */
  maxSectorConcentration: number | null;
  /** Σ|value| / NAV and |Σvalue| / NAV; null = off. */
  maxGrossExposure: number | null;
  maxNetExposure: number | null;
  /** Target annual volatility: the gross leverage may not exceed target ÷ realised vol per unit of gross; null = off. */
  targetVolatility: number | null;
}

export interface PortfolioModel {
  nav: number;
  holdings: Map<string, number>;
  history: AlignedReturns;
  /** Index of each modelled symbol in history. */
  index: Map<string, number>;
  /** Portfolio daily returns at the current weights. */
  base: Float64Array;
  clusters: string[][];
  profile: RiskProfileLookup;
}

/** `clusters`: those of the same history computed before (the correlation matrix is the costly part: n² · days). */
export function buildModel(holdings: Holding[], nav: number, history: AlignedReturns, profile: RiskProfileLookup, cfg: Pick<PortfolioLimitsConfig, 'correlationThreshold' | 'correlationWindow'>, clusters?: string[][]): PortfolioModel {
  const map = new Map<string, number>();
  for (const h of holdings) map.set(h.symbol, (map.get(h.symbol) ?? 0) + h.value);
  const index = new Map(history.symbols.map((s, i) => [s, i]));
  const weights = history.symbols.map((s) => (nav > 0 ? (map.get(s) ?? 0) / nav : 0));
  const base = portfolioReturns(history, weights);
  clusters ??= correlatedClusters(history.symbols, correlationMatrix(history, cfg.correlationWindow), cfg.correlationThreshold);
  return { nav, holdings: map, history, index, base, clusters, profile };
}

/**
 * The largest share of NAV in one correlated cluster, issuer or sector (Σ|value| / NAV), whether or not a cap is
 * configured: the figure the concentration alerts watch. The same arithmetic as the caps, with every cap switched on.
 */
export function largestConcentration(m: PortfolioModel, cfg: PortfolioLimitsConfig): LimitUsage | null {
  const all: PortfolioLimitsConfig = {
    ...cfg, maxPortfolioRisk: null, maxGrossExposure: null, maxNetExposure: null, targetVolatility: null,
    maxClusterConcentration: Infinity, maxIssuerConcentration: Infinity, maxSectorConcentration: Infinity,
  };
  if (m.holdings.size === 0 || !(m.nav > 0)) return null;
  let best: LimitUsage | null = null;
  for (const u of limitUsage(m, all)) if (!best || u.value > best.value) best = u;
  return best;
}

export interface LimitUsage {
  /** The config key, e.g. 'max_portfolio_risk'. */
  name: string;
  /** Fraction of NAV (leverage for the exposure caps). */
  value: number;
  limit: number;
  /** limit − value (negative when over). */
  headroom: number;
  /** What the figure is of (a cluster's members, an issuer, a sector). */
  subject?: string;
}

export interface OrderDelta {
  symbol: string;
  /** Signed change in quantity (buy > 0). */
  quantity: number;
  /** Price the change is valued at. */
  price: number;
}

const abs = (m: Map<string, number>, keys: Iterable<string>) => {
  let s = 0;
  for (const k of keys) s += Math.abs(m.get(k) ?? 0);
  return s;
};

/** The VaR of the model's holdings with `dValue` more of `symbol` (unmodelled symbols leave it unchanged). */
function varWith(m: PortfolioModel, symbol: string, dValue: number, scratch: Float64Array): number {
  const i = m.index.get(symbol);
  if (i === undefined || dValue === 0) return historicalVar(m.base, 0.95);
  const r = m.history.returns[i]!;
  const dw = dValue / m.nav;
  for (let t = 0; t < scratch.length; t++) scratch[t] = m.base[t]! + dw * r[t]!;
  return historicalVar(scratch, 0.95);
}

/** Usage of every configured limit, for the holdings with `delta` applied (none: now). */
export function limitUsage(m: PortfolioModel, cfg: PortfolioLimitsConfig, delta?: OrderDelta): LimitUsage[] {
  const out: LimitUsage[] = [];
  const nav = m.nav;
  const dValue = delta ? delta.quantity * delta.price : 0;
  const after = new Map(m.holdings);
  if (delta) after.set(delta.symbol, (after.get(delta.symbol) ?? 0) + dValue);
  const push = (name: string, value: number, limit: number | null, subject?: string) => {
    if (limit !== null) out.push({ name, value, limit, headroom: limit - value, ...(subject !== undefined ? { subject } : {}) });
  };
  const scratch = new Float64Array(m.base.length);
  const var95 = m.base.length > 0 ? varWith(m, delta?.symbol ?? '', dValue, scratch) : 0;
  push('max_portfolio_risk', var95, cfg.maxPortfolioRisk);
  // One figure per kind of concentration: the largest (or the one the order touches, when checking an order).
  const worst = (groups: [string, string[]][]) => {
    let best: [string, number] | null = null;
    for (const [subject, members] of groups) {
      if (delta && !members.includes(delta.symbol)) continue;
      const v = abs(after, members) / nav;
      if (!best || v > best[1]) best = [subject, v];
    }
    return best;
  };
  if (cfg.maxClusterConcentration !== null) {
    const c = worst(m.clusters.map((g) => [g.join('+'), g]));
    if (c) push('max_cluster_concentration', c[1], cfg.maxClusterConcentration, c[0]);
  }
  const grouped = (key: (s: string) => string | undefined) => {
    const g = new Map<string, string[]>();
    for (const s of after.keys()) {
      const k = key(s);
      if (k !== undefined) g.set(k, [...(g.get(k) ?? []), s]);
    }
    return [...g.entries()];
  };
  if (cfg.maxIssuerConcentration !== null) {
    const c = worst(grouped((s) => m.profile(s)?.issuer ?? s));
    if (c) push('max_issuer_concentration', c[1], cfg.maxIssuerConcentration, c[0]);
  }
  if (cfg.maxSectorConcentration !== null) {
    const c = worst(grouped((s) => m.profile(s)?.sector));
    if (c) push('max_sector_concentration', c[1], cfg.maxSectorConcentration, c[0]);
  }
  let gross = 0;
  let net = 0;
  for (const v of after.values()) {
    gross += Math.abs(v);
    net += v;
  }
  push('max_gross_exposure', gross / nav, cfg.maxGrossExposure);
  push('max_net_exposure', Math.abs(net) / nav, cfg.maxNetExposure);
  if (cfg.targetVolatility !== null && m.base.length > 1) {
    // gross ≤ target ÷ (vol / gross)  ⇔  vol ≤ target: reported as leverage against its cap.
    const p = delta && m.index.has(delta.symbol) ? scratch : m.base;
    const vol = realisedVolatility(p);
    const cap = vol > 0 ? (cfg.targetVolatility * (gross / nav)) / vol : Infinity;
    if (Number.isFinite(cap)) push('vol_targeted_leverage', gross / nav, cap);
  }
  return out;
}

export type PortfolioDecision =
  | { ok: true }
  | { ok: false; rule: string; message: string; value: number; limit: number; headroom: number; fitQuantity?: number };

const pct = (f: number) => `${(f * 100).toFixed(2)} %`;

/**
 * The what-if check of one order. An order that reduces its position passes (as in the order gate). A limit refuses
 * only when the order takes the figure above its limit and makes it worse (an order that lowers an exceeded figure
 * passes). For the VaR budget the refusal carries the largest quantity that fits, found by bisection on the size.
 */
export function checkPortfolioOrder(m: PortfolioModel, cfg: PortfolioLimitsConfig, delta: OrderDelta, o: { positionQuantity: number; lotSize: number }): PortfolioDecision {
  if (!(m.nav > 0)) return { ok: true };
  const before = o.positionQuantity;
  const afterQ = before + delta.quantity;
  if (Math.abs(afterQ) < Math.abs(before) && Math.sign(afterQ) !== -Math.sign(before)) return { ok: true };
  const current = limitUsage(m, cfg);
  const now = new Map(current.map((u) => [u.name + (u.subject ?? ''), u]));
  const nowByName = new Map(current.map((u) => [u.name, u]));
  for (const u of limitUsage(m, cfg, delta)) {
    const prev = now.get(u.name + (u.subject ?? ''));
    const prevValue = prev?.value ?? nowByName.get(u.name)?.value ?? 0;
    if (u.value <= u.limit + 1e-12 || u.value <= prevValue) continue;
    const headroom = u.limit - prevValue;
    const about = u.subject ? ` (${u.subject})` : '';
    const base = `${LABELS[u.name] ?? u.name}${about} would be ${pct(u.value)} of NAV, above the limit of ${pct(u.limit)}; headroom ${pct(Math.max(headroom, 0))} (risk.${u.name})`;
    if (u.name !== 'max_portfolio_risk') return { ok: false, rule: u.name, message: base, value: u.value, limit: u.limit, headroom };
    const fit = largestFit(m, delta, u.limit, o.lotSize);
    return { ok: false, rule: u.name, message: `${base}: at most ${fit} would fit`, value: u.value, limit: u.limit, headroom, fitQuantity: fit };
  }
  return { ok: true };
}

const LABELS: Record<string, string> = {
  max_portfolio_risk: 'The portfolio VaR (1-day 95 %, historical)',
  max_cluster_concentration: 'The correlated cluster',
  max_issuer_concentration: 'The issuer',
  max_sector_concentration: 'The sector',
  max_gross_exposure: 'The gross exposure',
  max_net_exposure: 'The net exposure',
  vol_targeted_leverage: 'The gross leverage (volatility-targeted cap)',
};

/**
 * The largest quantity (whole lots, same side) whose fill keeps the VaR within `limit`: bisection on q ∈ [0, |Δq|],
 * keeping lo fitting and hi not; 60 halvings or one lot of width. VaR in q is continuous and, beyond the size where the
 * new position dominates the tail, increasing; the bisection finds a boundary (the result is checked to fit).
 */
export function largestFit(m: PortfolioModel, delta: OrderDelta, limit: number, lotSize: number): number {
  const scratch = new Float64Array(m.base.length);
  const sign = Math.sign(delta.quantity);
  const fits = (q: number) => varWith(m, delta.symbol, sign * q * delta.price, scratch) <= limit;
  if (!fits(0)) return 0;
  let lo = 0;
  let hi = Math.abs(delta.quantity);
  for (let k = 0; k < 60 && hi - lo > lotSize / 2; k++) {
    const mid = (lo + hi) / 2;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  const step = lotSize > 0 ? lotSize : 1;
  let q = Math.floor(lo / step + 1e-9) * step;
  // The bisection stops within half a lot of the boundary: settle on the exact whole-lot edge.
  while (q > 0 && !fits(q)) q -= step;
  while (q + step <= Math.abs(delta.quantity) + 1e-12 && fits(q + step)) q += step;
  return Math.max(0, Number(q.toPrecision(12)));
}
