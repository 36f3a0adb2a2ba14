// Processes racing for one data folder's lock in the same millisecond: exactly one holds it each round.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDataDir } from '../support/web-host';

const ROUNDS = 5;
const RACERS = 4;

/** Racers started and loaded (each says "ready"); `go(startAt)` gives them the common millisecond, `result` their verdict. */
async function racers(dir: string): Promise<{ go(startAt: number): void; results: Promise<string[]> }> {
  const children = Array.from({ length: RACERS }, () => spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'tests/support/lock-child.ts'), dir, '500'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'inherit'] }));
  const lines = children.map((c) => {
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    const line = (n: number) => new Promise<string>((resolve, reject) => {
      const check = () => {
        const l = out.split('\n');
        if (l.length > n + 1) resolve(l[n]!); // a whole line: its newline has come
      };
      c.stdout.on('data', check);
      c.once('exit', (code) => (check(), reject(new Error(`racer exited with ${code} before line ${n + 1}: ${out}`))));
      check();
    });
    return { ready: line(0), verdict: line(1) };
  });
  await Promise.all(lines.map((l) => l.ready));
  return {
    go: (startAt) => children.forEach((c) => c.stdin.end(`${startAt}\n`)),
    results: Promise.all(lines.map((l) => l.verdict.then((v) => v.trim()))),
  };
}

describe('data folder lock under a race', () => {
  it(`${ROUNDS} rounds of ${RACERS} processes started together: one holder per round, the others name it`, async () => {
    let refusals = 0;
    let named = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const dir = tempDataDir('qc-lock-race-');
      // All racers call lockDataFolder in the same millisecond, once every process is up (however long that took).
      const r = await racers(dir);
      r.go(Date.now() + 200);
      const out = await r.results;
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
