// The one way bars enter the store: validate (rejects, spikes, stale runs, gaps), write what passes, keep what does not
// in quarantine with its reason, and flag the suspect. The CLI import and the bar cache both go through here.
import { TIMEFRAME_SECONDS, type SessionKind, type Timeframe } from '../../../src-shared/domain/types';
import type { MissingRange } from '../../domain/data/calendar';
import { OUTLIER_WINDOW, validateBars, type CandidateBar, type Flag, type Rejection } from '../../domain/data/validate';
import type { BarWriteResult, QuarantinedRow, Store } from '../../ports/store';

export interface IngestRequest {
  symbol: string;
  timeframe: Timeframe;
  /** A provider id or a file name. */
  source: string;
  /** UTC ms, stamped on quarantine rows and restatements. */
  now: number;
  candidates: CandidateBar[];
  /** Rows refused before they became bars (unreadable CSV rows), quarantined with the rest. */
  unreadable?: Rejection[];
  /** The instrument's calendar, for gap reports; without one no gaps are reported. */
  session?: SessionKind;
}

export interface IngestResult {
  accepted: number;
  /** Sorted by row; unreadable rows included. */
  rejected: Rejection[];
  flagged: Flag[];
  gaps: MissingRange[];
  write: BarWriteResult;
}

export async function ingestBars(store: Store, req: IngestRequest): Promise<IngestResult> {
  const { symbol, timeframe, source, now } = req;
  // The stored bars just before the batch seed the outlier window, so a spike in a small download is still seen.
  const first = req.candidates.reduce((m, c) => (Number.isFinite(c.bar.time) ? Math.min(m, c.bar.time) : m), Infinity);
  // Twice the window's length in time plus a long weekend holds the window's bars whatever the session.
  const lookback = 2 * (OUTLIER_WINDOW + 1) * TIMEFRAME_SECONDS[timeframe] + 4 * 86_400;
  const context = Number.isFinite(first) ? (await store.bars.range(symbol, timeframe, first - lookback, first - 1)).slice(-(OUTLIER_WINDOW + 1)) : [];
  const checked = validateBars(req.candidates, { context, calendar: req.session ? { session: req.session, timeframe } : undefined });
  const write = await store.bars.upsertMany(symbol, timeframe, checked.accepted.map((c) => c.bar), { source, now });
  const rejected = [...(req.unreadable ?? []), ...checked.rejected].sort((a, b) => a.row - b.row);
  const rows: QuarantinedRow[] = [
    ...rejected.map((r): QuarantinedRow => ({ symbol, timeframe, source, row: r.row, reason: r.reason, createdAt: now, time: r.bar?.time ?? null, action: 'quarantined', bar: r.bar ?? null })),
    ...checked.flagged.map((f): QuarantinedRow => ({ symbol, timeframe, source, row: f.row, reason: f.reason, createdAt: now, time: f.bar.time, action: 'flagged', bar: f.bar })),
  ];
  // A re-import of the same source quarantines nothing twice.
  const key = (r: QuarantinedRow) => `${r.source}|${r.row}|${r.time ?? ''}|${r.action}|${r.reason}`;
  const known = rows.length ? new Set((await store.quarantine.list({ symbol, timeframe, limit: 10_000_000 })).map(key)) : new Set<string>();
  const fresh = rows.filter((r) => !known.has(key(r)));
  if (fresh.length) await store.quarantine.add(fresh);
  return { accepted: checked.accepted.length, rejected, flagged: checked.flagged, gaps: checked.gaps, write };
}
