// The IB Flex fixture (tests/fixtures/ib-flex-two-accounts.xml, written from IB's Flex Query documentation) is read
// exactly: every transaction, the accounts, the cash and the lots, figures checked by hand.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { balances } from '../../src-main/domain/ledger/book';
import { parseIbFlex } from '../../src-main/domain/ledger/ib-flex';
import { computeLots } from '../../src-main/domain/ledger/lots';

describe('IB Flex fixture', () => {
  const fixture = readFileSync(join(__dirname, '../fixtures/ib-flex-two-accounts.xml'), 'utf8');

  it('imports the two-account fixture exactly', () => {
    const r = parseIbFlex(fixture, []);
    expect(r.rejected).toEqual([]);
    expect(r.accounts.map((a) => [a.id, a.name, a.taxType, a.baseCurrency])).toEqual([['U1234567', 'Taxable brokerage', 'taxable', 'USD'], ['U7654321', 'Roth IRA', 'tax-advantaged', 'USD']]);
    expect(r.transactions.map((t) => `${t.accountId} ${t.date} ${t.type} ${t.symbol ?? ''} ${t.quantity ?? ''} ${t.price ?? ''} ${t.fee} ${t.amount ?? ''} ${t.currency} ${t.toCurrency ?? ''} ${t.toAmount ?? ''} ${t.ratio ?? ''} ${t.sourceRef}`)).toEqual([
      'U1234567 2024-01-03 BUY AAPL 100 150.25 1  USD    trade:481516231',
      'U1234567 2024-01-04 FX    2 3285 USD EUR 3000  trade:481516232',
      'U1234567 2024-01-04 BUY SAP 20 140.5 1.25  EUR    trade:481516233',
      'U1234567 2024-02-01 SELL AAPL 50 140 1  USD    trade:481516234',
      'U1234567 2024-05-01 BUY NVDA 10 900 1  USD    trade:481516235',
      'U1234567 2024-01-02 DEPOSIT    0 25000 USD    cash:2300020001',
      'U1234567 2024-02-05 INTEREST    0 3.21 USD    cash:2300020002',
      'U1234567 2024-02-05 FEE    0 10 USD    cash:2300020003',
      'U1234567 2024-02-15 DIVIDEND AAPL   0 12 USD    cash:2300020004',
      'U1234567 2024-05-17 DIVIDEND SAP   0 44 EUR    cash:2300020005',
      'U1234567 2024-05-17 TAX SAP   0 11.61 EUR    cash:2300020006',
      'U1234567 2024-06-10 SPLIT NVDA   0  USD   10 ca:2300030001',
      'U7654321 2024-02-20 BUY AAPL 30 141 1  USD    trade:481516301',
      'U7654321 2024-01-10 DEPOSIT    0 5000 USD    cash:2300050001',
    ]);
    expect(r.transactions[2]).toMatchObject({ fxRateToBase: '1.095', execId: '0000f1a2.65963b22.01.01', time: '2024-01-04T10:30:00' });
    expect(r.rates).toHaveLength(2);
    // Cash by hand: USD 25000 − 15026 − 3287 + 6999 − 9001 + 3.21 − 10 + 12 = 4690.21; EUR 3000 − 2811.25 + 44 − 11.61 = 221.14; IRA 5000 − 4231
    expect(balances(r.transactions).cash).toEqual([
      { accountId: 'U1234567', currency: 'EUR', amount: '221.14' }, { accountId: 'U1234567', currency: 'USD', amount: '4690.21' }, { accountId: 'U7654321', currency: 'USD', amount: '769.00' },
    ]);
    const lots = computeLots(r.accounts, r.transactions);
    // The 10-for-1 split: 100 NVDA at 9001 in total.
    expect(lots.lots.find((l) => l.symbol === 'NVDA')).toMatchObject({ quantity: '100', costBasis: '9001' });
    // 50 AAPL sold at a 514 loss (6999 − 7513); 30 bought in the IRA 19 days later: 30/50 × 514 = 308.40 lost for good.
    expect(lots.realized).toEqual([expect.objectContaining({ proceeds: '6999', costBasis: '7513', adjustment: '308.4', gain: '-205.6', code: 'W', permanentlyDisallowed: '308.4' })]);
  });

});
