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
// The loops below are hand-written over typed arrays (rows as columns, groups as offsets into one ordered index): the
// test runs on ~10⁶ rows and ~10⁴ groups, where arrays of objects, Maps and comparator sorts cost seconds, and no
// JavaScript statistics library offers per-group ranks and qcut on shared typed buffers.
import { mean, pearson, qcutSorted, ranksFromSorted, sortIndex, std } from './stats';

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
  const P = periods.length;
  const bySector = opts.bySector === true;

  // 1. Rows with a factor value and every forward return.
  const { n, allDates, sectors, noForwardReturn, noSector, date: rDate, sym: rSym, sector: rSector, factor: rFactor, fwd: rFwd } =
    collectRows(series, periods, bySector);

  // Rows ordered by date (by date and sector when cutting by sector), by row within; a stable counting sort.
  const nDates = allDates.length;
  const nSec = Math.max(1, sectors);
  const key = new Int32Array(n);
  for (let i = 0; i < n; i++) key[i] = bySector ? rDate[i]! * nSec + rSector[i]! : rDate[i]!;
  const order = countingOrder(key, bySector ? nDates * nSec : nDates);

  // Scratch buffers for one group (a date's rows at most): its values, their order, sorted values and ranks; no
  // allocation per group.
  const perDate = new Int32Array(nDates);
  for (let i = 0; i < n; i++) perDate[rDate[i]!]++;
  const most = perDate.reduce((a, b) => Math.max(a, b), 0);
  const gVals = new Float64Array(most);
  const gIdx = new Int32Array(most);
  const gSorted = new Float64Array(most);
  const gRanks = new Float64Array(most);
  const gLabels = new Int32Array(most);
  const gFactorRanks = new Float64Array(most);
  /** The group's values of `x` into gVals, ordered (gIdx) and ranked (gRanks); one sort serves qcut and the ranks. */
  const load = (x: Float64Array, rows: Int32Array, from: number, to: number) => {
    const m = to - from;
    for (let j = 0; j < m; j++) gVals[j] = x[rows[from + j]!]!;
    sortIndex(gVals, m, gIdx, gSorted);
    ranksFromSorted(gIdx, gSorted, m, gRanks);
    return m;
  };

  // 2. Quantiles per date (and sector); groups that cannot be cut are dropped. Without sectors the quantile groups are
  // the date groups, so the factor's ranks per date come from the same sort.
  const label = new Int32Array(n);
  const fRank = new Float64Array(n);
  const kept = new Int32Array(n);
  let nKept = 0;
  let uncuttable = 0;
  const cutGroups = runs(order, n, key);
  for (let g = 0; g + 1 < cutGroups.length; g++) {
    const from = cutGroups[g]!;
    const to = cutGroups[g + 1]!;
    const m = load(rFactor, order, from, to);
    if (!qcutSorted(gVals.subarray(0, m), gSorted.subarray(0, m), Q, gLabels)) {
      uncuttable += m;
      continue;
    }
    for (let j = 0; j < m; j++) {
      const k = order[from + j]!;
      label[k] = gLabels[j]!;
      if (!bySector) fRank[k] = gRanks[j]!;
      kept[nKept++] = k;
    }
  }
  const rows = kept.subarray(0, nKept);
  const byDate = runs(rows, nKept, rDate);
  const nGroups = byDate.length - 1;
  if (bySector) {
    // The IC ranks the factor across the whole date, not within sectors.
    for (let g = 0; g < nGroups; g++) {
      const m = load(rFactor, rows, byDate[g]!, byDate[g + 1]!);
      for (let j = 0; j < m; j++) fRank[rows[byDate[g]! + j]!] = gRanks[j]!;
    }
  }
  const byDateSector = bySector ? runs(rows, nKept, key) : byDate;

  // The names of the top and bottom quantiles per date, for turnover (the same for every period).
  const top = quantileMembers(rows, byDate, label, rSym, Q);
  const bottom = quantileMembers(rows, byDate, label, rSym, 1);

  // 3. Per period: demeaned returns, IC per date, pooled quantile means, spread, turnover.
  const result: Record<string, PeriodResult> = {};
  const demeaned = new Float64Array(n);
  for (let p = 0; p < P; p++) {
    const fwd = rFwd[p]!;
    for (let g = 0; g + 1 < byDateSector.length; g++) {
      const from = byDateSector[g]!;
      const to = byDateSector[g + 1]!;
      let m = 0;
      for (let j = from; j < to; j++) m += fwd[rows[j]!]!;
      m /= to - from;
      for (let j = from; j < to; j++) demeaned[rows[j]!] = fwd[rows[j]!]! - m;
    }
    const icReturns = bySector ? demeaned : fwd;
    const ic: { date: string; ic: number }[] = [];
    const spread: { date: string; value: number }[] = [];
    for (let g = 0; g < nGroups; g++) {
      const from = byDate[g]!;
      const to = byDate[g + 1]!;
      const date = allDates[rDate[rows[from]!]!]!;
      const m = load(icReturns, rows, from, to);
      for (let j = 0; j < m; j++) gFactorRanks[j] = fRank[rows[from + j]!]!;
      const v = pearson(gFactorRanks.subarray(0, m), gRanks.subarray(0, m));
      if (Number.isFinite(v)) ic.push({ date, ic: v });
      let topSum = 0;
      let nTop = 0;
      let bottomSum = 0;
      let nBottom = 0;
      for (let j = from; j < to; j++) {
        const k = rows[j]!;
        if (label[k] === Q) {
          topSum += fwd[k]!;
          nTop++;
        } else if (label[k] === 1) {
          bottomSum += fwd[k]!;
          nBottom++;
        }
      }
      if (nTop && nBottom) spread.push({ date, value: topSum / nTop - bottomSum / nBottom });
    }
    const sum = new Float64Array(Q + 1);
    const sumD = new Float64Array(Q + 1);
    const count = new Float64Array(Q + 1);
    for (let j = 0; j < nKept; j++) {
      const k = rows[j]!;
      const q = label[k]!;
      sum[q] += fwd[k]!;
      sumD[q] += demeaned[k]!;
      count[q]++;
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
      turnover: { top: turnover(top, periods[p]!, series.length), bottom: turnover(bottom, periods[p]!, series.length) },
      ic,
      spread,
    };
  }
  return { rows: nKept, dates: nGroups, dropped: { noForwardReturn, noSector, uncuttable }, periods: result };
}

