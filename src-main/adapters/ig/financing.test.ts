// IG's transaction-history rows as funding charges: the amount text read exactly, the market found by name, rows in
// another currency than the account's left unbooked (never taken 1:1), other rows ignored.
import { describe, expect, it } from 'vitest';
import { amountOfIgText, fundingOfTransaction } from './financing';
import type { IgMarketSpec } from './parsing';

const market = (symbol: string, name: string): IgMarketSpec => ({ symbol, epic: `CS.D.${symbol}.CFD.IP`, name, type: 'CURRENCIES', currency: 'USD', contractSize: 100_000, minDealSize: 0.01, marginFactor: 3.33, decimals: 5, pip: 0.0001 });
const MARKETS = [market('EURUSD', 'EUR/USD'), market('US500', 'US 500'), market('US5', 'US 5')];
const row = (o: Record<string, unknown> = {}) => ({
  date: '2026-12-04', dateUtc: '2026-12-04T22:00:05', instrumentName: 'Funding EUR/USD long DIAAAA000000003', profitAndLoss: '$-0.89', transactionType: 'WITH',
  reference: 'FUND000000007', currency: 'USD', cashTransaction: false, ...o,
});

describe('IG funding rows', () => {
  it('reads the amount text exactly: sign, currency sign and thousands separators', () => {
    expect(amountOfIgText('$-0.89')).toBe('-0.89');
    expect(amountOfIgText('E1,234.50')).toBe('1234.5');
    expect(amountOfIgText('-£12.30')).toBe('-12.3');
    expect(amountOfIgText('A$0.1')).toBe('0.1');
    expect(amountOfIgText('n/a')).toBeNull();
  });

  it('a WITH row naming a market is a charge with IG\'s reference as its id', () => {
    expect(fundingOfTransaction(row(), MARKETS, 'USD')).toEqual({ kind: 'charge', charge: { id: 'IG-FUNDING-FUND000000007', time: Date.UTC(2026, 11, 4, 22, 0, 5), symbol: 'EURUSD', amount: '-0.89' } });
    // The longest name that fits wins ("US 500", not "US 5"); a DEPO row is a payment.
    const paid = fundingOfTransaction(row({ instrumentName: 'Funding US 500 short DIA1', profitAndLoss: '$0.42', transactionType: 'DEPO' }), MARKETS, 'USD');
    expect(paid).toMatchObject({ kind: 'charge', charge: { symbol: 'US500', amount: '0.42' } });
  });

  it('a row in another currency than the account\'s is not booked, with the reason', () => {
    expect(fundingOfTransaction(row({ currency: 'JPY', profitAndLoss: '¥-123' }), MARKETS, 'USD')).toEqual({ kind: 'unbookable', reference: 'FUND000000007', reason: 'booked in JPY, the account is in USD' });
  });

  it('deals, deposits and withdrawals of cash are not funding', () => {
    expect(fundingOfTransaction(row({ transactionType: 'DEAL' }), MARKETS, 'USD')).toBeNull();
    expect(fundingOfTransaction(row({ instrumentName: 'Bank transfer', cashTransaction: true }), MARKETS, 'USD')).toBeNull();
  });
});
