// Instrument profiles for exposure: the user's edits and fetched profiles (IB contract details, Yahoo's asset profile)
// kept in the store, the demo market's built-in ones, merged field by field (user > IB > Yahoo > demo).
import { InstrumentProfile, mergeProfiles, PROFILE_FIELDS, type MergedProfile, type ProfileSource, type StoredProfile } from '../../src-shared/domain/profile';
import type { Clock } from '../ports/clock';
import type { ProviderId } from '../ports/data-provider';
import type { Store } from '../ports/store';

/** The data layer's profiles of one symbol, each with its provider (MarketDataManager.profiles). */
export type ProfileFetch = (symbol: string) => Promise<{ profiles: { source: ProviderId; profile: InstrumentProfile }[]; errors: string[] }>;

export interface InstrumentProfilesDeps {
  store: Pick<Store, 'profiles'>;
  clock: Clock;
  /** Absent: stored rows and the built-in ones only (the CLI, offline tests). */
  fetch?: ProfileFetch;
  /** Built-in profiles (the demo market's instruments). */
  builtIn?: (symbol: string) => InstrumentProfile | undefined;
  /** A fetched profile older than this is fetched again; a failed fetch is retried after `retryMs`. */
  maxAgeMs?: number;
  retryMs?: number;
  /** Where a background fetch's failure is recorded (it never rejects into the void). */
  onError?: (err: unknown) => void;
}

const FETCHED: readonly ProfileSource[] = ['ib', 'yahoo'];
const DAY_MS = 86_400_000;

export class InstrumentProfileError extends Error {}

export class InstrumentProfiles {
  private readonly attempted = new Map<string, number>();
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(private readonly deps: InstrumentProfilesDeps) {}

  /**
   * Merged profiles of `symbols`. With `wait`, symbols whose fetched profile is missing or old are fetched first;
   * without, they are fetched in the background and the answer uses what is stored (exposure never waits on a
   * slow or absent source; the next request has them).
   */
  async resolve(symbols: readonly string[], opts: { wait?: boolean } = {}): Promise<Map<string, MergedProfile>> {
    const unique = [...new Set(symbols)];
    let rows = await this.deps.store.profiles.list(unique);
    const due = unique.filter((s) => this.inflight.has(s) || this.due(s, rows));
    if (due.length && this.deps.fetch) {
      // A source that fails is reported once (fetchOne), never the request's failure: the answer uses what is known.
      const work = Promise.all(due.map((s) => this.fetchOne(s)));
      if (opts.wait) {
        await work;
        rows = await this.deps.store.profiles.list(unique);
      }
    }
    const out = new Map<string, MergedProfile>();
    for (const s of unique) {
      const mine = rows.filter((r) => r.symbol === s);
      const builtIn = this.deps.builtIn?.(s);
      out.set(s, mergeProfiles(s, builtIn ? [...mine, { source: 'demo', ...builtIn }] : mine));
    }
    return out;
  }

  /**
   * Sets the user's fields of one instrument (they override every source); a field left empty falls back to the
   * sources again, and an edit with every field empty removes the user's row.
   */
  async edit(symbol: string, fields: InstrumentProfile): Promise<MergedProfile> {
    const sym = symbol.trim().toUpperCase();
    if (!sym) throw new InstrumentProfileError('An instrument profile needs a symbol');
    const parsed = InstrumentProfile.safeParse(Object.fromEntries(Object.entries(fields).filter(([, v]) => typeof v === 'string' && v.trim() !== '')));
    if (!parsed.success) throw new InstrumentProfileError(`Invalid profile for ${sym}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    if (PROFILE_FIELDS.some((f) => parsed.data[f] !== undefined)) {
      await this.deps.store.profiles.upsert({ symbol: sym, source: 'user', ...parsed.data, updatedAt: this.deps.clock.now() });
    } else {
      await this.deps.store.profiles.delete(sym, 'user');
    }
    return (await this.resolve([sym])).get(sym)!;
  }

  private due(symbol: string, rows: readonly StoredProfile[]): boolean {
    const now = this.deps.clock.now();
    const fresh = rows.some((r) => r.symbol === symbol && FETCHED.includes(r.source) && now - r.updatedAt < (this.deps.maxAgeMs ?? 30 * DAY_MS));
    const tried = this.attempted.get(symbol);
    return !fresh && (tried === undefined || now - tried >= (this.deps.retryMs ?? DAY_MS / 24));
  }

  private fetchOne(symbol: string): Promise<void> {
    const running = this.inflight.get(symbol);
    if (running) return running;
    const p = (async () => {
      this.attempted.set(symbol, this.deps.clock.now());
      const { profiles } = await this.deps.fetch!(symbol);
      for (const { source, profile } of profiles) {
        if (!(FETCHED as readonly string[]).includes(source)) continue;
        await this.deps.store.profiles.upsert({ symbol, source: source as ProfileSource, ...profile, updatedAt: this.deps.clock.now() });
      }
    })().catch((err: unknown) => this.deps.onError?.(err)).finally(() => this.inflight.delete(symbol));
    this.inflight.set(symbol, p);
    return p;
  }
}
