// Valuation and performance on hand-checked cases: flows mid-period, a withdrawal, a loss, several currencies with and
// without currency effect, a split, a short sale, the periods and the annualisation rule, contribution, exposure.
import { describe, expect, it } from 'vitest';
import type { Transaction } from '../../../src-shared/domain/ledger';
import { compareWithBenchmark } from './benchmark';
import { dayOf } from '../../../src-shared/domain/dates';
import { exposure } from './exposure';
import { fxLookup, priceLookup, SeriesTable } from './lookups';
import { contributions, periodPerformance, periodRange, twr } from './returns';
import { valuePortfolio, ValuationError, type ValuationAccount } from './valuation';
import { npv } from './xirr';

let seq = 0;
function tx(date: string, type: Transaction['type'], fields: Partial<Transaction> = {}): Transaction {
  return { id: `t${++seq}`, accountId: 'A', date, type, fee: '0', currency: 'USD', source: 'manual', ...fields };
}
const prices = (rows: [string, string, number][]) => priceLookup(new SeriesTable(rows.map(([key, date, close]) => ({ key, day: dayOf(date), close }))));
const rates = (rows: [string, string, number][]) => fxLookup(new SeriesTable(rows.map(([key, date, close]) => ({ key, day: dayOf(date), close }))));
const USD: ValuationAccount[] = [{ id: 'A', baseCurrency: 'USD' }];
const noFx = rates([]);

describe('time- and money-weighted return by hand', () => {
  // D0: deposit 1000, buy 10 X at 100, close 100 → NAV 1000.   D1: close 110 → 1100 (r = +10 %).
  // D2: deposit 1100 at the start of the day, close 121 → 1210 + 1100 = 2310 (r = 2310 / 2200 − 1 = +5 %).
  // D3: withdraw 310 (at the end of the day), close 108.9 (−10 %) → 1089 + 790 = 1879
  // (r = (1879 − 2310 + 310) / 2310 = −121 / 2310).
  // TWR = 1.1 · 1.05 · 2189 / 2310 − 1 = 0.0945; net flows 1790; gain 89.
  const v = valuePortfolio({
    accounts: USD, baseCurrency: 'USD', to: dayOf('2024-01-04'), fx: noFx,
    prices: prices([['X', '2024-01-01', 100], ['X', '2024-01-02', 110], ['X', '2024-01-03', 121], ['X', '2024-01-04', 108.9]]),
    transactions: [
      tx('2024-01-01', 'DEPOSIT', { amount: '1000' }), tx('2024-01-01', 'BUY', { symbol: 'X', quantity: '10', price: '100' }),
      tx('2024-01-03', 'DEPOSIT', { amount: '1100' }), tx('2024-01-04', 'WITHDRAWAL', { amount: '310' }),
    ],
  });

  it('NAV per day and the since-inception summary', () => {
    expect([...v.total.nav]).toEqual([1000, 1100, 2310, 1879].map((x) => expect.closeTo(x, 9)));
    const p = periodPerformance(v, v.total, periodRange(v, 'inception', dayOf('2024-01-04')));
    expect(p).toMatchObject({ from: '2024-01-01', to: '2024-01-04', startValue: 0, complete: true, twrAnnual: null });
    expect(p.endValue).toBeCloseTo(1879, 9);
    expect(p.netFlows).toBeCloseTo(1790, 9);
    expect(p.gain).toBeCloseTo(89, 9);
    expect(p.twr).toBeCloseTo(0.0945, 12);
    // MWR: deposits at the start of their day, i.e. the close before, the withdrawal at the end of its day: −1000 on
    // 31 Dec, −1100 on D1, +310 and +1879 on D3; the rate zeroes their NPV (and is huge over 4 days).
    const flows = [{ day: dayOf('2023-12-31'), amount: -1000 }, { day: dayOf('2024-01-02'), amount: -1100 }, { day: dayOf('2024-01-04'), amount: 310 + 1879 }];
    expect(p.mwr).not.toBeNull();
    expect(Math.abs(npv(flows, p.mwr!))).toBeLessThan(1e-6);
    // The account is the whole portfolio here; the account's own series says the same.
    expect(twr(v.accounts[0]!.own, -1, 3)).toBeCloseTo(0.0945, 12);
    expect(v.accounts[0]!.cash).toEqual([{ currency: 'USD', amount: '790' }]);
  });

  it('1D is the last day alone: the loss day', () => {
    const p = periodPerformance(v, v.total, periodRange(v, '1D', dayOf('2024-01-04')));
    expect(p.twr).toBeCloseTo(-121 / 2310, 12);
    expect(p.netFlows).toBe(-310);
    expect(p.startValue).toBeCloseTo(2310, 9);
  });
});

