// The calendar's expected bars and missing ranges on hand-counted cases.
import { describe, expect, it } from 'vitest';
import { bucketOf } from '../../../src-shared/domain/candles';
import { expectedBars, expectedOnDay, missingRanges } from './calendar';

const utc = (s: string) => Date.parse(s) / 1000;
const day = (s: string) => utc(s) / 86_400;

describe('trading calendar', () => {
  it('US equities: 6.5 hours a day, 7 hourly buckets, none at weekends; New York time with daylight saving', () => {
    expect(expectedOnDay('us-equity', '1m', day('2024-07-01'))).toHaveLength(390);
    expect(expectedOnDay('us-equity', '1m', day('2024-07-01'))[0]).toBe(utc('2024-07-01T13:30:00Z'));
    expect(expectedOnDay('us-equity', '1m', day('2024-01-02'))[0]).toBe(utc('2024-01-02T14:30:00Z'));
    expect(expectedOnDay('us-equity', '1h', day('2024-07-01')).map((t) => new Date(t * 1000).getUTCHours())).toEqual([13, 14, 15, 16, 17, 18, 19]);
    expect(expectedOnDay('us-equity', '5m', day('2024-07-01'))).toHaveLength(78);
    expect(expectedOnDay('us-equity', '1d', day('2024-07-06'))).toEqual([]); // Saturday
    expect(expectedBars('us-equity', '1d', utc('2024-07-01'), utc('2024-07-14'))).toHaveLength(9); // Independence Day off
  });

  it('FX opens Sunday 22:00 and closes Friday 22:00 UTC; crypto never closes', () => {
    expect(expectedOnDay('fx-24x5', '1h', day('2024-07-07'))).toEqual([utc('2024-07-07T22:00:00Z'), utc('2024-07-07T23:00:00Z')]);
    expect(expectedOnDay('fx-24x5', '1h', day('2024-07-05'))).toHaveLength(22);
    expect(expectedBars('crypto-24x7', '1d', utc('2024-07-01'), utc('2024-07-14'))).toHaveLength(14);
  });

  it('bars stamped off the bucket (exchange midnight, half-hour opens) count for their bucket', () => {
    expect(bucketOf('1d', utc('2024-07-01T04:00:00Z'))).toBe(utc('2024-07-01'));
    expect(bucketOf('1h', utc('2024-07-01T13:30:00Z'))).toBe(utc('2024-07-01T13:00:00Z'));
  });

  it('missing ranges: runs of absent expected bars; a holiday or weekend inside a run does not split it', () => {
    const present = ['2024-07-01', '2024-07-02', '2024-07-10', '2024-07-11', '2024-07-12'].map((d) => utc(`${d}T04:00:00Z`));
    expect(missingRanges('us-equity', '1d', utc('2024-07-01'), utc('2024-07-19'), present)).toEqual([
      { from: utc('2024-07-03'), to: utc('2024-07-09'), bars: 4 }, // Wed 3 … Tue 9 across the 4th and the weekend
      { from: utc('2024-07-15'), to: utc('2024-07-19'), bars: 5 },
    ]);
    expect(missingRanges('us-equity', '1d', utc('2024-07-06'), utc('2024-07-07'), [])).toEqual([]);
  });
});
