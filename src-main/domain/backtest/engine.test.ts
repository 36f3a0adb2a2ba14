// Hand-checked engine cases: every order type, fills at the open on gaps, commissions, the final-bar rule, look-ahead.
import { describe, expect, it } from 'vitest';
import { fixedPerOrder, ibFixed, ibTiered, percentOfNotional, perShare } from './commission';
import { runBacktest, unaffordableWarning } from './engine';
import type { Strategy, StrategyContext } from '../strategy/strategy';
import type { BarArrays } from './types';
import { smaCross } from '../strategies/sma-cross';
import { computeMetrics, ruinWarning } from '../metrics/metrics';

const DAY = 86_400;
function bars(rows: [number, number, number, number][]): BarArrays {
  const n = rows.length;
  const f = (k: number) => Float64Array.from(rows, (r) => r[k]!);
  return { time: Float64Array.from({ length: n }, (_, i) => 1_700_000_000 - (1_700_000_000 % DAY) + i * DAY), open: f(0), high: f(1), low: f(2), close: f(3), volume: new Float64Array(n) };
}

/** A strategy that places the given orders on given bars. */
function script(actions: Record<number, (ctx: StrategyContext) => void>): Strategy {
  return { next: (ctx) => actions[ctx.index]?.(ctx) };
}

const flat: [number, number, number, number][] = [
  [100, 101, 99, 100], [102, 103, 101, 102], [104, 106, 103, 105], [105, 107, 100, 101], [99, 100, 95, 96], [96, 98, 94, 97], [97, 99, 96, 98],
];

