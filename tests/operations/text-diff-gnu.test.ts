// The configuration history's hand-written diff (src-main/domain/operations/text-diff.ts) against GNU diff -u.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src-main/domain/operations/text-diff';

describe('unifiedDiff', () => {
  it('agrees with GNU diff -u on hunks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-diff-'));
    const a = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const b = a.replace('line 3\n', '').replace('line 20', 'line twenty').replace('line 39\n', 'line 39\nline 40\n');
    writeFileSync(join(dir, 'a'), a);
    writeFileSync(join(dir, 'b'), b);
    let gnu = '';
    try {
      execFileSync('diff', ['-u', join(dir, 'a'), join(dir, 'b')], { encoding: 'utf8' });
    } catch (err) {
      gnu = (err as { stdout: string }).stdout;
    }
    const hunks = (d: string) => d.split('\n').filter((l) => !l.startsWith('---') && !l.startsWith('+++')).join('\n');
    expect(hunks(unifiedDiff(a, b))).toBe(hunks(gnu));
  });

});
