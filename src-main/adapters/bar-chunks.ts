// The chunked bar layout shared by the SQLite and Postgres stores: one row per instrument × timeframe × period holding
// the period's bars as one binary block of six Float64 columns, so a range read is a few memcpys into typed arrays
// instead of one driver row object per bar. Also the merge of incoming bars into a chunk, which is where a source
// restating history is noticed.
import type { Bar, Timeframe } from '../../src-shared/domain/types';
import { TIMEFRAME_SECONDS } from '../../src-shared/domain/types';
import type { BarArrays } from '../domain/backtest/types';
import type { BarChange, BarRestatement, BarWriteOptions, BarWriteResult } from '../ports/store';

/** Bars per chunk period: 4096 one-minute bars ≈ 2.8 days, 4096 daily bars ≈ 11 years; a full chunk is 192 KiB. */
export const CHUNK_BARS = 4096;
const COLUMNS = 6;
const FIELDS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;
const VALUES = ['open', 'high', 'low', 'close', 'volume'] as const;

/** Default relative difference above which a re-downloaded bar counts as restated. */
export const RESTATEMENT_TOLERANCE = 1e-6;

export function chunkSpan(timeframe: Timeframe): number {
  return TIMEFRAME_SECONDS[timeframe] * CHUNK_BARS;
}

