// Seeded fault trials (see trials.ts): nothing lost, nothing duplicated, positions equal the simulator's.
// Replay one trial: QC_IB_TRIAL=<seed>:<kind> npx vitest run tests/ib/faults.test.ts
import { describe, expect, it } from 'vitest';
import { runTrial, type FaultKind, type TrialResult } from './trials';

const SIM_FAULTS: Exclude<FaultKind, 'kill'>[] = ['drop', 'restart', 'hook'];
const BASE_SEED = Number(process.env['QC_IB_SEED'] ?? 1000);
const only = process.env['QC_IB_TRIAL']?.split(':');

function check(r: TrialResult): void {
  const where = `seed ${r.seed} (${r.fault}); replay with QC_IB_TRIAL=${r.seed}:${r.fault.split(/[@:]/)[0]}`;
  expect(r.lost, `lost executions, ${where}`).toBe(0);
  expect(r.duplicated, `duplicates, ${where}`).toBe(0);
  expect(r.positionMismatches, `positions, ${where}`).toEqual([]);
  expect(r.stuck, `orders never acknowledged, ${where}`).toBe(0);
}

describe('IB fault trials', () => {
  if (only) {
    it(`replays trial ${only.join(':')}`, async () => check(await runTrial(Number(only[0]), only[1] as FaultKind)), 60_000);
    return;
  }

  it('54 trials: the simulator drops, restarts or cuts the socket at a random moment of an order\'s life', async () => {
    const results: TrialResult[] = [];
    for (let i = 0; i < 54; i++) {
      const r = await runTrial(BASE_SEED + i, SIM_FAULTS[i % SIM_FAULTS.length]!);
      results.push(r);
      check(r);
    }
    // The trials did trade: most placed orders were filled across the faults.
    expect(results.reduce((n, r) => n + r.simExecutions, 0)).toBeGreaterThan(54);
  }, 240_000);

  it('6 trials: the terminal process is SIGKILLed mid-order and restarted on the same data file', async () => {
    const results: TrialResult[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await runTrial(BASE_SEED + 500 + i, 'kill');
      results.push(r);
      check(r);
    }
    expect(results.reduce((n, r) => n + r.simExecutions, 0)).toBeGreaterThan(0);
  }, 240_000);
});
