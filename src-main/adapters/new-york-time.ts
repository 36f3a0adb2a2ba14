// New York wall-clock time ↔ UTC (US providers stamp bars in US/Eastern), with daylight saving from the ICU time zone data.

const NY = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

/** New York's offset from UTC at a UTC instant, in seconds (−18000 in winter, −14400 in summer). */
export function newYorkOffset(utcSeconds: number): number {
  const p = Object.fromEntries(NY.formatToParts(new Date(utcSeconds * 1000)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p['year']), Number(p['month']) - 1, Number(p['day']), Number(p['hour']), Number(p['minute']), Number(p['second'])) / 1000;
  return wall - utcSeconds;
}

/** UTC seconds of a New York wall-clock time "YYYY-MM-DD[ HH:MM[:SS]]"; NaN when unreadable. */
export function newYorkToUtc(local: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(local.trim());
  if (!m) return NaN;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)) / 1000;
  // The offset at the wall time read as UTC is right except within hours of a change; a second pass settles it.
  const first = wall - newYorkOffset(wall);
  return wall - newYorkOffset(first);
}

/** The New York calendar date of a UTC instant, as 00:00 UTC of that date (our daily bar time). */
export function newYorkDate(utcSeconds: number): number {
  return Math.floor((utcSeconds + newYorkOffset(utcSeconds)) / 86400) * 86400;
}
