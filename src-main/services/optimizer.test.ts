// The optimiser on real worker threads: the grid, the ordering by objective, agreement with a direct run, cancellation.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBarsCsv } from '../adapters/csv/bars';
import { percentOfNotional } from '../domain/backtest/commission';
import { runBacktest } from '../domain/backtest/engine';
import { computeMetrics } from '../domain/metrics/metrics';
import { smaCross } from '../domain/strategies/sma-cross';
import { runPortfolioBacktest } from '../domain/backtest/portfolio-engine';
import type { BarArrays } from '../domain/backtest/types';
import { createPortfolioStrategy } from '../domain/strategies/registry';
import { barsFromShared } from '../workers/shared-bars';
import { createBacktestPool, deflatedSharpe, gridOf, optimize, shareBars } from './optimizer';

/** A seeded random walk of one-minute bars. */
function randomWalk(n: number): BarArrays {
  let s = 7;
  const rnd = () => ((s = (s * 48271) % 2147483647) / 2147483647);
  const close = new Float64Array(n);
  let p = 100;
  for (let i = 0; i < n; i++) close[i] = p *= 1 + (rnd() - 0.5) * 0.002;
  return { time: Float64Array.from(close, (_, i) => 1_700_000_000 + i * 60), open: close, high: close, low: close, close, volume: new Float64Array(n) };
}

const data = readBarsCsv(join(new URL('../../tests/fixtures', import.meta.url).pathname, 'GOOG.csv'));

