// Validation and cleaning of bars entering the store: every bar is accepted, rejected (quarantined) or accepted with a
// flag, each time with a reason; gaps against the trading calendar are reported, never filled in.
import type { Bar, SessionKind, Timeframe } from '../../../src-shared/domain/types';
import { missingRanges, type MissingRange } from './calendar';

export interface CandidateBar {
  /** Data row number in the source (the header is row 0); 0 for bars from a provider. */
  row: number;
  bar: Bar;
}

export interface Rejection {
  row: number;
  reason: string;
  /** The bar, when the row could be read as one (kept in quarantine so nothing is lost). */
  bar?: Bar;
}

/** A bar that is stored but suspect. */
export interface Flag {
  row: number;
  bar: Bar;
  reason: string;
}

export interface ValidationOptions {
  /** With a calendar, missing bars between the first and the last accepted bar are reported as gaps. */
  calendar?: { session: SessionKind; timeframe: Timeframe };
  /** Stored bars just before the candidates (oldest first): they seed the outlier window, and are not validated again. */
  context?: Bar[];
  /** Bars with the same OHLC as the bar before, this many or more in a row, are flagged stale. Default 5. */
  staleRun?: number;
}

export interface ValidationResult {
  accepted: CandidateBar[];
  rejected: Rejection[];
  flagged: Flag[];
  gaps: MissingRange[];
}

/** Robust z-score limit for close-to-close log returns (|r − median| / (1.4826 · MAD)). */
export const OUTLIER_LIMIT = 12;
/** The robust statistics use the last OUTLIER_WINDOW accepted moves, and need OUTLIER_MIN_MOVES of them. */
export const OUTLIER_WINDOW = 100;
export const OUTLIER_MIN_MOVES = 19;
/**
 * The window's median and MAD are recomputed every OUTLIER_REFRESH bars, not every bar: two selections over 100 values per bar
 * would make a 1M-bar import take seconds, and the statistics of a 100-move window barely change in 25 moves.
 */
const OUTLIER_REFRESH = 25;

