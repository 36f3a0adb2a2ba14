// Universes (issue 16): the lists of stocks a screen runs over, behind the UniverseSource port. The demo market's
// universe, the S&P 500 (the shipped file, or a refresh stored over it), the Russell 2000 as imported from an ETF
// issuer's holdings CSV, custom lists, and every watchlist. Imported lists are kept in the store's settings (one key
// per list and an index), so both databases hold them without a table of their own.
import { z } from 'zod';
import { serial } from '../../src-shared/common/serial';
import { Universe, type UniverseMember } from '../../src-shared/domain/fundamentals';
import { parseConstituentsCsv, parseIsharesHoldings, parseSymbolList, parseWikipediaConstituents, UniverseFileError } from '../domain/fundamentals/universe-files';
import type { Clock } from '../ports/clock';
import type { UniverseInfo, UniverseSource } from '../ports/fundamentals';
import type { Store } from '../ports/store';

export { UniverseFileError };
export class UniverseNotFoundError extends Error {}

const INDEX_KEY = 'universes.index';
const keyOf = (id: string) => `universes.${id}`;

export interface UniverseImport {
  kind: 'sp500' | 'russell2000' | 'custom';
  /** The file's text: HTML (Wikipedia's page), CSV (constituents, holdings) or a plain list of symbols. */
  text: string;
  /** A custom list's name (its id follows from it); ignored for the S&P 500 and the Russell 2000. */
  name?: string;
  /** Where it came from, in words (a file name, a URL). */
  source: string;
  /** When the list was true; default: the holdings file's own date, else today. */
  asOf?: string;
}

export interface UniverseServiceDeps {
  settings: Store['settings'];
  clock: Clock;
  /** The demo market's universe (built on first use). */
  demo?: () => Universe;
  /** The S&P 500 file shipped with the app; undefined when it cannot be found. */
  shipped?: () => Promise<Universe | undefined>;
  /** The watchlists, each a universe. */
  watchlists?: () => Promise<{ id: string; name: string; symbols: string[] }[]>;
  /** Names and sectors for a watchlist's symbols where known (the demo universe's, stored profiles). */
  describe?: (symbols: readonly string[]) => Promise<Map<string, Omit<UniverseMember, 'symbol'>>>;
}

/** Settings JSON checked against its schema: a value edited by hand is an error naming its key, not a wrong list. */
function storedJson<S extends z.ZodType>(schema: S, raw: string, key: string): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error(`The stored ${key} is not JSON`);
  }
  const r = schema.safeParse(value);
  if (!r.success) throw new Error(`The stored ${key} does not match what this version reads: ${z.prettifyError(r.error)}`);
  return r.data;
}

const slug = (name: string) => name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);

export class UniverseService implements UniverseSource {
  private readonly queue = serial();

  constructor(private readonly o: UniverseServiceDeps) {}

  async list(): Promise<UniverseInfo[]> {
    const out: UniverseInfo[] = [];
    const info = (u: Universe): UniverseInfo => ({ id: u.id, kind: u.kind, name: u.name, asOf: u.asOf, size: u.members.length });
    if (this.o.demo) out.push(info(this.o.demo()));
    const stored = await this.storedIds();
    if (!stored.includes('sp500')) {
      const shipped = await this.o.shipped?.();
      if (shipped) out.push(info(shipped));
    }
    for (const id of stored) {
      const u = await this.stored(id);
      if (u) out.push(info(u));
    }
    for (const w of (await this.o.watchlists?.()) ?? []) out.push({ id: `watchlist:${w.id}`, kind: 'watchlist', name: w.name, asOf: null, size: w.symbols.length });
    return out;
  }

  async get(id: string): Promise<Universe> {
    if (id === 'demo' && this.o.demo) return this.o.demo();
    if (id.startsWith('watchlist:')) {
      const w = ((await this.o.watchlists?.()) ?? []).find((l) => `watchlist:${l.id}` === id || l.name.toLowerCase() === id.slice(10).toLowerCase());
      if (!w) throw new UniverseNotFoundError(`No watchlist ${id.slice(10)}`);
      const known = (await this.o.describe?.(w.symbols)) ?? new Map<string, Omit<UniverseMember, 'symbol'>>();
      return {
        id: `watchlist:${w.id}`, kind: 'watchlist', name: w.name, asOf: null, source: 'watchlist',
        members: w.symbols.map((symbol) => ({ symbol, ...(known.get(symbol) ?? { name: '', sector: null, industry: null }) })),
      };
    }
    const stored = await this.stored(id);
    if (stored) return stored;
    if (id === 'sp500') {
      const shipped = await this.o.shipped?.();
      if (shipped) return shipped;
    }
    const known = (await this.list()).map((u) => u.id);
    throw new UniverseNotFoundError(`No universe "${id}" (known: ${known.join(', ') || 'none'})`);
  }

  /** Reads a list from a file's text and stores it (replacing a list of the same id); returns it. */
  import(req: UniverseImport): Promise<Universe> {
    return this.queue(async () => {
      const today = new Date(this.o.clock.now()).toISOString().slice(0, 10);
      let members: UniverseMember[];
      let fileDate: string | null = null;
      let id: string;
      let name: string;
      switch (req.kind) {
        case 'sp500':
          members = /<table/i.test(req.text) ? parseWikipediaConstituents(req.text, req.source) : parseConstituentsCsv(req.text, req.source);
          id = 'sp500';
          name = 'S&P 500';
          break;
        case 'russell2000': {
          const read = parseIsharesHoldings(req.text, req.source);
          members = read.members;
          fileDate = read.asOf;
          id = 'russell2000';
          name = 'Russell 2000 (ETF holdings)';
          break;
        }
        case 'custom':
          if (!req.name || !slug(req.name)) throw new UniverseFileError('A custom list needs a name');
          members = parseSymbolList(req.text, req.source);
          id = `custom-${slug(req.name)}`;
          name = req.name.trim();
          break;
      }
      if (members.length === 0) throw new UniverseFileError(`${req.source}: no members`);
      const universe = Universe.parse({ id, kind: req.kind, name, asOf: req.kind === 'custom' ? (req.asOf ?? null) : (req.asOf ?? fileDate ?? today), source: req.source, members });
      await this.o.settings.set(keyOf(id), JSON.stringify(universe));
      const ids = await this.storedIds();
      if (!ids.includes(id)) await this.o.settings.set(INDEX_KEY, JSON.stringify([...ids, id]));
      return universe;
    });
  }

  /** Removes a stored list (a refreshed S&P 500 falls back to the shipped file). */
  remove(id: string): Promise<boolean> {
    return this.queue(async () => {
      const ids = await this.storedIds();
      if (!ids.includes(id)) return false;
      await this.o.settings.delete(keyOf(id));
      await this.o.settings.set(INDEX_KEY, JSON.stringify(ids.filter((i) => i !== id)));
      return true;
    });
  }

  private async storedIds(): Promise<string[]> {
    const raw = await this.o.settings.get(INDEX_KEY);
    return raw ? storedJson(z.array(z.string()), raw, INDEX_KEY) : [];
  }

  private async stored(id: string): Promise<Universe | undefined> {
    const raw = await this.o.settings.get(keyOf(id));
    return raw ? storedJson(Universe, raw, keyOf(id)) : undefined;
  }
}
