// A fundamental factor on every date, point in time, worked by hand: a figure enters on its report date, a restatement
// from its own report date on, and nothing before the fourth quarter is known.
import { describe, expect, it } from 'vitest';
import type { StatementRecord } from '../../../src-shared/domain/fundamentals';
import { factorByName, type FundamentalFactor } from './definitions';
import { fundamentalSeries } from './point-in-time-series';

const q = (periodEnd: string, reportDate: string, eps: number): StatementRecord => ({
  symbol: 'ACME', period: 'quarter', periodEnd, reportDate, currency: 'USD', revenue: null, grossProfit: null, ebitda: null,
  netIncome: null, eps, totalEquity: null, totalDebt: null, cash: null, sharesOutstanding: 10, source: 'test',
});
const versions = [
  q('2024-03-31', '2024-04-20', 1),
  q('2024-06-30', '2024-07-20', 2),
  q('2024-09-30', '2024-10-20', 3),
  q('2024-12-31', '2025-01-20', 4),
  q('2025-03-31', '2025-04-20', 5),
  q('2024-06-30', '2025-04-20', 2.5), // Q2 2024 restated with the Q1 2025 release
  q('2025-06-30', '2025-07-20', 6), // reported after the last date: never seen
];
const dates = ['2025-01-17', '2025-01-20', '2025-04-17', '2025-04-21'];
const closes = Float64Array.from([100, 110, 120, 140]);
const pe = factorByName('pe') as FundamentalFactor;

describe('fundamentalSeries', () => {
  it('P/E on each date from the quarters reported by then', () => {
    const s = fundamentalSeries(pe, 'ACME', dates, closes, versions);
    // 2025-01-17: three quarters known (no TTM) → missing. 2025-01-20: Q1–Q4 2024, EPS 1+2+3+4 = 10 → 110/10.
    // 2025-04-17: the same quarters → 120/10. 2025-04-21: Q2 2024 restated to 2.5 and Q1 2025 in: 5+4+3+2.5 = 14.5 → 140/14.5.
    expect(Number.isNaN(s[0]!)).toBe(true);
    expect(s[1]).toBeCloseTo(11, 12);
    expect(s[2]).toBeCloseTo(12, 12);
    expect(s[3]).toBeCloseTo(140 / 14.5, 12);
  });

  it('a date after the newest report keeps the statements known then (no report on the date itself needed)', () => {
    const s = fundamentalSeries(pe, 'ACME', ['2025-02-03', '2025-03-03'], Float64Array.from([50, 60]), versions);
    expect(Array.from(s)).toEqual([expect.closeTo(5, 12), expect.closeTo(6, 12)]);
  });
});
