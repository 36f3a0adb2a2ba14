// Hand-checked cases for every transaction type, each lot method, wash sales, splits, short sales, withholding and
// currencies. Every expected figure below is worked out by hand in the comment beside it.
import { describe, expect, it } from 'vitest';
import type { LedgerAccount, Transaction } from '../../../src-shared/domain/ledger';
import { balances, transactionProblem } from './book';
import { computeLots } from './lots';
import { form8949Csv, gainsForYear, harvestList, whatIf } from './tax';

const account = (id: string, o: Partial<LedgerAccount> = {}): LedgerAccount => ({
  id, name: id, kind: 'statement', baseCurrency: 'USD', taxType: 'taxable', lotMethod: 'fifo', ...o,
});
let n = 0;
const tx = (accountId: string, date: string, type: Transaction['type'], o: Partial<Transaction> = {}): Transaction =>
  ({ id: o.id ?? `t${++n}`, accountId, date, type, currency: 'USD', fee: '0', source: 'manual', ...o });
const buy = (a: string, date: string, symbol: string, quantity: string, price: string, o: Partial<Transaction> = {}) => tx(a, date, 'BUY', { symbol, quantity, price, ...o });
const sell = (a: string, date: string, symbol: string, quantity: string, price: string, o: Partial<Transaction> = {}) => tx(a, date, 'SELL', { symbol, quantity, price, ...o });

describe('cash and holdings: every transaction type', () => {
  it('books each type into the right currency', () => {
    const txs = [
      tx('A', '2024-01-02', 'DEPOSIT', { amount: '10000' }),
      buy('A', '2024-01-03', 'AAPL', '10', '150.005', { fee: '1' }), // −(1500.05 + 1) = −1501.05
      sell('A', '2024-01-10', 'AAPL', '4', '160', { fee: '1' }), // +(640 − 1) = +639
      tx('A', '2024-02-01', 'DIVIDEND', { symbol: 'AAPL', amount: '1.44' }),
      tx('A', '2024-02-01', 'TAX', { symbol: 'AAPL', amount: '0.22' }), // 15 % withheld, rounded by the broker
      tx('A', '2024-02-02', 'INTEREST', { amount: '3.10' }),
      tx('A', '2024-02-03', 'FEE', { amount: '10' }),
      tx('A', '2024-02-04', 'WITHDRAWAL', { amount: '500' }),
      tx('A', '2024-02-05', 'FX', { amount: '1000', toCurrency: 'EUR', toAmount: '920.50', fee: '2' }), // USD −1002, EUR +920.50
      tx('A', '2024-02-06', 'SPLIT', { symbol: 'AAPL', ratio: '2' }), // 6 → 12
      tx('A', '2024-02-07', 'TRANSFER_OUT', { symbol: 'AAPL', quantity: '2', transferId: 'x1' }),
      tx('B', '2024-02-07', 'TRANSFER_IN', { symbol: 'AAPL', quantity: '2', transferId: 'x1' }),
    ];
    const b = balances(txs);
    // 10000 − 1501.05 + 639 + 1.44 − 0.22 + 3.10 − 10 − 500 − 1002 = 7630.27
    expect(b.cash).toEqual([
      { accountId: 'A', currency: 'EUR', amount: '920.50' },
      { accountId: 'A', currency: 'USD', amount: '7630.27' },
    ]);
    expect(b.holdings).toEqual([
      { accountId: 'A', symbol: 'AAPL', quantity: '10', currency: 'USD' },
      { accountId: 'B', symbol: 'AAPL', quantity: '2', currency: 'USD' },
    ]);
  });

  it('names the missing field of a transaction', () => {
    expect(transactionProblem(tx('A', '2024-01-01', 'BUY', { symbol: 'X', quantity: '1' }))).toBe('BUY needs price');
    expect(transactionProblem(tx('A', '2024-01-01', 'SPLIT', { symbol: 'X' }))).toBe('SPLIT needs ratio');
    expect(transactionProblem(tx('A', '2024-01-01', 'FX', { amount: '1', toCurrency: 'USD', toAmount: '1' }))).toBe('FX needs two different currencies');
    expect(transactionProblem(tx('A', '2024-01-01', 'DIVIDEND', { amount: '1' }))).toBeNull();
    expect(transactionProblem(tx('A', '2024-02-30', 'DIVIDEND', { amount: '1' }))).toBe('date 2024-02-30 is not a calendar date');
  });
});