describe('optimizer', () => {
  it('builds the Cartesian grid', () => {
    expect(gridOf({ a: [1, 2], b: ['x', 'y', 'z'] })).toHaveLength(6);
    expect(gridOf({ a: [1, 2], b: ['x'] })).toEqual([{ a: 1, b: 'x' }, { a: 2, b: 'x' }]);
  });

  it('evaluates every valid combination on 2 workers, best first, matching a direct backtest', async () => {
    const progress: number[] = [];
    const r = await optimize({
      data, strategy: 'sma-cross', space: { fast: [5, 10, 20], slow: [20, 30, 50] }, workers: 2, commission: 0.002,
      valid: (p) => Number(p['fast']) < Number(p['slow']), onProgress: (done) => progress.push(done),
    });
    expect(r.evaluated).toBe(8); // 9 combinations less fast=20/slow=20
    expect(progress[progress.length - 1]).toBe(8);
    for (let i = 1; i < r.results.length; i++) expect(r.results[i - 1]!.metrics.sharpe).toBeGreaterThanOrEqual(r.results[i]!.metrics.sharpe);
    const best = r.best!;
    const direct = runBacktest(data, smaCross({ fast: Number(best.params['fast']), slow: Number(best.params['slow']) }), { cash: 10_000, commission: percentOfNotional(0.002) });
    const m = computeMetrics({ time: data.time, equity: direct.equity, close: data.close, trades: direct.trades, inMarket: direct.inMarket, initialCash: 10_000 });
    expect(best.metrics.sharpe).toBeCloseTo(m.sharpe, 12);
    expect(best.metrics.finalEquity).toBeCloseTo(m.finalEquity, 8);
  });

  it('random search evaluates the requested sample, reproducibly', async () => {
    const space = { fast: [5, 6, 7, 8, 9, 10], slow: [30, 40, 50, 60] };
    const a = await optimize({ data, strategy: 'sma-cross', space, samples: 5, seed: 3, workers: 1 });
    const b = await optimize({ data, strategy: 'sma-cross', space, samples: 5, seed: 3, workers: 1 });
    expect(a.evaluated).toBe(5);
    expect(a.results.map((x) => x.params)).toEqual(b.results.map((x) => x.params));
  });

  it('workers key their bar views by the shared copy\'s id (each message brings a new SharedArrayBuffer object)', () => {
    const shared = shareBars(data);
    const view = barsFromShared(shared.buffer, shared.id, shared.n);
    // What a worker receives for the next task: the same memory behind a different object.
    const again = structuredClone(shared.buffer);
    expect(again).not.toBe(shared.buffer);
    expect(barsFromShared(again, shared.id, shared.n)).toBe(view); // so indicator caches keyed by view.close hit
    expect(barsFromShared(shared.buffer, shareBars(data).id, shared.n)).not.toBe(view);
  });

  it('can be cancelled: the workers stop between backtests and stay usable', async () => {
    const long = randomWalk(400_000);
    const pool = createBacktestPool(1);
    try {
      const controller = new AbortController();
      let seen = 0;
      const space = { fast: [2, 3, 4, 5, 6, 7, 8, 9], slow: [20, 30, 40, 50, 60, 70, 80, 90] };
      const run = optimize({ data: long, strategy: 'sma-cross', space, pool, signal: controller.signal, onProgress: (done) => ((seen = done), controller.abort()) });
      await expect(run).rejects.toThrow(/abort/i);
      expect(seen).toBeGreaterThan(0);
      expect(seen).toBeLessThan(64);
      // Cancelled before it started: nothing runs.
      await expect(optimize({ data, strategy: 'sma-cross', space, pool, signal: AbortSignal.abort() })).rejects.toThrow(/abort/i);
      // The same (warm) worker takes the next sweep.
      const again = await optimize({ data, strategy: 'sma-cross', space: { fast: [5, 10], slow: [30] }, pool });
      expect(again.evaluated).toBe(2);
    } finally {
      await pool.destroy();
    }
  });

  it('a failing backtest fails the sweep with its reason; the pool stays usable', async () => {
    const pool = createBacktestPool(2);
    try {
      // fast = 1.5 is refused by the strategy inside a worker (the stop flag then keeps the other from claiming more).
      const run = optimize({ data, strategy: 'sma-cross', space: { fast: [5, 1.5, 10], slow: [30, 40] }, pool });
      await expect(run).rejects.toThrow(/fast and slow must be positive integers/);
      expect((await optimize({ data, strategy: 'sma-cross', space: { fast: [5], slow: [30] }, pool })).evaluated).toBe(1);
    } finally {
      await pool.destroy();
    }
  });

  it('warns when sets made no trade because "all" could not buy one whole unit', async () => {
    // GOOG trades above 100: with 100 of cash no set can buy a share.
    const poor = await optimize({ data, strategy: 'sma-cross', space: { fast: [5, 10], slow: [30] }, workers: 1, cash: 100 });
    expect(poor.results.every((r) => r.metrics.trades === 0 && r.unaffordable! > 0)).toBe(true);
    expect(poor.warning).toMatch(/^2 of 2 parameter sets made no trade: size "all" buys whole units/);
    const rich = await optimize({ data, strategy: 'sma-cross', space: { fast: [5, 10], slow: [30] }, workers: 1 });
    expect(rich.warning ?? '').not.toMatch(/made no trade/);
  });

  it('orders ties by the grid, whatever the number of workers', async () => {
    // Too few bars to trade: every Sharpe is NaN, so the ranking is the grid's order on 1 worker and on 2.
    const short = { time: data.time.slice(0, 20), open: data.open.slice(0, 20), high: data.high.slice(0, 20), low: data.low.slice(0, 20), close: data.close.slice(0, 20), volume: data.volume.slice(0, 20) };
    const space = { fast: [2, 3, 4, 5], slow: [30, 40, 50] };
    const one = await optimize({ data: short, strategy: 'sma-cross', space, workers: 1 });
    const two = await optimize({ data: short, strategy: 'sma-cross', space, workers: 2 });
    expect(one.results.map((r) => r.params)).toEqual(gridOf(space));
    expect(two.results.map((r) => r.params)).toEqual(gridOf(space));
  });

  it('deflated Sharpe: many trials deflate a lucky best, a real edge survives', () => {
    const noise = Array.from({ length: 200 }, (_, i) => Math.sin(i * 12.9898) * 0.5);
    expect(deflatedSharpe(noise, 500)).toBeLessThan(0.5);
    expect(deflatedSharpe([3, 0.1, 0.2, -0.1], 2000)).toBeGreaterThan(0.95);
  });
});