describe('currencies', () => {
  // A EUR account reporting in USD. D0: deposit 1000 EUR, buy 10 Y at 100 EUR; EURUSD 1.10.
  // D1: Y 100, EURUSD 1.21 → in USD +10 %, in EUR 0 %.  D2: Y 110, EURUSD 1.21 → +10 % either way.
  const v = valuePortfolio({
    accounts: [{ id: 'A', baseCurrency: 'EUR' }], baseCurrency: 'USD', to: dayOf('2024-03-03'),
    prices: prices([['Y', '2024-03-01', 100], ['Y', '2024-03-03', 110]]),
    fx: rates([['EUR/USD', '2024-03-01', 1.1], ['EUR/USD', '2024-03-02', 1.21]]),
    transactions: [
      tx('2024-03-01', 'DEPOSIT', { amount: '1000', currency: 'EUR' }),
      tx('2024-03-01', 'BUY', { symbol: 'Y', quantity: '10', price: '100', currency: 'EUR' }),
    ],
  });

  it('in the account currency (EUR) and in the reporting currency (USD); with and without currency effect', () => {
    const acct = v.accounts[0]!;
    expect(twr(acct.own, -1, 2)).toBeCloseTo(0.1, 12);
    expect([...acct.base.nav]).toEqual([1100, 1210, 1331].map((x) => expect.closeTo(x, 9)));
    const p = periodPerformance(v, v.total, periodRange(v, 'inception', dayOf('2024-03-03')));
    expect(p.twr).toBeCloseTo(0.21, 12);
    expect(p.twrLocal).toBeCloseTo(0.1, 12);
    expect(p.currencyEffect).toBeCloseTo(0.11, 12);
    expect(p.netFlows).toBeCloseTo(1100, 9);
  });

  it('an FX conversion moves cash between currencies inside a USD account; a rate that is missing is an error, not a zero', () => {
    const fx = rates([['EUR/USD', '2024-01-01', 1.1], ['EUR/USD', '2024-01-02', 1.2]]);
    const w = valuePortfolio({
      accounts: USD, baseCurrency: 'USD', to: dayOf('2024-01-02'), prices: prices([]), fx,
      transactions: [tx('2024-01-01', 'DEPOSIT', { amount: '1100' }), tx('2024-01-01', 'FX', { amount: '1100', toCurrency: 'EUR', toAmount: '1000', fee: '1' })],
    });
    // Day 0: −1 fee → 1099; day 1: 1000 EUR at 1.2 − 1 USD = 1199.
    expect([...w.total.nav]).toEqual([1099, 1199].map((x) => expect.closeTo(x, 9)));
    expect(periodPerformance(w, w.total, periodRange(w, 'inception', dayOf('2024-01-02'))).twrLocal).toBeCloseTo(1099 / 1100 - 1, 12);
    expect(() => valuePortfolio({
      accounts: USD, baseCurrency: 'USD', to: dayOf('2024-01-02'), prices: prices([]), fx: rates([]),
      transactions: [tx('2024-01-01', 'DEPOSIT', { amount: '10', currency: 'CHF' })],
    })).toThrow(new ValuationError('no rate CHF/USD on or before 2024-01-01'));
  });

  it('an inverse pair is used when only the other direction is known', () => {
    const w = valuePortfolio({
      accounts: USD, baseCurrency: 'USD', to: dayOf('2024-01-01'), prices: prices([]), fx: rates([['USD/JPY', '2024-01-01', 150]]),
      transactions: [tx('2024-01-01', 'DEPOSIT', { amount: '15000', currency: 'JPY' })],
    });
    expect(w.total.nav[0]).toBeCloseTo(100, 9);
  });
});

