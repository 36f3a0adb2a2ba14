import { describe, expect, it } from 'vitest';
import { accountTotals } from './totals';
import type { AccountSummary } from './types';

const summary = (accountId: string, currency: string, nav: string): AccountSummary => ({
  accountId, broker: 'x', currency, cash: nav, nav, dayPnl: '0.10', realizedPnl: '-0.20', unrealizedPnl: '0.30', grossExposure: '0',
});

describe('accountTotals', () => {
  it('sums exactly per currency and never adds one currency to another', () => {
    const totals = accountTotals([summary('A', 'USD', '0.10'), summary('B', 'EUR', '5.00'), summary('C', 'USD', '0.20')]);
    expect(totals).toEqual([
      { currency: 'USD', accounts: 2, cash: '0.30', nav: '0.30', dayPnl: '0.20', realizedPnl: '-0.40', unrealizedPnl: '0.60', grossExposure: '0.00' },
      { currency: 'EUR', accounts: 1, cash: '5.00', nav: '5.00', dayPnl: '0.10', realizedPnl: '-0.20', unrealizedPnl: '0.30', grossExposure: '0.00' },
    ]);
    expect(accountTotals([])).toEqual([]);
  });
});
