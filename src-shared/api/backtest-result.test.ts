import { describe, expect, it } from 'vitest';
import { BacktestResult } from './contract';

const head = { id: 'r1', name: 'sma-cross on X', createdAt: 1, strategy: 'sma-cross', params: { fast: 10 }, source: 'X', metrics: { sharpe: 1.2 }, trades: [] };

describe('BacktestResult on the wire', () => {
  it('carries bars and equity as columns', () => {
    const r = BacktestResult.parse({
      ...head,
      bars: { time: [60, 120], open: [1, 2], high: [2, 3], low: [0.5, 1.5], close: [1.5, 2.5], volume: [10, 20] },
      equity: { time: [60, 120], equity: [100, 90] },
    });
    expect(r.bars.close).toEqual([1.5, 2.5]);
    expect(r.equity.equity).toEqual([100, 90]);
    expect(r.warning).toBeNull();
  });

  it('reads a run saved before the columns (one object per bar and per equity point)', () => {
    const r = BacktestResult.parse({
      ...head,
      bars: [{ time: 60, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }, { time: 120, open: 2, high: 3, low: 1.5, close: 2.5, volume: 20 }],
      equity: [{ time: 60, equity: 100, drawdownPct: 0 }, { time: 120, equity: 90, drawdownPct: -10 }],
    });
    expect(r.bars).toEqual({ time: [60, 120], open: [1, 2], high: [2, 3], low: [0.5, 1.5], close: [1.5, 2.5], volume: [10, 20] });
    expect(r.equity).toEqual({ time: [60, 120], equity: [100, 90] });
  });

  it('refuses columns of different lengths and a saved row with a field missing', () => {
    expect(BacktestResult.safeParse({ ...head, bars: { time: [60], open: [1, 2], high: [2], low: [0.5], close: [1.5], volume: [10] }, equity: { time: [], equity: [] } }).success).toBe(false);
    expect(BacktestResult.safeParse({ ...head, bars: [{ time: 60, open: 1, high: 2, low: 0.5, volume: 10 }], equity: [] }).success).toBe(false);
  });
});