describe('corporate actions and shorts', () => {
  it('a 2-for-1 split doubles the quantity and halves the close: no return from the split itself', () => {
    const v = valuePortfolio({
      accounts: USD, baseCurrency: 'USD', to: dayOf('2024-05-03'), fx: noFx,
      prices: prices([['S', '2024-05-01', 100], ['S', '2024-05-02', 50], ['S', '2024-05-03', 55]]),
      transactions: [
        tx('2024-05-01', 'DEPOSIT', { amount: '1000' }), tx('2024-05-01', 'BUY', { symbol: 'S', quantity: '10', price: '100' }),
        tx('2024-05-02', 'SPLIT', { symbol: 'S', ratio: '2' }),
      ],
    });
    expect(v.holdings[0]!.quantity).toBe('20');
    expect([...v.total.nav]).toEqual([1000, 1000, 1100]);
    expect(twr(v.total, 0, 1)).toBe(0);
    expect(twr(v.total, -1, 2)).toBeCloseTo(0.1, 12);
  });

  it('a split with no close after it: the trade price fallback is divided by the ratio', () => {
    const v = valuePortfolio({
      accounts: USD, baseCurrency: 'USD', to: dayOf('2024-05-02'), fx: noFx, prices: prices([]),
      transactions: [tx('2024-05-01', 'BUY', { symbol: 'S', quantity: '10', price: '100' }), tx('2024-05-02', 'SPLIT', { symbol: 'S', ratio: '4' })],
    });
    expect([...v.holdings[0]!.base.nav]).toEqual([1000, 1000]);
  });

  it('a short sale: negative quantity valued at the close, proceeds in cash; the short gains when the price falls', () => {
    // Deposit 1000, sell short 10 Z at 50: cash 1500, holding −500, NAV 1000. Next day Z closes at 40: NAV 1100.
    const v = valuePortfolio({
      accounts: USD, baseCurrency: 'USD', to: dayOf('2024-06-02'), fx: noFx,
      prices: prices([['Z', '2024-06-01', 50], ['Z', '2024-06-02', 40]]),
      transactions: [tx('2024-06-01', 'DEPOSIT', { amount: '1000' }), tx('2024-06-01', 'SELL', { symbol: 'Z', quantity: '10', price: '50' })],
    });
    const z = v.holdings[0]!;
    expect(z.quantity).toBe('-10');
    expect([...z.base.nav]).toEqual([-500, -400]);
    expect([...v.total.nav]).toEqual([1000, 1100]);
    expect(twr(v.total, -1, 1)).toBeCloseTo(0.1, 12);
    // The holding's own return: +100 on the 500 of notional at risk.
    expect(twr(z.base, -1, 1)).toBeCloseTo(0.2, 12);
    expect(v.accounts[0]!.positions).toEqual([{ symbol: 'Z', currency: 'USD', quantity: '-10' }]);
  });
});

describe('transfers of securities', () => {
  it('between two tracked accounts: a flow out of one and into the other at the close, nothing for the total', () => {
    // A buys 10 T at 100 and moves them to B on day 2 (close 120); T closes at 130 on day 3.
    const v = valuePortfolio({
      accounts: [{ id: 'A', baseCurrency: 'USD' }, { id: 'B', baseCurrency: 'USD' }], baseCurrency: 'USD', to: dayOf('2024-07-03'), fx: noFx,
      prices: prices([['T', '2024-07-01', 100], ['T', '2024-07-02', 120], ['T', '2024-07-03', 130]]),
      transactions: [
        tx('2024-07-01', 'DEPOSIT', { amount: '1000' }), tx('2024-07-01', 'BUY', { symbol: 'T', quantity: '10', price: '100' }),
        tx('2024-07-02', 'TRANSFER_OUT', { symbol: 'T', quantity: '10', transferId: 'x1' }),
        tx('2024-07-02', 'TRANSFER_IN', { accountId: 'B', symbol: 'T', quantity: '10', transferId: 'x1' }),
      ],
    });
    const [a, b] = v.accounts;
    expect([...a!.own.flows]).toEqual([1000, -1200, 0]);
    expect([...b!.own.flows]).toEqual([0, 1200, 0]);
    expect([...v.total.flows]).toEqual([1000, 0, 0]);
    // A earned its 20 % before the transfer left at the close; B starts with 1200 and earns 130 / 120.
    expect(twr(a!.own, -1, 1)).toBeCloseTo(0.2, 12);
    expect(twr(b!.own, 0, 2)).toBeCloseTo(130 / 120 - 1, 12);
    expect(twr(v.total, -1, 2)).toBeCloseTo(0.3, 12);
  });
});

