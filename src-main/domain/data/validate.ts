// Validation of bars entering the store: every row is accepted or rejected with a reason, never dropped silently.
import type { Bar } from '../../../src-shared/domain/types';

export interface CandidateBar {
  /** Data row number in the source (the header is row 0). */
  row: number;
  bar: Bar;
}

export interface Rejection {
  row: number;
  reason: string;
}

/** Robust z-score limit for close-to-close log returns (median ± k · 1.4826 · MAD). */
export const OUTLIER_LIMIT = 12;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function validateBars(candidates: CandidateBar[]): { accepted: CandidateBar[]; rejected: Rejection[] } {
  const rejected: Rejection[] = [];
  const clean: CandidateBar[] = [];
  const seen = new Map<number, number>();
  let lastTime = -Infinity;
  let lastRow = 0;
  for (const c of candidates) {
    const { bar, row } = c;
    const prices: [string, number][] = [['Open', bar.open], ['High', bar.high], ['Low', bar.low], ['Close', bar.close]];
    const bad = prices.find(([, v]) => !Number.isFinite(v) || v <= 0);
    let reason = '';
    if (!Number.isFinite(bar.time)) reason = 'bad timestamp';
    else if (bad) reason = Number.isFinite(bad[1]) ? `non-positive ${bad[0]} (${bad[1]})` : `${bad[0]} is not a number`;
    else if (!Number.isFinite(bar.volume) || bar.volume < 0) reason = `bad Volume (${bar.volume})`;
    else if (bar.low > bar.high) reason = `Low ${bar.low} above High ${bar.high}`;
    else if (bar.low > Math.min(bar.open, bar.close) || bar.high < Math.max(bar.open, bar.close)) reason = 'Open/Close outside the High–Low range';
    else if (seen.has(bar.time)) reason = `duplicate timestamp (same as row ${seen.get(bar.time)})`;
    else if (bar.time < lastTime) reason = `timestamp out of order (before row ${lastRow})`;
    if (reason) {
      rejected.push({ row, reason });
      continue;
    }
    seen.set(bar.time, row);
    lastTime = bar.time;
    lastRow = row;
    clean.push(c);
  }
  // Outliers: a one-bar spike — a close far outside the series' own robust spread of moves that the next bar takes
  // back — is quarantined. Large moves that hold (news, gaps, a level shift) are real and stay.
  const accepted: CandidateBar[] = [];
  if (clean.length >= 20) {
    const r = clean.slice(1).map((c, i) => Math.log(c.bar.close / clean[i]!.bar.close));
    const med = median(r);
    const mad = median(r.map((x) => Math.abs(x - med))) * 1.4826;
    accepted.push(clean[0]!);
    for (let i = 1; i < clean.length; i++) {
      const prev = accepted[accepted.length - 1]!;
      const ret = Math.log(clean[i]!.bar.close / prev.bar.close);
      const z = mad > 0 ? Math.abs(ret - med) / mad : 0;
      const next = clean[i + 1];
      const back = next ? Math.log(next.bar.close / clean[i]!.bar.close) : 0;
      const spike = z > OUTLIER_LIMIT && next !== undefined && Math.sign(back) === -Math.sign(ret) && Math.abs(back) >= 0.5 * Math.abs(ret);
      if (spike) rejected.push({ row: clean[i]!.row, reason: `outlier: a one-bar spike of ${((Math.exp(ret) - 1) * 100).toFixed(1)} % from row ${prev.row}, taken back by row ${next.row} (robust z ${z.toFixed(0)} > ${OUTLIER_LIMIT})` });
      else accepted.push(clean[i]!);
    }
  } else accepted.push(...clean);
  rejected.sort((a, b) => a.row - b.row);
  return { accepted, rejected };
}
