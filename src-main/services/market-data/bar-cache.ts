// The local bar cache in front of the data providers: works out which bars of a requested range are missing from the
// store (by the instrument's trading calendar: weekends and closed hours are not gaps), asks a provider for those
// ranges only, and stores what comes back through validation. Reads serve raw or split/dividend-adjusted prices.
import { serial, type Serial } from '../../../src-shared/common/serial';
import { TIMEFRAME_SECONDS, type Bar, type SessionKind, type Timeframe } from '../../../src-shared/domain/types';
import { adjustmentPlan, applyAdjustments, type AdjustmentPlan } from '../../domain/data/adjust';
import { expectedBars, missingRanges, type MissingRange } from '../../domain/data/calendar';
import type { Clock } from '../../ports/clock';
import type { DataProvider } from '../../ports/data-provider';
import type { BarRestatement, Store } from '../../ports/store';
import { ingestBars, type IngestResult } from './bar-ingest';

export interface BarCacheDeps {
  store: Store;
  clock: Clock;
  /** The instrument's trading calendar; undefined for an unknown symbol. */
  sessionOf: (symbol: string) => SessionKind | undefined | Promise<SessionKind | undefined>;
  /** Longer missing ranges are asked for in pieces of at most this many expected bars (providers cap a request). Default 5000. */
  maxBarsPerRequest?: number;
}

export interface SeriesRequest {
  symbol: string;
  timeframe: Timeframe;
  /** UTC seconds, inclusive. */
  from: number;
  /** UTC seconds, inclusive; clipped to the last complete bar (a forming bar is never cached). */
  to: number;
}

export interface FillReport {
  provider: string;
  /** The ranges asked of the provider (bucket times, UTC seconds), in order. */
  requested: MissingRange[];
  /** Bars the provider returned. */
  received: number;
  accepted: number;
  rejected: IngestResult['rejected'];
  flagged: IngestResult['flagged'];
  /** Expected bars still missing in the requested range after the fill (the provider had none). */
  stillMissing: MissingRange[];
  restatement: BarRestatement | null;
}

export class UnknownInstrumentError extends Error {
  constructor(symbol: string) {
    super(`No trading calendar for ${symbol}: unknown instrument`);
    this.name = 'UnknownInstrumentError';
  }
}

export class BarCache {
  /** Ranges a provider answered with no bars (holidays, halts): not asked again by this cache. */
  private readonly answeredEmpty = new Map<string, MissingRange[]>();
  /** One fill at a time per series, so two callers never download the same range twice; gone when none waits. */
  private readonly fills = new Map<string, { run: Serial; waiting: number }>();

  constructor(private readonly deps: BarCacheDeps) {}

  /**
   * Fetches the missing bars of [from, to] from the provider and stores them. `refetch` downloads the whole range
   * again, to check the stored history against the source (differences are recorded as a restatement).
   */
  async fill(provider: DataProvider, req: SeriesRequest, opts: { refetch?: boolean; signal?: AbortSignal } = {}): Promise<FillReport> {
    const key = `${req.symbol}/${req.timeframe}`;
    const queue = this.fills.get(key) ?? { run: serial(), waiting: 0 };
    this.fills.set(key, queue);
    queue.waiting++;
    try {
      return await queue.run(() => this.fillNow(provider, req, opts));
    } finally {
      if (--queue.waiting === 0) this.fills.delete(key);
    }
  }

  /** The bars of [from, to] from the store, raw or adjusted; `skipped` lists corporate actions that could not be applied. */
  async read(req: SeriesRequest, opts: { adjusted?: boolean } = {}): Promise<{ bars: Bar[]; skipped: AdjustmentPlan['skipped'] }> {
    const { store } = this.deps;
    const raw = await store.bars.range(req.symbol, req.timeframe, req.from, req.to);
    if (!opts.adjusted) return { bars: raw, skipped: [] };
    // Every event after a bar scales it, so events after `to` count too.
    const actions = (await store.corporateActions.list(req.symbol, req.from + 1)).map((a) => a.action);
    const closes = new Map<number, number | undefined>();
    for (const a of actions) {
      if (a.kind !== 'dividend') continue;
      const before = raw.length && raw[0]!.time < a.time && raw[raw.length - 1]!.time >= a.time ? raw.filter((b) => b.time < a.time) : await this.barsBefore(req, a.time);
      closes.set(a.time, before[before.length - 1]?.close);
    }
    const plan = adjustmentPlan(actions, (t) => closes.get(t));
    return { bars: applyAdjustments(raw, plan), skipped: plan.skipped };
  }

