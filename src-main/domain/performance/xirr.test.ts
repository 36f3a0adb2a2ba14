// The money-weighted return's solver: a spreadsheet's documented XIRR example, hand-checked cases, and the cases where
// the only right answer is none.
import { describe, expect, it } from 'vitest';
import { dateOf, dayOf } from '../../../src-shared/domain/dates';
import { npv, xirr } from './xirr';

const f = (date: string, amount: number) => ({ day: dayOf(date), amount });

describe('xirr', () => {
  it("Microsoft's XIRR documentation example: 0.373362535", () => {
    const flows = [f('2008-01-01', -10000), f('2008-03-01', 2750), f('2008-10-30', 4250), f('2009-02-15', 3250), f('2009-04-01', 2750)];
    const r = xirr(flows)!;
    // Excel stops iterating at 0.000001 % accuracy; the exact root (NPV zero to 1e-8) is 1.5e-9 from its 9 decimals.
    expect(Math.abs(r - 0.373362535)).toBeLessThan(2e-9);
    expect(Math.abs(npv(flows, r))).toBeLessThan(1e-8);
  });

  it('one year, +10 %: exactly 0.1; two years doubling: √2 − 1; a loss gives a negative rate', () => {
    expect(xirr([f('2021-01-01', -100), f('2022-01-01', 110)])).toBeCloseTo(0.1, 12);
    expect(xirr([f('2021-01-01', -100), f('2022-12-31', 200)])).toBeCloseTo(2 ** (365 / 729) - 1, 12);
    expect(xirr([f('2021-01-01', -100), f('2022-01-01', 80)])).toBeCloseTo(-0.2, 12);
  });

  it('flows mid-period and a withdrawal: the rate zeroes the NPV (checked by hand: 100 in, 50 more at mid-year, 30 out, 130 at the end)', () => {
    const flows = [f('2021-01-01', -100), f('2021-07-02', -50), f('2021-10-01', 30), f('2022-01-01', 130)];
    const r = xirr(flows)!;
    // Total in 150, out 160 over less than a year on average: a small positive rate, and the NPV is zero there.
    expect(r).toBeGreaterThan(0.05);
    expect(r).toBeLessThan(0.12);
    expect(Math.abs(npv(flows, r))).toBeLessThan(1e-9);
  });

  it('same-day flows and an unsorted input give the same answer', () => {
    const a = xirr([f('2021-01-01', -60), f('2021-01-01', -40), f('2022-01-01', 110)]);
    const b = xirr([f('2022-01-01', 110), f('2021-01-01', -100)]);
    expect(a).toBeCloseTo(0.1, 12);
    expect(b).toBeCloseTo(0.1, 12);
  });

  it('no sign change → no answer; a single flow → no answer', () => {
    expect(xirr([f('2021-01-01', 100), f('2022-01-01', 110)])).toBeNull();
    expect(xirr([f('2021-01-01', -100), f('2022-01-01', -110)])).toBeNull();
    expect(xirr([f('2021-01-01', -100)])).toBeNull();
    expect(xirr([])).toBeNull();
  });

  it('two roots (−100, +230, −132 over two years: 10 % and 20 %) → no answer rather than one of them', () => {
    const flows = [f('2021-01-01', -100), f('2022-01-01', 230), f('2023-01-01', -132)];
    // Both are roots (to the day-count's rounding): the NPV vanishes near 0.1 and 0.2.
    expect(Math.abs(npv(flows, 0.1))).toBeLessThan(0.05);
    expect(Math.abs(npv(flows, 0.2))).toBeLessThan(0.05);
    expect(xirr(flows)).toBeNull();
  });

  it('flows with several sign changes but one root are solved (the scan finds one bracket)', () => {
    const flows = [f('2020-01-01', -1000), f('2020-06-01', 100), f('2020-09-01', -200), f('2021-06-01', 1300)];
    const r = xirr(flows)!;
    expect(r).not.toBeNull();
    expect(Math.abs(npv(flows, r))).toBeLessThan(1e-8);
  });

  it('a near-total loss (−100 then +0.01 a year later) has its rate, −99.99 %', () => {
    const r = xirr([f('2021-01-01', -100), f('2022-01-01', 0.01)])!;
    expect(r).toBeCloseTo(-0.9999, 12);
  });

  it('dates: dayOf and dateOf round-trip', () => {
    expect(dateOf(dayOf('2024-02-29'))).toBe('2024-02-29');
    expect(dayOf('1970-01-02')).toBe(1);
  });
});
