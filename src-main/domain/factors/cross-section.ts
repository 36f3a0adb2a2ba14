// One date's cross-section: raw factor values of a universe → winsorised, z-scored (optionally within sector),
// direction-adjusted scores, a weighted composite, rank and percentile.
//
// Per factor, over the stocks that have it:
// 1. winsorise at the 1st/99th percentile of the whole universe (linear percentiles, as numpy);
// 2. z-score with the population standard deviation, across the universe, or within each sector when sector-neutral
//    (a stock without a sector is its own group "(none)"); a group without dispersion scores 0;
// 3. multiply by the factor's direction, so a higher z is always better.
// Composite = Σ wᵢ·zᵢ / Σ wᵢ over the factors the stock HAS (weights renormalised); the missing ones are listed, never
// counted as zero. A stock with none of the factors has no composite and ranks after all others.
// Rank 1 is the best composite (ties broken by symbol for a stable order); percentile = fraction of ranked stocks it
// beats, 1 for the best, 0 for the worst (stats.percentiles).
import { percentiles, winsorize, zscores } from './stats';

export interface CrossSectionInput {
  symbol: string;
  sector: string | null;
  /** Raw value per factor name; null or absent = missing. */
  values: Readonly<Record<string, number | null | undefined>>;
}

export interface FactorWeight {
  name: string;
  weight: number;
  direction: 1 | -1;
}

export interface FactorScore {
  value: number | null;
  /** Direction-adjusted z-score (higher is better); null when the value is missing. */
  z: number | null;
  /** Percentile of z among the stocks that have the factor (0 worst … 1 best); null when missing. */
  percentile: number | null;
}

export interface ScoredRow {
  symbol: string;
  sector: string | null;
  composite: number | null;
  /** 1 = best; stocks without a composite rank last. */
  rank: number;
  percentile: number | null;
  factors: Record<string, FactorScore>;
  missing: string[];
}

export interface CrossSectionOptions {
  sectorNeutral?: boolean;
  winsorize?: readonly [number, number];
}

const NO_SECTOR = '(none)';

export function scoreCrossSection(rows: readonly CrossSectionInput[], weights: readonly FactorWeight[], opts: CrossSectionOptions = {}): ScoredRow[] {
  const [lo, hi] = opts.winsorize ?? [0.01, 0.99];
  for (const w of weights) if (!(w.weight > 0) || !Number.isFinite(w.weight)) throw new Error(`factor ${w.name}: the weight must be a positive number (got ${w.weight})`);
  const z = new Map<string, Float64Array>(); // per factor, z per row (NaN = missing)
  const pct = new Map<string, Float64Array>();
  for (const w of weights) {
    const idx: number[] = [];
    const raw: number[] = [];
    rows.forEach((r, i) => {
      const v = r.values[w.name];
      if (v !== null && v !== undefined && Number.isFinite(v)) {
        idx.push(i);
        raw.push(v);
      }
    });
    const clipped = winsorize(raw, lo, hi);
    const zs = new Float64Array(rows.length).fill(NaN);
    const groups = new Map<string, number[]>(); // group → positions in idx
    idx.forEach((_, k) => {
      const g = opts.sectorNeutral ? (rows[idx[k]!]!.sector ?? NO_SECTOR) : '';
      let list = groups.get(g);
      if (!list) groups.set(g, (list = []));
      list.push(k);
    });
    for (const members of groups.values()) {
      const scores = zscores(members.map((k) => clipped[k]!));
      members.forEach((k, j) => { zs[idx[k]!] = w.direction * scores[j]!; });
    }
    const ps = new Float64Array(rows.length).fill(NaN);
    const p = percentiles(idx.map((i) => zs[i]!));
    idx.forEach((i, k) => { ps[i] = p[k]!; });
    z.set(w.name, zs);
    pct.set(w.name, ps);
  }

  const scored: ScoredRow[] = rows.map((r, i) => {
    let sum = 0;
    let wsum = 0;
    const missing: string[] = [];
    const factors: Record<string, FactorScore> = {};
    for (const w of weights) {
      const zi = z.get(w.name)![i]!;
      const v = r.values[w.name];
      if (Number.isNaN(zi)) {
        missing.push(w.name);
        factors[w.name] = { value: null, z: null, percentile: null };
      } else {
        sum += w.weight * zi;
        wsum += w.weight;
        factors[w.name] = { value: v as number, z: zi, percentile: pct.get(w.name)![i]! };
      }
    }
    return { symbol: r.symbol, sector: r.sector, composite: wsum > 0 ? sum / wsum : null, rank: 0, percentile: null, factors, missing };
  });

  scored.sort((a, b) => {
    if (a.composite === null || b.composite === null) return a.composite === b.composite ? cmp(a.symbol, b.symbol) : a.composite === null ? 1 : -1;
    return b.composite - a.composite || cmp(a.symbol, b.symbol);
  });
  const ranked = scored.filter((r) => r.composite !== null);
  const p = percentiles(ranked.map((r) => r.composite!));
  ranked.forEach((r, k) => { r.percentile = p[k]!; });
  scored.forEach((r, k) => { r.rank = k + 1; });
  return scored;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
