// A unified line diff (`diff -u` format) of two texts, for the configuration history. Hand-written because no diff
// library is installed: the longest common subsequence of lines, which config files (hundreds of lines) keep cheap.

/** Unified diff from `a` to `b` with `context` lines around each change; '' when they are equal. */
export function unifiedDiff(a: string, b: string, opts: { from?: string; to?: string; context?: number } = {}): string {
  if (a === b) return '';
  const x = splitLines(a);
  const y = splitLines(b);
  const ops = lineOps(x, y);
  const context = opts.context ?? 3;
  const out = [`--- ${opts.from ?? 'a'}`, `+++ ${opts.to ?? 'b'}`];
  // Hunks: runs of changes joined when fewer than 2·context equal lines separate them.
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i]!.op === ' ') i++;
    if (i >= ops.length) break;
    const start = Math.max(0, i - context);
    let end = i;
    for (;;) {
      while (end < ops.length && ops[end]!.op !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next]!.op === ' ') next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    const hunk = ops.slice(start, stop);
    const aStart = ops[start]!.ai;
    const bStart = ops[start]!.bi;
    const aLen = hunk.filter((o) => o.op !== '+').length;
    const bLen = hunk.filter((o) => o.op !== '-').length;
    out.push(`@@ -${aLen === 0 ? aStart : aStart + 1},${aLen} +${bLen === 0 ? bStart : bStart + 1},${bLen} @@`);
    for (const o of hunk) out.push(`${o.op}${o.line}`);
    i = stop;
  }
  return `${out.join('\n')}\n`;
}

function splitLines(t: string): string[] {
  if (t === '') return [];
  const lines = t.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

interface Op { op: ' ' | '-' | '+'; line: string; ai: number; bi: number }

/** Equal, removed and added lines in order (ai/bi: the line's index before it in each text). */
function lineOps(x: string[], y: string[]): Op[] {
  // Common head and tail first: an edit of one key leaves the rest equal, and the LCS table shrinks to the middle.
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  const xs = x.slice(head, x.length - tail);
  const ys = y.slice(head, y.length - tail);
  const n = xs.length;
  const m = ys.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = xs[i] === ys[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: Op[] = [];
  for (let k = 0; k < head; k++) ops.push({ op: ' ', line: x[k]!, ai: k, bi: k });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && xs[i] === ys[j]) {
      ops.push({ op: ' ', line: xs[i]!, ai: head + i, bi: head + j });
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      // Removals before additions, as diff -u prints them.
      ops.push({ op: '-', line: xs[i]!, ai: head + i, bi: head + j });
      i++;
    } else {
      ops.push({ op: '+', line: ys[j]!, ai: head + i, bi: head + j });
      j++;
    }
  }
  for (let k = 0; k < tail; k++) ops.push({ op: ' ', line: x[x.length - tail + k]!, ai: x.length - tail + k, bi: y.length - tail + k });
  return ops;
}
