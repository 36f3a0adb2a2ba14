// Watchlists (issue 15): named lists of symbols on the store's watchlist port. General on purpose: the chart's sidebar
// uses it, and the screener (issue 16) adds its results through addSymbols. Writes go one at a time, so two adds to
// the same list never lose one another.
import { randomUUID } from 'node:crypto';
import { serial } from '../../src-shared/common/serial';
import { WATCHLIST_MAX_LISTS, WATCHLIST_MAX_SYMBOLS, type Watchlist } from '../../src-shared/api/watchlists';
import type { Clock } from '../ports/clock';
import type { WatchlistRow, WatchlistStore } from '../ports/watchlist-store';

export class WatchlistNotFoundError extends Error {}
/** A request the lists' limits refuse (too many lists or symbols, deleting the last list). */
export class WatchlistInputError extends Error {}

const view = (r: WatchlistRow): Watchlist => ({ id: r.id, name: r.name, symbols: r.symbols });

export class WatchlistService {
  private readonly queue = serial();

  constructor(private readonly o: { store: WatchlistStore; clock: Clock; newId?: () => string }) {}

  /** Every list in order; with none stored yet, one empty "Watchlist" is created so the sidebar always has a list. */
  list(): Promise<Watchlist[]> {
    return this.queue(async () => {
      const rows = await this.o.store.list();
      if (rows.length > 0) return rows.map(view);
      const first = this.row('Watchlist', [], 0);
      await this.o.store.upsert(first);
      return [view(first)];
    });
  }

  create(name: string, symbols: readonly string[] = []): Promise<Watchlist> {
    return this.queue(async () => {
      const rows = await this.o.store.list();
      if (rows.length >= WATCHLIST_MAX_LISTS) throw new WatchlistInputError(`At most ${WATCHLIST_MAX_LISTS} watchlists`);
      const row = this.row(name, unique([], symbols), Math.max(-1, ...rows.map((r) => r.position)) + 1);
      await this.o.store.upsert(row);
      return view(row);
    });
  }

  rename(id: string, name: string): Promise<Watchlist> {
    return this.change(id, (r) => ({ ...r, name }));
  }

  delete(id: string): Promise<void> {
    return this.queue(async () => {
      const rows = await this.o.store.list();
      if (!rows.some((r) => r.id === id)) throw new WatchlistNotFoundError(`No watchlist ${id}`);
      if (rows.length === 1) throw new WatchlistInputError('The last watchlist cannot be deleted');
      await this.o.store.delete(id);
    });
  }

  /** Appends the symbols the list does not hold yet, in the order given. */
  addSymbols(id: string, symbols: readonly string[]): Promise<Watchlist> {
    return this.change(id, (r) => {
      const next = unique(r.symbols, symbols);
      if (next.length > WATCHLIST_MAX_SYMBOLS) throw new WatchlistInputError(`At most ${WATCHLIST_MAX_SYMBOLS} symbols per watchlist`);
      return { ...r, symbols: next };
    });
  }

  removeSymbol(id: string, symbol: string): Promise<Watchlist> {
    return this.change(id, (r) => ({ ...r, symbols: r.symbols.filter((s) => s !== symbol) }));
  }

  private change(id: string, edit: (r: WatchlistRow) => WatchlistRow): Promise<Watchlist> {
    return this.queue(async () => {
      const row = await this.o.store.get(id);
      if (!row) throw new WatchlistNotFoundError(`No watchlist ${id}`);
      const next = edit(row);
      await this.o.store.upsert(next);
      return view(next);
    });
  }

  private row(name: string, symbols: string[], position: number): WatchlistRow {
    return { id: (this.o.newId ?? randomUUID)(), name, symbols, position, createdAt: this.o.clock.now() };
  }
}

function unique(held: readonly string[], added: readonly string[]): string[] {
  const out = [...held];
  for (const s of added) if (!out.includes(s)) out.push(s);
  return out;
}
