// Exchange holidays and early closes, computed by rule: the trading calendar the bar store checks completeness and gaps
// against (src-shared/domain/sessions.ts has the weekly hours; this removes holidays and shortens early-close days).
//
// Hand-written rather than a package: the maintained calendars (exchange_calendars, pandas_market_calendars) are Python;
// the npm ones found are unmaintained or fetch holiday lists online, and the app must work offline and deterministically.
// The rules below are NYSE's published ones (Nasdaq follows the same schedule); they are checked against the
// exchange's own lists for 2020–2026 in the tests.
import type { SessionKind } from './types';
import { sessionIntervals, usDst, weekday, type Interval } from './sessions';

const DAY_MS = 86_400_000;

/** UTC day number (days since 1970-01-01) of a calendar date; month is 1-based. */
export function dayOf(year: number, month: number, date: number): number {
  return Date.UTC(year, month - 1, date) / DAY_MS;
}

/** n-th (1-based) given weekday (0 = Sunday) of a month; n = -1 for the last one. */
function nthWeekday(year: number, month: number, wd: number, n: number): number {
  if (n > 0) {
    const first = dayOf(year, month, 1);
    return first + ((wd - weekday(first) + 7) % 7) + (n - 1) * 7;
  }
  const last = dayOf(year, month + 1, 1) - 1;
  return last - ((weekday(last) - wd + 7) % 7);
}

/** Easter Sunday (Gregorian), by the anonymous computus (Meeus/Jones/Butcher). */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const date = ((h + l - 7 * m + 114) % 31) + 1;
  return dayOf(year, month, date);
}

/** A fixed-date holiday as observed: Saturday → the Friday before, Sunday → the Monday after. */
function observed(day: number): number {
  const wd = weekday(day);
  return wd === 6 ? day - 1 : wd === 0 ? day + 1 : day;
}

/** Closures that no rule gives (national mourning, storms, 9/11): NYSE's, since 2000. */
const SPECIAL_CLOSURES: Record<string, string> = {
  '2001-09-11': 'September 11', '2001-09-12': 'September 11', '2001-09-13': 'September 11', '2001-09-14': 'September 11',
  '2004-06-11': 'Funeral of Ronald Reagan', '2007-01-02': 'Funeral of Gerald Ford', '2012-10-29': 'Hurricane Sandy',
  '2012-10-30': 'Hurricane Sandy', '2018-12-05': 'Funeral of George H. W. Bush', '2025-01-09': 'Funeral of Jimmy Carter',
};

const iso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const cache = new Map<number, { holidays: Map<number, string>; earlyCloses: Map<number, string> }>();

/** NYSE/Nasdaq full holidays and 13:00 early closes of a year, by UTC day number. */
export function usEquityCalendar(year: number): { holidays: Map<number, string>; earlyCloses: Map<number, string> } {
  const hit = cache.get(year);
  if (hit) return hit;
  const holidays = new Map<number, string>();
  // New Year's Day on a Saturday is not moved to Friday (the year-end close must happen): NYSE rule.
  const newYear = dayOf(year, 1, 1);
  if (weekday(newYear) !== 6) holidays.set(observed(newYear), "New Year's Day");
  holidays.set(nthWeekday(year, 1, 1, 3), 'Martin Luther King Jr. Day');
  holidays.set(nthWeekday(year, 2, 1, 3), "Washington's Birthday (Presidents' Day)");
  holidays.set(easterSunday(year) - 2, 'Good Friday');
  holidays.set(nthWeekday(year, 5, 1, -1), 'Memorial Day');
  if (year >= 2022) holidays.set(observed(dayOf(year, 6, 19)), 'Juneteenth');
  holidays.set(observed(dayOf(year, 7, 4)), 'Independence Day');
  holidays.set(nthWeekday(year, 9, 1, 1), 'Labor Day');
  const thanksgiving = nthWeekday(year, 11, 4, 4);
  holidays.set(thanksgiving, 'Thanksgiving Day');
  holidays.set(observed(dayOf(year, 12, 25)), 'Christmas Day');
  for (const [date, name] of Object.entries(SPECIAL_CLOSURES)) if (date.startsWith(`${year}-`)) holidays.set(Date.parse(`${date}T00:00:00Z`) / DAY_MS, name);

  const earlyCloses = new Map<number, string>();
  // The day before Independence Day and Christmas Eve close at 13:00 when they are Monday to Thursday (on a Friday the
  // holiday itself is observed that day); the day after Thanksgiving always does.
  const july3 = dayOf(year, 7, 3);
  if (weekday(july3) >= 1 && weekday(july3) <= 4) earlyCloses.set(july3, 'Day before Independence Day');
  earlyCloses.set(thanksgiving + 1, 'Day after Thanksgiving');
  const dec24 = dayOf(year, 12, 24);
  if (weekday(dec24) >= 1 && weekday(dec24) <= 4) earlyCloses.set(dec24, 'Christmas Eve');
  for (const d of holidays.keys()) earlyCloses.delete(d);
  const out = { holidays, earlyCloses };
  cache.set(year, out);
  return out;
}

/** Why the session is closed on this UTC day, if it is a holiday of its calendar. */
export function holidayOn(session: SessionKind, day: number): string | undefined {
  const date = new Date(day * DAY_MS);
  switch (session) {
    case 'us-equity':
      return usEquityCalendar(date.getUTCFullYear()).holidays.get(day);
    case 'fx-24x5':
    case 'cfd-23x5': {
      // The demo market's FX and CFDs (and most brokers' ones) do not trade on Christmas Day and New Year's Day.
      const md = iso(day).slice(5);
      return md === '12-25' ? 'Christmas Day' : md === '01-01' ? "New Year's Day" : undefined;
    }
    case 'crypto-24x7':
      return undefined;
  }
}

/** Why the session closes early on this UTC day, if it does. */
export function earlyCloseOn(session: SessionKind, day: number): string | undefined {
  if (session !== 'us-equity') return undefined;
  return usEquityCalendar(new Date(day * DAY_MS).getUTCFullYear()).earlyCloses.get(day);
}

/** Open intervals (minutes from UTC midnight) of a session on a UTC day, holidays and early closes applied. */
export function tradingIntervals(session: SessionKind, day: number): readonly Interval[] {
  if (holidayOn(session, day)) return [];
  const base = sessionIntervals(session, day);
  if (!earlyCloseOn(session, day)) return base;
  // 13:00 New York: 17:00 UTC under daylight saving time, 18:00 otherwise.
  const close = usDst(day) ? 17 * 60 : 18 * 60;
  return base.map(([a, b]) => [a, Math.min(b, close)] as const).filter(([a, b]) => b > a);
}
