// `npm run soak:mt5 -- --trials 200 [--seed 1]`: many seeded MetaTrader 5 fault trials on the stand-in (tests/mt5/trials.ts); prints trials,
// lost fills, duplicated orders, position mismatches and the time per trial, and every failing seed so it can be replayed.
import { Command } from 'commander';
import { FAULT_KINDS, runMt5Trial, type Mt5TrialResult } from '../tests/mt5/trials';

const opts = new Command('soak:mt5')
  .option('--trials <n>', 'number of trials', (v) => Number(v), 200)
  .option('--seed <n>', 'first seed', (v) => Number(v), 1)
  .parse()
  .opts<{ trials: number; seed: number }>();

const results: Mt5TrialResult[] = [];
const failures: Mt5TrialResult[] = [];
const started = Date.now();
for (let i = 0; i < opts.trials; i++) {
  const seed = opts.seed + i;
  const kind = FAULT_KINDS[i % FAULT_KINDS.length]!;
  let r: Mt5TrialResult;
  try {
    r = await runMt5Trial(seed, kind);
  } catch (err) {
    r = { seed, fault: `${kind} (error)`, ordersAccepted: 0, struck: false, simFills: 0, lost: 0, duplicated: 0, positionMismatches: [], stuck: 0, details: [String(err)], ms: 0 };
  }
  results.push(r);
  const bad = r.lost > 0 || r.duplicated > 0 || r.stuck > 0 || r.positionMismatches.length > 0 || r.fault.endsWith('(error)');
  if (bad) {
    failures.push(r);
    process.stdout.write(`\nFAIL seed ${seed} ${r.fault}: ${JSON.stringify(r)}\n`);
  } else if ((i + 1) % 25 === 0) process.stdout.write(`${i + 1} trials…\n`);
}
const sum = (f: (r: Mt5TrialResult) => number) => results.reduce((n, r) => n + f(r), 0);
const msPer = (k: string) => {
  const rs = results.filter((r) => r.fault.startsWith(k));
  return rs.length ? Math.round(rs.reduce((n, r) => n + r.ms, 0) / rs.length) : 0;
};
console.log(JSON.stringify({
  trials: results.length, failed: failures.length, lost: sum((r) => r.lost), duplicated: sum((r) => r.duplicated), stuck: sum((r) => r.stuck),
  positionMismatches: sum((r) => r.positionMismatches.length), ordersAccepted: sum((r) => r.ordersAccepted), faultsStruck: sum((r) => (r.struck ? 1 : 0)), simFills: sum((r) => r.simFills),
  msPerTrial: Object.fromEntries(['all', ...FAULT_KINDS].map((k) => [k, k === 'all' ? Math.round(results.reduce((n, r) => n + r.ms, 0) / Math.max(1, results.length)) : msPer(k)])),
  seconds: Math.round((Date.now() - started) / 1000), failingSeeds: failures.map((f) => `${f.seed}:${f.fault}`),
}, null, 2));
process.exit(failures.length > 0 ? 1 : 0);