describe('lot methods', () => {
  // Three lots of 10: 1000 (Jan), 1200 (Feb), 900 (Mar 2023); 10 sold at 110 = 1100 on 2024-06-03 (all long-term).
  const lots = [buy('A', '2023-01-10', 'X', '10', '100', { id: 'jan' }), buy('A', '2023-02-10', 'X', '10', '120', { id: 'feb' }), buy('A', '2023-03-10', 'X', '10', '90', { id: 'mar' })];
  const sale = (o: Partial<Transaction> = {}) => sell('A', '2024-06-03', 'X', '10', '110', { id: 's', ...o });
  const one = (method: LedgerAccount['lotMethod'], o: Partial<Transaction> = {}) => computeLots([account('A', { lotMethod: method })], [...lots, sale(o)]);

  it('FIFO sells the oldest lot', () => {
    const r = one('fifo');
    expect(r.realized.map((x) => [x.lotId, x.gain, x.term])).toEqual([['jan', '100', 'long']]);
    expect(r.lots.map((l) => l.id)).toEqual(['feb', 'mar']);
  });
  it('LIFO sells the newest lot', () => {
    expect(one('lifo').realized.map((x) => [x.lotId, x.gain])).toEqual([['mar', '200']]);
  });
  it('HIFO sells the dearest lot', () => {
    expect(one('hifo').realized.map((x) => [x.lotId, x.gain])).toEqual([['feb', '-100']]);
  });
  it('specific lots: 5 of feb and 5 of mar, proceeds split 550/550', () => {
    const r = one('specific', { lots: [{ lotId: 'feb', quantity: '5' }, { lotId: 'mar', quantity: '5' }] });
    // feb: 550 − 600 = −50; mar: 550 − 450 = +100
    expect(r.realized.map((x) => [x.lotId, x.quantity, x.proceeds, x.costBasis, x.gain])).toEqual([['feb', '5', '550', '600', '-50'], ['mar', '5', '550', '450', '100']]);
    expect(r.lots.map((l) => [l.id, l.quantity, l.costBasis])).toEqual([['jan', '10', '1000'], ['feb', '5', '600'], ['mar', '5', '450']]);
  });
  it('the --method override wins over the account\'s method, not over lots a sale names', () => {
    expect(computeLots([account('A', { lotMethod: 'fifo' })], [...lots, sale()], { method: 'lifo' }).realized[0]!.lotId).toBe('mar');
    expect(computeLots([account('A')], [...lots, sale({ lots: [{ lotId: 'feb', quantity: '10' }] })], { method: 'lifo' }).realized[0]!.lotId).toBe('feb');
  });
  it('a partial sale splits basis and fees to the cent, and the parts add up', () => {
    // 3 @ 10.01 + fee 1 = 31.03; 1 sold @ 12, fee 0.5 → proceeds 11.50, basis cents(31.03/3) = 10.34, rest 20.69
    const r = computeLots([account('A')], [buy('A', '2024-01-02', 'Y', '3', '10.01', { fee: '1', id: 'b' }), sell('A', '2024-01-03', 'Y', '1', '12', { fee: '0.5' })]);
    expect(r.realized[0]).toMatchObject({ proceeds: '11.5', costBasis: '10.34', gain: '1.16', term: 'short' });
    expect(r.lots[0]).toMatchObject({ quantity: '2', costBasis: '20.69' });
  });
  it('short- vs long-term: a sale on the anniversary is short-term, the day after long-term', () => {
    const r = computeLots([account('A')], [buy('A', '2023-01-10', 'Z', '2', '10'), sell('A', '2024-01-10', 'Z', '1', '11'), sell('A', '2024-01-11', 'Z', '1', '11')]);
    expect(r.realized.map((x) => x.term)).toEqual(['short', 'long']);
  });
});

