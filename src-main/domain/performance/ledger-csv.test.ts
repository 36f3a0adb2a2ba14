// The documented transactions CSV and the long prices CSV: what is read, and the reason for each row that is not.
import { describe, expect, it } from 'vitest';
import { parsePricesCsv } from './ledger-csv';

describe('prices CSV', () => {
  it('closes by symbol and day; FX pairs as symbols; bad rows with reasons', () => {
    const r = parsePricesCsv('date,symbol,close\n2024-01-02,spy,470.5\n2024-01-02,EUR/USD,1.09\n2024-01-03,SPY,-1\n01/04/2024,SPY,471\n');
    expect(r.closes.map((c) => [c.key, c.close])).toEqual([['SPY', 470.5], ['EUR/USD', 1.09]]);
    expect(r.rejected).toEqual([{ row: 3, reason: 'close "-1" is not a positive number' }, { row: 4, reason: 'date "01/04/2024" is not YYYY-MM-DD' }]);
  });
});
