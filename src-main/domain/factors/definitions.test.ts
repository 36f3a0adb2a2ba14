// Hand-checked factor formulas on a stock with known statements and closes.
import { describe, expect, it } from 'vitest';
import type { StatementRecord } from '../../../src-shared/domain/fundamentals';
import { rsi } from '../../../src-shared/domain/indicators/batch';
import { FACTORS, factorByName, factorValue, ttm, type FactorInput } from './definitions';

const q = (periodEnd: string, f: Partial<StatementRecord>): StatementRecord => ({
  symbol: 'T', period: 'quarter', periodEnd, reportDate: periodEnd, currency: 'USD', revenue: null, grossProfit: null, ebitda: null,
  netIncome: null, eps: null, totalEquity: null, totalDebt: null, cash: null, sharesOutstanding: null, source: 'test', ...f,
});
// Eight quarters, newest first: revenue 110 then 100 a year earlier per quarter; EPS 0.5 then 0.4; EBITDA 30;
// gross profit 44; net income 20; newest balance sheet: equity 400, debt 200, cash 50, 100 shares.
const statements = Array.from({ length: 8 }, (_, i) => q(`202${5 - Math.floor(i / 4)}-${String(12 - 3 * (i % 4)).padStart(2, '0')}-28`, {
  revenue: i < 4 ? 110 : 100, grossProfit: 44, ebitda: 30, netIncome: 20, eps: i < 4 ? 0.5 : 0.4,
  totalEquity: 400, totalDebt: 200, cash: 50, sharesOutstanding: 100,
}));
const closes = Array.from({ length: 300 }, (_, i) => i + 1); // close on row k is k + 1; the last is 300
const input: FactorInput = { closes, statements };
const val = (name: string, inp: FactorInput = input) => factorValue(factorByName(name)!, inp);

describe('factor definitions', () => {
  it('sums trailing twelve months and the year before', () => {
    expect(ttm(statements, 'revenue')).toBe(440);
    expect(ttm(statements, 'revenue', 4)).toBe(400);
    expect(ttm(statements.slice(0, 7), 'revenue', 4)).toBeNull(); // only 3 earlier quarters
  });

  it('value: P/E, P/B, EV/EBITDA, earnings yield', () => {
    // Price 300; TTM EPS 4·0.5 = 2 → P/E 150, earnings yield 2/300. Market cap 300·100 = 30,000 → P/B 30,000/400 = 75.
    // EV = 30,000 + 200 − 50 = 30,150; TTM EBITDA 120 → 251.25.
    expect(val('pe')).toBeCloseTo(150, 12);
    expect(val('earnings_yield')).toBeCloseTo(2 / 300, 12);
    expect(val('pb')).toBeCloseTo(75, 12);
    expect(val('ev_ebitda')).toBeCloseTo(251.25, 12);
  });

  it('growth: revenue and EPS year over year from TTM sums', () => {
    // 440/400 − 1 = 0.1; EPS (2 − 1.6)/1.6 = 0.25.
    expect(val('revenue_growth')).toBeCloseTo(0.1, 12);
    expect(val('eps_growth')).toBeCloseTo(0.25, 12);
  });

  it('quality: ROE, debt to equity, gross margin', () => {
    // ROE 80/400 = 0.2; D/E 200/400 = 0.5; gross margin 176/440 = 0.4.
    expect(val('roe')).toBeCloseTo(0.2, 12);
    expect(val('debt_to_equity')).toBeCloseTo(0.5, 12);
    expect(val('gross_margin')).toBeCloseTo(0.4, 12);
  });

  it('size is ln(market cap)', () => {
    expect(val('size')).toBeCloseTo(Math.log(30_000), 12);
  });

  it('momentum and technical factors on the close series', () => {
    // Last row i = 299: 12-1 momentum = c[278]/c[47] − 1 = 279/48 − 1; 6-month = 300/c[173] − 1 = 300/174 − 1.
    expect(val('mom_12_1')).toBeCloseTo(279 / 48 - 1, 12);
    expect(val('momentum')).toBeCloseTo(279 / 48 - 1, 12);
    expect(val('mom_6m')).toBeCloseTo(300 / 174 - 1, 12);
    // The 200-day mean of 101..300 is 200.5.
    expect(val('dist_200d')).toBeCloseTo(300 / 200.5 - 1, 12);
    // A steady rise: RSI 100 (no losses), as the shared indicator computes it.
    const wave = closes.map((c, i) => c + 10 * Math.sin(i / 3));
    expect(val('rsi_14', { closes: wave, statements: [] })).toBeCloseTo(rsi(wave, 14)[299]!, 12);
  });

  it('volatility: annualised sample standard deviation of daily returns', () => {
    // [100, 110, 99, 99], n = 2: last two returns −0.1 and 0 → mean −0.05, sample variance 0.005 → √(0.005·252).
    const f = factorByName('low_vol')!;
    expect(factorValue(f, { closes: [100, 110, 99, 99], statements: [] }, [2])).toBeCloseTo(Math.sqrt(0.005 * 252), 12);
  });

  it('is missing, not zero or infinite, where the inputs do not allow it', () => {
    const loss = statements.map((s) => ({ ...s, eps: -0.1, totalEquity: -5 }));
    expect(val('pe', { closes, statements: loss })).toBeNull();
    expect(val('earnings_yield', { closes, statements: loss })).toBeCloseTo(-0.4 / 300, 12);
    expect(val('pb', { closes, statements: loss })).toBeNull();
    expect(val('roe', { closes, statements: loss })).toBeNull();
    expect(val('mom_12_1', { closes: closes.slice(0, 200), statements })).toBeNull();
    for (const f of FACTORS) expect(factorValue(f, { closes: [], statements: [] })).toBeNull();
  });
});