describe('periods and annualisation', () => {
  const v = valuePortfolio({
    accounts: USD, baseCurrency: 'USD', to: dayOf('2024-06-10'), fx: noFx,
    prices: prices([['X', '2023-03-15', 100], ['X', '2024-01-10', 120], ['X', '2024-06-10', 130]]),
    transactions: [tx('2023-03-15', 'DEPOSIT', { amount: '1000' }), tx('2023-03-15', 'BUY', { symbol: 'X', quantity: '10', price: '100' })],
  });
  const end = dayOf('2024-06-10');

  it('each period starts where it should; 3Y reaches before inception and says so', () => {
    const from = (p: Parameters<typeof periodRange>[1]) => periodPerformance(v, v.total, periodRange(v, p, end));
    expect(from('1D')).toMatchObject({ from: '2024-06-10', to: '2024-06-10', complete: true });
    expect(from('MTD')).toMatchObject({ from: '2024-06-01', complete: true });
    expect(from('YTD')).toMatchObject({ from: '2024-01-01', complete: true });
    expect(from('1Y')).toMatchObject({ from: '2023-06-11', complete: true });
    expect(from('3Y')).toMatchObject({ from: '2023-03-15', complete: false });
    expect(from('inception')).toMatchObject({ from: '2023-03-15', complete: true, startValue: 0 });
    const custom = periodPerformance(v, v.total, periodRange(v, 'custom', dayOf('2024-01-10'), dayOf('2024-01-10')));
    expect(custom.twr).toBeCloseTo(1200 / 1000 - 1, 12);
  });

  it('annualised only over a year or more: YTD is not, since inception (453 days) is, at actual/365', () => {
    const ytd = periodPerformance(v, v.total, periodRange(v, 'YTD', end));
    expect(ytd.twr).toBeCloseTo(1300 / 1000 - 1, 12);
    expect(ytd.twrAnnual).toBeNull();
    const all = periodPerformance(v, v.total, periodRange(v, 'inception', end));
    expect(all.twr).toBeCloseTo(0.3, 12);
    const days = end - dayOf('2023-03-15') + 1;
    expect(days).toBe(454);
    expect(all.twrAnnual).toBeCloseTo(1.3 ** (365 / days) - 1, 12);
    // One deposit, no other flow: the MWR equals the annualised TWR (the deposit at the start of the first day is
    // dated at the close before it, 454 days before the end).
    expect(all.mwr).toBeCloseTo(all.twrAnnual!, 9);
  });
});

describe('contribution', () => {
  it('per holding plus cash adds up to the total TWR, with flows, a dividend, its withholding and fees', () => {
    const v = valuePortfolio({
      accounts: [{ id: 'A', baseCurrency: 'USD' }, { id: 'B', baseCurrency: 'EUR' }], baseCurrency: 'USD', to: dayOf('2024-02-05'),
      prices: prices([['P', '2024-02-01', 10], ['P', '2024-02-03', 12], ['P', '2024-02-05', 11], ['Q', '2024-02-01', 50], ['Q', '2024-02-04', 45]]),
      fx: rates([['EUR/USD', '2024-02-01', 1.08], ['EUR/USD', '2024-02-03', 1.1]]),
      transactions: [
        tx('2024-02-01', 'DEPOSIT', { amount: '2000' }), tx('2024-02-01', 'BUY', { symbol: 'P', quantity: '100', price: '10', fee: '1' }),
        tx('2024-02-01', 'DEPOSIT', { accountId: 'B', amount: '1000', currency: 'EUR' }),
        tx('2024-02-01', 'BUY', { accountId: 'B', symbol: 'Q', quantity: '10', price: '50', currency: 'EUR' }),
        tx('2024-02-02', 'DIVIDEND', { symbol: 'P', amount: '20' }), tx('2024-02-02', 'TAX', { symbol: 'P', amount: '3' }),
        tx('2024-02-03', 'DEPOSIT', { amount: '500' }), tx('2024-02-04', 'SELL', { symbol: 'P', quantity: '50', price: '12.5', fee: '1' }),
        tx('2024-02-04', 'INTEREST', { amount: '2' }), tx('2024-02-05', 'WITHDRAWAL', { accountId: 'B', amount: '100', currency: 'EUR' }),
      ],
    });
    const range = periodRange(v, 'inception', dayOf('2024-02-05'));
    const total = periodPerformance(v, v.total, range);
    const rows = contributions(v, range.startIndex, range.endIndex);
    const sum = rows.reduce((a, r) => a + r.contribution, 0);
    expect(sum).toBeCloseTo(total.twr, 12);
    expect(rows.reduce((a, r) => a + r.gain, 0)).toBeCloseTo(total.gain, 9);
    // P's gain by hand: value 50·11 = 550 at the end; paid 1001, received 624 on the sale and 17 net dividend → 190.
    expect(rows.find((r) => r.symbol === 'P')!.gain).toBeCloseTo(190, 9);
    // Also over a sub-period.
    const mtd = periodRange(v, 'custom', dayOf('2024-02-05'), dayOf('2024-02-03'));
    expect(contributions(v, mtd.startIndex, mtd.endIndex).reduce((a, r) => a + r.contribution, 0)).toBeCloseTo(periodPerformance(v, v.total, mtd).twr, 12);
  });
});

