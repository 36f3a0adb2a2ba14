// The ledger's imports: the documented CSV (each rejected row with its reason, fuzzed) and IB Flex XML (what is not
// read is rejected with its line; the fixture's exact import is in tests/integration/ib-flex-fixture.test.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Transaction } from '../../../src-shared/domain/ledger';
import { balances } from './book';
import { parseLedgerCsv } from './csv-import';
import { readFlatXml, XmlError } from './flat-xml';
import { parseIbFlex } from './ib-flex';
import { computeLots } from './lots';

const HEADER = 'date,account,type,symbol,quantity,price,fee,amount,currency';

describe('the ledger CSV', () => {
  it('reads every type, creates the accounts it names, and gives a reason per rejected row', () => {
    const text = [
      HEADER,
      '2024-01-02,Brokerage,DEPOSIT,,,,,10000,USD',
      '2024-01-03,Brokerage,BUY,aapl,10,150,1,,USD',
      '2024-01-04,Brokerage,FX,EUR,920.50,,2,1000,USD', // buys 920.50 EUR for 1000 USD (+2 fee)
      '2024-02-01,Brokerage,split,AAPL,4,,,,USD', // 4-for-1: the ratio in quantity
      '2024-02-02,Brokerage,TRANSFER_OUT,AAPL,8,,,,USD',
      '2024-02-02,IRA,TRANSFER_IN,AAPL,8,,,,USD', // paired with the row above: basis and dates move
      '2024-02-03,Brokerage,DIVIDEND,AAPL,,,,7.50,USD',
      '2024-02-03,Brokerage,TAX,AAPL,,,,1.13,USD',
      '2024-02-03,Brokerage,INTEREST,,,,,0.5,USD',
      '2024-02-03,Brokerage,FEE,,,,,2,USD',
      '2024-02-03,Brokerage,WITHDRAWAL,,,,,100,USD',
      '2024-02-04,Brokerage,SELL,AAPL,2,40,0,,USD',
      '2024-02-30,Brokerage,BUY,X,1,1,,,USD', // row 13
      '2024-02-05,Brokerage,BUY,X,-1,1,,,USD',
      '2024-02-05,Brokerage,HOLD,X,1,1,,,USD',
      '2024-02-05,Brokerage,BUY,X,1,,,,USD',
      '2024-02-05,,BUY,X,1,1,,,USD',
      '2024-02-05,Brokerage,BUY,X,1,1,,,US',
      '2024-02-05,Brokerage,BUY,X,1,1e3,,,USD',
    ].join('\n');
    const r = parseLedgerCsv(text, []);
    expect(r.accounts.map((a) => [a.id, a.name, a.baseCurrency])).toEqual([['brokerage', 'Brokerage', 'USD'], ['ira', 'IRA', 'USD']]);
    expect(r.rejected).toEqual([
      { row: 13, reason: 'date "2024-02-30" is not a date as YYYY-MM-DD' },
      { row: 14, reason: 'quantity must be positive' },
      { row: 15, reason: 'type "HOLD" is not one of BUY, SELL, DIVIDEND, INTEREST, FEE, TAX, DEPOSIT, WITHDRAWAL, TRANSFER_IN, TRANSFER_OUT, SPLIT, FX' },
      { row: 16, reason: 'BUY needs price' },
      { row: 17, reason: 'account is empty' },
      { row: 18, reason: 'currency "US" is not a three-letter code' },
      { row: 19, reason: 'price "1e3" is not a decimal number' },
    ]);
    expect(r.transactions).toHaveLength(12);
    expect(r.transactions[2]).toMatchObject({ type: 'FX', amount: '1000', toCurrency: 'EUR', toAmount: '920.5', fee: '2' });
    expect(r.transactions[3]).toMatchObject({ type: 'SPLIT', ratio: '4', quantity: undefined });
    expect(r.transactions[4]!.transferId).toBe(r.transactions[5]!.transferId);
    // 40 shares after the split (basis 1501), 8 moved to the IRA (basis cents(1501 × 8/40) = 300.20), 2 sold for 80.
    const lots = computeLots(r.accounts, r.transactions);
    expect(lots.lots.map((l) => [l.accountId, l.quantity, l.costBasis, l.acquired])).toEqual([['brokerage', '30', '1125.75', '2024-01-03'], ['ira', '8', '300.2', '2024-01-03']]);
    // USD: 10000 − 1501 − 1002 + 7.50 − 1.13 + 0.50 − 2 − 100 + 80 = 7481.87
    expect(balances(r.transactions).cash).toEqual([{ accountId: 'brokerage', currency: 'EUR', amount: '920.50' }, { accountId: 'brokerage', currency: 'USD', amount: '7481.87' }]);
  });

  it('the same file gives the same source keys; two identical rows are two transactions', () => {
    const text = `${HEADER}\n2024-01-03,A,BUY,X,1,10,,,USD\n2024-01-03,A,BUY,X,1,10,,,USD\n`;
    const a = parseLedgerCsv(text, []);
    const b = parseLedgerCsv(text, a.accounts);
    expect(a.transactions.map((t) => t.sourceRef)).toEqual(b.transactions.map((t) => t.sourceRef));
    expect(new Set(a.transactions.map((t) => t.sourceRef)).size).toBe(2);
    expect(b.accounts).toEqual([]); // known now, not created twice
  });

  it('an account whose rows are all rejected is not created', () => {
    const r = parseLedgerCsv(`${HEADER}\n2024-01-03,Ghost,BUY,X,1,,,,USD\n2024-01-03,Real,DEPOSIT,,,,,5,USD\n`, []);
    expect(r.accounts.map((a) => a.name)).toEqual(['Real']);
    expect(r.rejected).toEqual([{ row: 1, reason: 'BUY needs price' }]);
  });

  it('a file without the documented header is refused as a whole, with the reason', () => {
    expect(parseLedgerCsv('date,symbol\n2024-01-01,X\n', []).rejected).toEqual([{ row: 0, reason: `the header lacks account, type, quantity, price, fee, amount, currency (expected ${HEADER})` }]);
  });

  it('fuzz: any row gives a transaction or a reason, and reading never throws', () => {
    const cell = fc.oneof(fc.constantFrom('', '1', '-2', '0', '10.5', 'abc', '1e9', 'USD', 'BUY', 'SELL', 'SPLIT', 'FX', 'EUR', '2024-01-05', '2024-13-01', '"q,x"', 'A'), fc.string({ maxLength: 8 }));
    const row = fc.array(cell, { minLength: 0, maxLength: 11 }).map((cells) => cells.join(','));
    fc.assert(fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), (rows) => {
      const r = parseLedgerCsv(`${HEADER}\n${rows.join('\n')}\n`, []);
      for (const t of r.transactions) expect(Transaction.safeParse(t).success).toBe(true);
      for (const x of r.rejected) expect(x.reason.length).toBeGreaterThan(0);
      // Every non-empty data row is accounted for (empty lines are skipped by the reader, as documented).
      expect(r.transactions.length + r.rejected.length).toBeLessThanOrEqual(rows.length);
      computeLots(r.accounts, r.transactions);
      balances(r.transactions);
    }), { numRuns: 300 });
  });
});