/** A cointegrated pair from GOOG's closes: Y = 2·X + 10 + noise with dislocations, X = GOOG's first 600 closes. */
function pair(): Record<string, BarArrays> {
  const n = 600;
  const x = data.close.slice(0, n);
  const y = Float64Array.from(x, (v, i) => 2 * v + 10 + Math.sin(i * 1.7) * 2 + (i % 97 === 50 ? 25 : 0));
  const bars = (c: Float64Array): BarArrays => ({ time: data.time.slice(0, n), open: c, high: c, low: c, close: c, volume: new Float64Array(n) });
  return { Y: bars(y), X: bars(x) };
}

describe('portfolio optimisation', () => {
  it('optimises pairs on 2 workers over shared bars of both legs, matching a direct portfolio backtest', async () => {
    const instruments = pair();
    const progress: number[] = [];
    const r = await optimize({
      instruments, strategy: 'pairs', space: { lookback: [20, 30, 40], entry: [1.5, 2, 2.5], exit: [0.25, 0.5] }, workers: 2, commission: 0.001,
      onProgress: (done) => progress.push(done),
    });
    expect(r.evaluated).toBe(18);
    expect(progress.at(-1)).toBe(18);
    expect(r.results.some((x) => x.metrics.trades > 0)).toBe(true);
    for (let i = 1; i < r.results.length; i++) expect(r.results[i - 1]!.metrics.sharpe >= r.results[i]!.metrics.sharpe || !Number.isFinite(r.results[i]!.metrics.sharpe)).toBe(true);
    const best = r.best!;
    const symbols = Object.keys(instruments);
    const direct = runPortfolioBacktest(instruments, createPortfolioStrategy('pairs', best.params, symbols), {
      cash: 10_000, instruments: Object.fromEntries(symbols.map((s) => [s, { commission: percentOfNotional(0.001) }])),
    });
    const m = computeMetrics({ time: direct.time, equity: direct.equity, close: [], trades: direct.trades, inMarket: direct.inMarket, initialCash: 10_000 });
    expect(best.metrics.finalEquity).toBeCloseTo(m.finalEquity, 8);
    expect(best.metrics.trades).toBe(m.trades);
  });

  it('rotation over three instruments, cancellable', async () => {
    const { X, Y } = pair();
    const Z: BarArrays = { ...X, close: X.close.map((v, i) => v * (1 + i / 2000)) };
    Z.open = Z.close;
    const r = await optimize({ instruments: { X, Y, Z }, strategy: 'rotation', space: { lookback: [10, 20], top: [1, 2], rebalance: [5, 10] }, workers: 2 });
    expect(r.evaluated).toBe(8);
    // Long enough that the first progress report comes before the end.
    const L = randomWalk(100_000);
    const M: BarArrays = { ...L, close: L.close.map((v, i) => v * (1 + Math.sin(i / 5000) / 10)) };
    M.open = M.high = M.low = M.close;
    const controller = new AbortController();
    let seen = 0;
    const run = optimize({
      instruments: { L, M }, strategy: 'rotation', space: { lookback: [5, 10, 15, 20, 25, 30], top: [1, 2], rebalance: [5, 10, 15, 20] }, workers: 1,
      signal: controller.signal, onProgress: (done) => ((seen = done), controller.abort()),
    });
    await expect(run).rejects.toThrow(/abort/i);
    expect(seen).toBeLessThan(48);
  });
});

describe('walk-forward', () => {
  it('optimises each in-sample window and scores the next out-of-sample one', async () => {
    const { walkForward } = await import('./optimizer');
    const wf = await walkForward({
      data, strategy: 'sma-cross', space: { fast: [5, 10, 20], slow: [30, 50] }, workers: 2, inSample: 750, outOfSample: 250,
      valid: (p) => Number(p['fast']) < Number(p['slow']),
    });
    // 2148 bars: windows start at 0, 250, 500, 750, 1000 (the next would end past the data)
    expect(wf.windows.map((w) => w.outOfSample)).toEqual([[750, 1000], [1000, 1250], [1250, 1500], [1500, 1750], [1750, 2000]]);
    for (const w of wf.windows) {
      expect(w.best['fast']).toBeLessThan(Number(w.best['slow']));
      expect(Number.isFinite(w.oosMetrics.returnPct)).toBe(true);
    }
    expect(Number.isFinite(wf.efficiency)).toBe(true);
  });
});
