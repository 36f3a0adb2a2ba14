// Properties of valuation and performance over random ledgers (fast-check): whatever the trades, flows, splits and
// currencies, the total is the sum of the accounts, gains close the books, contributions add up to the TWR, and the
// exact cash and quantities agree with the day series.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Transaction } from '../../../src-shared/domain/ledger';
import { dateOf, dayOf } from '../../../src-shared/domain/dates';
import { fxLookup, priceLookup, SeriesTable } from './lookups';
import { contributions, periodPerformance, periodRange } from './returns';
import { valuePortfolio } from './valuation';

const START = dayOf('2024-01-01');
const DAYS = 40;
const SYMBOLS = ['A', 'B', 'C'];

type Row = { day: number; account: 'U' | 'E'; kind: string; symbol: string; quantity: number; cents: number };
const row: fc.Arbitrary<Row> = fc.record({
  day: fc.integer({ min: 0, max: DAYS - 1 }),
  account: fc.constantFrom('U', 'E'),
  kind: fc.constantFrom('DEPOSIT', 'WITHDRAWAL', 'BUY', 'SELL', 'DIVIDEND', 'FEE', 'SPLIT', 'TRANSFER'),
  symbol: fc.constantFrom(...SYMBOLS),
  quantity: fc.integer({ min: 1, max: 50 }),
  cents: fc.integer({ min: 1, max: 100_000 }),
});

function ledger(rows: Row[]): Transaction[] {
  const out: Transaction[] = [{ id: 'd0', accountId: 'U', date: dateOf(START), type: 'DEPOSIT', amount: '10000', fee: '0', currency: 'USD', source: 'manual' }];
  rows.forEach((r, i) => {
    const base = { id: `t${i}`, accountId: r.account, date: dateOf(START + r.day), fee: '0', currency: r.account === 'U' ? 'USD' : 'EUR', source: 'manual' as const };
    const amount = (r.cents / 100).toFixed(2);
    switch (r.kind) {
      case 'DEPOSIT': case 'WITHDRAWAL': case 'DIVIDEND': case 'FEE':
        out.push({ ...base, type: r.kind, amount, ...(r.kind === 'DIVIDEND' ? { symbol: r.symbol } : {}) });
        break;
      case 'BUY': case 'SELL':
        out.push({ ...base, type: r.kind, symbol: r.symbol, quantity: String(r.quantity), price: (r.cents / 1000).toFixed(3), fee: '1.5', currency: 'USD' });
        break;
      case 'SPLIT':
        out.push({ ...base, type: 'SPLIT', symbol: r.symbol, ratio: r.quantity % 2 ? '2' : '0.5', currency: 'USD' });
        break;
      case 'TRANSFER':
        out.push({ ...base, accountId: 'U', type: 'TRANSFER_OUT', symbol: r.symbol, quantity: String(r.quantity), currency: 'USD', transferId: `x${i}` });
        out.push({ ...base, id: `t${i}b`, accountId: 'E', type: 'TRANSFER_IN', symbol: r.symbol, quantity: String(r.quantity), currency: 'USD', transferId: `x${i}` });
        break;
    }
  });
  return out;
}

const closes = new SeriesTable(SYMBOLS.flatMap((key, k) => Array.from({ length: DAYS }, (_, d) => ({ key, day: START + d, close: 50 + k * 10 + Math.sin(d + k) * 5 }))));
const rates = new SeriesTable(Array.from({ length: DAYS }, (_, d) => ({ key: 'EUR/USD', day: START + d, close: 1.1 + 0.01 * Math.cos(d) })));

describe('valuation and performance properties', () => {
  it('total = Σ accounts; gain closes the books; contributions add up to the TWR; final cash and quantities exact', () => {
    fc.assert(fc.property(fc.array(row, { maxLength: 60 }), fc.integer({ min: 0, max: DAYS - 1 }), (rows, from) => {
      const transactions = ledger(rows);
      const v = valuePortfolio({
        accounts: [{ id: 'U', baseCurrency: 'USD' }, { id: 'E', baseCurrency: 'EUR' }], baseCurrency: 'USD', to: START + DAYS - 1,
        transactions, prices: priceLookup(closes), fx: fxLookup(rates),
      });
      for (let t = 0; t < v.days; t++) {
        const sum = v.accounts.reduce((a, x) => a + x.base.nav[t]!, 0);
        expect(v.total.nav[t]).toBeCloseTo(sum, 6);
      }
      const end = START + DAYS - 1;
      for (const range of [periodRange(v, 'inception', end), periodRange(v, 'custom', end, START + from)]) {
        const p = periodPerformance(v, v.total, range);
        expect(p.endValue - p.startValue - p.netFlows).toBeCloseTo(p.gain, 6);
        const c = contributions(v, range.startIndex, range.endIndex);
        expect(c.reduce((a, x) => a + x.contribution, 0)).toBeCloseTo(p.twr, 9);
        expect(c.reduce((a, x) => a + x.gain, 0)).toBeCloseTo(p.gain, 6);
        if (p.mwr !== null) expect(Number.isFinite(p.mwr)).toBe(true);
      }
      // The number series end where the exact fold ends: each holding's last quantity and each account's cash.
      for (const h of v.holdings) expect(h.quantities[v.days - 1]).toBeCloseTo(Number(h.quantity), 9);
      const usdCash = v.accounts.find((a) => a.id === 'U')!.cash.find((c) => c.currency === 'USD');
      const navU = v.accounts.find((a) => a.id === 'U')!.own.nav[v.days - 1]!;
      const holdingsU = v.holdings.filter((h) => h.accountId === 'U').reduce((a, h) => a + h.base.nav[v.days - 1]!, 0);
      expect(navU - holdingsU).toBeCloseTo(Number(usdCash?.amount ?? 0), 6);
    }), { numRuns: 200 });
  });
});
