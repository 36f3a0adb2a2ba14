// Factor validation ("does it work?") with the conventions of alphalens (docs/factors.md):
// - forward return over k rows of a symbol's OWN series: close[t+k] / close[t] − 1;
// - a (date, symbol) row enters only with a factor value, a close, and a k-ahead close for EVERY period asked
//   (rows missing any are dropped for all periods, as alphalens' dropna on the merged frame);
// - quantiles per date (per date and sector with bySector) with equal counts, pandas `qcut(x, Q, labels=False) + 1`;
//   a group whose edges are not unique (too few distinct values) is dropped, rows and all (alphalens' no_raise);
//   rows without a sector are dropped under bySector;
// - IC: Spearman rank correlation of factor and forward return per date; mean, standard deviation with ddof 1 (pandas'
//   default), IR = mean / std; under bySector the returns are first demeaned by (date, sector) (group_adjust);
// - quantile mean return pools every (date, symbol) row of the quantile; "demeaned" first subtracts the mean forward
//   return of the same date (date and sector under bySector);
// - top minus bottom = pooled mean of quantile Q − of quantile 1 (raw returns);
// - turnover of a quantile (alphalens' quantile_turnover): on each date, the fraction of its names that were not in
//   it `k` dates earlier (k = the period), averaged over the dates that have such an earlier date.
// Factor values are used as given: the top quantile holds the highest values (no direction applied).
import { averageRanks, mean, pearson, qcut, std } from './stats';

const gather = (x: Float64Array, rows: readonly number[]): Float64Array => {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = x[rows[i]!]!;
  return out;
};

export interface SymbolSeries {
  symbol: string;
  sector: string | null;
  /** ISO days, ascending, one per row. */
  dates: readonly string[];
  closes: ArrayLike<number>;
  /** The factor on each row (NaN: none). Same length as closes. */
  factor: ArrayLike<number>;
}

export interface FactorTestOptions {
  periods: readonly number[];
  quantiles: number;
  bySector?: boolean;
}

export interface PeriodResult {
  icMean: number | null;
  icStd: number | null;
  icir: number | null;
  quantileMeanReturn: (number | null)[];
  quantileMeanReturnDemeaned: (number | null)[];
  topMinusBottom: number | null;
  turnover: { top: number | null; bottom: number | null };
  /** IC per date (NaN-free: dates where it is undefined are left out). */
  ic: { date: string; ic: number }[];
  /** Per date: mean forward return of the top quantile minus the bottom's (for a cumulative long-short line). */
  spread: { date: string; value: number }[];
}