describe('IB Flex XML', () => {
  it('rejects what it does not read with the element\'s line, and skips summary rows', () => {
    const xml = `<FlexQueryResponse><FlexStatements><FlexStatement accountId="U1">
<Trades>
<Trade accountId="U1" currency="USD" assetCategory="OPT" symbol="AAPL  240621C00200000" tradeID="9" tradeDate="20240102" quantity="1" tradePrice="2" buySell="BUY" />
<Trade accountId="U1" currency="USD" assetCategory="STK" symbol="AAPL" tradeID="10" tradeDate="20240102" quantity="1" tradePrice="2" buySell="BUY" levelOfDetail="ORDER" />
<Trade accountId="U1" currency="USD" assetCategory="STK" symbol="AAPL" tradeDate="20240102" quantity="1" tradePrice="2" buySell="BUY" />
<Trade accountId="U1" currency="USD" assetCategory="STK" symbol="AAPL" tradeID="11" tradeDate="20240102" quantity="-1" tradePrice="2" buySell="SELL (Ca.)" />
</Trades>
<CashTransactions><CashTransaction accountId="U1" currency="USD" type="Dividends" amount="5" dateTime="20240105" levelOfDetail="SUMMARY" />
<CashTransaction accountId="U1" currency="USD" type="Bond Coupon" amount="5" dateTime="20240105" transactionID="77" /></CashTransactions>
<CorporateActions><CorporateAction accountId="U1" currency="USD" symbol="X" type="TC" description="X MERGED" reportDate="20240105" transactionID="5" /></CorporateActions>
</FlexStatement></FlexStatements></FlexQueryResponse>`;
    const r = parseIbFlex(xml, []);
    expect(r.transactions).toEqual([]);
    expect(r.rejected).toEqual([
      { row: 3, reason: '<Trade>: assetCategory OPT is not tracked (stocks and ETFs, STK, and FX, CASH)' },
      { row: 5, reason: '<Trade>: no tradeID: it could not be re-imported without duplicates' },
      { row: 6, reason: '<Trade>: a cancellation (buySell "SELL (Ca.)"): delete the cancelled trade by hand' },
      { row: 9, reason: '<CashTransaction>: cash transaction type "Bond Coupon" is not read' },
      { row: 10, reason: '<CorporateAction>: corporate action type "TC" (X MERGED) is not applied: enter it by hand' },
    ]);
  });

  it('a file that is not a Flex statement, or not XML, is one rejection with the reason', () => {
    expect(parseIbFlex('<html><body/></html>', []).rejected[0]!.reason).toContain('not a Flex Query statement');
    expect(parseIbFlex('date,account\n', []).rejected[0]!.reason).toContain('not a readable Flex XML file');
  });

  it('fuzz: arbitrary elements and attribute values give transactions or reasons, never an exception', () => {
    const value = fc.oneof(fc.constantFrom('', 'U1', 'USD', 'EUR', 'STK', 'CASH', 'EUR.USD', 'BUY', 'SELL', '-5', '10', '1.5', 'x', '20240102', '2024-01-02',
      '20240230', 'Dividends', 'Withholding Tax', 'Deposits &amp; Withdrawals', 'FS', 'RS', 'X SPLIT 2 FOR 1', 'SPLIT 0 FOR 1', 'EXECUTION', 'SUMMARY'), fc.string({ maxLength: 6 }).map((v) => v.replace(/[<&"]/g, '')));
    const attrs = fc.dictionary(fc.constantFrom('accountId', 'currency', 'assetCategory', 'symbol', 'buySell', 'quantity', 'tradePrice', 'ibCommission', 'ibCommissionCurrency',
      'tradeDate', 'dateTime', 'reportDate', 'tradeID', 'transactionID', 'ibExecID', 'type', 'amount', 'description', 'levelOfDetail', 'fxRateToBase', 'multiplier'), value);
    const element = fc.tuple(fc.constantFrom('Trade', 'CashTransaction', 'CorporateAction', 'ConversionRate', 'Other'), attrs)
      .map(([name, a]) => `<${name} ${Object.entries(a).map(([k, v]) => `${k}="${v}"`).join(' ')}/>`);
    fc.assert(fc.property(fc.array(element, { maxLength: 20 }), (elements) => {
      const r = parseIbFlex(`<FlexQueryResponse><FlexStatements><FlexStatement accountId="U1">\n${elements.join('\n')}\n</FlexStatement></FlexStatements></FlexQueryResponse>`, []);
      for (const t of r.transactions) expect(Transaction.safeParse(t).success).toBe(true);
      for (const x of r.rejected) expect(x.reason.length).toBeGreaterThan(0);
      computeLots(r.accounts, r.transactions);
    }), { numRuns: 300 });
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => {
      expect(parseIbFlex(text, []).transactions.length).toBeGreaterThanOrEqual(0);
    }), { numRuns: 500 });
  });

  it('the flat XML reader: entities, comments, errors with their line', () => {
    const e = readFlatXml('<?xml version="1.0"?>\n<!-- c -->\n<A x="a &amp; b &#65;&#x42;">\n  <B y=\'1\'/>\n</A>');
    expect(e.map((x) => [x.name, x.attrs, x.path, x.line])).toEqual([['A', { x: 'a & b AB' }, [], 3], ['B', { y: '1' }, ['A'], 4]]);
    expect(() => readFlatXml('<A>\n<B>\n</A>')).toThrow(new XmlError('line 3: </A> closes <B>'));
    expect(() => readFlatXml('<A x="1 & 2"/>')).toThrow(XmlError);
    expect(() => readFlatXml('<!DOCTYPE x [<!ENTITY a "b">]><A/>')).toThrow(XmlError);
  });
});
