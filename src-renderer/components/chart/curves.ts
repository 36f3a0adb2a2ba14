// A line of many points (a backtest's equity and drawdown: one point per bar) drawn from at most `max` of them: per
// bucket of consecutive points its lowest and highest, in time order, plus the first and last point. At a chart's
// width a bucket spans less than a pixel, so the line drawn is the same, and the highest equity and the deepest
// drawdown are always among the points. Hand-written: a dozen lines, and LTTB (what charting libraries offer) may
// drop the extreme a drawdown chart is read for.
export function minMaxDecimate<P extends { value: number }>(points: readonly P[], max: number): P[] {
  const n = points.length;
  if (n <= max) return points.slice();
  const buckets = Math.max(1, Math.floor((max - 2) / 2));
  const size = Math.ceil(n / buckets);
  const out: P[] = [points[0]!];
  for (let a = 0; a < n; a += size) {
    const b = Math.min(n, a + size);
    let lo = a;
    let hi = a;
    for (let i = a + 1; i < b; i++) {
      const v = points[i]!.value;
      if (v < points[lo]!.value) lo = i;
      if (v > points[hi]!.value) hi = i;
    }
    for (const i of lo === hi ? [lo] : lo < hi ? [lo, hi] : [hi, lo]) if (i !== 0 && i !== n - 1) out.push(points[i]!);
  }
  out.push(points[n - 1]!);
  return out;
}

/** The drawdown after each point of an equity curve: percent below the highest equity so far (0 at a new high). */
export function drawdownPct(equity: readonly number[]): number[] {
  let peak = -Infinity;
  return equity.map((e) => {
    peak = Math.max(peak, e);
    return (e / peak - 1) * 100;
  });
}
