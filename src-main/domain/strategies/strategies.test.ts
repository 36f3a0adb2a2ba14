// Built-in strategies on hand-made price paths: each must act where its rule says, and only there.
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../backtest/engine';
import type { BarArrays } from '../backtest/types';
import { createPortfolioStrategy, createStrategy, isPortfolioStrategy } from './registry';

function closes(xs: number[]): BarArrays {
  const n = xs.length;
  const c = Float64Array.from(xs);
  const o = Float64Array.from(xs, (v, i) => (i ? xs[i - 1]! : v));
  return { time: Float64Array.from({ length: n }, (_, i) => 1_700_006_400 + i * 86_400), open: o, high: Float64Array.from(xs, (v, i) => Math.max(v, o[i]!)), low: Float64Array.from(xs, (v, i) => Math.min(v, o[i]!)), close: c, volume: new Float64Array(n) };
}

describe('built-in strategies', () => {
  it('sma-cross long-only goes flat on the cross down instead of shorting', () => {
    const path = [110, 109, 108, 107, 106, 105, 104, 103, 102, 101, 100, 103, 106, 110, 115, 120, 119, 112, 105, 98, 92, 90, 89, 88, 87]; // no exact ties: crossovers are strict
    const r = runBacktest(closes(path), createStrategy('sma-cross', { fast: 2, slow: 5, mode: 'long-only' }), { cash: 10_000 });
    expect(r.trades.length).toBeGreaterThan(0);
    expect(r.trades.every((t) => t.side === 'long')).toBe(true);
    const ls = runBacktest(closes(path), createStrategy('sma-cross', { fast: 2, slow: 5 }), { cash: 10_000 });
    expect(ls.trades.some((t) => t.side === 'short')).toBe(true);
  });

  it('mean reversion buys a sharp dip below the lower band and sells at the middle band', () => {
    const path = [...Array.from({ length: 30 }, (_, i) => 100 + (i % 2 ? 0.5 : -0.5)), 97, 94, 91, 96, 100, 101, 100];
    const r = runBacktest(closes(path), createStrategy('mean-reversion', { period: 20, k: 2, rsiPeriod: 5, oversold: 30, overbought: 70 }), { cash: 10_000 });
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]!.entryBar).toBeGreaterThanOrEqual(31);
    expect(r.trades[0]!.pnl).toBeGreaterThan(0);
  });

  it('donchian breakout enters on a new high and exits on the exit channel low', () => {
    const path = [...Array.from({ length: 25 }, (_, i) => 100 + (i % 3)), 105, 108, 110, 107, 103, 99, 98, 97];
    const r = runBacktest(closes(path), createStrategy('donchian-breakout', { entry: 20, exit: 3, mode: 'long-only' }), { cash: 10_000 });
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]!.side).toBe('long');
    expect(r.trades[0]!.entryBar).toBe(26); // signal on bar 25's close of 105, filled at the next open
  });

  it('rejects unknown strategies and parameters with the list of what exists', () => {
    expect(() => createStrategy('x', {})).toThrow(/available: sma-cross, mean-reversion, donchian-breakout/);
    expect(() => createStrategy('donchian-breakout', { mode: 'sideways' })).toThrow(/long-short or long-only/);
  });

  it("names of Object.prototype's members are no strategy and no parameter", () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect(() => createStrategy(name, {})).toThrow(new RegExp(`^Unknown strategy "${name}"`));
      expect(() => createPortfolioStrategy(name, {}, ['A', 'B'])).toThrow(/^Unknown portfolio strategy/);
      expect(isPortfolioStrategy(name)).toBe(false);
      expect(() => createStrategy('sma-cross', { [name]: 1 })).toThrow(new RegExp(`^Unknown parameter "${name}" for sma-cross`));
      expect(() => createPortfolioStrategy('pairs', { [name]: 1 }, ['A', 'B'])).toThrow(/^Unknown parameter/);
    }
    // JSON can carry "__proto__" as an own key.
    expect(() => createStrategy('sma-cross', JSON.parse('{"__proto__": 1}') as Record<string, number>)).toThrow(/^Unknown parameter "__proto__"/);
  });
});
