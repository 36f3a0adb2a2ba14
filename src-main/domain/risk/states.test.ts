// Trading states: which orders each state lets through, and the thresholds that make it stricter.
import { describe, expect, it } from 'vitest';
import { effectiveState, isDuplicate, isReducing, orderRateExceeded, stateAllows, thresholdTransition, type StateThresholds } from './states';

describe('trading states', () => {
  it('takes the stricter of terminal and account; the kill switch is HALTED', () => {
    expect(effectiveState('ACTIVE', 'REDUCING', false)).toBe('REDUCING');
    expect(effectiveState('HALTED', 'REDUCING', false)).toBe('HALTED');
    expect(effectiveState('ACTIVE', 'ACTIVE', true)).toBe('HALTED');
  });
  it('REDUCING passes only reducing orders; HALTED none but protective legs', () => {
    const where = 'account paper';
    expect(stateAllows('ACTIVE', { reducing: false, protective: false }, where).ok).toBe(true);
    expect(stateAllows('REDUCING', { reducing: true, protective: false }, where).ok).toBe(true);
    expect(stateAllows('REDUCING', { reducing: false, protective: false }, where)).toMatchObject({ ok: false, rule: 'trading_state', message: expect.stringContaining('REDUCING') as string });
    expect(stateAllows('HALTED', { reducing: true, protective: false }, where)).toMatchObject({ ok: false, message: expect.stringContaining('only cancels') as string });
    expect(stateAllows('HALTED', { reducing: true, protective: true }, where).ok).toBe(true);
  });
  it('knows a reducing order from a flip', () => {
    expect(isReducing(100, 40)).toBe(true);
    expect(isReducing(100, 0)).toBe(true);
    expect(isReducing(100, -50)).toBe(false); // flips short
    expect(isReducing(-100, -40)).toBe(true);
    expect(isReducing(0, 10)).toBe(false);
  });
});

describe('threshold transitions', () => {
  const th: StateThresholds = { drawdownReducing: 0.05, drawdownHalted: 0.1, dailyLossReducing: 0.02, dailyLossHalted: 0.04 };
  it('escalates at each threshold, the stricter first', () => {
    expect(thresholdTransition(th, 'ACTIVE', { drawdownFromPeak: 0.049, dailyLoss: 0.019 })).toBeNull();
    expect(thresholdTransition(th, 'ACTIVE', { drawdownFromPeak: 0.05, dailyLoss: 0 })).toMatchObject({ state: 'REDUCING', reason: expect.stringContaining('drawdown_reducing') as string });
    expect(thresholdTransition(th, 'ACTIVE', { drawdownFromPeak: 0.06, dailyLoss: 0.04 })).toMatchObject({ state: 'HALTED', reason: expect.stringContaining('daily_loss_halted') as string });
  });
  it('never relaxes by itself', () => {
    expect(thresholdTransition(th, 'REDUCING', { drawdownFromPeak: 0.06, dailyLoss: 0 })).toBeNull();
    expect(thresholdTransition(th, 'HALTED', { drawdownFromPeak: 0.2, dailyLoss: 0.2 })).toBeNull();
    expect(thresholdTransition(th, 'REDUCING', { drawdownFromPeak: 0.1, dailyLoss: 0 })).toMatchObject({ state: 'HALTED' });
  });
  it('does nothing when off (the default)', () => {
    const off = { drawdownReducing: null, drawdownHalted: null, dailyLossReducing: null, dailyLossHalted: null };
    expect(thresholdTransition(off, 'ACTIVE', { drawdownFromPeak: 0.9, dailyLoss: 0.9 })).toBeNull();
  });
});

describe('order rate and duplicates', () => {
  it('counts the last second, this order included', () => {
    // Two in the last second plus this one = 3 > 2; the one 1,000 ms ago no longer counts.
    expect(orderRateExceeded([9000, 9500, 9900], 10_000, 2)).toBe(true);
    expect(orderRateExceeded([9000, 9900], 10_000, 2)).toBe(false);
    expect(orderRateExceeded([9999, 9999, 9999], 10_000, null)).toBe(false);
  });
  it('flags the same account, symbol, side and quantity within the window', () => {
    const recent = [{ accountId: 'p', symbol: 'AAPL', side: 'buy', quantity: 10, time: 1000 }];
    expect(isDuplicate(recent, { accountId: 'p', symbol: 'AAPL', side: 'buy', quantity: 10 }, 5000, 5000)).toBe(true);
    expect(isDuplicate(recent, { accountId: 'p', symbol: 'AAPL', side: 'buy', quantity: 10 }, 6000, 5000)).toBe(false);
    expect(isDuplicate(recent, { accountId: 'p', symbol: 'AAPL', side: 'sell', quantity: 10 }, 2000, 5000)).toBe(false);
    expect(isDuplicate(recent, { accountId: 'p', symbol: 'AAPL', side: 'buy', quantity: 11 }, 2000, 5000)).toBe(false);
  });
});
