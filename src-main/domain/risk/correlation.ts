// Correlation of the holdings' daily returns and the clusters of instruments that move together.
import type { ReturnMatrix } from './var';

/** Pearson correlation of every pair over the last `window` days (row-major n×n; NaN where a series did not move). */
export function correlationMatrix(m: ReturnMatrix, window = Infinity): Float64Array {
  const n = m.returns.length;
  const t = m.returns[0]?.length ?? 0;
  const from = Math.max(0, t - window);
  const len = t - from;
  const centred = m.returns.map((r) => {
    const x = r.subarray(from);
    let s = 0;
    for (let k = 0; k < len; k++) s += x[k]!;
    const mu = s / len;
    return x.map((v) => v - mu);
  });
  const norm = centred.map((x) => Math.sqrt(x.reduce((s, v) => s + v * v, 0)));
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      const a = centred[i]!;
      const b = centred[j]!;
      for (let k = 0; k < len; k++) s += a[k]! * b[k]!;
      const d = norm[i]! * norm[j]!;
      c[i * n + j] = c[j * n + i] = d > 0 ? s / d : NaN;
    }
  }
  return c;
}

/**
 * Clusters: the connected components of the graph whose edges join instruments with correlation above `threshold`
 * (so A~B and B~C put A, B and C together even when A and C are less correlated). Only clusters of two or more.
 */
export function correlatedClusters(symbols: string[], corr: Float64Array, threshold: number): string[][] {
  const n = symbols.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) if (corr[i * n + j]! > threshold) parent[find(i)] = find(j);
  const groups = new Map<number, string[]>();
  for (let i = 0; i < n; i++) {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), symbols[i]!]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}
