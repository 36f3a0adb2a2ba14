// Split and dividend adjustment of raw bars, Yahoo's "adjclose" convention (back-adjusted: the newest prices are as
// traded, older ones are scaled down). For an event with ex-date E, every bar before E is multiplied by:
//   split of ratio r (r new shares per old share):  prices × 1/r, volume × r
//   cash dividend D:                                prices × (1 − D / C), C = the raw close of the last bar before E
// Factors of several events multiply. Dividends are as paid (per share held at the time), so D / C needs no split
// adjustment of its own. Volume is adjusted for splits only, as Yahoo does.
import type { Bar } from '../../../src-shared/domain/types';
import type { CorporateAction } from '../../ports/data-provider';

/** Bars before `time` are scaled by `price` and `volume` (cumulative over every later event). */
export interface AdjustmentStep {
  time: number;
  price: number;
  volume: number;
}

export interface AdjustmentPlan {
  /** Newest ex-date first. */
  steps: AdjustmentStep[];
  /** Events that could not be applied, with the reason (a dividend with no close before its ex-date, a bad ratio). */
  skipped: { action: CorporateAction; reason: string }[];
}

/** `closeBefore(E)`: the raw close of the last bar before E, if any. */
export function adjustmentPlan(actions: readonly CorporateAction[], closeBefore: (time: number) => number | undefined): AdjustmentPlan {
  const sorted = [...actions].sort((a, b) => b.time - a.time);
  const steps: AdjustmentStep[] = [];
  const skipped: AdjustmentPlan['skipped'] = [];
  let price = 1;
  let volume = 1;
  for (const a of sorted) {
    let fp: number;
    let fv = 1;
    if (a.kind === 'split') {
      if (!(a.ratio > 0) || !Number.isFinite(a.ratio)) {
        skipped.push({ action: a, reason: `split ratio ${a.ratio} is not a positive number` });
        continue;
      }
      fp = 1 / a.ratio;
      fv = a.ratio;
    } else {
      const c = closeBefore(a.time);
      if (c === undefined) {
        skipped.push({ action: a, reason: 'no close before the ex-date to measure the dividend against' });
        continue;
      }
      if (!(a.amount >= 0) || a.amount >= c) {
        skipped.push({ action: a, reason: `dividend ${a.amount} is not between 0 and the close before the ex-date (${c})` });
        continue;
      }
      fp = 1 - a.amount / c;
    }
    price *= fp;
    volume *= fv;
    const last = steps[steps.length - 1];
    if (last && last.time === a.time) Object.assign(last, { price, volume });
    else steps.push({ time: a.time, price, volume });
  }
  return { steps, skipped };
}

/** Adjusted copies of the bars (oldest first in, oldest first out). */
export function applyAdjustments(bars: readonly Bar[], plan: AdjustmentPlan): Bar[] {
  const out = new Array<Bar>(bars.length);
  // Walk from the newest bar back, stepping into the next factor each time a bar is older than an ex-date.
  let k = -1;
  let price = 1;
  let volume = 1;
  for (let i = bars.length - 1; i >= 0; i--) {
    const b = bars[i]!;
    while (k + 1 < plan.steps.length && b.time < plan.steps[k + 1]!.time) {
      k++;
      price = plan.steps[k]!.price;
      volume = plan.steps[k]!.volume;
    }
    out[i] = price === 1 && volume === 1 ? { ...b } : { time: b.time, open: b.open * price, high: b.high * price, low: b.low * price, close: b.close * price, volume: b.volume * volume };
  }
  return out;
}
