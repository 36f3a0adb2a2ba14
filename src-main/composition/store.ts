// The database behind the Store port, chosen in one place for the terminal and the CLI: PostgreSQL when a URL is given
// (or QUANT_DB_URL), else the data folder's SQLite file, read-only for commands that only read.
import { join } from 'node:path';
import { openPostgresStore } from '../adapters/postgres/store';
import { openSqliteStore, type SqliteStore } from '../adapters/sqlite/store';
import type { Store } from '../ports/store';

export interface StoreChoice {
  dataDir: string;
  /** postgres://…; without it QUANT_DB_URL, then the SQLite file. */
  dbUrl?: string;
  /** SQLite: open the file read-only (it works while another process holds the data folder). */
  readonly?: boolean;
  /** better-sqlite3 built for Electron's ABI. */
  nativeBinding?: string;
  /** Test-only: see SqliteStoreOptions.maxGrowthPages. */
  maxGrowthPages?: number;
}

export const databaseFile = (dataDir: string) => join(dataDir, 'quant.db');

export async function openStore(o: StoreChoice): Promise<Store> {
  const url = o.dbUrl ?? process.env['QUANT_DB_URL'];
  return url
    ? openPostgresStore({ url })
    : openSqliteStore({ file: databaseFile(o.dataDir), readonly: o.readonly, nativeBinding: o.nativeBinding, maxGrowthPages: o.maxGrowthPages });
}

/** The data folder's SQLite file, read-only, for the integrity check (PostgreSQL has its own tools). */
export function openSqliteFileReadonly(dataDir: string): SqliteStore {
  return openSqliteStore({ file: databaseFile(dataDir), readonly: true });
}
