// Storage port of the screener's saved screens (issue 16): a name and the screen's definition (universe, factors and
// weights, sector-neutral, filter, top) as JSON. Implemented by the SQLite and Postgres stores (`store.screens`).
export interface ScreenRow {
  id: string;
  name: string;
  /** The definition as the API's ScreenDefinition schema parses it (checked on the way out by the service). */
  definition: unknown;
  createdAt: number;
  updatedAt: number;
}

export interface ScreenStore {
  /** By name, then id. */
  list(): Promise<ScreenRow[]>;
  /** Inserts or replaces by id (createdAt of an existing row is kept). */
  upsert(row: ScreenRow): Promise<void>;
  delete(id: string): Promise<boolean>;
}