interface Rows {
  n: number;
  /** Per row: index into allDates, series index, sector index (−1: none), factor value, forward return per period. */
  date: Int32Array;
  sym: Int32Array;
  sector: Int32Array;
  factor: Float64Array;
  fwd: Float64Array[];
  allDates: string[];
  sectors: number;
  noForwardReturn: number;
  noSector: number;
}

function collectRows(series: readonly SymbolSeries[], periods: readonly number[], bySector: boolean): Rows {
  const maxK = Math.max(...periods);
  // Series usually share one dates array: index each distinct array once instead of looking every row's date up.
  const dateArrays = [...new Set(series.map((s) => s.dates))];
  const dateSet = new Set<string>();
  for (const ds of dateArrays) for (const d of ds) dateSet.add(d);
  const allDates = [...dateSet].sort();
  const dateIndex = new Map(allDates.map((d, i) => [d, i]));
  const dateRows = new Map(dateArrays.map((ds) => [ds, Int32Array.from(ds, (d) => dateIndex.get(d)!)]));
  // Count first, so that every column is allocated at its final length.
  const sectors = new Map<string, number>();
  const secOf = new Int32Array(series.length);
  const firstRow = new Int32Array(series.length + 1);
  let n = 0;
  let noForwardReturn = 0;
  let noSector = 0;
  for (let si = 0; si < series.length; si++) {
    const s = series[si]!;
    let sec = -1;
    if (s.sector !== null && s.sector !== '') {
      sec = sectors.get(s.sector) ?? sectors.size;
      sectors.set(s.sector, sec);
    }
    secOf[si] = sec;
    firstRow[si] = n;
    const end = Math.max(0, s.dates.length - maxK);
    const usable = countRows(s.factor, s.closes, 0, end);
    noForwardReturn += countRows(s.factor, s.closes, end, s.dates.length);
    if (bySector && sec < 0) noSector += usable;
    else n += usable;
  }
  firstRow[series.length] = n;
  const date = new Int32Array(n);
  const sym = new Int32Array(n);
  const sector = new Int32Array(n);
  const factor = new Float64Array(n);
  // Where each row sits in its series, to fill the forward returns period by period afterwards.
  const pos = new Int32Array(n);
  for (let si = 0; si < series.length; si++) {
    const s = series[si]!;
    const from = firstRow[si]!;
    const to = firstRow[si + 1]!;
    if (from === to) continue;
    keepRows(s.factor, s.closes, pos, from, to);
    const di = dateRows.get(s.dates)!;
    for (let j = from; j < to; j++) {
      const i = pos[j]!;
      date[j] = di[i]!;
      sym[j] = si;
      sector[j] = secOf[si]!;
      factor[j] = s.factor[i]!;
    }
  }
  const fwd = periods.map((k) => {
    const out = new Float64Array(n);
    for (let si = 0; si < series.length; si++) forwardReturns(series[si]!.closes, k, pos, firstRow[si]!, firstRow[si + 1]!, out);
    return out;
  });
  return { n, date, sym, sector, factor, fwd, allDates, sectors: sectors.size, noForwardReturn, noSector };
}

