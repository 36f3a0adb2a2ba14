// Builds the health report's checks: all of them for the running app, the folder's own (database, disk, backups) for
// the CLI, which runs beside a terminal or without one.
import { resolve } from 'node:path';
import { folderProbes } from '../adapters/ops/probes';
import { isCorrupt } from '../adapters/sqlite/check';
import type { HealthReport } from '../../src-shared/api/ops';
import { openSqliteFileReadonly, openStore } from './store';
import type { AppHealth } from '../../src-shared/api/contract';
import type { Clock } from '../ports/clock';
import type { Store } from '../ports/store';
import type { MarketDataManager } from '../services/market-data/manager';
import type { SessionManager } from '../services/sessions';
import type { StrategyRunner } from '../services/strategy-runner';
import {
  brokerChecks, databaseChecks, feedChecks, folderChecks, HealthService, processChecks, strategyChecks, type DatabaseProbe,
} from '../services/health-checks';

export const APP_VERSION = '0.1.0';

export interface AppHealthDeps {
  dataDir: string;
  clock: Clock;
  store: Store;
  integrity: DatabaseProbe['integrity'];
  sessions: SessionManager;
  data: MarketDataManager;
  staleMs: number;
  strategies: StrategyRunner;
  process: { snapshot(): AppHealth };
}

export function createAppHealth(d: AppHealthDeps): HealthService {
  const health = new HealthService({ clock: d.clock, version: APP_VERSION });
  const probes = folderProbes(d.dataDir);
  health.register('database', () => databaseChecks({ store: d.store, write: true, integrity: d.integrity }, d.clock));
  health.register('folder', () => folderChecks(probes, d.clock));
  health.register('brokers', () => brokerChecks(d.sessions.list(), (id) => d.sessions.reconciliation(id), d.clock.now()));
  health.register('feeds', () => feedChecks(d.data.sources(), d.data.feedsView(), d.data.lastQuoteReceived(), d.staleMs, d.clock.now()));
  health.register('strategies', () => strategyChecks(d.strategies.list(), d.clock.now()));
  health.register('process', () => processChecks(d.process.snapshot(), d.clock.now()));
  return health;
}

/** The CLI's checks: the database opened read-only (so no write check), the disk and the backups. */
export function createFolderHealth(o: { dataDir: string; clock: Clock; store: Store | undefined; integrity: DatabaseProbe['integrity']; openError?: string }): HealthService {
  const health = new HealthService({ clock: o.clock, version: APP_VERSION });
  const { store } = o;
  health.register('database', () => store
    ? databaseChecks({ store, write: false, integrity: o.integrity }, o.clock)
    : [{ key: 'database:connectivity', componentType: 'datastore', status: 'fail', output: o.openError ?? 'The database cannot be opened' }]);
  const probes = folderProbes(o.dataDir);
  health.register('folder', () => folderChecks(probes, o.clock));
  return health;
}

/**
 * `npm run cli -- health`: the folder's checks without a running app. The database is opened read-only (it works
 * beside a running terminal) and checked with quick_check; PostgreSQL (QUANT_DB_URL) gets the connectivity check.
 */
export async function folderHealthReport(dataDirArg: string, clock: Clock): Promise<HealthReport> {
  const dataDir = resolve(dataDirArg);
  let store: Store | undefined;
  let openError: string | undefined;
  let integrity: ReturnType<DatabaseProbe['integrity']> = null;
  try {
    if (process.env['QUANT_DB_URL']) store = await openStore({ dataDir, readonly: true });
    else {
      const sqlite = openSqliteFileReadonly(dataDir);
      store = sqlite;
      try {
        integrity = { time: clock.now(), problems: sqlite.check() };
      } catch (err) {
        integrity = { time: clock.now(), problems: [isCorrupt(err) ? `unreadable: ${err instanceof Error ? err.message : String(err)}` : String(err)] };
      }
    }
  } catch (err) {
    openError = err instanceof Error ? err.message : String(err);
  }
  try {
    return await createFolderHealth({ dataDir, clock, store, integrity: () => integrity, openError }).get();
  } finally {
    await store?.dispose();
  }
}