describe('splits, short sales, transfers', () => {
  it('a 2-for-1 split doubles the shares and keeps the basis and the date', () => {
    const r = computeLots([account('A')], [
      buy('A', '2023-01-10', 'S', '10', '100', { id: 'b' }), tx('A', '2024-06-10', 'SPLIT', { symbol: 'S', ratio: '2' }), sell('A', '2024-06-11', 'S', '5', '60'),
    ]);
    // 20 shares, basis 1000 (50 each); 5 sold for 300 → basis 250, gain 50, long-term (held since 2023-01-10)
    expect(r.realized[0]).toMatchObject({ quantity: '5', costBasis: '250', gain: '50', term: 'long', acquired: '2023-01-10' });
    expect(r.lots[0]).toMatchObject({ quantity: '15', costBasis: '750' });
  });
  it('a 1-for-10 reverse split', () => {
    const r = computeLots([account('A')], [buy('A', '2023-01-10', 'S', '100', '1'), tx('A', '2023-02-10', 'SPLIT', { symbol: 'S', ratio: '0.1' })]);
    expect(r.lots[0]).toMatchObject({ quantity: '10', costBasis: '100', costPerUnit: '10' });
  });
  it('a sale beyond the position opens a short; a buy covers it (always short-term)', () => {
    const txs = [
      buy('A', '2024-01-02', 'Q', '5', '50'),
      sell('A', '2024-01-03', 'Q', '15', '50', { fee: '1.5', id: 'ss' }), // closes 5 (proceeds 249.50), shorts 10 (proceeds 499)
      buy('A', '2025-03-01', 'Q', '10', '40', { fee: '1' }), // covers: cost 401 → gain 98
    ];
    const r = computeLots([account('A')], txs);
    expect(r.realized.map((x) => [x.side, x.quantity, x.proceeds, x.costBasis, x.gain, x.term])).toEqual([
      ['long', '5', '249.5', '250', '-0.5', 'short'],
      ['short', '10', '499', '401', '98', 'short'],
    ]);
    expect(r.lots).toEqual([]);
    expect(balances(txs).holdings).toEqual([]);
  });
  it('a transfer between tracked accounts keeps basis and dates; one from outside takes the given basis and date', () => {
    const r = computeLots([account('A'), account('B')], [
      buy('A', '2022-05-02', 'T', '10', '30', { id: 'b' }),
      tx('A', '2024-01-05', 'TRANSFER_OUT', { symbol: 'T', quantity: '4', transferId: 'm' }),
      tx('B', '2024-01-06', 'TRANSFER_IN', { symbol: 'T', quantity: '4', transferId: 'm' }),
      tx('B', '2024-01-06', 'TRANSFER_IN', { symbol: 'U', quantity: '3', price: '20', acquired: '2020-01-01', id: 'ext' }),
    ]);
    expect(r.lots.map((l) => [l.accountId, l.symbol, l.quantity, l.acquired, l.costBasis])).toEqual([
      ['A', 'T', '6', '2022-05-02', '180'], ['B', 'T', '4', '2022-05-02', '120'], ['B', 'U', '3', '2020-01-01', '60'],
    ]);
  });
});

