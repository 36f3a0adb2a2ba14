// Trading sessions as open intervals per UTC day (minutes from midnight): the demo market and paper broker trade by
// them, the bar store checks completeness against them. Holidays are ignored.
import type { SessionKind } from './types';

export type Interval = readonly [start: number, end: number];
const DAY_MS = 86_400_000;

/** n-th Sunday (1-based) of a month, as a UTC day number (days since 1970-01-01). */
function nthSunday(year: number, month: number, n: number): number {
  const first = Date.UTC(year, month, 1) / DAY_MS;
  const weekday = (first + 4) % 7; // 1970-01-01 was a Thursday
  return first + ((7 - weekday) % 7) + (n - 1) * 7;
}

/** US daylight saving time is in effect on this UTC day (second Sunday of March to first Sunday of November). */
export function usDst(day: number): boolean {
  const year = new Date(day * DAY_MS).getUTCFullYear();
  return day >= nthSunday(year, 2, 2) && day < nthSunday(year, 10, 1);
}

export function weekday(day: number): number {
  return (day + 4) % 7; // 0 = Sunday
}

const NONE: Interval[] = [];
const ALL: Interval[] = [[0, 1440]];

/** The open intervals of a session on UTC day `day`. */
export function sessionIntervals(kind: SessionKind, day: number): readonly Interval[] {
  const wd = weekday(day);
  switch (kind) {
    case 'crypto-24x7':
      return ALL;
    case 'fx-24x5':
      // Sunday 22:00 UTC to Friday 22:00 UTC.
      return wd === 6 ? NONE : wd === 0 ? [[1320, 1440]] : wd === 5 ? [[0, 1320]] : ALL;
    case 'cfd-23x5':
      // As FX, with a daily break from 21:00 to 22:00 UTC.
      return wd === 6 ? NONE : wd === 0 ? [[1320, 1440]] : wd === 5 ? [[0, 1260]] : [[0, 1260], [1320, 1440]];
    case 'us-equity':
      // 09:30–16:00 New York: 13:30–20:00 UTC under daylight saving time, 14:30–21:00 otherwise.
      if (wd === 0 || wd === 6) return NONE;
      return usDst(day) ? [[810, 1200]] : [[870, 1260]];
  }
}

export function isSessionOpen(kind: SessionKind, utcMs: number): boolean {
  const day = Math.floor(utcMs / DAY_MS);
  const minute = Math.floor((utcMs - day * DAY_MS) / 60_000);
  return sessionIntervals(kind, day).some(([a, b]) => minute >= a && minute < b);
}

/**
 * Whether the session is open at `utcMs`, and when that next changes (UTC ms): the close while open, the next open while
 * closed; null for a session that does not close within a week (crypto). Intervals that meet at midnight are one.
 */
export function sessionState(kind: SessionKind, utcMs: number): { open: boolean; changesAt: number | null } {
  const today = Math.floor(utcMs / DAY_MS);
  const spans: [number, number][] = [];
  for (let d = today - 1; d <= today + 8; d++) {
    for (const [a, b] of sessionIntervals(kind, d)) {
      const start = d * DAY_MS + a * 60_000;
      const end = d * DAY_MS + b * 60_000;
      const last = spans[spans.length - 1];
      if (last && last[1] === start) last[1] = end;
      else spans.push([start, end]);
    }
  }
  const horizon = (today + 8) * DAY_MS;
  for (const [start, end] of spans) {
    if (utcMs < start) return { open: false, changesAt: start };
    if (utcMs < end) return { open: true, changesAt: end >= horizon ? null : end };
  }
  return { open: false, changesAt: null };
}
