// Storage port of the watchlists (issue 15): named, ordered lists of symbols. Implemented by the SQLite and Postgres
// stores (`store.watchlists`); the rules (names, duplicates, limits) are the service's (services/watchlists.ts).
export interface WatchlistRow {
  id: string;
  name: string;
  /** In the order the user added them. */
  symbols: string[];
  /** Place among the lists (ascending). */
  position: number;
  createdAt: number;
}

export interface WatchlistStore {
  /** By position, then creation. */
  list(): Promise<WatchlistRow[]>;
  get(id: string): Promise<WatchlistRow | undefined>;
  /** Inserts or replaces by id. */
  upsert(row: WatchlistRow): Promise<void>;
  delete(id: string): Promise<boolean>;
}
