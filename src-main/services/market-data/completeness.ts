// Data completeness per instrument and UTC day: bars the trading calendar expects vs bars stored vs bars held in
// quarantine or flagged — what the `data.completeness` contract method serves.
import type { SessionKind, Timeframe } from '../../../src-shared/domain/types';
import { bucketOf } from '../../../src-shared/domain/candles';
import { expectedOnDay } from '../../domain/data/calendar';
import type { Store } from '../../ports/store';

export interface CompletenessRow {
  /** UTC date, YYYY-MM-DD. */
  date: string;
  expected: number;
  /** Stored bars that fall on an expected bar. */
  stored: number;
  /** Expected bars with nothing stored. */
  missing: number;
  /** Stored bars outside the calendar (e.g. a holiday the calendar does not know, a session extension). */
  extra: number;
  /** Distinct bar times withheld in quarantine. */
  quarantined: number;
  /** Distinct bar times stored but flagged (stale runs). */
  flagged: number;
}

const DAY = 86_400;
/** Days read per piece of a long range: bounds the bars held in memory at once, whatever the range asked. */
const PIECE_DAYS = 366;

/** completeness() over any range, read a year at a time and joined (one row per UTC day, so pieces never overlap). */
export async function completenessInPieces(store: Store, q: Parameters<typeof completeness>[1]): Promise<CompletenessRow[]> {
  const rows: CompletenessRow[] = [];
  for (let start = q.from; start <= q.to;) {
    const end = Math.min(q.to, (Math.floor(start / DAY) + PIECE_DAYS) * DAY - 1);
    rows.push(...(await completeness(store, { ...q, from: start, to: end })));
    start = end + 1;
  }
  return rows;
}

export async function completeness(store: Store, q: { symbol: string; timeframe: Timeframe; session: SessionKind; from: number; to: number }): Promise<CompletenessRow[]> {
  const firstDay = Math.floor(q.from / DAY);
  const lastDay = Math.floor(q.to / DAY);
  const stored = (await store.bars.rangeArrays(q.symbol, q.timeframe, firstDay * DAY, lastDay * DAY + DAY - 1)).time;
  const held = await store.quarantine.list({ symbol: q.symbol, timeframe: q.timeframe, from: firstDay * DAY, to: lastDay * DAY + DAY - 1, limit: 1_000_000 });
  const byDay = new Map<number, { buckets: Set<number>; quarantined: Set<number>; flagged: Set<number> }>();
  const at = (day: number) => {
    let d = byDay.get(day);
    if (!d) byDay.set(day, (d = { buckets: new Set(), quarantined: new Set(), flagged: new Set() }));
    return d;
  };
  for (const t of stored) at(Math.floor(t / DAY)).buckets.add(bucketOf(q.timeframe, t));
  for (const h of held) if (h.time != null) at(Math.floor(h.time / DAY))[h.action === 'flagged' ? 'flagged' : 'quarantined'].add(h.time);
  const rows: CompletenessRow[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const expected = expectedOnDay(q.session, q.timeframe, day);
    const d = byDay.get(day);
    if (expected.length === 0 && !d) continue;
    const buckets = d?.buckets ?? new Set<number>();
    const hits = expected.filter((t) => buckets.has(t)).length;
    rows.push({
      date: new Date(day * DAY * 1000).toISOString().slice(0, 10), expected: expected.length, stored: hits, missing: expected.length - hits,
      extra: buckets.size - hits, quarantined: d?.quarantined.size ?? 0, flagged: d?.flagged.size ?? 0,
    });
  }
  return rows;
}
