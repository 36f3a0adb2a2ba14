// The fault-trial runner behind `npm run soak:oanda|ctrader|ig|mt5 -- --trials 200 [--seed 1]`: many seeded trials of
// one venue (tests/VENUE/trials.ts), the fault kinds in turn; prints trials, lost fills, duplicated orders, position
// mismatches and the time per trial, and every failing seed so it can be replayed. Exits 1 when any trial failed.
import { Command } from 'commander';
import type { VenueTrialResult } from '../tests/venue-kit/trials';

export async function runSoak<K extends string>(name: string, kinds: readonly K[], runTrial: (seed: number, kind: K) => Promise<VenueTrialResult>): Promise<never> {
  const opts = new Command(name)
    .option('--trials <n>', 'number of trials', (v) => Number(v), 200)
    .option('--seed <n>', 'first seed', (v) => Number(v), 1)
    .parse()
    .opts<{ trials: number; seed: number }>();

  const results: VenueTrialResult[] = [];
  const failures: VenueTrialResult[] = [];
  const started = Date.now();
  for (let i = 0; i < opts.trials; i++) {
    const seed = opts.seed + i;
    const kind = kinds[i % kinds.length]!;
    let r: VenueTrialResult;
    try {
      r = await runTrial(seed, kind);
    } catch (err) {
      r = { seed, fault: `${kind} (error)`, ordersAccepted: 0, simFills: 0, lost: 0, duplicated: 0, positionMismatches: [], stuck: 0, details: [String(err)], ms: 0 };
    }
    results.push(r);
    const bad = r.lost > 0 || r.duplicated > 0 || r.stuck > 0 || r.positionMismatches.length > 0 || r.fault.endsWith('(error)');
    if (bad) {
      failures.push(r);
      process.stdout.write(`\nFAIL seed ${seed} ${r.fault}: ${JSON.stringify(r)}\n`);
    } else if ((i + 1) % 25 === 0) process.stdout.write(`${i + 1} trials…\n`);
  }
  const sum = (f: (r: VenueTrialResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const msPer = (k: string) => {
    const rs = k === 'all' ? results : results.filter((r) => r.fault.startsWith(k));
    return rs.length ? Math.round(rs.reduce((n, r) => n + r.ms, 0) / rs.length) : 0;
  };
  const struck = results.some((r) => r.struck !== undefined) ? { faultsStruck: sum((r) => (r.struck ? 1 : 0)) } : {};
  console.log(JSON.stringify({
    trials: results.length, failed: failures.length, lost: sum((r) => r.lost), duplicated: sum((r) => r.duplicated), stuck: sum((r) => r.stuck),
    positionMismatches: sum((r) => r.positionMismatches.length), ordersAccepted: sum((r) => r.ordersAccepted), ...struck, simFills: sum((r) => r.simFills),
    msPerTrial: Object.fromEntries(['all', ...kinds].map((k) => [k, msPer(k)])),
    seconds: Math.round((Date.now() - started) / 1000), failingSeeds: failures.map((f) => `${f.seed}:${f.fault}`),
  }, null, 2));
  process.exit(failures.length > 0 ? 1 : 0);
}
