// Hand-checked CFD math: margin, margin level, stop-out order, financing with the Wednesday triple, pip values across
// currencies, risk-based size and the Kelly fraction. The expected figures are worked out by hand in the comments.
import { describe, expect, it } from 'vitest';
import { dec } from '../money';
import { amountString, levelString, marginFigures, positionMargin, usedMargin, type MarginPosition } from './margin';
import { planStopOut } from './stop-out';
import { financingAmount, financingDays, rolloverTime, rolloversBetween } from './financing';
import { fxRates, pipValue } from './pip';
import { kellyFraction, riskSize } from './sizing';
import { demoCfdSpec, ESMA_RETAIL_LEVERAGE, leverage, marginRate, sizeProblem } from './specs';

const prices: Record<string, number> = { EURUSD: 1.16, USDJPY: 150, GBPUSD: 1.27, EURGBP: 0.85 };
const rates = fxRates((s) => prices[s]);
const one = dec(1);

describe('specs and regulator caps', () => {
  it('caps retail leverage by the ESMA category and keeps the venue’s own for professionals', () => {
    const eurusd = demoCfdSpec('EURUSD')!;
    expect(leverage(eurusd, 'esma-retail')).toBe(30); // venue 50:1, capped to 30:1
    expect(leverage(eurusd, 'professional')).toBe(50);
    expect(leverage(demoCfdSpec('US500')!, 'esma-retail')).toBe(20);
    expect(leverage(demoCfdSpec('XAUUSD')!, 'esma-retail')).toBe(20);
    expect(leverage(demoCfdSpec('BTCUSD')!, 'esma-retail')).toBe(2);
    expect(ESMA_RETAIL_LEVERAGE.commodity).toBe(10);
    expect(marginRate(eurusd, 'esma-retail').toDecimalPlaces(6).toString()).toBe('0.033333');
    expect(sizeProblem(eurusd, 500)).toMatch(/minimum size is 1000/);
    expect(sizeProblem(eurusd, 1500)).toMatch(/steps of 1000/);
    expect(sizeProblem(eurusd, 2000)).toBeNull();
  });
});

describe('margin', () => {
  // US500 2 @ 6700 at 20:1 = 13,400 / 20 = 670.00 USD
  // EURUSD 100,000 @ 1.16 at 30:1 = 116,000 / 30 = 3,866.666… USD
  // USDJPY 100,000 @ 150 at 30:1 = 15,000,000 JPY / 30 = 500,000 JPY = 3,333.333… USD
  // used = 7,870.00; equity 10,000 → level 127.0648…% → "127.06"; free 2,130.00
  // to margin call (100 %): 10,000 − 7,870 = 2,130.00; to stop-out (50 %): 10,000 − 3,935 = 6,065.00
  const positions: MarginPosition[] = [
    { symbol: 'US500', quantity: 2, price: 6700, leverage: 20, toAccount: one },
    { symbol: 'EURUSD', quantity: 100_000, price: 1.16, leverage: 30, toAccount: one },
    { symbol: 'USDJPY', quantity: -100_000, price: 150, leverage: 30, toAccount: rates('JPY', 'USD')! },
  ];

  it('adds the margin of each position in the account currency', () => {
    expect(amountString(positionMargin(positions[0]!))).toBe('670.00');
    expect(amountString(positionMargin(positions[2]!))).toBe('3333.33');
    expect(usedMargin(positions).toDecimalPlaces(20).toString()).toBe('7870');
  });

  it('gives the level, free margin and the distances to margin call and stop-out', () => {
    const f = marginFigures(dec(10_000), usedMargin(positions), { marginCall: 100, stopOut: 50 });
    expect(levelString(f.level)).toBe('127.06');
    expect(amountString(f.free)).toBe('2130.00');
    expect(amountString(f.toMarginCall)).toBe('2130.00');
    expect(amountString(f.toStopOut)).toBe('6065.00');
    expect(f.state).toBe('ok');
    expect(marginFigures(dec(7000), dec(7870), { marginCall: 100, stopOut: 50 }).state).toBe('margin-call');
    const out = marginFigures(dec(3800), dec(7870), { marginCall: 100, stopOut: 50 });
    expect(out.state).toBe('stop-out'); // 48.28 %
    expect(levelString(out.level)).toBe('48.28');
    expect(amountString(out.toStopOut)).toBe('0.00');
    expect(marginFigures(dec(10_000), dec(0), { marginCall: 100, stopOut: 50 })).toMatchObject({ level: null, state: 'flat', toStopOut: null });
  });
});

