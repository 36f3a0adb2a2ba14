// Operations of issue 18 wired on the app's store and config: the daily backup, the configuration history (config.yaml
// watched, strategies' parameters through the store they are saved in) and the reporting hooks.
import { deliverReport } from '../adapters/reporting/deliver';
import { SqliteToPostgresReplicator } from '../adapters/postgres/replicator';
import { databaseFile } from './store';
import { ConfigError, parseConfig, type Config } from '../config/config';
import type { Logger } from '../logging';
import type { Clock } from '../ports/clock';
import type { Disposable } from '../ports/disposable';
import type { Store } from '../ports/store';
import { realTimers, type Timers } from '../ports/timers';
import { BackupService } from '../services/backups';
import { ConfigHistory } from '../services/config-history';
import { ReportingHooks } from '../services/reporting-hooks';
import type { OperationsDeps } from '../transport/operations-handlers';
import { databaseBackup } from './backups';

export interface Operations {
  backups: BackupService;
  configHistory: ConfigHistory;
  hooks: ReportingHooks;
  /** Trade data replication to PostgreSQL (config.yaml `replication.postgres_url`, SQLite only). */
  replicator: SqliteToPostgresReplicator | undefined;
  /** For the API handlers (backups.*, config.*, hooks.*). */
  deps: OperationsDeps;
  /** The store with strategies' saves versioned: what the strategy runner is given. */
  strategyStore: Store;
  /** Delivery state of the reporting hooks, for the health checks: pending, failed attempts, last error. */
  hookHealth(): Promise<{ pending: number; failedAttempts: number; lastError: string | null }>;
  disposables: Disposable[];
}

export async function wireOperations(o: {
  dataDir: string; config: Config; configPath: string; store: Store; clock: Clock; logger: Logger; timers?: Timers; accounts(): string[];
}): Promise<Operations> {
  const timers = o.timers ?? realTimers;
  const disposables: Disposable[] = [];
  const db = databaseBackup(o.store);
  const backups = new BackupService({
    dataDir: o.dataDir, db, clock: o.clock, timers,
    onFailure: (err) => o.logger.error({ err }, 'scheduled backup failed'),
    onBackup: (r) => o.logger.info({ file: r.file, bytes: r.bytes, kind: r.kind, ms: Math.round(r.ms) }, 'backup written and checked'),
  });
  if (o.config.backups.enabled) backups.start();
  disposables.push(backups);

  const configHistory = new ConfigHistory({
    versions: o.store.operations.configVersions, configPath: o.configPath, clock: o.clock, timers,
    validate: (text) => {
      try {
        parseConfig(text);
        return undefined;
      } catch (err) {
        if (err instanceof ConfigError) return err.message.replace(/^config\.yaml: /, '');
        throw err;
      }
    },
    onError: (err, what) => o.logger.warn({ err }, what),
    onVersion: (v) => o.logger.info({ subject: v.subject, source: v.source, id: v.id }, 'configuration version kept'),
  });
  await configHistory.start();
  disposables.push(configHistory);
  const strategyStore: Store = {
    ...o.store,
    strategies: {
      ...o.store.strategies,
      upsert: async (row) => {
        await o.store.strategies.upsert(row);
        void configHistory.recordStrategy(row).catch((err: unknown) => o.logger.warn({ err }, 'config history: keeping a strategy version failed'));
      },
    },
  };

  const hooks = new ReportingHooks({
    hooks: o.config.reporting.hooks, dayEndUtc: o.config.reporting.day_end_utc, outbox: o.store.operations.hookOutbox, store: o.store,
    sink: deliverReport, clock: o.clock, timers, accounts: o.accounts, onError: (err, what) => o.logger.warn({ err }, what),
  });
  hooks.start();
  disposables.push(hooks);

  const url = o.config.replication.postgres_url;
  const replicator = url && o.store.kind === 'sqlite'
    ? new SqliteToPostgresReplicator({
      sqliteFile: databaseFile(o.dataDir), url, clock: o.clock, timers, intervalMs: o.config.replication.interval * 1000,
      onError: (err) => o.logger.warn({ err }, 'replication to PostgreSQL failed; retrying'),
    })
    : undefined;
  if (replicator) {
    replicator.start();
    disposables.push(replicator);
  }

  return {
    backups, configHistory, hooks, strategyStore, disposables, replicator,
    deps: { backups, backupsUnavailable: db ? undefined : 'This terminal stores its data in PostgreSQL: back it up with pg_dump (docs/operations.md)', stagedFrom: { value: null }, configHistory, hooks, replicator },
    hookHealth: async () => {
      const s = await hooks.status();
      return { pending: s.pending, failedAttempts: s.failedAttempts, lastError: s.lastError?.message ?? null };
    },
  };
}
