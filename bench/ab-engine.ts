// The engine of two trees side by side, in one process, run alternately so both see the same machine load: the median
// ms per 1M bars (SMA cross 10/30) of each. A tree is a checkout, e.g. of an earlier commit:
//   git archive COMMIT | tar -x -C /tmp/base && ln -s "$PWD/node_modules" /tmp/base/node_modules
//   npx tsx bench/ab-engine.ts /tmp/base .
//   npx tsx bench/ab-engine.ts --sweep /tmp/base .   (the sweep's work: 179 SMA-cross backtests × 100k bars with
//   metrics, as one worker does it, ms per sweep)
// Run it several times, swapping the order of the trees: the difference that repeats is the one to believe.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { syntheticBars } from './synthetic';

const args = process.argv.slice(2);
const sweep = args[0] === '--sweep';
const roots = args.slice(sweep ? 1 : 0).map((r) => resolve(r));
if (roots.length < 2) throw new Error('usage: tsx bench/ab-engine.ts [--sweep] TREE_A TREE_B');
const rounds = sweep ? 16 : 60;
const warm = sweep ? 3 : 10;
const data = sweep ? syntheticBars(100_000, 7) : syntheticBars(1_000_000);
const grid: { fast: number; slow: number }[] = [];
for (let fast = 5; fast <= 50; fast += 5) for (let slow = 20; slow <= 200; slow += 10) if (fast < slow) grid.push({ fast, slow });
type Result = { equity: Float64Array; inMarket: Uint8Array; trades: unknown[]; firstBar: number };
type Run = (data: unknown, strategy: unknown, opts: object) => Result;
type Metrics = (input: object) => unknown;
const sides = await Promise.all(roots.map(async (root) => ({
  root,
  run: (await import(pathToFileURL(`${root}/src-main/domain/backtest/engine.ts`).href) as { runBacktest: Run }).runBacktest,
  sma: (await import(pathToFileURL(`${root}/src-main/domain/strategies/sma-cross.ts`).href) as { smaCross: (p: { fast: number; slow: number }) => unknown }).smaCross,
  metrics: (await import(pathToFileURL(`${root}/src-main/domain/metrics/metrics.ts`).href) as { computeMetrics: Metrics }).computeMetrics,
  ms: [] as number[],
})));
const scratch = { equity: new Float64Array(data.time.length), inMarket: new Uint8Array(data.time.length) };
function sweepOnce(side: (typeof sides)[number]): void {
  for (const p of grid) {
    const r = side.run(data, side.sma(p), { cash: 1e6, scratch, recordFills: false });
    side.metrics({ time: data.time, equity: r.equity, close: data.close, trades: r.trades, inMarket: r.inMarket, initialCash: 1e6, firstBar: r.firstBar });
  }
}
for (let i = 0; i < rounds; i++) {
  for (const side of i % 2 ? sides : [...sides].reverse()) {
    const t = performance.now();
    if (sweep) sweepOnce(side);
    else side.run(data, side.sma({ fast: 10, slow: 30 }), { cash: 1e6 });
    if (i >= warm) side.ms.push(performance.now() - t);
  }
}
for (const side of sides) {
  const v = side.ms.sort((a, b) => a - b);
  console.log(`${side.root}: median ${v[v.length >> 1]!.toFixed(1)} ms, quartiles ${v[v.length >> 2]!.toFixed(1)}–${v[(3 * v.length) >> 2]!.toFixed(1)} ms ${sweep ? `per sweep of ${grid.length} backtests` : 'per 1M bars'}`);
}
