// The documented transactions CSV and the long prices CSV: what is read, and the reason for each row that is not.
import { describe, expect, it } from 'vitest';
import { parsePricesCsv, parseTransactionsCsv } from './ledger-csv';

describe('transactions CSV', () => {
  it('reads every type it can, names each rejected row by its data row number', () => {
    const text = [
      'date,account,type,symbol,quantity,price,fee,amount,currency',
      '2024-01-02,IB,deposit,,,,,1000,usd',
      '2024-01-02,IB,BUY,AAPL,10,185.5,1,,USD',
      '2024-01-03,IB,BUY,"AAPL,10,1,,USD', // an unreadable row (an open quote runs to the end)
    ].join('\n');
    const r = parseTransactionsCsv(text);
    expect(r.transactions.map((t) => [t.type, t.currency, t.amount ?? t.quantity])).toEqual([['DEPOSIT', 'USD', '1000'], ['BUY', 'USD', '10']]);
    expect(r.accounts).toEqual([expect.objectContaining({ id: 'IB', baseCurrency: 'USD', kind: 'statement', lotMethod: 'fifo' })]);
    expect(r.rejected).toHaveLength(1);
    expect(r.rejected[0]!.row).toBe(3);
  });

  it('SPLIT takes its ratio from quantity; missing fields and FX rows are rejected with reasons', () => {
    const text = [
      'date,account,type,symbol,quantity,price,fee,amount,currency',
      '2024-01-02,A,SPLIT,NVDA,10,,,,USD',
      '2024-01-02,A,BUY,NVDA,,100,,,USD',
      '2024-01-02,A,DIVIDEND,NVDA,,,,,USD',
      '2024-01-02,A,FX,,,,,100,EUR',
      '2024-02-30,A,DEPOSIT,,,,,5,USD',
      '2024-01-02,A,SELL,NVDA,-3,100,,,USD',
    ].join('\n');
    const r = parseTransactionsCsv(text);
    expect(r.transactions).toEqual([expect.objectContaining({ type: 'SPLIT', symbol: 'NVDA', ratio: '10', quantity: undefined })]);
    expect(r.rejected.map((x) => [x.row, x.reason])).toEqual([
      [2, 'BUY/SELL need symbol, quantity and price'],
      [3, 'DIVIDEND needs amount'],
      [4, 'FX rows need the currency bought and its amount, which this CSV format has no columns for'],
      [5, 'date "2024-02-30" is not a calendar date'],
      [6, expect.stringMatching(/^quantity: /)],
    ]);
  });

  it('a missing column is an error naming the expected header', () => {
    expect(() => parseTransactionsCsv('date,account,type\n2024-01-01,A,DEPOSIT\n')).toThrow(/missing column "symbol".*expected date,account,type,symbol,quantity,price,fee,amount,currency/);
  });
});

describe('prices CSV', () => {
  it('closes by symbol and day; FX pairs as symbols; bad rows with reasons', () => {
    const r = parsePricesCsv('date,symbol,close\n2024-01-02,spy,470.5\n2024-01-02,EUR/USD,1.09\n2024-01-03,SPY,-1\n01/04/2024,SPY,471\n');
    expect(r.closes.map((c) => [c.key, c.close])).toEqual([['SPY', 470.5], ['EUR/USD', 1.09]]);
    expect(r.rejected).toEqual([{ row: 3, reason: 'close "-1" is not a positive number' }, { row: 4, reason: 'date "01/04/2024" is not YYYY-MM-DD' }]);
  });
});
