import { describe, expect, it } from 'vitest';
import type { Order } from '../../../src-shared/domain/types';
import { paramError } from './indicators';
import { strategyIndicators } from './strategy-indicators';
import { orderLines } from './trading-lines';
import { drawdownPct, minMaxDecimate } from './curves';
import { BACKTEST_HOLD, doubleHeld, heldFrom, holdMore } from './live-window';

const order = (o: Partial<Order>): Order => ({
  id: 'o1', accountId: 'paper', brokerOrderId: null, symbol: 'AAPL', side: 'buy', type: 'limit', quantity: 10, limitPrice: 100, stopPrice: null,
  timeInForce: 'day', stopLoss: null, takeProfit: null, parentId: null, source: 'manual', status: 'working', filledQuantity: 0, avgFillPrice: null,
  rejectReason: null, createdAt: 0, updatedAt: 0, ...o,
} as Order);

describe('chart model', () => {
  it('labels a working order by side, remaining quantity and type, and shows its protective legs before the fill (a drag moves them on the entry)', () => {
    expect(orderLines(order({ filledQuantity: 4 }))).toEqual([{ kind: 'order', orderId: 'o1', field: 'limitPrice', price: 100, title: 'BUY 6 LMT' }]);
    expect(orderLines(order({ type: 'market', limitPrice: null, stopLoss: 95, takeProfit: 110 })).map((l) => [l.kind, l.price, l.title, l.orderId, l.field])).toEqual([
      ['stop-loss', 95, 'SL 10 (on fill)', 'o1', 'stopLoss'], ['take-profit', 110, 'TP 10 (on fill)', 'o1', 'takeProfit'],
    ]);
  });

  it('shows the legs of a bracket as stop-loss and take-profit of the order that holds them (a drag modifies that order)', () => {
    expect(orderLines(order({ id: 's', side: 'sell', type: 'trailing-stop', limitPrice: null, stopPrice: 97.5, parentId: 'p' }))).toEqual([
      { kind: 'stop-loss', orderId: 's', field: 'stopPrice', price: 97.5, title: 'SL 10' },
    ]);
    expect(orderLines(order({ id: 't', side: 'sell', limitPrice: 120, parentId: 'p' }))[0]).toMatchObject({ kind: 'take-profit', orderId: 't', title: 'TP 10' });
    // A stop-limit shows both of its prices.
    expect(orderLines(order({ type: 'stop-limit', limitPrice: 101, stopPrice: 100.5 })).map((l) => `${l.field}:${l.title}`)).toEqual(['limitPrice:BUY 10 STP LMT', 'stopPrice:BUY 10 STP LMT']);
  });

  it("derives a backtest's indicators from its strategy and parameters, and none from a malformed or unknown one", () => {
    expect(strategyIndicators('sma-cross', { fast: 10, slow: 30, mode: 'long-short' })).toEqual([{ id: 'fast', kind: 'sma', params: [10] }, { id: 'slow', kind: 'sma', params: [30] }]);
    expect(strategyIndicators('mean-reversion', { period: 20, k: 2.5, rsiPeriod: 14 }).map((c) => c.kind)).toEqual(['bbands', 'rsi']);
    expect(strategyIndicators('donchian-breakout', { entry: 20, exit: 20 })).toHaveLength(1);
    expect(strategyIndicators('sma-cross', { fast: 'ten', slow: 30 })).toEqual([{ id: 'slow', kind: 'sma', params: [30] }]);
    expect(strategyIndicators('rotation', { lookback: 60 })).toEqual([]);
  });

  it('checks indicator parameters: whole periods from 1 to 1000, any positive band width', () => {
    expect(paramError('sma', 0, 20)).toBeUndefined();
    expect(paramError('sma', 0, 0)).toBe('Period must be above 0');
    expect(paramError('sma', 0, 2.5)).toBe('Period must be a whole number');
    expect(paramError('sma', 0, 5000)).toBe('Period must be at most 1000');
    expect(paramError('bbands', 1, 2.5)).toBeUndefined();
    expect(paramError('volume', 0, 1)).toBe('unknown parameter');
  });
});