export interface FactorTestResult {
  /** (date, symbol) rows used, after every drop. */
  rows: number;
  dates: number;
  /** Rows dropped: no k-ahead close, no sector (bySector), or a group too uniform to cut into quantiles. */
  dropped: { noForwardReturn: number; noSector: number; uncuttable: number };
  periods: Record<string, PeriodResult>;
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function factorTest(series: readonly SymbolSeries[], opts: FactorTestOptions): FactorTestResult {
  const { periods, quantiles: Q } = opts;
  if (periods.length === 0) throw new Error('at least one period is needed');
  for (const k of periods) if (!Number.isInteger(k) || k < 1) throw new Error(`periods must be whole numbers ≥ 1 (got ${k})`);
  if (!Number.isInteger(Q) || Q < 2) throw new Error(`quantiles must be a whole number ≥ 2 (got ${Q})`);
  const maxK = Math.max(...periods);
  const P = periods.length;

  // 1. Rows with a factor value and every forward return, grouped by date.
  const dateSet = new Set<string>();
  for (const s of series) for (const d of s.dates) dateSet.add(d);
  const allDates = [...dateSet].sort();
  const dateIndex = new Map(allDates.map((d, i) => [d, i]));
  const sectors: string[] = [];
  const sectorIndex = new Map<string, number>();
  let total = 0;
  for (const s of series) total += s.dates.length;
  const rDate = new Int32Array(total);
  const rSym = new Int32Array(total);
  const rSector = new Int32Array(total);
  const rFactor = new Float64Array(total);
  const rFwd = Array.from({ length: P }, () => new Float64Array(total));
  let n = 0;
  let noForwardReturn = 0;
  let noSector = 0;
  series.forEach((s, si) => {
    let sec = -1;
    if (s.sector !== null && s.sector !== '') {
      sec = sectorIndex.get(s.sector) ?? -1;
      if (sec < 0) {
        sec = sectors.length;
        sectors.push(s.sector);
        sectorIndex.set(s.sector, sec);
      }
    }
    const c = s.closes;
    for (let i = 0; i < s.dates.length; i++) {
      const f = s.factor[i]!;
      if (!Number.isFinite(f) || !(c[i]! > 0)) continue;
      if (i + maxK >= s.dates.length) {
        noForwardReturn++;
        continue;
      }
      if (opts.bySector && sec < 0) {
        noSector++;
        continue;
      }
      rDate[n] = dateIndex.get(s.dates[i]!)!;
      rSym[n] = si;
      rSector[n] = sec;
      rFactor[n] = f;
      for (let p = 0; p < P; p++) rFwd[p]![n] = c[i + periods[p]!]! / c[i]! - 1;
      n++;
    }
  });

  // Order rows by date (counting sort), then by sector within a date when cutting by sector.
  const order = sortRows(n, rDate, allDates.length, opts.bySector ? rSector : null);

  // 2. Quantiles per date (and sector); groups that cannot be cut are dropped.
  const label = new Int32Array(n);
  const keep = new Uint8Array(n);
  let uncuttable = 0;
  for (const members of groups(order, rDate, opts.bySector ? rSector : null)) {
    const labels = qcut(gather(rFactor, members), Q);
    if (!labels) {
      uncuttable += members.length;
      continue;
    }
    members.forEach((k, j) => {
      label[k] = labels[j]!;
      keep[k] = 1;
    });
  }
  const rows = order.filter((k) => keep[k] === 1);

  // 3. Per period: demeaned returns, IC per date, pooled quantile means, spread, turnover.
  const result: Record<string, PeriodResult> = {};
  const byDate = groups(rows, rDate, null);
  const byDateSector = opts.bySector ? groups(rows, rDate, rSector) : byDate;
  // The names of the top and bottom quantiles per date, for turnover (the same for every period).
  const topSets = byDate.map((g) => new Set(g.filter((k) => label[k] === Q).map((k) => rSym[k]!)));
  const bottomSets = byDate.map((g) => new Set(g.filter((k) => label[k] === 1).map((k) => rSym[k]!)));
  // Factor ranks per date, once for every period.
  const factorRanks = byDate.map((g) => averageRanks(gather(rFactor, g)));
  for (let p = 0; p < P; p++) {
    const fwd = rFwd[p]!;
    const demeaned = new Float64Array(n);
    for (const g of byDateSector) {
      let m = 0;
      for (const k of g) m += fwd[k]!;
      m /= g.length;
      for (const k of g) demeaned[k] = fwd[k]! - m;
    }
    const icReturns = opts.bySector ? demeaned : fwd;
    const ic: { date: string; ic: number }[] = [];
    const spread: { date: string; value: number }[] = [];
    byDate.forEach((g, gi) => {
      const date = allDates[rDate[g[0]!]!]!;
      const v = pearson(factorRanks[gi]!, averageRanks(gather(icReturns, g)));
      if (Number.isFinite(v)) ic.push({ date, ic: v });
      let top = 0;
      let nTop = 0;
      let bottom = 0;
      let nBottom = 0;
      for (const k of g) {
        if (label[k] === Q) {
          top += fwd[k]!;
          nTop++;
        } else if (label[k] === 1) {
          bottom += fwd[k]!;
          nBottom++;
        }
      }
      if (nTop && nBottom) spread.push({ date, value: top / nTop - bottom / nBottom });
    });
    const sum = new Float64Array(Q + 1);
    const sumD = new Float64Array(Q + 1);
    const count = new Float64Array(Q + 1);
    for (const k of rows) {
      sum[label[k]!] += fwd[k]!;
      sumD[label[k]!] += demeaned[k]!;
      count[label[k]!]++;
    }
    const qMean = Array.from({ length: Q }, (_, j) => (count[j + 1]! ? sum[j + 1]! / count[j + 1]! : null));
    const qMeanD = Array.from({ length: Q }, (_, j) => (count[j + 1]! ? sumD[j + 1]! / count[j + 1]! : null));
    const icValues = ic.map((x) => x.ic);
    const icMean = icValues.length ? mean(icValues) : NaN;
    const icStd = std(icValues, 1);
    result[String(periods[p])] = {
      icMean: finiteOrNull(icMean),
      icStd: finiteOrNull(icStd),
      icir: finiteOrNull(icMean / icStd),
      quantileMeanReturn: qMean,
      quantileMeanReturnDemeaned: qMeanD,
      topMinusBottom: qMean[Q - 1] !== null && qMean[0] !== null ? qMean[Q - 1]! - qMean[0]! : null,
      turnover: { top: turnover(topSets, periods[p]!), bottom: turnover(bottomSets, periods[p]!) },
      ic,
      spread,
    };
  }
  return { rows: rows.length, dates: byDate.length, dropped: { noForwardReturn, noSector, uncuttable }, periods: result };
}

/** Mean over dates of the share of a quantile's names not in it `lag` dates earlier (dates holding the quantile). */
function turnover(perDate: Set<number>[], lag: number): number | null {
  const sets = perDate.filter((s) => s.size > 0);
  const shares: number[] = [];
  for (let i = lag; i < sets.length; i++) {
    const before = sets[i - lag]!;
    let fresh = 0;
    for (const s of sets[i]!) if (!before.has(s)) fresh++;
    shares.push(fresh / sets[i]!.size);
  }
  return shares.length ? mean(shares) : null;
}

function sortRows(n: number, date: Int32Array, dates: number, sector: Int32Array | null): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  if (sector) return idx.sort((a, b) => date[a]! - date[b]! || sector[a]! - sector[b]! || a - b);
  const start = new Int32Array(dates + 1);
  for (let i = 0; i < n; i++) start[date[i]! + 1]++;
  for (let d = 0; d < dates; d++) start[d + 1] += start[d]!;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[start[date[i]!]!++] = i;
  return out;
}

/** Consecutive runs of rows (already ordered) with the same date (and sector). */
function groups(rows: readonly number[], date: Int32Array, sector: Int32Array | null): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const k = rows[i]!;
    if (cur.length) {
      const h = cur[0]!;
      if (date[h] !== date[k] || (sector && sector[h] !== sector[k])) {
        out.push(cur);
        cur = [];
      }
    }
    cur.push(k);
  }
  if (cur.length) out.push(cur);
  return out;
}