/** The usable rows in [from, to): a finite factor value and a positive close. */
function countRows(f: ArrayLike<number>, c: ArrayLike<number>, from: number, to: number): number {
  let m = 0;
  for (let i = from; i < to; i++) if (Number.isFinite(f[i]!) && c[i]! > 0) m++;
  return m;
}

/** The positions of the first `to − at` usable rows into pos[at…to). */
function keepRows(f: ArrayLike<number>, c: ArrayLike<number>, pos: Int32Array, at: number, to: number): void {
  for (let i = 0; at < to; i++) if (Number.isFinite(f[i]!) && c[i]! > 0) pos[at++] = i;
}

function forwardReturns(c: ArrayLike<number>, k: number, pos: Int32Array, from: number, to: number, out: Float64Array): void {
  for (let j = from; j < to; j++) {
    const i = pos[j]!;
    out[j] = c[i + k]! / c[i]! - 1;
  }
}

/** The symbols of quantile `q` per date group, as offsets into one array (dates not holding it are left out). */
interface Members {
  start: Int32Array;
  sym: Int32Array;
}

function quantileMembers(rows: Int32Array, byDate: Int32Array, label: Int32Array, sym: Int32Array, q: number): Members {
  const starts: number[] = [0];
  const out = new Int32Array(rows.length);
  let m = 0;
  for (let g = 0; g + 1 < byDate.length; g++) {
    const before = m;
    for (let j = byDate[g]!; j < byDate[g + 1]!; j++) if (label[rows[j]!] === q) out[m++] = sym[rows[j]!]!;
    if (m > before) starts.push(m);
  }
  return { start: Int32Array.from(starts), sym: out.subarray(0, m) };
}

/** Mean over dates of the share of a quantile's names not in it `lag` dates earlier (dates holding the quantile). */
function turnover({ start, sym }: Members, lag: number, nSymbols: number): number | null {
  const dates = start.length - 1;
  // stamp[s] = 1 + the date index whose set held s most recently marked: membership without a Set per date.
  const stamp = new Int32Array(nSymbols);
  const shares: number[] = [];
  for (let i = lag; i < dates; i++) {
    const b = i - lag;
    for (let j = start[b]!; j < start[b + 1]!; j++) stamp[sym[j]!] = b + 1;
    let fresh = 0;
    for (let j = start[i]!; j < start[i + 1]!; j++) if (stamp[sym[j]!] !== b + 1) fresh++;
    shares.push(fresh / (start[i + 1]! - start[i]!));
  }
  return shares.length ? mean(shares) : null;
}

/** Row indexes 0…n−1 ordered by key (0 ≤ key < keys), by index within a key: a stable counting sort. */
function countingOrder(key: Int32Array, keys: number): Int32Array {
  const start = new Int32Array(keys + 1);
  for (let i = 0; i < key.length; i++) start[key[i]! + 1]++;
  for (let d = 0; d < keys; d++) start[d + 1] += start[d]!;
  const out = new Int32Array(key.length);
  for (let i = 0; i < key.length; i++) out[start[key[i]!]!++] = i;
  return out;
}

/** Boundaries of the runs of equal `key` in rows[0…n) (already ordered): offsets, the last one n. */
function runs(rows: Int32Array, n: number, key: Int32Array): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || key[rows[i]!] !== key[rows[i - 1]!]) out.push(i);
  out.push(n);
  return Int32Array.from(out);
}