describe('stop-out order', () => {
  const book = [
    { symbol: 'C', unrealizedPnl: dec(300), margin: dec(1000) },
    { symbol: 'B', unrealizedPnl: dec(-500), margin: dec(2000) },
    { symbol: 'A', unrealizedPnl: dec(-2000), margin: dec(3000) },
  ];

  it('closes nothing at the stop-out level itself (3,000 / 6,000 = 50 %)', () => {
    expect(planStopOut(dec(3000), book, 50).close).toEqual([]);
  });

  it('closes the largest loss first and stops once the level is restored', () => {
    // 2,900 / 6,000 = 48.3 % → close A (−2,000): 2,900 / 3,000 = 96.7 % ≥ 50 → done
    const one = planStopOut(dec(2900), book, 50);
    expect(one.close).toEqual(['A']);
    expect(levelString(one.levelAfter)).toBe('96.67');
    // 1,400 / 6,000 = 23.3 % → A: 1,400 / 3,000 = 46.7 % → B: 1,400 / 1,000 = 140 % → done; C (a gain) stays
    expect(planStopOut(dec(1400), book, 50).close).toEqual(['A', 'B']);
    // Equity below zero: everything goes, losses first
    expect(planStopOut(dec(-10), book, 50)).toEqual({ close: ['A', 'B', 'C'], levelAfter: null });
  });

  it('breaks ties by symbol', () => {
    const tie = [{ symbol: 'Y', unrealizedPnl: dec(-5), margin: dec(10) }, { symbol: 'X', unrealizedPnl: dec(-5), margin: dec(10) }];
    expect(planStopOut(dec(1), tie, 50).close).toEqual(['X', 'Y']);
  });
});

