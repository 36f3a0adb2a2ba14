// The Macro screen's series: which ones the user follows (kept in the settings table), each read from the cache and
// refreshed from FRED when older than a few hours. A series FRED cannot serve now (no key, FRED down) still shows its
// cached values, with the reason beside them.
import { DEFAULT_MACRO_SERIES, MACRO_MAX_SERIES, type MacroOverview, type MacroSeries } from '../../src-shared/api/macro';
import type { Clock } from '../ports/clock';
import { MacroSourceError, type CachedMacroSeries, type MacroSource, type MacroStore } from '../ports/macro';
import type { Store } from '../ports/store';

/** A request the user must change (an unknown series, too many series). */
export class MacroInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MacroInputError';
  }
}

export interface MacroServiceOptions {
  /** FRED; undefined when turned off in config.yaml (data_providers.fred.enabled: false). */
  source: MacroSource | undefined;
  store: MacroStore;
  settings: Store['settings'];
  hasKey: () => Promise<boolean>;
  clock: Clock;
  /** A cached series older than this is fetched again; default 6 hours (FRED updates most series daily at most). */
  maxAgeMs?: number;
  /** Years of history fetched; default 30. */
  years?: number;
}

const SETTINGS_KEY = 'macro.series';
const HOUR_MS = 3_600_000;

export class MacroService {
  private readonly inFlight = new Map<string, Promise<MacroSeries>>();
  // The list is read, changed and written one change at a time.
  private listChange: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: MacroServiceOptions) {}

  private async ids(): Promise<string[]> {
    const raw = await this.o.settings.get(SETTINGS_KEY);
    if (raw === undefined) return [...DEFAULT_MACRO_SERIES];
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [...DEFAULT_MACRO_SERIES];
  }

  private changeList(fn: (ids: string[]) => string[]): Promise<void> {
    const next = this.listChange.then(async () => {
      await this.o.settings.set(SETTINGS_KEY, JSON.stringify(fn(await this.ids())));
    });
    this.listChange = next.catch(() => undefined);
    return next;
  }

  async overview(refresh = false): Promise<MacroOverview> {
    const ids = await this.ids();
    const series = await Promise.all(ids.map((id) => this.series(id, refresh)));
    return { hasKey: await this.o.hasKey(), series };
  }

  /** One series: cached, or fetched when missing, stale or asked for; a failed fetch keeps the cache and says why. */
  series(id: string, refresh = false): Promise<MacroSeries> {
    const running = this.inFlight.get(id);
    if (running) return running;
    const p = this.load(id, refresh).finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, p);
    return p;
  }

  private async load(id: string, refresh: boolean): Promise<MacroSeries> {
    const cached = await this.o.store.get(id);
    const now = this.o.clock.now();
    if (cached && !refresh && now - cached.fetchedAt < (this.o.maxAgeMs ?? 6 * HOUR_MS)) return view(id, cached, null);
    try {
      return view(id, await this.fetch(id), null);
    } catch (err) {
      if (!(err instanceof MacroSourceError)) throw err;
      return cached ? view(id, cached, err.message) : { id, info: null, observations: [], lastObservation: null, fetchedAt: null, error: err.message };
    }
  }

  private async fetch(id: string): Promise<CachedMacroSeries> {
    const source = this.o.source;
    if (!source) throw new MacroSourceError('unavailable', 'FRED is turned off (data_providers.fred.enabled in config.yaml)');
    const from = new Date(this.o.clock.now());
    from.setUTCFullYear(from.getUTCFullYear() - (this.o.years ?? 30));
    const [info, observations] = await Promise.all([source.info(id), source.observations(id, { from: from.toISOString().slice(0, 10) })]);
    const series = { info, observations, fetchedAt: this.o.clock.now() };
    await this.o.store.put(id, series);
    return series;
  }

  /** Follows a series: FRED is asked for it first, so an unknown id (or one that cannot be checked) is refused. */
  async add(id: string): Promise<MacroSeries> {
    const ids = await this.ids();
    if (!ids.includes(id) && ids.length >= MACRO_MAX_SERIES) throw new MacroInputError(`At most ${MACRO_MAX_SERIES} series`);
    let series: MacroSeries;
    try {
      series = view(id, await this.fetch(id), null);
    } catch (err) {
      if (!(err instanceof MacroSourceError)) throw err;
      throw new MacroInputError(err.reason === 'not-found' ? `FRED has no series ${id}` : `${id} could not be checked: ${err.message}`);
    }
    await this.changeList((now) => (now.includes(id) ? now : [...now, id]));
    return series;
  }

  async remove(id: string): Promise<void> {
    await this.changeList((now) => now.filter((x) => x !== id));
  }
}

function view(id: string, s: CachedMacroSeries, error: string | null): MacroSeries {
  let last: string | null = null;
  for (let i = s.observations.length - 1; i >= 0 && last === null; i--) if (s.observations[i]!.value !== null) last = s.observations[i]!.date;
  return { id, info: s.info, observations: s.observations, lastObservation: last, fetchedAt: s.fetchedAt, error };
}