describe('live window', () => {
  const history = Array.from({ length: 2000 }, (_, i) => ({ time: 1_000 + i * 60 }));
  it('holds the newest 500 bars, or back to the oldest drawing by whole windows; more join 500 at a time', () => {
    expect(heldFrom(history, [])).toBe(1500);
    expect(heldFrom(history.slice(0, 300), [])).toBe(0);
    expect(heldFrom(history, [{ id: 'h', tool: 'hline', price: 5 }])).toBe(1500);
    // A trend line from bar 1,200 to bar 1,900: the series hold from 1,000 (two windows).
    expect(heldFrom(history, [{ id: 't', tool: 'trend', a: { time: history[1200]!.time, price: 1 }, b: { time: history[1900]!.time, price: 2 } }])).toBe(1000);
    // A drawing older than everything loaded: all of it.
    expect(heldFrom(history, [{ id: 'r', tool: 'rect', a: { time: 0, price: 1 }, b: { time: 10, price: 2 } }])).toBe(0);
    const older = history.slice(0, 1500);
    const held = history.slice(1500);
    const next = holdMore(older, held);
    expect([next.older.length, next.held.length, next.held[0], next.held.at(-1)]).toEqual([1000, 1000, history[1000], history[1999]]);
    expect(holdMore(next.older.slice(0, 200), next.held).held).toHaveLength(1200);
  });
});

describe('a backtest price chart of many bars', () => {
  it('holds the newest bars and doubles them as the view goes back, down to the first bar', () => {
    const total = 100_000;
    const steps = [total - BACKTEST_HOLD];
    while (steps.at(-1)! > 0) steps.push(doubleHeld(steps.at(-1)!, total));
    expect(steps.map((from) => total - from)).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 100_000]);
  });
});

describe('min/max decimation of a curve', () => {
  // A deterministic walk with one deep dip in the middle and the highest point near the end.
  const curve = Array.from({ length: 100_000 }, (_, i) => ({ time: i, value: Math.sin(i / 500) * 10 + (i === 51_234 ? -90 : 0) + (i === 99_990 ? 50 : 0) }));
  const out = minMaxDecimate(curve, 4_000);
  it('keeps at most the points asked for, in time order, with the first and the last', () => {
    expect(out.length).toBeLessThanOrEqual(4_000);
    expect(out.length).toBeGreaterThan(3_900);
    expect(out.every((p, i) => i === 0 || p.time > out[i - 1]!.time)).toBe(true);
    expect([out[0], out.at(-1)]).toEqual([curve[0], curve.at(-1)]);
  });
  it('keeps every extreme: the lowest and highest point of each bucket', () => {
    expect(out).toContainEqual(curve[51_234]);
    expect(out).toContainEqual(curve[99_990]);
    const size = Math.ceil(curve.length / 1_999);
    for (let a = 0; a < curve.length; a += size) {
      const bucket = curve.slice(a, a + size).map((p) => p.value);
      const kept = out.filter((p) => p.time >= a && p.time < a + size).map((p) => p.value);
      expect(Math.min(...kept)).toBe(Math.min(...bucket));
      expect(Math.max(...kept)).toBe(Math.max(...bucket));
    }
  });
  it('returns a short curve as it is', () => {
    expect(minMaxDecimate(curve.slice(0, 10), 4_000)).toEqual(curve.slice(0, 10));
  });
});

describe('drawdown of an equity curve', () => {
  it('is the percent below the highest equity so far', () => {
    expect(drawdownPct([100, 110, 99, 121, 60.5]).map((d) => Number(d.toFixed(9)))).toEqual([0, 0, -10, 0, -50]);
  });
});
