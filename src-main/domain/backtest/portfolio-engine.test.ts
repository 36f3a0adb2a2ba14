// Multi-instrument engine, hand-checked: merged calendars, fills at each instrument's next open, spread, financing,
// margin and liquidation; and the pairs and rotation strategies on constructed prices.
import { describe, expect, it } from 'vitest';
import { runPortfolioBacktest } from './portfolio-engine';
import type { PortfolioContext } from '../strategy/strategy';
import type { BarArrays } from './types';
import { pairsTrading } from '../strategies/pairs';
import { factorRotation } from '../strategies/rotation';

const DAY = 86_400;
const T0 = 1_700_006_400 - (1_700_006_400 % DAY);
function series(days: number[], opens: number[], closes = opens): BarArrays {
  const f = (a: number[]) => Float64Array.from(a);
  return { time: f(days.map((d) => T0 + d * DAY)), open: f(opens), high: f(opens.map((o, i) => Math.max(o, closes[i]!))), low: f(opens.map((o, i) => Math.min(o, closes[i]!))), close: f(closes), volume: new Float64Array(days.length) };
}

describe('portfolio engine', () => {
  it('merges calendars in time order; each instrument fills at its own next bar', () => {
    const seen: string[] = [];
    const A = series([0, 1, 2, 3, 4], [10, 11, 12, 13, 14]);
    const B = series([0, 2, 4], [100, 102, 104]);
    const r = runPortfolioBacktest({ A, B }, {
      next(ctx: PortfolioContext) {
        const day = (ctx.time - T0) / DAY;
        seen.push(`${day}:${ctx.has('A') ? 'A' : ''}${ctx.has('B') ? 'B' : ''}:${ctx.close('B')}`);
        if (day === 1) ctx.order('B', 5);
      },
    }, { cash: 10_000 });
    expect(seen).toEqual(['0:AB:100', '1:A:100', '2:AB:102', '3:A:102']);
    expect(r.trades).toEqual([expect.objectContaining({ symbol: 'B', side: 'long', size: 5, entryPrice: 102, exitPrice: 104, pnl: 10 })]);
    expect(r.finalEquity).toBe(10_010);
  });

  it('charges half the spread on each side and financing per calendar day held', () => {
    const A = series([0, 1, 3, 4], [100, 100, 100, 100]);
    const r = runPortfolioBacktest({ A }, { next: (ctx) => ctx.time === T0 && ctx.order('A', 10) }, { cash: 10_000, instruments: { A: { spread: 0.002, financingRate: 0.0365 } } });
    // Bought at 100.1 on day 1, sold at 99.9 on day 4: −2 of spread; financing 1,000 × 3.65 % × 3/365 = 0.30.
    expect(r.trades[0]!.entryPrice).toBeCloseTo(100.1, 10);
    expect(r.trades[0]!.exitPrice).toBeCloseTo(99.9, 10);
    expect(r.financing).toBeCloseTo(0.3, 10);
    expect(r.finalEquity).toBeCloseTo(10_000 - 2 - 0.3, 10);
  });

  it('margin: the same equity holds 1/margin times the units; a deep loss is liquidated', () => {
    const A = series([0, 1, 2, 3, 4], [100, 100, 100, 80, 80], [100, 100, 100, 80, 80]);
    const r = runPortfolioBacktest({ A }, { next: (ctx) => ctx.time === T0 && ctx.orderTargetPercent('A', 1) }, { cash: 1_000, instruments: { A: { margin: 0.1 } } });
    expect(r.trades[0]!.size).toBe(100); // 1,000 / (100 × 0.1)
    // At 80 the position lost 2,000 > equity: below maintenance margin, closed at the next open.
    expect(r.marginCalls).toBe(1);
    expect(r.finalEquity).toBe(1_000 - 2_000);
  });
});

describe('portfolio strategies', () => {
  it('pairs: shorts the rich spread and exits when it reverts', () => {
    const n = 80;
    const days = Array.from({ length: n }, (_, i) => i);
    const x = days.map((i) => 50 + Math.sin(i / 3) * 2);
    const y = x.map((v, i) => 2 * v + 10 + (i === 60 ? 6 : i === 61 ? 5 : 0) + Math.cos(i) * 0.2);
    const r = runPortfolioBacktest({ Y: series(days, y), X: series(days, x) }, pairsTrading({ y: 'Y', x: 'X', lookback: 30, entry: 2, exit: 0.5, fraction: 0.5 }), { cash: 100_000 });
    const yTrades = r.trades.filter((t) => t.symbol === 'Y');
    expect(yTrades.length).toBeGreaterThan(0);
    const trade = yTrades.find((t) => t.side === 'short')!;
    expect((trade.entryTime - T0) / DAY).toBe(61); // signal on day 60's close, filled at day 61's open
    expect(r.trades.some((t) => t.symbol === 'X' && t.side === 'long' && t.entryTime === trade.entryTime)).toBe(true);
  });

  it('rotation: holds the strongest instruments and rotates when leadership changes', () => {
    const days = Array.from({ length: 60 }, (_, i) => i);
    const up = series(days, days.map((i) => 100 * 1.01 ** i));
    const flat = series(days, days.map(() => 100));
    const late = series(days, days.map((i) => (i < 30 ? 100 : 100 * 1.03 ** (i - 30))));
    const r = runPortfolioBacktest({ UP: up, FLAT: flat, LATE: late }, factorRotation({ lookback: 10, top: 1, rebalance: 5 }), { cash: 10_000 });
    expect(r.trades.some((t) => t.symbol === 'UP')).toBe(true);
    expect(r.trades.some((t) => t.symbol === 'LATE')).toBe(true);
    expect(r.trades.some((t) => t.symbol === 'FLAT')).toBe(false);
    expect(r.finalEquity).toBeGreaterThan(10_000);
  });
});
