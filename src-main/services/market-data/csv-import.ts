// A CSV file's rows into the bar store through a column mapping: the one import behind the CLI's `import` and the
// contract's `data.import`, with the report both show (accepted, rejected rows with reasons, flagged, gaps, restated).
import type { ImportReport } from '../../../src-shared/api/contract';
import { SessionKind, type Timeframe } from '../../../src-shared/domain/types';
import { readOhlcv, type ColumnMapping, type OhlcvColumns } from '../../domain/data/csv';
import type { CandidateBar, Rejection } from '../../domain/data/validate';
import type { Store } from '../../ports/store';
import { ingestBars } from './bar-ingest';

export interface CsvImportRequest {
  symbol: string;
  timeframe: Timeframe;
  session?: SessionKind;
  /** The file's name: the bars' source. */
  source: string;
  /** UTC ms. */
  now: number;
  /** The file's text or its UTF-8 bytes, read by the one CSV reader; `mapping` may be chosen from the header. */
  text: string | Uint8Array;
  mapping: ColumnMapping | ((header: string[]) => ColumnMapping);
}

/** Where the calendar chosen at import is kept, per series (the settings table: no schema change for one value). */
const calendarKey = (symbol: string, timeframe: Timeframe) => `series.calendar:${symbol}|${timeframe}`;

/** The trading calendar chosen when the series was imported, if one was. */
export async function seriesCalendar(store: Store, symbol: string, timeframe: Timeframe): Promise<SessionKind | undefined> {
  const v = await store.settings.get(calendarKey(symbol, timeframe));
  const parsed = SessionKind.safeParse(v);
  return parsed.success ? parsed.data : undefined;
}

export async function importCsvBars(store: Store, req: CsvImportRequest): Promise<ImportReport> {
  const { text, mapping, ...rest } = req;
  const { columns: c, rejected } = readOhlcv(text, rest.source, mapping);
  return importMappedBars(store, { ...rest, candidates: candidatesOf(c), rejected });
}

/** Bars in columns (as the reader and the CSV worker give them) → candidates for validation. */
export function candidatesOf(c: OhlcvColumns): CandidateBar[] {
  const out: CandidateBar[] = new Array(c.row.length);
  for (let i = 0; i < c.row.length; i++) {
    out[i] = { row: c.row[i]!, bar: { time: c.time[i]!, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]! } };
  }
  return out;
}

/** Rows already mapped (in the CSV worker, for data.import): validated and written here, in the main process. */
export async function importMappedBars(
  store: Store, req: Omit<CsvImportRequest, 'text' | 'mapping'> & { candidates: CandidateBar[]; rejected: Rejection[] },
): Promise<ImportReport> {
  // Remembered with the series: completeness and later gap reports use it without asking again.
  if (req.session) await store.settings.set(calendarKey(req.symbol, req.timeframe), req.session);
  const result = await ingestBars(store, {
    symbol: req.symbol, timeframe: req.timeframe, source: req.source, now: req.now, candidates: req.candidates, unreadable: req.rejected, session: req.session,
  });
  return {
    accepted: result.accepted,
    rejected: result.rejected.map((r) => ({ row: r.row, reason: r.reason })),
    flagged: result.flagged.map((f) => ({ row: f.row, reason: f.reason })),
    gaps: result.gaps.map((g) => ({ from: new Date(g.from * 1000).toISOString(), to: new Date(g.to * 1000).toISOString(), bars: g.bars })),
    restated: result.write.restatement?.count ?? 0,
  };
}
