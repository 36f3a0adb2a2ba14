import { describe, expect, it } from 'vitest';
import { addDays, addYears, dateOf, dayOf, isCalendarDate } from './dates';
import { IsoDate } from './ledger';

describe('calendar days', () => {
  it('round-trips and counts whole days across a leap day', () => {
    expect(dayOf('1970-01-01')).toBe(0);
    expect(dateOf(dayOf('2024-02-28') + 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(dateOf(addYears(dayOf('2024-02-29'), 1))).toBe('2025-02-28');
  });

  it('a date that does not exist is refused, here and by the ledger schema', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2024-13-01')).toBe(false);
    expect(IsoDate.safeParse('2024-02-30').success).toBe(false);
    expect(IsoDate.safeParse('2024-02-29').success).toBe(true);
  });
});