  /** Fills the missing range from the provider (if given), then reads. */
  async bars(provider: DataProvider | undefined, req: SeriesRequest, opts: { adjusted?: boolean } = {}): Promise<Bar[]> {
    if (provider) await this.fill(provider, req);
    return (await this.read(req, opts)).bars;
  }

  /** Stores the provider's splits and dividends for [from, to] (a provider without them is skipped). */
  async syncCorporateActions(provider: DataProvider, symbol: string, from: number, to: number, signal?: AbortSignal): Promise<number> {
    if (!provider.corporateActions || !provider.capabilities.has('corporate-actions')) return 0;
    const actions = await provider.corporateActions(symbol, from, to, signal);
    await this.deps.store.corporateActions.upsertMany(actions, provider.id);
    return actions.length;
  }

  private async barsBefore(req: SeriesRequest, time: number): Promise<Bar[]> {
    // Two weeks back covers any weekend or holiday run before an ex-date.
    return this.deps.store.bars.range(req.symbol, req.timeframe, time - 14 * 86_400, time - 1);
  }

  private async session(symbol: string): Promise<SessionKind> {
    const s = await this.deps.sessionOf(symbol);
    if (!s) throw new UnknownInstrumentError(symbol);
    return s;
  }

  private async missing(req: SeriesRequest, session: SessionKind, to: number): Promise<MissingRange[]> {
    const stored = await this.deps.store.bars.rangeArrays(req.symbol, req.timeframe, req.from, to + TIMEFRAME_SECONDS[req.timeframe] - 1);
    return missingRanges(session, req.timeframe, req.from, to, stored.time);
  }

  private async fillNow(provider: DataProvider, req: SeriesRequest, opts: { refetch?: boolean; signal?: AbortSignal }): Promise<FillReport> {
    const { store, clock } = this.deps;
    const session = await this.session(req.symbol);
    const step = TIMEFRAME_SECONDS[req.timeframe];
    const to = Math.min(req.to, Math.floor(clock.now() / 1000) - step);
    const report: FillReport = { provider: provider.id, requested: [], received: 0, accepted: 0, rejected: [], flagged: [], stillMissing: [], restatement: null };
    if (to < req.from) return report;
    const emptyKey = `${provider.id}/${req.symbol}/${req.timeframe}`;
    const empty = this.answeredEmpty.get(emptyKey) ?? [];
    const wanted = opts.refetch ? [{ from: req.from, to, bars: expectedBars(session, req.timeframe, req.from, to).length }] : await this.missing(req, session, to);
    const max = this.deps.maxBarsPerRequest ?? 5000;
    report.requested = wanted.flatMap((r) => (r.bars > max ? split(r, expectedBars(session, req.timeframe, r.from, r.to), max) : [r]))
      .filter((r) => !empty.some((e) => e.from <= r.from && e.to >= r.to));
    const restated: BarRestatement[] = [];
    for (const r of report.requested) {
      // A bar stamped inside its bucket (13:30 in the 13:00 hour) is still that bucket's bar: ask up to the bucket's end.
      const bars = await provider.history({ symbol: req.symbol, timeframe: req.timeframe, from: r.from, to: r.to + step - 1 }, opts.signal);
      report.received += bars.length;
      if (bars.length === 0) {
        empty.push(r);
        this.answeredEmpty.set(emptyKey, empty);
        continue;
      }
      const result = await ingestBars(store, {
        symbol: req.symbol, timeframe: req.timeframe, source: provider.id, now: clock.now(), session,
        candidates: bars.map((bar) => ({ row: 0, bar })),
      });
      report.accepted += result.accepted;
      report.rejected.push(...result.rejected);
      report.flagged.push(...result.flagged);
      if (result.write.restatement) restated.push(result.write.restatement);
    }
    report.restatement = restated.length === 0 ? null : restated.reduce((a, b) => ({
      ...b, count: a.count + b.count, from: Math.min(a.from, b.from), to: Math.max(a.to, b.to), changes: [...a.changes, ...b.changes],
    }));
    report.stillMissing = await this.missing(req, session, to);
    return report;
  }
}

/** Pieces of a range of expected bars, each at most `max` bars. */
function split(r: MissingRange, expected: number[], max: number): MissingRange[] {
  const out: MissingRange[] = [];
  for (let i = 0; i < expected.length; i += max) {
    const part = expected.slice(i, i + max);
    out.push({ from: part[0]!, to: part[part.length - 1]!, bars: part.length });
  }
  return out;
}
