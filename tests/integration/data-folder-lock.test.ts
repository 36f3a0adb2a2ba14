// Processes racing for one data folder's lock in the same millisecond: exactly one holds it each round.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDataDir } from '../support/web-host';

const ROUNDS = 5;
const RACERS = 4;

function racer(dir: string, startAt: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', join(repoRoot, 'tests/support/lock-child.ts'), dir, '500', String(startAt)], { cwd: repoRoot }, (err, stdout) => (err ? reject(err) : resolve(stdout.trim())));
  });
}

describe('data folder lock under a race', () => {
  it(`${ROUNDS} rounds of ${RACERS} processes started together: one holder per round, the others name it`, async () => {
    let refusals = 0;
    let named = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const dir = tempDataDir('qc-lock-race-');
      // All racers call lockDataFolder in the same millisecond, once every process is up.
      const startAt = Date.now() + 4000;
      const out = await Promise.all(Array.from({ length: RACERS }, () => racer(dir, startAt)));
      const held = out.filter((l) => l.startsWith('held '));
      expect(held, out.join('\n')).toHaveLength(1);
      const pid = held[0]!.slice('held '.length);
      for (const l of out.filter((x) => x.startsWith('refused '))) {
        expect(l).toMatch(/is in use by (the Quant Claude cli \(race\) \(pid \d+|another Quant Claude process)/);
        refusals++;
        if (l.includes(`(pid ${pid},`)) named++;
      }
      expect(pid).toMatch(/^\d+$/);
    }
    console.log(`lock race: ${ROUNDS} rounds × ${RACERS} processes: ${ROUNDS} holders, ${refusals} refusals (${named} naming the holder's pid)`);
    expect(refusals).toBe(ROUNDS * (RACERS - 1));
  });
});
