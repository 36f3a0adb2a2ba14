import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './text-diff';

/** Applies a unified diff to `a` (hunks in order), as `patch` would. */
function applyDiff(a: string, diff: string): string {
  const lines = a === '' ? [] : a.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let at = 0;
  for (const hunk of diff.split(/^@@ /m).slice(1)) {
    const [header, ...body] = hunk.split('\n');
    const start = Number(/^-(\d+)/.exec(header!)![1]);
    const from = body.some((l) => l.startsWith('-') || l.startsWith(' ')) ? start - 1 : start;
    while (at < from) out.push(lines[at++]!);
    for (const l of body) {
      if (l.startsWith(' ')) { out.push(l.slice(1)); at++; }
      else if (l.startsWith('-')) at++;
      else if (l.startsWith('+')) out.push(l.slice(1));
    }
  }
  while (at < lines.length) out.push(lines[at++]!);
  return out.length ? `${out.join('\n')}\n` : '';
}

describe('unifiedDiff', () => {
  it('one changed key: one hunk with three lines of context, in diff -u format', () => {
    const a = 'risk:\n  a: 1\n  b: 2\n  c: 3\n  d: 4\n  e: 5\n  f: 6\n  g: 7\n';
    const b = a.replace('d: 4', 'd: 40');
    expect(unifiedDiff(a, b, { from: 'v1', to: 'v2' })).toBe('--- v1\n+++ v2\n@@ -2,7 +2,7 @@\n   a: 1\n   b: 2\n   c: 3\n-  d: 4\n+  d: 40\n   e: 5\n   f: 6\n   g: 7\n');
    expect(unifiedDiff(a, a)).toBe('');
  });

  it('applying the diff to the old text gives the new one (property)', () => {
    const text = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 30 }).map((l) => (l.length ? `${l.join('\n')}\n` : ''));
    fc.assert(fc.property(text, text, (a, b) => {
      expect(applyDiff(a, unifiedDiff(a, b))).toBe(b);
    }), { numRuns: 300 });
  });
});
