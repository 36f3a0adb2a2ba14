// Calendar days as integers (days since 1970-01-01, UTC): the valuation's time axis, the wash-sale window and holding
// periods count whole days; cheap to index and subtract. Shared: the ledger's date schema checks dates with them too.

/** 'YYYY-MM-DD' → days since 1970-01-01. */
export function dayOf(date: string): number {
  return Math.round(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000);
}

/** Days since 1970-01-01 → 'YYYY-MM-DD'. */
export function dateOf(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** [year, month 1–12, day of month] of a day number. */
export function ymd(day: number): [number, number, number] {
  const d = new Date(day * 86_400_000);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

/** The day `years` calendar years before/after (29 February → 28 February in a common year). */
export function addYears(day: number, years: number): number {
  const [y, m, d] = ymd(day);
  const target = Date.UTC(y + years, m - 1, d);
  const back = new Date(target).getUTCMonth() !== m - 1 ? Date.UTC(y + years, m - 1, d - 1) : target;
  return Math.round(back / 86_400_000);
}

/** 'YYYY-MM-DD' naming a day that exists (not 2024-02-30, which Date.parse would roll into March). */
export function isCalendarDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && dateOf(dayOf(s)) === s;
}

export function addDays(date: string, days: number): string {
  return dateOf(dayOf(date) + days);
}
