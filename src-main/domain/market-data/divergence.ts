// Cross-validation of two sources' prices: a relative difference beyond the threshold is a divergence worth a flag.

export interface PriceCheck {
  /** |secondary − primary| / primary. */
  diff: number;
  diverges: boolean;
}

export function comparePrices(primary: number, secondary: number, threshold: number): PriceCheck | undefined {
  if (!(primary > 0) || !(secondary > 0) || !Number.isFinite(primary) || !Number.isFinite(secondary)) return undefined;
  const diff = Math.abs(secondary - primary) / primary;
  return { diff, diverges: diff > threshold };
}

export interface DatedClose {
  /** Bar open, UTC seconds. */
  time: number;
  close: number;
}

/** Daily closes of both sources matched by UTC day; only the days both have are compared. */
export function compareDailyCloses(primary: readonly DatedClose[], secondary: readonly DatedClose[], threshold: number): { day: number; primary: number; secondary: number; diff: number }[] {
  const byDay = new Map(secondary.map((b) => [Math.floor(b.time / 86_400), b.close]));
  const out: { day: number; primary: number; secondary: number; diff: number }[] = [];
  for (const b of primary) {
    const day = Math.floor(b.time / 86_400);
    const other = byDay.get(day);
    if (other === undefined) continue;
    const c = comparePrices(b.close, other, threshold);
    if (c?.diverges) out.push({ day, primary: b.close, secondary: other, diff: c.diff });
  }
  return out;
}