describe('backtest engine', () => {
  it('market orders fill at the next open; the final bar closes what is open at its open', () => {
    const r = runBacktest(bars(flat), script({ 0: (c) => c.buy({ size: 10 }) }), { cash: 10_000 });
    expect(r.fills.map((f) => [f.bar, f.side, f.size, f.price])).toEqual([[1, 'buy', 10, 102], [6, 'sell', 10, 97]]);
    expect(r.trades[0]).toMatchObject({ side: 'long', entryPrice: 102, exitPrice: 97, pnl: -50 });
    expect(r.finalEquity).toBe(9_950);
  });

  it("all-in orders that cannot buy one whole unit are counted and explained, not silently dropped", () => {
    // 50 of cash, one unit costs 102 at bar 1's open: both buys get no fill.
    const r = runBacktest(bars(flat), script({ 0: (c) => c.buy(), 2: (c) => c.buy() }), { cash: 50 });
    expect(r.trades).toHaveLength(0);
    expect(r.unaffordable).toEqual({ count: 2, price: 102, equity: 50 });
    expect(unaffordableWarning(r.unaffordable)).toBe(
      '2 orders got no fill: size "all" buys whole units and equity did not cover one (first: one unit at 102 with equity 50). ' +
      'Raise the cash, or set the size to a number of units (fractions allowed).',
    );
    const fractional = runBacktest(bars(flat), script({ 0: (c) => c.buy({ size: 0.25 }) }), { cash: 50 });
    expect(fractional.trades[0]).toMatchObject({ size: 0.25, entryPrice: 102 });
    expect(fractional.unaffordable.count).toBe(0);
    expect(unaffordableWarning(fractional.unaffordable)).toBeNull();
  });

  it('close fills: market orders at the signal bar close; the end closes at the previous bar close', () => {
    const r = runBacktest(bars(flat), script({ 1: (c) => c.buy({ size: 10 }) }), { cash: 10_000, fill: 'close' });
    expect(r.fills.map((f) => [f.bar, f.price])).toEqual([[1, 102], [5, 97]]);
  });

  it('all-in sizing: the largest whole number of units equity affords, commission included', () => {
    const r = runBacktest(bars(flat), script({ 0: (c) => c.buy() }), { cash: 10_000, commission: percentOfNotional(0.01) });
    // 10,000 / (102 × 1.01) = 97.07 → 97 units; 98 would cost 10,095.96
    expect(r.fills[0]!.size).toBe(97);
    expect(r.fills[0]!.commission).toBeCloseTo(97 * 102 * 0.01, 10);
    const t = r.trades[0]!;
    expect(t.commission).toBeCloseTo(97 * 102 * 0.01 + 97 * 97 * 0.01, 10);
    expect(t.pnl).toBeCloseTo(97 * (97 - 102) - t.commission, 10);
  });

  it('limit orders wait for the price and fill at the open when the bar gaps through', () => {
    const data = bars(flat);
    const buyLimit = runBacktest(data, script({ 0: (c) => c.buy({ type: 'limit', limit: 101.5, size: 1 }) }), { cash: 1e4 });
    expect(buyLimit.fills[0]).toMatchObject({ bar: 1, price: 101.5 }); // bar 1 opens at 102, trades down to 101
    const gap = runBacktest(data, script({ 3: (c) => c.buy({ type: 'limit', limit: 99.5, size: 1 }) }), { cash: 1e4 });
    expect(gap.fills[0]).toMatchObject({ bar: 4, price: 99 }); // opens at 99, below the limit: the open
  });

  it('stop orders trigger at the stop, or at the open through a gap; stop-limit and trailing stop', () => {
    const data = bars(flat);
    const stop = runBacktest(data, script({ 0: (c) => c.buy({ type: 'stop', stop: 103.5, size: 1 }) }), { cash: 1e4 });
    expect(stop.fills[0]).toMatchObject({ bar: 2, price: 104 }); // opens at 104 above the stop
    const sellStop = runBacktest(data, script({ 2: (c) => c.sell({ type: 'stop', stop: 100.5, size: 1 }) }), { cash: 1e4 });
    expect(sellStop.fills[0]).toMatchObject({ bar: 3, price: 100.5 });
    const stopLimit = runBacktest(data, script({ 2: (c) => c.sell({ type: 'stop-limit', stop: 100.5, limit: 100.2, size: 1 }) }), { cash: 1e4 });
    expect(stopLimit.fills[0]).toMatchObject({ bar: 3, price: 100.5 }); // triggered at 100.5, within the 100.2 limit
    const gapped = runBacktest(data, script({ 3: (c) => c.sell({ type: 'stop-limit', stop: 99.5, limit: 99.2, size: 1 }) }), { cash: 1e4 });
    expect(gapped.fills[0]).toMatchObject({ bar: 4, price: 99.2 }); // opens at 99 below the limit, trades back up to 100
    // Long from bar 1 at 102; a 5 % trailing stop placed at bar 1 (close 102) follows bar 2's high of 106 → stop 100.7,
    // hit by bar 3's low of 100 (the bar's own high is not trusted to come first: conservative).
    const trail = runBacktest(data, script({ 0: (c) => c.buy({ size: 1 }), 1: (c) => c.sell({ type: 'trailing-stop', trail: 0.05, size: 1 }) }), { cash: 1e4 });
    expect(trail.fills[1]!.bar).toBe(3);
    expect(trail.fills[1]!.price).toBeCloseTo(100.7, 10);
  });

  it('bracket: stop-loss and take-profit are OCO; the loss is assumed when both are hit in one bar', () => {
    const data = bars(flat);
    const r = runBacktest(data, script({ 0: (c) => c.buy({ size: 1, stopLoss: 100.5, takeProfit: 106 }) }), { cash: 1e4 });
    // Entry at bar 1 open 102; bar 2 high 106 hits the take-profit (low 103 keeps the stop safe).
    expect(r.fills.map((f) => [f.bar, f.side, f.price])).toEqual([[1, 'buy', 102], [2, 'sell', 106]]);
    const both = runBacktest(data, script({ 2: (c) => c.buy({ size: 1, stopLoss: 101, takeProfit: 106.5 }) }), { cash: 1e4 });
    expect(both.fills.map((f) => [f.bar, f.price])).toEqual([[3, 105], [3, 101]]);
  });

  it('short selling: cash rises on the sale, profit when the price falls', () => {
    const r = runBacktest(bars(flat), script({ 2: (c) => c.sell({ size: 10 }) }), { cash: 1_000 });
    expect(r.trades[0]).toMatchObject({ side: 'short', entryPrice: 105, exitPrice: 97, pnl: 80 });
    expect(r.finalEquity).toBe(1_080);
  });

  it('slippage: fixed bps, or scaled by the ATR of the bars before the fill', () => {
    const data = bars(flat);
    const bps = runBacktest(data, script({ 0: (c) => c.buy({ size: 1 }) }), { cash: 1e4, slippageBps: 50 });
    expect(bps.fills[0]!.price).toBeCloseTo(102 * 1.005, 10);
    // ATR(2) at bar 2: true ranges 3 (bar 1) and 4 (bar 2) → 3.5, ×0.5 = 1.75 on the bar-3 open of 105
    const vol = runBacktest(data, script({ 2: (c) => c.buy({ size: 1 }) }), { cash: 1e4, slippageAtr: { period: 2, multiple: 0.5 } });
    expect(vol.fills[0]!.price).toBeCloseTo(105 + 1.75, 10);
  });

  it('lifecycle: start, order accepted → filled or cancelled (OCO), fills, stop, in that order', () => {
    const log: string[] = [];
    const strategy = {
      warmup: 1,
      onStart: (c: StrategyContext) => log.push(`start@${c.index}`),
      next: (c: StrategyContext) => {
        if (c.index === 1) c.buy({ size: 1, stopLoss: 90, takeProfit: 106 });
      },
      onOrderUpdate: (u: { status: string; order: { type?: string } }) => log.push(`${u.order.type}:${u.status}`),
      onFill: (f: { side: string; bar: number }) => log.push(`fill:${f.side}@${f.bar}`),
      onStop: () => log.push('stop'),
    };
    runBacktest(bars(flat), strategy, { cash: 1e4 });
    expect(log).toEqual(['start@1', 'market:accepted', 'fill:buy@2', 'market:filled', 'fill:sell@2', 'limit:filled', 'stop:cancelled', 'stop']);
  });

  it('a strategy cannot read a future bar', () => {
    expect(() => runBacktest(bars(flat), script({ 1: (c) => void c.close(-1) }), { cash: 1 })).toThrow(/future/);
  });

  it('look-ahead: changing bars after t changes no decision at or before t', () => {
    let seed = 3;
    const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const rows: [number, number, number, number][] = [];
    let p = 100;
    for (let i = 0; i < 400; i++) {
      const o = p;
      p *= 1 + (rnd() - 0.5) * 0.05;
      rows.push([o, Math.max(o, p) * 1.01, Math.min(o, p) * 0.99, p]);
    }
    const cut = 250;
    const shifted = rows.map((r, i) => (i > cut ? ([r[0] * 1.3, r[1] * 1.3, r[2] * 1.3, r[3] * 1.3] as typeof r) : r));
    const a = runBacktest(bars(rows), smaCross({ fast: 5, slow: 20 }), { cash: 1e4 });
    const b = runBacktest(bars(shifted), smaCross({ fast: 5, slow: 20 }), { cash: 1e4 });
    const before = (r: typeof a) => r.fills.filter((f) => f.bar <= cut).map((f) => [f.bar, f.side, f.size, f.price]);
    expect(before(a).length).toBeGreaterThan(3);
    expect(before(b)).toEqual(before(a));
    expect(Array.from(b.equity.slice(0, cut + 1))).toEqual(Array.from(a.equity.slice(0, cut + 1)));
  });
});

