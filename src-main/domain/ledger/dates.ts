// Calendar dates (YYYY-MM-DD) as day numbers: the wash-sale window and holding periods count whole days. Pure.

/** Days since 1970-01-01 of an ISO date. */
export function dayNumber(iso: string): number {
  return Math.round(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000);
}

export function fromDayNumber(n: number): string {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  return fromDayNumber(dayNumber(iso) + days);
}

/** A real calendar date (not 2024-02-30). */
export function isIsoDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && fromDayNumber(dayNumber(s)) === s;
}

/**
 * Long-term when sold more than one year after the holding period began (IRS Pub. 550: the holding period starts the
 * day after acquisition and a sale on the anniversary is still short-term). 29 February's anniversary is 28 February.
 */
export function holdingTerm(holdingFrom: string, sold: string): 'short' | 'long' {
  const y = Number(holdingFrom.slice(0, 4)) + 1;
  let anniversary = `${y}${holdingFrom.slice(4)}`;
  if (!isIsoDate(anniversary)) anniversary = `${y}-02-28`;
  return sold > anniversary ? 'long' : 'short';
}