export function emptyArrays(n: number): BarArrays {
  return { time: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
}

/**
 * A chunk's blob: the six columns one after the other (time, open, high, low, close, volume), n Float64 values each,
 * in the machine's byte order (little-endian on every platform Node runs on).
 */
export function encodeChunk(a: BarArrays, from = 0, to = a.time.length): Buffer {
  const n = to - from;
  const out = Buffer.allocUnsafe(n * 8 * COLUMNS);
  FIELDS.forEach((f, c) => {
    const col = a[f];
    out.set(new Uint8Array(col.buffer, col.byteOffset + from * 8, n * 8), c * n * 8);
  });
  return out;
}

export function chunkLength(blob: Uint8Array): number {
  return blob.byteLength / (8 * COLUMNS);
}

/** Decodes a whole chunk (copied: a driver's buffer need not be 8-byte aligned). */
export function decodeChunk(blob: Uint8Array): BarArrays {
  const n = chunkLength(blob);
  const a = emptyArrays(n);
  copyChunkInto(blob, 0, n, a, 0);
  return a;
}

/** Copies bars [lo, hi) of a chunk blob into `out` at `at`. */
function copyChunkInto(blob: Uint8Array, lo: number, hi: number, out: BarArrays, at: number): void {
  const n = chunkLength(blob);
  const len = (hi - lo) * 8;
  FIELDS.forEach((f, c) => {
    const col = out[f];
    new Uint8Array(col.buffer, col.byteOffset + at * 8, len).set(blob.subarray(c * n * 8 + lo * 8, c * n * 8 + lo * 8 + len));
  });
}

/** Reads one chunk's time column value i without decoding the rest. */
function timeAt(blob: Uint8Array, view: DataView, i: number): number {
  return view.getFloat64(blob.byteOffset + i * 8, true);
}

/** The index range [lo, hi) of a chunk's bars with from ≤ time ≤ to (binary search on the time column). */
export function chunkSlice(blob: Uint8Array, from: number, to: number): [number, number] {
  const n = chunkLength(blob);
  const view = new DataView(blob.buffer);
  const search = (x: number, inclusive: boolean) => {
    let a = 0;
    let b = n;
    while (a < b) {
      const m = (a + b) >> 1;
      const t = timeAt(blob, view, m);
      if (inclusive ? t <= x : t < x) a = m + 1;
      else b = m;
    }
    return a;
  };
  return [search(from, false), search(to, true)];
}

/** Concatenates the in-range parts of chunks (ordered by period) into one set of typed arrays. */
export function readChunks(blobs: Uint8Array[], from: number, to: number): BarArrays {
  const slices = blobs.map((b) => chunkSlice(b, from, to));
  const total = slices.reduce((s, [lo, hi]) => s + (hi - lo), 0);
  const out = emptyArrays(total);
  let at = 0;
  blobs.forEach((b, i) => {
    const [lo, hi] = slices[i]!;
    if (hi > lo) copyChunkInto(b, lo, hi, out, at);
    at += hi - lo;
  });
  return out;
}

/** Bars sorted by time; of several bars with the same time the last one given wins (as repeated upserts). */
export function sortedBars(bars: readonly Bar[]): readonly Bar[] {
  let sorted = true;
  for (let i = 1; i < bars.length && sorted; i++) sorted = bars[i]!.time > bars[i - 1]!.time;
  if (sorted) return bars;
  const byTime = new Map<number, Bar>();
  for (const b of bars) byTime.set(b.time, b);
  return [...byTime.values()].sort((x, y) => x.time - y.time);
}

/** Columns of bars [from, to) of a sorted list. */
export function barsToArrays(list: readonly Bar[], from = 0, to = list.length): BarArrays {
  const a = emptyArrays(to - from);
  for (let i = from; i < to; i++) {
    const b = list[i]!;
    const k = i - from;
    a.time[k] = b.time;
    a.open[k] = b.open;
    a.high[k] = b.high;
    a.low[k] = b.low;
    a.close[k] = b.close;
    a.volume[k] = b.volume;
  }
  return a;
}

/** A chunk blob straight from bars [from, to) of a sorted list (no intermediate columns). */
export function encodeBars(list: readonly Bar[], from: number, to: number): Buffer {
  const n = to - from;
  // Buffer.alloc of more than a few KiB gets its own 8-byte-aligned ArrayBuffer; view it as Float64 columns.
  const out = Buffer.alloc(Math.max(n * 8 * COLUMNS, 4096)).subarray(0, n * 8 * COLUMNS);
  const f = new Float64Array(out.buffer, out.byteOffset, n * COLUMNS);
  for (let i = 0; i < n; i++) {
    const b = list[from + i]!;
    f[i] = b.time;
    f[n + i] = b.open;
    f[2 * n + i] = b.high;
    f[3 * n + i] = b.low;
    f[4 * n + i] = b.close;
    f[5 * n + i] = b.volume;
  }
  return out;
}

/** Splits a sorted list of bars into [periodStart, from, to) index ranges, one per chunk period. */
export function periods(timeframe: Timeframe, list: readonly Bar[]): [number, number, number][] {
  const out: [number, number, number][] = [];
  const span = chunkSpan(timeframe);
  let i = 0;
  while (i < list.length) {
    const p = Math.floor(list[i]!.time / span) * span;
    let j = i + 1;
    while (j < list.length && list[j]!.time < p + span) j++;
    out.push([p, i, j]);
    i = j;
  }
  return out;
}

/** Bars of the chunks within [from, to], as objects, without concatenating columns first. */
export function readBarsFromChunks(blobs: Uint8Array[], from: number, to: number): Bar[] {
  const slices = blobs.map((b) => chunkSlice(b, from, to));
  const out = new Array<Bar>(slices.reduce((s, [lo, hi]) => s + (hi - lo), 0));
  let k = 0;
  blobs.forEach((blob, c) => {
    const [lo, hi] = slices[c]!;
    if (hi <= lo) return;
    const n = chunkLength(blob);
    const aligned = blob.byteOffset % 8 === 0 ? blob : new Uint8Array(blob);
    const f = new Float64Array(aligned.buffer, aligned.byteOffset, n * COLUMNS);
    for (let i = lo; i < hi; i++) out[k++] = { time: f[i]!, open: f[n + i]!, high: f[2 * n + i]!, low: f[3 * n + i]!, close: f[4 * n + i]!, volume: f[5 * n + i]! };
  });
  return out;
}

export interface MergeResult {
  merged: BarArrays;
  inserted: number;
  replaced: number;
  unchanged: number;
  changes: BarChange[];
}

const differs = (a: number, b: number, tol: number) => Math.abs(a - b) > tol * Math.max(Math.abs(a), Math.abs(b), 1e-12);

/**
 * Merges incoming sorted bars [from, to) into an existing chunk. Same time: compared field by field; a difference
 * beyond the tolerance is a restatement (listed in `changes`) and, unless `onRestatement` is 'keep', the new bar wins.
 */
export function mergeChunk(existing: BarArrays, incoming: BarArrays, from: number, to: number, opts: BarWriteOptions): MergeResult {
  const tol = opts.tolerance ?? RESTATEMENT_TOLERANCE;
  const keep = opts.onRestatement === 'keep';
  const out = emptyArrays(existing.time.length + (to - from));
  const changes: BarChange[] = [];
  let inserted = 0;
  let replaced = 0;
  let unchanged = 0;
  let i = 0;
  let j = from;
  let k = 0;
  const put = (src: BarArrays, idx: number) => {
    for (const f of FIELDS) out[f][k] = src[f][idx]!;
    k++;
  };
  while (i < existing.time.length || j < to) {
    const te = i < existing.time.length ? existing.time[i]! : Infinity;
    const tn = j < to ? incoming.time[j]! : Infinity;
    if (te < tn) put(existing, i++);
    else if (tn < te) {
      put(incoming, j++);
      inserted++;
    } else {
      const fields = VALUES.filter((f) => differs(existing[f][i]!, incoming[f][j]!, tol));
      if (fields.length === 0) {
        put(existing, i);
        unchanged++;
      } else {
        changes.push({ time: te, fields, old: barAt(existing, i), new: barAt(incoming, j) });
        if (keep) put(existing, i);
        else {
          put(incoming, j);
          replaced++;
        }
      }
      i++;
      j++;
    }
  }
  const merged: BarArrays = { time: out.time.subarray(0, k), open: out.open.subarray(0, k), high: out.high.subarray(0, k), low: out.low.subarray(0, k), close: out.close.subarray(0, k), volume: out.volume.subarray(0, k) };
  return { merged, inserted, replaced, unchanged, changes };
}

export function barAt(a: BarArrays, i: number): Bar {
  return { time: a.time[i]!, open: a.open[i]!, high: a.high[i]!, low: a.low[i]!, close: a.close[i]!, volume: a.volume[i]! };
}

/** Changes listed in full per restatement record; the count is always exact. */
export const MAX_LISTED_CHANGES = 500;

export interface ChunkRow {
  firstTime: number;
  lastTime: number;
  count: number;
  data: Buffer;
}

/** The new content of one chunk: bars [from, to) of the sorted incoming list, merged into the stored blob if any. */
export function writeChunk(existing: Uint8Array | undefined, incoming: readonly Bar[], from: number, to: number, opts: BarWriteOptions, tally: WriteTally): ChunkRow {
  if (!existing) {
    tally.add({ inserted: to - from, replaced: 0, unchanged: 0, changes: [] });
    return { firstTime: incoming[from]!.time, lastTime: incoming[to - 1]!.time, count: to - from, data: encodeBars(incoming, from, to) };
  }
  const m = mergeChunk(decodeChunk(existing), barsToArrays(incoming, from, to), 0, to - from, opts);
  tally.add(m);
  const n = m.merged.time.length;
  return { firstTime: m.merged.time[0]!, lastTime: m.merged.time[n - 1]!, count: n, data: encodeChunk(m.merged) };
}

/** Adds up per-chunk merge results into the write's result and its restatement record (if anything was restated). */
export class WriteTally {
  inserted = 0;
  replaced = 0;
  unchanged = 0;
  private count = 0;
  private changes: BarChange[] = [];
  private first = Infinity;
  private last = -Infinity;

  constructor(private readonly symbol: string, private readonly timeframe: Timeframe, private readonly opts: BarWriteOptions) {}

  add(r: Pick<MergeResult, 'inserted' | 'replaced' | 'unchanged' | 'changes'>): void {
    this.inserted += r.inserted;
    this.replaced += r.replaced;
    this.unchanged += r.unchanged;
    this.count += r.changes.length;
    for (const c of r.changes) {
      this.first = Math.min(this.first, c.time);
      this.last = Math.max(this.last, c.time);
      if (this.changes.length < MAX_LISTED_CHANGES) this.changes.push(c);
    }
  }

  result(): BarWriteResult {
    const restatement: BarRestatement | null = this.count === 0 ? null : {
      symbol: this.symbol, timeframe: this.timeframe, source: this.opts.source ?? 'unknown', detectedAt: this.opts.now ?? Date.now(),
      count: this.count, from: this.first, to: this.last, applied: this.opts.onRestatement ?? 'replace', changes: this.changes,
    };
    return { inserted: this.inserted, replaced: this.replaced, unchanged: this.unchanged, restatement };
  }
}