/** The k-th smallest of buf[lo..hi] (inclusive), partially reordering buf: Hoare's selection, O(n) on average. */
function select(buf: Float64Array, lo: number, hi: number, k: number): number {
  while (lo < hi) {
    const pivot = buf[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (buf[i]! < pivot) i++;
      while (buf[j]! > pivot) j--;
      if (i <= j) {
        const t = buf[i]!;
        buf[i++] = buf[j]!;
        buf[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return buf[k]!;
  }
  return buf[k]!;
}

/**
 * Median of the first n values of `buf` (reordered). Selection, not sorting: the outlier window's statistics are
 * recomputed 100k times on a 1M-bar import, and a sort each time would cost seconds.
 */
function medianOf(buf: Float64Array, n: number): number {
  const m = n >> 1;
  const upper = select(buf, 0, n - 1, m);
  if (n % 2) return upper;
  let lower = -Infinity;
  for (let k = 0; k < m; k++) if (buf[k]! > lower) lower = buf[k]!;
  return (lower + upper) / 2;
}

const label = (c: CandidateBar) => (c.row > 0 ? `row ${c.row}` : new Date(c.bar.time * 1000).toISOString().replace('.000Z', 'Z'));

const PRICE_NAMES = ['Open', 'High', 'Low', 'Close'] as const;

function checkOne(bar: Bar): string {
  if (!Number.isFinite(bar.time)) return 'bad timestamp';
  const prices = [bar.open, bar.high, bar.low, bar.close];
  for (let k = 0; k < 4; k++) {
    const v = prices[k]!;
    if (!Number.isFinite(v)) return `${PRICE_NAMES[k]} is not a number`;
    if (v <= 0) return `non-positive ${PRICE_NAMES[k]} (${v})`;
  }
  if (!Number.isFinite(bar.volume) || bar.volume < 0) return `bad Volume (${bar.volume})`;
  if (bar.low > bar.high) return `Low ${bar.low} above High ${bar.high}`;
  if (bar.low > Math.min(bar.open, bar.close) || bar.high < Math.max(bar.open, bar.close)) return 'Open/Close outside the High–Low range';
  return '';
}

/**
 * Outliers: a one-bar spike — a close whose move is far outside the robust spread of the recent moves (rolling
 * median/MAD), and which the next bar takes back — is quarantined. Large moves that hold (news, gaps, a level shift)
 * are real and stay.
 */
function removeSpikes(clean: CandidateBar[], context: Bar[], rejected: Rejection[]): CandidateBar[] {
  const accepted: CandidateBar[] = [];
  const moves: number[] = [];
  for (let i = 1; i < context.length; i++) moves.push(Math.log(context[i]!.close / context[i - 1]!.close));
  let prevClose = context.length ? context[context.length - 1]!.close : undefined;
  let prevLabel = context.length ? 'the stored bar before' : '';
  let med = 0;
  let mad = 0;
  let sinceRefresh = OUTLIER_REFRESH;
  const buf = new Float64Array(OUTLIER_WINDOW);
  for (let i = 0; i < clean.length; i++) {
    const c = clean[i]!;
    if (prevClose === undefined) {
      accepted.push(c);
      prevClose = c.bar.close;
      prevLabel = label(c);
      continue;
    }
    const ret = Math.log(c.bar.close / prevClose);
    if (moves.length >= OUTLIER_MIN_MOVES && sinceRefresh >= OUTLIER_REFRESH) {
      const n = Math.min(moves.length, OUTLIER_WINDOW);
      for (let k = 0; k < n; k++) buf[k] = moves[moves.length - n + k]!;
      med = medianOf(buf, n);
      let sum = 0;
      for (let k = 0; k < n; k++) sum += buf[k] = Math.abs(buf[k]! - med);
      // When over half the moves are equal the MAD is 0; the mean absolute deviation (scaled to σ) is the usual fallback.
      mad = medianOf(buf, n) * 1.4826 || (sum / n) * 1.2533;
      sinceRefresh = 0;
    }
    sinceRefresh++;
    const z = moves.length >= OUTLIER_MIN_MOVES && mad > 0 ? Math.abs(ret - med) / mad : 0;
    const next = clean[i + 1];
    const back = next ? Math.log(next.bar.close / c.bar.close) : 0;
    if (z > OUTLIER_LIMIT && next !== undefined && Math.sign(back) === -Math.sign(ret) && Math.abs(back) >= 0.5 * Math.abs(ret)) {
      rejected.push({
        row: c.row, bar: c.bar,
        reason: `outlier: a one-bar spike of ${((Math.exp(ret) - 1) * 100).toFixed(1)} % from ${prevLabel}, taken back by ${label(next)} (robust z ${z.toFixed(0)} > ${OUTLIER_LIMIT} over the last ${Math.min(moves.length, OUTLIER_WINDOW)} moves)`,
      });
      continue;
    }
    moves.push(ret);
    if (moves.length > 4 * OUTLIER_WINDOW) moves.splice(0, moves.length - OUTLIER_WINDOW);
    accepted.push(c);
    prevClose = c.bar.close;
    prevLabel = label(c);
  }
  return accepted;
}

/** Stale quotes: runs of bars repeating the OHLC of the bar before; every repeat in a long enough run is flagged. */
function staleRuns(bars: CandidateBar[], minRun: number): Flag[] {
  const flags: Flag[] = [];
  const same = (a: Bar, b: Bar) => a.open === b.open && a.high === b.high && a.low === b.low && a.close === b.close;
  let start = 0;
  for (let i = 1; i <= bars.length; i++) {
    if (i < bars.length && same(bars[i]!.bar, bars[i - 1]!.bar)) continue;
    const repeats = i - 1 - start;
    if (repeats >= minRun) {
      const first = bars[start]!;
      const reason = `stale: OHLC ${first.bar.close} repeated unchanged over ${repeats + 1} bars (${label(first)} to ${label(bars[i - 1]!)})`;
      for (let k = start + 1; k < i; k++) flags.push({ row: bars[k]!.row, bar: bars[k]!.bar, reason });
    }
    start = i;
  }
  return flags;
}

export function validateBars(candidates: CandidateBar[], opts: ValidationOptions = {}): ValidationResult {
  const rejected: Rejection[] = [];
  const clean: CandidateBar[] = [];
  let last: CandidateBar | undefined;
  // Accepted times increase, so a duplicate is either the last one or found by binary search among the accepted.
  const earlier = (time: number): CandidateBar | undefined => {
    let a = 0;
    let b = clean.length;
    while (a < b) {
      const m = (a + b) >> 1;
      if (clean[m]!.bar.time < time) a = m + 1;
      else b = m;
    }
    return clean[a]?.bar.time === time ? clean[a] : undefined;
  };
  for (const c of candidates) {
    let reason = checkOne(c.bar);
    if (!reason && last && c.bar.time <= last.bar.time) {
      const dup = c.bar.time === last.bar.time ? last : earlier(c.bar.time);
      reason = dup ? `duplicate timestamp (same as ${label(dup)})` : `timestamp out of order (before ${label(last)})`;
    }
    if (reason) {
      rejected.push({ row: c.row, reason, bar: c.bar });
      continue;
    }
    last = c;
    clean.push(c);
  }
  const accepted = removeSpikes(clean, opts.context ?? [], rejected);
  const flagged = staleRuns(accepted, opts.staleRun ?? 5);
  rejected.sort((a, b) => a.row - b.row);
  let gaps: MissingRange[] = [];
  if (opts.calendar && accepted.length > 1) {
    const times = accepted.map((c) => c.bar.time);
    gaps = missingRanges(opts.calendar.session, opts.calendar.timeframe, times[0]!, times[times.length - 1]!, times);
  }
  return { accepted, rejected, flagged, gaps };
}
