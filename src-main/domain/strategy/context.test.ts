// The contexts built once for the engine and the live runner: reads stop at the reader's index, sizes are checked,
// buy/sell pass the strategy's own spec object to the sink (no copy on the engine's hot path).
import { describe, expect, it } from 'vitest';
import type { BarArrays } from '../backtest/types';
import { createPortfolioContext, createStrategyContext } from './context';
import type { OrderSpec } from './strategy';

const bars = (closes: number[]): BarArrays => {
  const f = (d: number) => Float64Array.from(closes, (c) => c + d);
  return { time: Float64Array.from(closes, (_, i) => i * 60), open: f(0), high: f(1), low: f(-1), close: f(0), volume: f(0) };
};

describe('strategy context', () => {
  it('reads up to the current bar, refuses the future and bad sizes, and hands orders to the sink', () => {
    const reader = { bars: bars([10, 11, 12, 13]), index: 2 };
    const placed: [string, Omit<OrderSpec, 'side'>][] = [];
    let cancels = 0;
    const ctx = createStrategyContext(reader, { position: -3, cash: 5, equity: 7 }, { place: (side, spec) => void placed.push([side, spec]), cancelAll: () => void cancels++ });
    expect([ctx.index, ctx.close(), ctx.close(2), ctx.high(1), ctx.value([1, 2, 3, 4])]).toEqual([2, 12, 10, 12, 3]);
    expect(() => ctx.close(-1)).toThrow(/future/);
    expect(() => ctx.buy({ size: 0 })).toThrow(/must be positive/);
    const spec = { size: 2 };
    ctx.buy(spec);
    ctx.closePosition();
    ctx.cancelAll();
    expect(placed[0]![1]).toBe(spec);
    expect(placed.map(([side, s]) => [side, s.size])).toEqual([['buy', 2], ['buy', 3]]);
    expect(cancels).toBe(1);
    reader.index = 3;
    expect(ctx.close()).toBe(13);
  });

  it('portfolio context: per-symbol reads, targets net of position and pending, percent sized by the book', () => {
    const series = { A: { bars: bars([10, 20]), index: 1 }, B: { bars: bars([5]), index: -1 } };
    const pending = new Map<string, number>();
    const ctx = createPortfolioContext({ time: 60, symbols: ['A', 'B'], series: (s) => series[s as 'A' | 'B'] }, {
      position: (s) => (s === 'A' ? 4 : 0), pending: (s) => pending.get(s) ?? 0, addPending: (s, u) => void pending.set(s, (pending.get(s) ?? 0) + u),
      cash: 100, equity: 180, unitsFor: (_s, fraction, price) => (180 * fraction) / price,
    });
    expect([ctx.has('A'), ctx.has('B'), ctx.close('A'), ctx.close('B'), ctx.count('B')]).toEqual([true, false, 20, NaN, 0]);
    ctx.orderTarget('A', 10);
    ctx.orderTargetPercent('A', 0.5); // 4.5 units → 4 whole; 4 held, 6 pending: −6
    expect(pending.get('A')).toBe(0);
    expect(() => ctx.order('C', 1)).toThrow(/Unknown symbol C/);
    expect(() => ctx.order('A', NaN)).toThrow(/finite/);
  });
});
