// `npm run soak:ib -- --trials 500 [--seed 1] [--kill-every 10]`: many seeded IB fault trials (tests/ib/trials.ts);
// prints trials, lost, duplicated and the time per trial, and every failing seed so it can be replayed.
import { Command } from 'commander';
import { runTrial, type FaultKind, type TrialResult } from '../tests/ib/trials';

const opts = new Command('soak:ib')
  .option('--trials <n>', 'number of trials', (v) => Number(v), 500)
  .option('--seed <n>', 'first seed', (v) => Number(v), 1)
  .option('--kill-every <n>', 'every n-th trial kills the terminal process (0: never)', (v) => Number(v), 10)
  .parse()
  .opts<{ trials: number; seed: number; killEvery: number }>();

const SIM_FAULTS: FaultKind[] = ['drop', 'restart', 'hook'];
const results: TrialResult[] = [];
const failures: TrialResult[] = [];
const started = Date.now();
for (let i = 0; i < opts.trials; i++) {
  const seed = opts.seed + i;
  const kind: FaultKind = opts.killEvery > 0 && (i + 1) % opts.killEvery === 0 ? 'kill' : SIM_FAULTS[i % SIM_FAULTS.length]!;
  let r: TrialResult;
  try {
    r = await runTrial(seed, kind);
  } catch (err) {
    r = { seed, fault: `${kind} (error)`, ordersAccepted: 0, simExecutions: 0, lost: 0, duplicated: 0, resent: 0, positionMismatches: [], stuck: 0, details: [String(err)], ms: 0 };
  }
  results.push(r);
  const bad = r.lost > 0 || r.duplicated > 0 || r.stuck > 0 || r.positionMismatches.length > 0 || r.fault.endsWith('(error)');
  if (bad) {
    failures.push(r);
    process.stdout.write(`\nFAIL seed ${seed} ${r.fault}: ${JSON.stringify(r)}\n`);
  } else if ((i + 1) % 25 === 0) process.stdout.write(`${i + 1} trials…\n`);
}
const sum = (f: (r: TrialResult) => number) => results.reduce((n, r) => n + f(r), 0);
const byKind = (k: string) => results.filter((r) => r.fault.startsWith(k));
const msPer = (rs: TrialResult[]) => (rs.length ? Math.round(rs.reduce((n, r) => n + r.ms, 0) / rs.length) : 0);
console.log(JSON.stringify({
  trials: results.length, failed: failures.length, lost: sum((r) => r.lost), duplicated: sum((r) => r.duplicated), stuck: sum((r) => r.stuck),
  positionMismatches: sum((r) => r.positionMismatches.length), resentWithoutDuplicate: sum((r) => r.resent),
  ordersAccepted: sum((r) => r.ordersAccepted), simExecutions: sum((r) => r.simExecutions),
  msPerTrial: { all: msPer(results), drop: msPer(byKind('drop')), restart: msPer(byKind('restart')), hook: msPer(byKind('hook')), kill: msPer(byKind('kill')) },
  seconds: Math.round((Date.now() - started) / 1000), failingSeeds: failures.map((f) => `${f.seed}:${f.fault.split(/[@:( ]/)[0]}`),
}, null, 2));
process.exit(failures.length > 0 ? 1 : 0);
