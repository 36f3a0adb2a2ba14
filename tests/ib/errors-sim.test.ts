// Every error code the TWS simulator can send maps to a specific entry of our table with a clear message.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Err } from '../../tools/tws-sim/protocol/ids';
import { classifyIbError, describeIbError } from '../../src-main/adapters/ib/errors';

const SIM_DIR = join(__dirname, '../../tools/tws-sim');

/** Codes the simulator's sources pass to an error message as literals (beside its Err table). */
function literalCodes(dir: string): number[] {
  const out: number[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...literalCodes(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) {
      for (const m of readFileSync(p, 'utf8').matchAll(/error\([^,()]+,\s*(\d{3,5})\s*,/g)) out.push(Number(m[1]));
    }
  }
  return out;
}

describe('IB error codes the simulator produces', () => {
  const codes = [...new Set([...Object.values(Err), ...literalCodes(SIM_DIR)])].sort((a, b) => a - b);

  it('finds the simulator list', () => {
    expect(codes).toEqual(expect.arrayContaining([162, 200, 201, 1100, 1101, 2104, 10167, 321]));
  });

  it.each(codes)('code %i has its own entry and a clear message', (code) => {
    const e = classifyIbError(code, 'text from TWS');
    expect(e.known).toBe(true);
    expect(e.message.length).toBeGreaterThan(15);
    expect(describeIbError(e)).toContain(`IB ${code}`);
  });
});
