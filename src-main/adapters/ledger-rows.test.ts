import { describe, expect, it } from 'vitest';
import { Transaction } from '../../src-shared/domain/ledger';
import { readStoredTransaction } from './ledger-rows';

const row = { id: 'T1', accountId: 'A', date: '2024-03-01', type: 'BUY', symbol: 'AAPL', quantity: '10', price: '180.5', fee: '1', currency: 'USD', source: 'csv', sourceRef: 'r1' };
const read = (v: unknown) => readStoredTransaction(structuredClone(v), 'ledger_transactions.data');

describe('reading a stored transaction', () => {
  it('gives what the Transaction schema gives, for common rows, rows without a fee, with lots and with a stray field', () => {
    for (const v of [
      row,
      { ...row, fee: undefined },
      { id: 'T2', accountId: 'A', date: '2024-03-02', type: 'FX', amount: '100', currency: 'USD', toCurrency: 'EUR', toAmount: '92.1', source: 'manual', note: 'x' },
      { ...row, type: 'SELL', lots: [{ lotId: 'L1', quantity: '4' }] },
      { ...row, somethingNew: 1 },
    ]) {
      expect(read(v)).toEqual(Transaction.parse(structuredClone(v)));
    }
    expect(read({ ...row, fee: undefined }).fee).toBe('0');
  });

  it('refuses what the schema refuses, naming the column and the field', () => {
    expect(() => read({ ...row, date: '2024-02-30' })).toThrow(/ledger_transactions\.data[\s\S]*date/);
    expect(() => read({ ...row, price: '1e3' })).toThrow(/price/);
    expect(() => read({ ...row, quantity: '0' })).toThrow(/quantity/);
    expect(() => read({ ...row, type: 'GIFT' })).toThrow(/type/);
    expect(() => read({ ...row, currency: 'usd' })).toThrow(/currency/);
    expect(() => read({ ...row, id: undefined })).toThrow(/id/);
    expect(() => read('not an object')).toThrow(/ledger_transactions\.data/);
  });
});
