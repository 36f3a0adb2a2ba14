// Split + dividend adjustment checked by hand (Yahoo's adjclose convention).
import { describe, expect, it } from 'vitest';
import type { CorporateAction } from '../../ports/data-provider';
import { adjustmentPlan, applyAdjustments } from './adjust';

const D = 86_400;
const bar = (day: number, close: number, volume = 1000) => ({ time: day * D, open: close, high: close, low: close, close, volume });

describe('adjustments', () => {
  it('a 2:1 split then a 1.06 dividend, by hand', () => {
    // Raw closes 100, 102, 104 | split 2:1 ex day 4 | 52, 53 | dividend 1.06 ex day 6 | 52.
    const raw = [bar(1, 100), bar(2, 102), bar(3, 104), bar(4, 52, 2000), bar(5, 53, 2000), bar(6, 52, 2000)];
    const actions: CorporateAction[] = [
      { kind: 'split', symbol: 'X', time: 4 * D, ratio: 2 },
      { kind: 'dividend', symbol: 'X', time: 6 * D, amount: 1.06 },
    ];
    const closeBefore = (t: number) => [...raw].reverse().find((b) => b.time < t)?.close;
    const plan = adjustmentPlan(actions, closeBefore);
    // Dividend factor 1 − 1.06 / 53 = 0.98 (53: the close of day 5); split factor 1/2.
    expect(plan.steps).toEqual([{ time: 6 * D, price: 0.98, volume: 1 }, { time: 4 * D, price: 0.49, volume: 2 }]);
    const adj = applyAdjustments(raw, plan);
    expect(adj.map((b) => Number(b.close.toFixed(6)))).toEqual([49, 49.98, 50.96, 50.96, 51.94, 52]);
    expect(adj.map((b) => b.volume)).toEqual([2000, 2000, 2000, 2000, 2000, 2000]);
    expect(raw[0]!.close).toBe(100); // the raw bars are untouched
  });

  it('events it cannot apply are reported, not guessed', () => {
    const plan = adjustmentPlan([{ kind: 'dividend', symbol: 'X', time: 5 * D, amount: 1 }, { kind: 'split', symbol: 'X', time: 3 * D, ratio: 0 }], () => undefined);
    expect(plan.steps).toEqual([]);
    expect(plan.skipped.map((s) => s.reason)).toEqual(['no close before the ex-date to measure the dividend against', 'split ratio 0 is not a positive number']);
  });
});