describe('wash sales', () => {
  it('IRS Publication 550, "Wash Sales", first example: the $250 loss is disallowed and the new basis is $1,050', () => {
    // "You buy 100 shares of X stock for $1,000. You sell these shares for $750 and within 30 days from the sale you
    // buy 100 shares of the same stock for $800. ... you can't deduct your loss of $250 on the sale. However, you add
    // the disallowed loss ($250) to the cost of the new stock ($800) to obtain your basis in the new stock, which is
    // $1,050." (also IRS VITA Link & Learn, Capital Gain or Loss, Case Study 1)
    const r = computeLots([account('A')], [
      buy('A', '2024-01-02', 'X', '100', '10', { id: 'old' }), sell('A', '2024-03-01', 'X', '100', '7.5', { id: 's' }), buy('A', '2024-03-20', 'X', '100', '8', { id: 'new' }),
    ]);
    expect(r.realized[0]).toMatchObject({ proceeds: '750', costBasis: '1000', adjustment: '250', code: 'W', gain: '0' });
    // Holding period carried over: 2024-01-02 → 2024-03-01 is 59 days; 2024-03-20 − 59 days = 2024-01-21.
    expect(r.lots).toEqual([expect.objectContaining({ id: 'new', quantity: '100', costBasis: '1050', washAdjustment: '250', acquired: '2024-03-20', holdingFrom: '2024-01-21' })]);
    expect(r.washSales[0]).toMatchObject({ disallowed: '250', replacedQuantity: '100', permanent: false, replacements: [{ txId: 'new', quantity: '100', disallowed: '250' }] });
  });

  it('partial replacement before the sale, matched in order of purchase (Pub. 550\'s proportional rule, Reg. §1.1091-1(b)–(c))', () => {
    // Pub. 550: fewer shares bought than sold → the part of the loss proportional to the shares bought is disallowed;
    // Treas. Reg. §1.1091-1(b)–(c): replacement shares are matched in the order acquired. The figures are a published
    // illustration of both (not the IRS's own), checked by hand:
    // 100 sh. bought 2008-12-01 for $2,000; 50 sh. on 2009-03-01 for $1,200; 25 sh. on 2009-03-10 for $650; the 100
    // December shares sold 2009-03-27 for $1,300: loss $700, 75 of 100 replaced → $525 disallowed, $175 deductible.
    // The first 50 replacement shares get 50/100 × 700 = $350 (basis $1,550), the next 25 get $175 (basis $825).
    const r = computeLots([account('A')], [
      buy('A', '2008-12-01', 'XYZ', '100', '20', { id: 'dec' }), buy('A', '2009-03-01', 'XYZ', '50', '24', { id: 'mar1' }),
      buy('A', '2009-03-10', 'XYZ', '25', '26', { id: 'mar10' }), sell('A', '2009-03-27', 'XYZ', '100', '13'),
    ]);
    expect(r.realized[0]).toMatchObject({ proceeds: '1300', costBasis: '2000', adjustment: '525', gain: '-175', code: 'W' });
    // The holding period 2008-12-01 → 2009-03-27 (116 days) is added to both replacement lots.
    expect(r.lots.map((l) => [l.id, l.quantity, l.costBasis, l.holdingFrom])).toEqual([['mar1', '50', '1550', '2008-11-05'], ['mar10', '25', '825', '2008-11-14']]);
  });

  it('partial replacement after the sale splits the replacement purchase only for the shares replaced', () => {
    // 100 sold at a $300 loss; 40 bought back 10 days later in one purchase of 40 → 40 % = $120 disallowed
    const r = computeLots([account('A')], [
      buy('A', '2024-01-02', 'P', '100', '10'), sell('A', '2024-05-01', 'P', '100', '7'), buy('A', '2024-05-11', 'P', '40', '7', { id: 'rb' }),
    ]);
    expect(r.realized[0]).toMatchObject({ adjustment: '120', gain: '-180' });
    expect(r.lots).toEqual([expect.objectContaining({ id: 'rb', quantity: '40', costBasis: '400', washAdjustment: '120' })]);
  });

  it('a 1-for-10 split between the loss sale and the purchase: 10 new shares replace the 100 sold', () => {
    // 100 X bought 2024-01-02 for $5,000, sold 2024-03-01 for $4,000: loss $1,000. X splits 1-for-10 on 2024-03-08
    // (recorded by account B, which holds X since 2023); A buys 10 X for $3,800 on 2024-03-15 — the same position as
    // the 100 sold, so all of the loss is disallowed: basis 3,800 + 1,000 = $4,800; 59 days carried (01-02 → 03-01),
    // 2024-03-15 − 59 days = 2024-01-16. Counted in raw shares it would have been 10 of 100: $100.
    const r = computeLots([account('A'), account('B')], [
      buy('B', '2023-01-03', 'X', '1000', '45'), buy('A', '2024-01-02', 'X', '100', '50'), sell('A', '2024-03-01', 'X', '100', '40', { id: 's' }),
      tx('B', '2024-03-08', 'SPLIT', { symbol: 'X', ratio: '0.1' }), buy('A', '2024-03-15', 'X', '10', '380', { id: 'rb' }),
    ]);
    expect(r.realized[0]).toMatchObject({ txId: 's', proceeds: '4000', costBasis: '5000', adjustment: '1000', gain: '0', code: 'W' });
    expect(r.washSales[0]).toMatchObject({ replacedQuantity: '100', disallowed: '1000', replacements: [{ txId: 'rb', quantity: '10', disallowed: '1000' }] });
    expect(r.lots.find((l) => l.accountId === 'A')).toMatchObject({ id: 'rb', quantity: '10', costBasis: '4800', washAdjustment: '1000', holdingFrom: '2024-01-16' });
    expect(r.lots.find((l) => l.accountId === 'B')).toMatchObject({ quantity: '100', costBasis: '45000' });
  });

  it('a 2-for-1 split between the loss sale and the purchase: 100 new shares replace 50 of the 100 sold', () => {
    // 100 P for $1,000, sold for $700: loss $300. P splits 2-for-1 on 2024-05-06; 100 P bought 2024-05-11 for $350 are
    // 50 old shares → half the loss, $150, disallowed (gain −150); it goes to all 100 new shares: basis 350 + 150 = 500.
    const r = computeLots([account('A'), account('B')], [
      buy('B', '2023-01-03', 'P', '10', '9'), buy('A', '2024-01-02', 'P', '100', '10'), sell('A', '2024-05-01', 'P', '100', '7'),
      tx('B', '2024-05-06', 'SPLIT', { symbol: 'P', ratio: '2' }), buy('A', '2024-05-11', 'P', '100', '3.5', { id: 'rb' }),
    ]);
    expect(r.realized[0]).toMatchObject({ adjustment: '150', gain: '-150', code: 'W' });
    expect(r.washSales[0]).toMatchObject({ replacedQuantity: '50', replacements: [{ txId: 'rb', quantity: '100', disallowed: '150' }] });
    expect(r.lots.filter((l) => l.accountId === 'A')).toEqual([expect.objectContaining({ id: 'rb', quantity: '100', costBasis: '500', washAdjustment: '150' })]);
  });

  it('a buy 31 days after the sale is outside the window; 30 days is inside', () => {
    const base = [buy('A', '2024-01-02', 'W', '10', '10'), sell('A', '2024-05-01', 'W', '10', '9')];
    expect(computeLots([account('A')], [...base, buy('A', '2024-06-01', 'W', '10', '9')]).washSales).toEqual([]);
    expect(computeLots([account('A')], [...base, buy('A', '2024-05-31', 'W', '10', '9')]).washSales).toHaveLength(1);
  });

  it('selling part of one purchase at a loss is not washed by the rest of that same purchase (Rev. Rul. 56-602)', () => {
    const r = computeLots([account('A')], [buy('A', '2024-01-02', 'V', '100', '10'), sell('A', '2024-01-10', 'V', '50', '8')]);
    expect(r.washSales).toEqual([]);
    expect(r.realized[0]!.gain).toBe('-100');
  });

  it('across accounts: a loss in one taxable account is washed by a purchase in another', () => {
    const r = computeLots([account('A'), account('B')], [
      buy('A', '2024-01-02', 'C', '10', '50'), sell('A', '2024-02-01', 'C', '10', '40'), buy('B', '2024-02-15', 'C', '10', '41', { id: 'inB' }),
    ]);
    expect(r.realized[0]).toMatchObject({ accountId: 'A', adjustment: '100', gain: '0' });
    expect(r.lots).toEqual([expect.objectContaining({ accountId: 'B', costBasis: '510', washAdjustment: '100' })]);
  });

  it('a replacement in a tax-advantaged account disallows the loss for good: flagged, no basis adjustment', () => {
    const r = computeLots([account('A'), account('IRA', { taxType: 'tax-advantaged' })], [
      buy('A', '2024-01-02', 'C', '10', '50'), sell('A', '2024-02-01', 'C', '10', '40'), buy('IRA', '2024-02-15', 'C', '10', '41'),
    ]);
    expect(r.realized[0]).toMatchObject({ adjustment: '100', code: 'W', permanentlyDisallowed: '100', gain: '0' });
    expect(r.washSales[0]).toMatchObject({ permanent: true, replacements: [expect.objectContaining({ accountId: 'IRA', permanent: true })] });
    expect(r.lots).toEqual([expect.objectContaining({ accountId: 'IRA', costBasis: '410', washAdjustment: '0' })]);
  });

  it('losses inside a tax-advantaged account are not reported and never wash', () => {
    const accounts = [account('IRA', { taxType: 'tax-advantaged' })];
    const r = computeLots(accounts, [buy('IRA', '2024-01-02', 'C', '10', '50'), sell('IRA', '2024-02-01', 'C', '10', '40'), buy('IRA', '2024-02-02', 'C', '10', '40')]);
    expect(r.washSales).toEqual([]);
    expect(gainsForYear(r, 2024).rows).toEqual([]);
  });

  it('each replacement share is used once, by the earliest loss sale first (Reg. §1.1091-1(e); fairmark.com, "Wash Sale Matching Rules")', () => {
    const r = computeLots([account('A')], [
      buy('A', '2024-01-02', 'D', '10', '20'), buy('A', '2024-01-03', 'E', '1', '1'),
      sell('A', '2024-03-01', 'D', '5', '18'), sell('A', '2024-03-02', 'D', '5', '17'), buy('A', '2024-03-05', 'D', '5', '17', { id: 'rb' }),
    ]);
    // First sale (loss 10) takes the 5 bought back; the second (loss 15) finds none left.
    expect(r.realized.map((x) => [x.adjustment, x.gain])).toEqual([['10', '0'], ['0', '-15']]);
    expect(r.lots.find((l) => l.symbol === 'D')).toMatchObject({ costBasis: '95', washAdjustment: '10' });
  });

  it('the deferred loss comes back when the replacement is sold, with the carried holding period', () => {
    const r = computeLots([account('A')], [
      buy('A', '2023-01-02', 'F', '10', '100'), sell('A', '2024-01-10', 'F', '10', '80'), buy('A', '2024-01-20', 'F', '10', '80'),
      sell('A', '2024-02-01', 'F', '10', '85'),
    ]);
    // Replacement basis 800 + 200 = 1000, holding period from 2023-01-12 → long-term on 2024-02-01; gain 850 − 1000 = −150
    expect(r.realized[1]).toMatchObject({ costBasis: '1000', gain: '-150', term: 'long', holdingFrom: '2023-01-12' });
    const g = gainsForYear(r, 2024);
    expect(g.totals).toEqual({ proceeds: '1650.00', costBasis: '2000.00', adjustment: '200.00', gain: '-150.00' });
    const csv = form8949Csv(g.rows);
    // Both long-term: the first held 2023-01-02 → 2024-01-10, the second from the carried 2023-01-12.
    expect(csv.split('\n')[1]).toBe('II,A,10 sh. F,01/02/2023,01/10/2024,800,1000,W,200,0,USD');
    expect(csv.split('\n')[2]).toBe('II,A,10 sh. F,01/20/2024,02/01/2024,850,1000,,,-150,USD');
  });
});

