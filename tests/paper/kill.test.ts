// SIGKILL at random points of the paper order flow (market, limit, bracket orders, cancels), then a restart on the same
// data folder: 0 lost acknowledged fills, 0 duplicates, exact ledger, positions = Σ fills, no dangling intent, nothing
// re-sent. `npm run soak:orders -- --trials 200` runs the same trials at length.
import { describe, expect, it } from 'vitest';
import { runPaperTrial, trialFailed } from './order-trials';

const TRIALS = 10;

describe('paper order flow under SIGKILL', () => {
  it(`${TRIALS} seeded kill trials: nothing lost, nothing doubled, ledger exact, no dangling intent`, async () => {
    const failures: unknown[] = [];
    let orders = 0;
    for (let seed = 101; seed < 101 + TRIALS; seed++) {
      const r = await runPaperTrial(seed);
      orders += r.orders;
      if (trialFailed(r)) failures.push(r);
    }
    expect(failures).toEqual([]);
    expect(orders).toBeGreaterThan(TRIALS); // the kills did not all land before the first order
  }, 600_000);
});