describe('exposure and concentration', () => {
  it('weights by sector, currency and account; HHI and the effective number of holdings', () => {
    const v = valuePortfolio({
      accounts: [{ id: 'A', baseCurrency: 'USD' }, { id: 'B', baseCurrency: 'USD' }], baseCurrency: 'USD', to: dayOf('2024-01-01'), fx: rates([['EUR/USD', '2024-01-01', 1]]),
      prices: prices([['AAA', '2024-01-01', 60], ['BBB', '2024-01-01', 20], ['CCC', '2024-01-01', 10]]),
      transactions: [
        tx('2024-01-01', 'DEPOSIT', { amount: '1100' }), tx('2024-01-01', 'BUY', { symbol: 'AAA', quantity: '5', price: '60' }),
        tx('2024-01-01', 'BUY', { symbol: 'BBB', quantity: '10', price: '20' }),
        tx('2024-01-01', 'BUY', { accountId: 'B', symbol: 'AAA', quantity: '5', price: '60' }),
        tx('2024-01-01', 'BUY', { accountId: 'B', symbol: 'CCC', quantity: '20', price: '10', currency: 'EUR' }),
      ],
    });
    const profiles = { AAA: { sector: 'Technology', assetClass: 'Equity', country: 'US' }, BBB: { sector: 'Energy', assetClass: 'Equity' } } as Record<string, object>;
    const e = exposure(v, 0, (s) => profiles[s]);
    // AAA 600 (two accounts), BBB 200, CCC 200, cash: A 1100 − 300 − 200 = 600, B −300 USD, −200 EUR → NAV 1100.
    expect(e.nav).toBeCloseTo(1100, 9);
    expect(e.symbols).toEqual(['AAA', 'BBB', 'CCC']);
    expect(e.by.sector).toEqual([
      { key: 'Technology', value: 600, weight: 600 / 1100 }, { key: 'Energy', value: 200, weight: 200 / 1100 },
      { key: 'Unknown', value: 200, weight: 200 / 1100 }, { key: 'Cash', value: 100, weight: 100 / 1100 },
    ]);
    expect(e.by.currency.find((r) => r.key === 'EUR')!.value).toBeCloseTo(0, 9);
    expect(e.by.account.map((r) => [r.key, r.value])).toEqual([['A', 1100], ['B', 0]]);
    // Holdings weights 0.6, 0.2, 0.2: HHI 0.44, effective number 2.27.
    expect(e.concentration.hhi).toBeCloseTo(0.44, 12);
    expect(e.concentration.effectiveHoldings).toBeCloseTo(1 / 0.44, 12);
    expect(e.concentration.largest[0]).toEqual({ symbol: 'AAA', value: 600, weight: 600 / 1100 });
  });
});

describe('benchmark comparison', () => {
  it('a portfolio that is the benchmark: beta 1, alpha 0, no tracking error; the relative series stays at 0', () => {
    const closes: [string, string, number][] = [['SPY', '2024-01-01', 100], ['SPY', '2024-01-02', 102], ['SPY', '2024-01-03', 99], ['SPY', '2024-01-04', 101], ['SPY', '2024-01-05', 104]];
    const v = valuePortfolio({
      accounts: USD, baseCurrency: 'USD', to: dayOf('2024-01-05'), fx: noFx, prices: prices(closes),
      transactions: [tx('2024-01-01', 'DEPOSIT', { amount: '1000' }), tx('2024-01-01', 'BUY', { symbol: 'SPY', quantity: '10', price: '100' })],
    });
    const table = new SeriesTable(closes.map(([key, date, close]) => ({ key, day: dayOf(date), close })));
    const c = compareWithBenchmark(v.total, v.start, 0, 4, table.get('SPY')!);
    expect(c.observations).toBe(4);
    expect(c.stats.beta).toBeCloseTo(1, 12);
    expect(c.stats.alpha).toBeCloseTo(0, 12);
    expect(c.stats.trackingError).toBeCloseTo(0, 12);
    expect(c.points.every((p) => Math.abs(p.relative!) < 1e-12)).toBe(true);
    expect(c.benchmarkReturn).toBeCloseTo(0.04, 12);
  });
});
