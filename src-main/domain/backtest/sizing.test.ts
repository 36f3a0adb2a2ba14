import { describe, expect, it } from 'vitest';
import { atrRisk, fixedUnits, kellyFraction, kellyUnits, percentOfEquity } from './sizing';

describe('position sizing', () => {
  it('fixed units and a percentage of equity in whole units', () => {
    expect(fixedUnits(12.9)).toBe(12);
    expect(percentOfEquity(10_000, 33, 0.1)).toBe(30); // 1,000 / 33 = 30.3
    expect(percentOfEquity(10_000, 0, 0.1)).toBe(0);
  });

  it('ATR risk: a stop 2 ATRs away loses the risked fraction', () => {
    // 1 % of 100,000 = 1,000 at risk; ATR 2.5 × 2 = 5 per unit → 200 units
    expect(atrRisk(100_000, 2.5, 0.01, 2)).toBe(200);
    expect(atrRisk(100_000, NaN, 0.01)).toBe(0);
  });

  it('Kelly: W − (1 − W)/R, capped at 25 % and floored at 0', () => {
    expect(kellyFraction(0.55, 1)).toBeCloseTo(0.1, 12);
    expect(kellyFraction(0.7, 3)).toBe(0.25); // 0.6 uncapped
    expect(kellyFraction(0.3, 1)).toBe(0);
    expect(kellyUnits(10_000, 50, 0.55, 1)).toBe(20);
  });
});
