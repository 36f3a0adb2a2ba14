// Drawdown analysis of a NAV series: the underwater series and the worst drawdowns with start, trough and recovery.

export interface NavPoint {
  day: number;
  nav: number;
}

export interface Drawdown {
  /** The peak's day (the last day at the high before the fall). */
  start: number;
  trough: number;
  /** First day back at or above the peak; null while still under water. */
  recovery: number | null;
  /** nav_trough / nav_peak − 1 (≤ 0). */
  depth: number;
}

/** nav_t / max_{s≤t} nav_s − 1 for every day (0 at a new high). */
export function underwater(series: NavPoint[]): { day: number; drawdown: number }[] {
  let peak = -Infinity;
  return series.map((p) => {
    peak = Math.max(peak, p.nav);
    return { day: p.day, drawdown: peak > 0 ? p.nav / peak - 1 : 0 };
  });
}

/** The `top` deepest drawdowns, deepest first (each episode runs from a peak to the next day at or above it). */
export function worstDrawdowns(series: NavPoint[], top = 5): Drawdown[] {
  const episodes: Drawdown[] = [];
  let peakIdx = 0;
  let current: Drawdown | null = null;
  let troughNav = Infinity;
  for (let i = 0; i < series.length; i++) {
    const p = series[i]!;
    const peak = series[peakIdx]!;
    if (p.nav >= peak.nav) {
      if (current) {
        current.recovery = p.day;
        episodes.push(current);
        current = null;
      }
      peakIdx = i;
      continue;
    }
    if (!current) {
      current = { start: peak.day, trough: p.day, recovery: null, depth: p.nav / peak.nav - 1 };
      troughNav = p.nav;
    } else if (p.nav < troughNav) {
      troughNav = p.nav;
      current.trough = p.day;
      current.depth = p.nav / peak.nav - 1;
    }
  }
  if (current) episodes.push(current);
  return episodes.sort((a, b) => a.depth - b.depth).slice(0, top);
}

/** Drawdown from the highest NAV seen, now: 1 − nav / peak (a positive fraction; 0 at the peak). */
export function drawdownFromPeak(peak: number, nav: number): number {
  return peak > 0 ? Math.max(0, 1 - nav / peak) : 0;
}
