// Holding periods (the day arithmetic is src-shared/domain/dates.ts). Pure.
import { isCalendarDate } from '../../../src-shared/domain/dates';

/**
 * Long-term when sold more than one year after the holding period began (IRS Pub. 550: the holding period starts the
 * day after acquisition and a sale on the anniversary is still short-term). 29 February's anniversary is 28 February.
 */
export function holdingTerm(holdingFrom: string, sold: string): 'short' | 'long' {
  const y = Number(holdingFrom.slice(0, 4)) + 1;
  let anniversary = `${y}${holdingFrom.slice(4)}`;
  if (!isCalendarDate(anniversary)) anniversary = `${y}-02-28`;
  return sold > anniversary ? 'long' : 'short';
}