describe('financing', () => {
  const wed = Date.UTC(2026, 11, 2) / 86_400_000; // Wednesday 2 Dec 2026, New York in winter time (UTC−5)

  it('rolls over at 17:00 New York: 22:00 UTC in winter, 21:00 UTC in summer', () => {
    expect(new Date(rolloverTime(wed)).toISOString()).toBe('2026-12-02T22:00:00.000Z');
    expect(new Date(rolloverTime(Date.UTC(2026, 6, 1) / 86_400_000)).toISOString()).toBe('2026-07-01T21:00:00.000Z');
    const between = rolloversBetween(Date.UTC(2026, 11, 2, 12), Date.UTC(2026, 11, 3, 23));
    expect(between.map((t) => new Date(t).toISOString())).toEqual(['2026-12-02T22:00:00.000Z', '2026-12-03T22:00:00.000Z']);
    // The end is included, the start is not: a rollover is charged once across consecutive checks.
    expect(rolloversBetween(rolloverTime(wed) - 1, rolloverTime(wed))).toEqual([rolloverTime(wed)]);
    expect(rolloversBetween(rolloverTime(wed), rolloverTime(wed) + 1)).toEqual([]);
  });

  it('charges FX triple on Wednesday, CFDs triple on Friday, crypto every day, nothing at the weekend', () => {
    const days = (conv: 'fx' | 'cfd' | 'crypto') => [0, 1, 2, 3, 4, 5, 6].map((d) => financingDays(conv, rolloverTime(wed - 3 + d)));
    // Sun Mon Tue Wed Thu Fri Sat
    expect(days('fx')).toEqual([0, 1, 1, 3, 1, 1, 0]);
    expect(days('cfd')).toEqual([0, 1, 1, 1, 1, 3, 0]);
    expect(days('crypto')).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it('books notional × annual rate × days ÷ 365 in cents, converted to the account currency', () => {
    const eurusd = { long: '-0.0250', short: '-0.0050' };
    // 116,000 × 2.5 % ÷ 365 = 7.9452… → −7.95; Wednesday × 3 = 23.8356… → −23.84
    expect(financingAmount({ quantity: 100_000, price: 1.16, rates: eurusd, days: 1, toAccount: one }).toFixed(2)).toBe('-7.95');
    expect(financingAmount({ quantity: 100_000, price: 1.16, rates: eurusd, days: 3, toAccount: one }).toFixed(2)).toBe('-23.84');
    // US500 long 2 @ 6,700 on a Friday: 13,400 × 6 % × 3 ÷ 365 = 6.6082… → −6.61
    expect(financingAmount({ quantity: 2, price: 6700, rates: { long: '-0.0600', short: '0.0100' }, days: 3, toAccount: one }).toFixed(2)).toBe('-6.61');
    // Short US500 receives: 13,400 × 1 % ÷ 365 = 0.3671… → +0.37
    expect(financingAmount({ quantity: -2, price: 6700, rates: { long: '-0.0600', short: '0.0100' }, days: 1, toAccount: one }).toFixed(2)).toBe('0.37');
    // USDJPY short 100,000 @ 150: 15,000,000 JPY × 4.5 % ÷ 365 = 1,849.315 JPY = 12.3288 USD → −12.33
    expect(financingAmount({ quantity: -100_000, price: 150, rates: { long: '0.0150', short: '-0.0450' }, days: 1, toAccount: rates('JPY', 'USD')! }).toFixed(2)).toBe('-12.33');
    expect(financingAmount({ quantity: 100_000, price: 1.16, rates: eurusd, days: 0, toAccount: one }).toFixed(2)).toBe('0.00');
  });
});

describe('pip value across currencies (USD account)', () => {
  it('EURUSD: 100,000 × 0.0001 = 10.00 USD', () => {
    expect(pipValue({ units: 100_000, pipLocation: -4, quoteCurrency: 'USD', accountCurrency: 'USD', rates })!.toFixed(2)).toBe('10.00');
  });
  it('USDJPY: 100,000 × 0.01 = 1,000 JPY ÷ 150 = 6.67 USD', () => {
    expect(pipValue({ units: 100_000, pipLocation: -2, quoteCurrency: 'JPY', accountCurrency: 'USD', rates })!.toFixed(2)).toBe('6.67');
  });
  it('EURGBP: 100,000 × 0.0001 = 10 GBP × 1.27 = 12.70 USD', () => {
    expect(pipValue({ units: 100_000, pipLocation: -4, quoteCurrency: 'GBP', accountCurrency: 'USD', rates })!.toFixed(2)).toBe('12.70');
  });
  it('crosses through USD for a EUR account: 1,000 JPY = 6.6667 USD ÷ 1.16 = 5.75 EUR', () => {
    expect(pipValue({ units: 100_000, pipLocation: -2, quoteCurrency: 'JPY', accountCurrency: 'EUR', rates })!.toFixed(2)).toBe('5.75');
    expect(pipValue({ units: 1, pipLocation: -2, quoteCurrency: 'CHF', accountCurrency: 'USD', rates })).toBeUndefined();
  });
});

describe('risk-based size', () => {
  const base = { equity: dec(10_000), accountCurrency: 'USD', rates, contractSize: 100_000, minSize: 1000, sizeStep: 1000 };
  it('EURUSD: 1 % of 10,000 = 100 USD over a 25-pip stop = 40,000 units (0.4 lots, 4 USD a pip)', () => {
    const r = riskSize({ ...base, risk: { percent: 1 }, stopDistance: 0.0025, quoteCurrency: 'USD', pipLocation: -4 });
    expect(r).toMatchObject({ ok: true, units: 40_000, lots: 0.4 });
    if (!r.ok) throw new Error(r.problem);
    expect(r.stopPips.toString()).toBe('25');
    expect(r.pipValue.toFixed(2)).toBe('4.00');
    expect(r.actualRisk.toFixed(2)).toBe('100.00');
  });
  it('rounds down to the step: 100 USD over 30 pips = 33,333.3 → 33,000 units risking 99.00', () => {
    const r = riskSize({ ...base, risk: { percent: 1 }, stopDistance: 0.003, quoteCurrency: 'USD', pipLocation: -4 });
    expect(r).toMatchObject({ ok: true, units: 33_000 });
    if (r.ok) expect(r.actualRisk.toFixed(2)).toBe('99.00');
  });
  it('USDJPY: 100 USD over a 0.50 JPY stop = 0.5 ÷ 150 USD a unit → 30,000 units (pip 2.00 USD)', () => {
    const r = riskSize({ ...base, risk: { percent: 1 }, stopDistance: 0.5, quoteCurrency: 'JPY', pipLocation: -2 });
    expect(r).toMatchObject({ ok: true, units: 30_000 });
    if (r.ok) {
      expect(r.actualRisk.toFixed(2)).toBe('100.00');
      expect(r.pipValue.toFixed(2)).toBe('2.00');
      expect(r.stopPips.toString()).toBe('50');
    }
  });
  it('EURGBP with an amount: 150 USD over 20 pips = 0.002 GBP × 1.27 a unit → 59,055 → 59,000 units', () => {
    const r = riskSize({ ...base, risk: { amount: '150' }, stopDistance: 0.002, quoteCurrency: 'GBP', pipLocation: -4 });
    expect(r).toMatchObject({ ok: true, units: 59_000, lots: 0.59 });
  });
  it('says so when the risk is below the minimum size or cannot be converted', () => {
    expect(riskSize({ ...base, risk: { amount: '1' }, stopDistance: 0.01, quoteCurrency: 'USD', pipLocation: -4 })).toMatchObject({ ok: false, problem: expect.stringMatching(/below the minimum size of 1000/) });
    expect(riskSize({ ...base, risk: { percent: 1 }, stopDistance: 0.01, quoteCurrency: 'CHF', pipLocation: -4 })).toMatchObject({ ok: false, problem: expect.stringMatching(/No CHF\/USD rate/) });
    expect(riskSize({ ...base, risk: { percent: 1 }, stopDistance: 0, quoteCurrency: 'USD', pipLocation: -4 }).ok).toBe(false);
  });
});

describe('Kelly fraction', () => {
  it('W − (1 − W) ÷ R, capped at 25 % and floored at 0', () => {
    // W 0.6, R 2 → 0.4 → capped 0.25
    expect(kellyFraction([200, 200, 200, -100, -100])).toMatchObject({ fraction: 0.25, raw: 0.4, winRate: 0.6, payoff: 2 });
    // W 0.5, R 1.5 → 0.5 − 0.5 ÷ 1.5 = 0.1667
    expect(kellyFraction([150, -100, 150, -100])!.fraction).toBeCloseTo(1 / 6, 12);
    // W 0.25, R 1 → −0.5 → 0
    expect(kellyFraction([100, -100, -100, -100])).toMatchObject({ fraction: 0, raw: -0.5 });
    expect(kellyFraction([100, 50])).toBeNull();
  });
});