describe('commission models', () => {
  it('fixed, per share with min/max, percentage, IB fixed and tiered', () => {
    expect(fixedPerOrder(2.5)(100, 10)).toBe(2.5);
    expect(perShare(0.01, 1, 0)(50, 10)).toBe(1);
    expect(percentOfNotional(0.002)(10, 100)).toBeCloseTo(2, 12);
    expect(ibFixed(1000, 50)).toBe(5);
    expect(ibFixed(100, 20)).toBe(1); // min $1
    expect(ibFixed(10, 5)).toBeCloseTo(0.5, 12); // max 1 % of $50
    const tiered = ibTiered();
    expect(tiered(1000, 50)).toBeCloseTo(3.5, 12);
    expect(tiered(299_000, 50)).toBeCloseTo(299_000 * 0.0035, 8);
    expect(tiered(1000, 50)).toBeCloseTo(2, 12); // past 300k shares this month: $0.002
  });
});

describe('metrics (hand-checked)', () => {
  it('return, drawdown, win rate, exposure on a small equity curve', () => {
    const time = [0, 1, 2, 3, 4].map((d) => d * DAY + 4 * DAY); // Monday … Friday (1970-01-05)
    const equity = [100, 110, 99, 121, 120];
    const trades = [
      { entryTime: 0, exitTime: 0, entryBar: 0, exitBar: 1, side: 'long' as const, size: 1, entryPrice: 100, exitPrice: 110, pnl: 10, commission: 0 },
      { entryTime: 0, exitTime: 0, entryBar: 2, exitBar: 3, side: 'short' as const, size: 1, entryPrice: 100, exitPrice: 105, pnl: -5, commission: 0 },
    ];
    const m = computeMetrics({ time, equity, close: [1, 1, 1, 1, 2], trades, inMarket: [1, 1, 1, 1, 0], initialCash: 100 });
    expect(m.returnPct).toBeCloseTo(20, 10);
    expect(m.maxDrawdownPct).toBeCloseTo(-10, 10); // 99 / 110 − 1
    expect(m.winRatePct).toBe(50);
    expect(m.profitFactor).toBe(2);
    expect(m.exposurePct).toBe(80);
    expect(m.buyHoldReturnPct).toBe(100);
    expect(m.sqn).toBeCloseTo(Math.sqrt(2) * 2.5 / Math.sqrt(((10 - 2.5) ** 2 + (-5 - 2.5) ** 2) / 1), 10);
    // Trade returns: +10 % long, −5 % short (entry 100, exit 105) → 100/105 − 1 = −4.76 %
    expect(m.bestTradePct).toBeCloseTo(10, 10);
    expect(m.worstTradePct).toBeCloseTo((100 / 105 - 1) * 100, 10);
    expect(m.expectancyPct).toBeCloseTo((10 + (100 / 105 - 1) * 100) / 2, 10);
    expect(m.avgTradePct).toBeCloseTo((Math.sqrt(1.1 * (100 / 105)) - 1) * 100, 10); // geometric mean
    // Drawdown episodes: 110 → 99 (−10 %), recovered at 121, then 121 → 120 (−0.83 %); max duration 1 day
    expect(m.avgDrawdownPct).toBeCloseTo(((99 / 110 - 1) + (120 / 121 - 1)) / 2 * 100, 10);
    expect(m.maxDrawdownDays).toBe(1);
    expect(m.calmar / (m.annualReturnPct / 100 / 0.1)).toBeCloseTo(1, 12);
  });

  it('an account wiped out is named with the day equity first fell to zero or below', () => {
    const t = [0, 1, 2, 3].map((d) => Date.UTC(2025, 0, 6 + d) / 1000);
    expect(ruinWarning(t, [100, 50, -10, 20])).toBe(
      'The account was wiped out: equity fell to -10.00 on 2025-01-08 (the strategy kept trading on margin it did not have). Return-based ratios are undefined.',
    );
    expect(ruinWarning(t, [100, 0, 5, 20])).toMatch(/fell to 0\.00 on 2025-01-07/);
    expect(ruinWarning(t, [100, 50, 10, 20])).toBeNull();
    const m = computeMetrics({ time: t, equity: [100, 50, -10, 20], close: [], trades: [], inMarket: [1, 1, 1, 1], initialCash: 100 });
    expect(m.maxDrawdownPct).toBeCloseTo(-110, 10); // what the optimiser counts as a wiped-out set (≤ −100 %)
  });

  it('annualisation, Sharpe, Sortino, CAGR, alpha and beta against a benchmark', () => {
    const days = [0, 1, 2, 3, 4, 7, 8].map((d) => (d + 4) * DAY); // weekdays only: 252 periods a year
    const bench = [100, 101, 100, 102, 103, 102, 104];
    // Strategy = 2 × benchmark daily returns + 0.1 % a day: beta 2, alpha 0.1 % × 252
    const r = bench.slice(1).map((b, i) => b / bench[i]! - 1);
    const equity = [1000];
    for (const x of r) equity.push(equity[equity.length - 1]! * (1 + 2 * x + 0.001));
    const m = computeMetrics({ time: days, equity, close: bench, trades: [], inMarket: equity.map(() => 1), initialCash: 1000, benchmark: bench });
    expect(m.beta).toBeCloseTo(2, 10);
    expect(m.alpha).toBeCloseTo(0.001 * 252, 10);
    const sr = equity.slice(1).map((e, i) => e / equity[i]! - 1);
    const g = Math.exp(sr.reduce((a, b) => a + Math.log1p(b), 0) / sr.length) - 1;
    const mean = sr.reduce((a, b) => a + b, 0) / sr.length;
    const variance = sr.reduce((a, b) => a + (b - mean) ** 2, 0) / (sr.length - 1);
    const annual = (1 + g) ** 252 - 1;
    const vol = Math.sqrt((variance + (1 + g) ** 2) ** 252 - (1 + g) ** 504);
    expect(m.annualReturnPct).toBeCloseTo(annual * 100, 8);
    expect(m.sharpe).toBeCloseTo(annual / vol, 10);
    const downside = Math.sqrt(sr.reduce((a, b) => a + Math.min(b, 0) ** 2, 0) / sr.length) * Math.sqrt(252);
    expect(m.sortino).toBeCloseTo(annual / downside, 10);
    expect(m.cagrPct).toBeCloseTo(((equity[6]! / 1000) ** (1 / (8 / 365.25)) - 1) * 100, 6);
  });
});