describe('order ticket and harvesting', () => {
  const accounts = [account('A'), account('IRA', { taxType: 'tax-advantaged' })];
  const history = [buy('A', '2024-01-02', 'G', '10', '50', { id: 'g1' }), buy('A', '2024-05-20', 'G', '5', '45', { id: 'g2' })];

  it('selling at a loss with a purchase 10 days ago shows the wash sale before the order is sent', () => {
    // FIFO sells g1 (basis 500) at 40: loss 100; g2 (5 sh., bought 2024-05-20) replaces half → 50 disallowed
    const r = whatIf(accounts, history, { accountId: 'A', symbol: 'G', side: 'sell', quantity: '10', price: '40', date: '2024-05-30' });
    expect(r.disallowed).toBe('50.00');
    expect(r.realized[0]).toMatchObject({ lotId: 'g1', adjustment: '50', gain: '-50' });
    expect(r.warnings[0]).toContain('Wash sale');
  });

  it('a loss sale with no purchase nearby warns about buying back within 30 days', () => {
    const r = whatIf(accounts, [history[0]!], { accountId: 'A', symbol: 'G', side: 'sell', quantity: '10', price: '40', date: '2024-05-30' });
    expect(r.disallowed).toBe('0.00');
    expect(r.warnings).toEqual(['Buying G in any account until 2024-06-29 would disallow this 100.00 loss (wash sale).']);
  });

  it('buying within 30 days of a loss sale, in an IRA, disallows it for good', () => {
    const txs = [history[0]!, sell('A', '2024-03-01', 'G', '10', '40')];
    const r = whatIf(accounts, txs, { accountId: 'IRA', symbol: 'G', side: 'buy', quantity: '4', price: '41', date: '2024-03-15' });
    expect(r).toMatchObject({ disallowed: '40.00', permanent: true });
    expect(r.warnings[0]).toContain('for good');
  });

  it('the harvesting list: losses at the prices, the saving at the rate, the window and what would wash it', () => {
    const list = harvestList(accounts, history, { prices: { G: '40' }, asOf: '2024-06-05', rate: '0.24' });
    // g1: 400 − 500 = −100, but sold now half of it is washed by g2's 5 shares (bought 2024-05-20, clear from
    // 2024-06-20): saving (100 − 50) × 0.24 = 12. g2: 200 − 225 = −25 → 6; its own purchase does not count against it.
    expect(list.map((c) => [c.lotId, c.unrealized, c.washedNow, c.estimatedSaving, c.clearFrom])).toEqual([
      ['g1', '-100.00', '50.00', '12.00', '2024-06-20'], ['g2', '-25.00', '0.00', '6.00', '2024-06-05'],
    ]);
    expect(list[0]!.window).toEqual({ from: '2024-05-06', to: '2024-07-05' });
  });
});

