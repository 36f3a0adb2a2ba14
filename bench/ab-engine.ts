// The engine of two trees side by side, in one process, run alternately so both see the same machine load: the median
// ms per 1M bars (SMA cross 10/30) of each. A tree is a checkout, e.g. of an earlier commit:
//   git archive COMMIT | tar -x -C /tmp/base && ln -s "$PWD/node_modules" /tmp/base/node_modules
//   npx tsx bench/ab-engine.ts /tmp/base .
// Run it several times, swapping the order of the trees: the difference that repeats is the one to believe.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { syntheticBars } from './synthetic';

const roots = process.argv.slice(2).map((r) => resolve(r));
if (roots.length < 2) throw new Error('usage: tsx bench/ab-engine.ts TREE_A TREE_B');
const rounds = 60;
const warm = 10;
const data = syntheticBars(1_000_000);
type Run = (data: unknown, strategy: unknown, opts: { cash: number }) => unknown;
const sides = await Promise.all(roots.map(async (root) => ({
  root,
  run: (await import(pathToFileURL(`${root}/src-main/domain/backtest/engine.ts`).href) as { runBacktest: Run }).runBacktest,
  sma: (await import(pathToFileURL(`${root}/src-main/domain/strategies/sma-cross.ts`).href) as { smaCross: (p: { fast: number; slow: number }) => unknown }).smaCross,
  ms: [] as number[],
})));
for (let i = 0; i < rounds; i++) {
  for (const side of i % 2 ? sides : [...sides].reverse()) {
    const t = performance.now();
    side.run(data, side.sma({ fast: 10, slow: 30 }), { cash: 1e6 });
    if (i >= warm) side.ms.push(performance.now() - t);
  }
}
for (const side of sides) {
  const v = side.ms.sort((a, b) => a - b);
  console.log(`${side.root}: median ${v[v.length >> 1]!.toFixed(1)} ms, quartiles ${v[v.length >> 2]!.toFixed(1)}–${v[(3 * v.length) >> 2]!.toFixed(1)} ms per 1M bars`);
}
