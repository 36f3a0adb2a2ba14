// `npm run soak:orders -- --trials 200 [--seed 1]`: seeded SIGKILL trials of the paper order flow
// (tests/paper/order-trials.ts); prints the totals and every failing seed so it can be replayed.
import { Command } from 'commander';
import { runPaperTrial, trialFailed, type PaperTrialResult } from '../tests/paper/order-trials';

const opts = new Command('soak:orders')
  .option('--trials <n>', 'number of trials', (v) => Number(v), 200)
  .option('--seed <n>', 'first seed', (v) => Number(v), 1)
  .parse()
  .opts<{ trials: number; seed: number }>();

const results: PaperTrialResult[] = [];
const failing: string[] = [];
const started = Date.now();
for (let i = 0; i < opts.trials; i++) {
  const seed = opts.seed + i;
  try {
    const r = await runPaperTrial(seed);
    results.push(r);
    if (trialFailed(r)) {
      failing.push(String(seed));
      process.stdout.write(`FAIL seed ${seed}: ${JSON.stringify(r)}\n`);
    }
  } catch (err) {
    failing.push(`${seed} (error)`);
    process.stdout.write(`ERROR seed ${seed}: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  if ((i + 1) % 25 === 0) process.stdout.write(`${i + 1} trials…\n`);
}
const sum = (f: (r: PaperTrialResult) => number) => results.reduce((n, r) => n + f(r), 0);
console.log(JSON.stringify({
  trials: opts.trials, completed: results.length, failed: failing.length, orders: sum((r) => r.orders), fills: sum((r) => r.fills),
  acknowledgedFillsBeforeKill: sum((r) => r.acknowledgedFills), lost: sum((r) => r.lost), duplicated: sum((r) => r.duplicated),
  ledgerNotExact: results.filter((r) => !r.ledgerExact).length, positionMismatches: sum((r) => r.positionMismatches.length),
  dangling: sum((r) => r.dangling), resent: sum((r) => r.resent), seconds: Math.round((Date.now() - started) / 1000), failingSeeds: failing,
}, null, 2));
process.exit(failing.length > 0 ? 1 : 0);
