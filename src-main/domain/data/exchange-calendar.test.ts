// The holiday rules against NYSE's published holiday and early-close lists (nyse.com, "Holidays & Trading Hours").
import { describe, expect, it } from 'vitest';
import { expectedOnDay } from './calendar';
import { earlyCloseOn, easterSunday, holidayOn, tradingIntervals, usEquityCalendar } from '../../../src-shared/domain/exchange-calendar';

const day = (s: string) => Date.parse(`${s}T00:00:00Z`) / 86_400_000;
const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
const sorted = (m: Map<number, string>) => [...m.keys()].sort((a, b) => a - b).map(iso);

/** NYSE's lists, as published. */
const NYSE: Record<number, { holidays: string[]; early: string[] }> = {
  2020: { holidays: ['2020-01-01', '2020-01-20', '2020-02-17', '2020-04-10', '2020-05-25', '2020-07-03', '2020-09-07', '2020-11-26', '2020-12-25'], early: ['2020-11-27', '2020-12-24'] },
  // Christmas on a Saturday: observed Friday 24 December; New Year's Day 2022 on a Saturday is not observed on 31 December.
  2021: { holidays: ['2021-01-01', '2021-01-18', '2021-02-15', '2021-04-02', '2021-05-31', '2021-07-05', '2021-09-06', '2021-11-25', '2021-12-24'], early: ['2021-11-26'] },
  2022: { holidays: ['2022-01-17', '2022-02-21', '2022-04-15', '2022-05-30', '2022-06-20', '2022-07-04', '2022-09-05', '2022-11-24', '2022-12-26'], early: ['2022-11-25'] },
  2023: { holidays: ['2023-01-02', '2023-01-16', '2023-02-20', '2023-04-07', '2023-05-29', '2023-06-19', '2023-07-04', '2023-09-04', '2023-11-23', '2023-12-25'], early: ['2023-07-03', '2023-11-24'] },
  2024: { holidays: ['2024-01-01', '2024-01-15', '2024-02-19', '2024-03-29', '2024-05-27', '2024-06-19', '2024-07-04', '2024-09-02', '2024-11-28', '2024-12-25'], early: ['2024-07-03', '2024-11-29', '2024-12-24'] },
  2025: { holidays: ['2025-01-01', '2025-01-09', '2025-01-20', '2025-02-17', '2025-04-18', '2025-05-26', '2025-06-19', '2025-07-04', '2025-09-01', '2025-11-27', '2025-12-25'], early: ['2025-07-03', '2025-11-28', '2025-12-24'] },
  2026: { holidays: ['2026-01-01', '2026-01-19', '2026-02-16', '2026-04-03', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25'], early: ['2026-11-27', '2026-12-24'] },
};

describe('exchange calendars', () => {
  it.each(Object.keys(NYSE).map(Number))('NYSE %i: holidays and 13:00 early closes as published', (year) => {
    const cal = usEquityCalendar(year);
    expect(sorted(cal.holidays)).toEqual(NYSE[year]!.holidays);
    expect(sorted(cal.earlyCloses)).toEqual(NYSE[year]!.early);
  });

  it('Easter by the computus; Juneteenth only from 2022; the special closures', () => {
    expect(['2000', '2019', '2024', '2025', '2038'].map((y) => iso(easterSunday(Number(y))))).toEqual(['2000-04-23', '2019-04-21', '2024-03-31', '2025-04-20', '2038-04-25']);
    expect(holidayOn('us-equity', day('2021-06-18'))).toBeUndefined();
    expect(holidayOn('us-equity', day('2012-10-29'))).toBe('Hurricane Sandy');
    expect(holidayOn('us-equity', day('2001-09-14'))).toBe('September 11');
    expect(holidayOn('us-equity', day('2013-02-18'))).toBe("Washington's Birthday (Presidents' Day)");
  });

  it('a holiday expects no bar; an early close ends at 13:00 New York (17:00 UTC in July, 18:00 UTC in November)', () => {
    expect(expectedOnDay('us-equity', '1d', day('2024-02-19'))).toEqual([]);
    expect(expectedOnDay('us-equity', '1m', day('2024-11-28'))).toEqual([]);
    expect(tradingIntervals('us-equity', day('2024-07-03'))).toEqual([[810, 1020]]);
    expect(tradingIntervals('us-equity', day('2024-11-29'))).toEqual([[870, 1080]]);
    expect(expectedOnDay('us-equity', '1m', day('2024-11-29'))).toHaveLength(210); // 09:30–13:00
    expect(expectedOnDay('us-equity', '1h', day('2024-12-24')).map((t) => new Date(t * 1000).getUTCHours())).toEqual([14, 15, 16, 17]);
    expect(expectedOnDay('us-equity', '1d', day('2024-12-24'))).toHaveLength(1);
    expect(earlyCloseOn('fx-24x5', day('2024-12-24'))).toBeUndefined();
  });

  it('the demo FX and CFDs close on Christmas Day and New Year’s Day; crypto never does', () => {
    for (const s of ['fx-24x5', 'cfd-23x5'] as const) {
      expect(expectedOnDay(s, '1h', day('2024-12-25'))).toEqual([]);
      expect(expectedOnDay(s, '1h', day('2025-01-01'))).toEqual([]);
      expect(expectedOnDay(s, '1h', day('2024-12-26')).length).toBeGreaterThan(20);
    }
    expect(expectedOnDay('crypto-24x7', '1h', day('2024-12-25'))).toHaveLength(24);
  });
});
