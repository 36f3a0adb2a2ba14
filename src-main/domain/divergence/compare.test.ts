// Divergence figures checked by hand: live fills shifted in time and price, one backtest trade missed live, one live
// trade the backtest never made; the equity of both runs and the drift at each close.
import { describe, expect, it } from 'vitest';
import { compareRuns, matchTrades, priceDiffBps, type RunTrade } from './compare';

const M = 60_000;
const T0 = Date.parse('2026-12-01T00:00:00Z');
const tr = (minute: number, side: 'buy' | 'sell', quantity: number, price: number, commission = 0): RunTrade => ({ time: T0 + minute * M, side, quantity, price, commission });

// The backtest: buy 10 @ 100 at 1', sell 10 @ 104 at 3', buy 10 @ 103 at 5'.
const BACKTEST = [tr(1, 'buy', 10, 100), tr(3, 'sell', 10, 104), tr(5, 'buy', 10, 103)];
// Live: the buy 20 s late at 100.10 (commission 1), the sell at 3' at 103.90, the third buy missing, an extra sell at 4'.
const LIVE = [tr(1 + 20 / 60, 'buy', 10, 100.1, 1), tr(3, 'sell', 10, 103.9), tr(4, 'sell', 10, 104.5)];
const BARS = [100, 101, 103, 104, 104.5, 103, 102].map((close, i) => ({ time: T0 + i * M, close }));

describe('live vs backtest divergence', () => {
  it('signs price differences so that positive is worse for the trader', () => {
    expect(priceDiffBps(tr(0, 'buy', 1, 100.1), tr(0, 'buy', 1, 100))).toBeCloseTo(10, 9); // paid 10 bps more
    expect(priceDiffBps(tr(0, 'sell', 1, 103.9), tr(0, 'sell', 1, 104))).toBeCloseTo(9.615384615, 6); // 0.1 / 104
    expect(priceDiffBps(tr(0, 'sell', 1, 105), tr(0, 'sell', 1, 104))).toBeLessThan(0); // sold dearer: better
  });

  it('matches by side within the window; the rest is missed or extra', () => {
    const m = matchTrades(LIVE, BACKTEST, M);
    expect(m.matched.map((x) => [x.backtest.time, x.live.time, x.timeDiffMs])).toEqual([[T0 + M, T0 + M + 20_000, 20_000], [T0 + 3 * M, T0 + 3 * M, 0]]);
    expect(m.missed).toEqual([BACKTEST[2]]);
    expect(m.extra).toEqual([LIVE[2]]);
    // A window shorter than the 20 s delay: that buy is both missed and extra.
    const tight = matchTrades(LIVE, BACKTEST, 10_000);
    expect(tight.matched).toHaveLength(1);
    expect(tight.missed.map((x) => x.time)).toEqual([T0 + M, T0 + 5 * M]);
  });

  it('equity of both runs at each close and the drift between them', () => {
    const r = compareRuns({ live: LIVE, backtest: BACKTEST, bars: BARS, periodMs: M, capital: 10_000, windowMs: M });
    expect(r.meanAbsBps).toBeCloseTo((10 + 9.615384615) / 2, 6);
    expect(r.meanBps).toBeCloseTo((10 + 9.615384615) / 2, 6);
    // Closes at 1' … 7'. Backtest: flat, then 10 long from 1' (cash 9,000), flat at 3' (cash 10,040), 10 long from 5'
    // (cash 9,010). Live: 10 long from 1'20" (cash 8,998), flat at 3' (cash 10,037), short 10 from 4' (cash 11,082).
    expect(r.equity.map((p) => p.time)).toEqual([1, 2, 3, 4, 5, 6, 7].map((k) => T0 + k * M));
    expect(r.equity.map((p) => Number(p.backtest.toFixed(2)))).toEqual([10_000, 10_010, 10_030, 10_040, 10_040, 10_040, 10_030]);
    expect(r.equity.map((p) => Number(p.live.toFixed(2)))).toEqual([10_000, 10_008, 10_028, 10_037, 10_037, 10_052, 10_062]);
    expect(r.equity.map((p) => Number(p.drift.toFixed(2)))).toEqual([0, -2, -2, -3, -3, 12, 32]);
    expect(r.finalDrift).toBeCloseTo(32, 9);
  });
});