describe('currencies', () => {
  it('lots and gains stay in the trade currency; cash per currency', () => {
    const txs = [
      tx('A', '2024-01-02', 'DEPOSIT', { amount: '10000' }),
      tx('A', '2024-01-03', 'FX', { amount: '5000', toCurrency: 'EUR', toAmount: '4600', fee: '2' }),
      buy('A', '2024-01-04', 'SAP', '10', '100', { currency: 'EUR', fee: '1', fxRateToBase: '1.09' }),
      sell('A', '2024-02-04', 'SAP', '10', '110', { currency: 'EUR', fee: '1', fxRateToBase: '1.08' }),
    ];
    expect(balances(txs).cash).toEqual([{ accountId: 'A', currency: 'EUR', amount: '4698.00' }, { accountId: 'A', currency: 'USD', amount: '4998.00' }]);
    expect(computeLots([account('A')], txs).realized[0]).toMatchObject({ currency: 'EUR', proceeds: '1099', costBasis: '1001', gain: '98' });
    // In the account's base currency (the tax return's): basis at the purchase's rate, proceeds at the sale's.
    // Basis: 10 × 109 + 1.09 = 1091.09; proceeds: 10 × 118.8 − 1.08 = 1186.92; gain 95.83.
    expect(computeLots([account('A')], txs, { inBase: true }).realized[0]).toMatchObject({ currency: 'USD', proceeds: '1186.92', costBasis: '1091.09', gain: '95.83' });
    const noRate = computeLots([account('A')], [buy('A', '2024-01-04', 'SAP', '1', '100', { currency: 'EUR', id: 'nr' })], { inBase: true });
    expect(noRate.problems).toEqual([{ txId: 'nr', message: 'BUY SAP in EUR has no fxRateToBase: kept in EUR' }]);
    expect(noRate.lots[0]!.currency).toBe('EUR');
  });
});
