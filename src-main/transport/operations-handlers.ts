// The operations methods of issue 18 (src-shared/api/operations.ts) on the backup, config history and hook services.
import { join } from 'node:path';
import type { BackupsState } from '../../src-shared/api/operations';
import { BackupError, type BackupService } from '../services/backups';
import { ConfigRestoreError, type ConfigHistory } from '../services/config-history';
import type { ReportingHooks } from '../services/reporting-hooks';
import type { ReplicationStatus } from '../../src-shared/api/operations';
import { HandlerError, type ApiHandlers } from './dispatcher';

type OperationsMethod = 'backups.list' | 'backups.create' | 'backups.restore' | 'backups.cancelRestore' | 'config.history' | 'config.restore' | 'hooks.status' | 'replication.status';

export interface OperationsDeps {
  backups?: BackupService;
  /** Why backups are not available (PostgreSQL). */
  backupsUnavailable?: string;
  /** The backup a staged restore came from. */
  stagedFrom: { value: string | null };
  configHistory?: ConfigHistory;
  hooks?: ReportingHooks;
  /** Trade data replication (absent: not configured). */
  replicator?: { status(): ReplicationStatus };
}

export function operationsHandlers(d: OperationsDeps): Pick<ApiHandlers, OperationsMethod> {
  const backups = () => {
    if (!d.backups) throw new HandlerError('UNAVAILABLE', d.backupsUnavailable ?? 'Backups are not running');
    return d.backups;
  };
  const state = (): BackupsState => {
    const b = d.backups;
    return {
      available: !d.backupsUnavailable && !!b, reason: d.backupsUnavailable ?? null, dir: b?.dir ?? '',
      files: (b?.list() ?? []).map((f) => ({ name: f.name, kind: f.kind, time: f.time, bytes: f.bytes })),
      pendingRestore: b?.pendingRestore() ? (d.stagedFrom.value ?? 'a staged backup') : null,
      lastFailure: b?.lastFailure ?? null,
    };
  };
  const mapped = async <T>(fn: () => Promise<T> | T): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof BackupError || err instanceof ConfigRestoreError) throw new HandlerError('BAD_REQUEST', err.message);
      throw err;
    }
  };
  const history = () => {
    if (!d.configHistory) throw new HandlerError('UNAVAILABLE', 'The configuration history is not running');
    return d.configHistory;
  };
  const version = ({ text: _text, ...v }: { text: string; id: number; time: number; subject: string; source: string; hash: string; diff: string }) => v;
  return {
    'backups.list': async () => state(),
    'backups.create': async () => mapped(async () => {
      const r = await backups().backup('manual');
      return { file: r.file, bytes: r.bytes, integrity: r.integrity };
    }),
    'backups.restore': async ({ name }) => mapped(() => {
      const b = backups();
      if (!b.list().some((f) => f.name === name)) throw new HandlerError('NOT_FOUND', `No backup ${name} in ${b.dir}`);
      b.stageRestore(join(b.dir, name));
      d.stagedFrom.value = name;
      return state();
    }),
    'backups.cancelRestore': async () => {
      backups().cancelRestore();
      d.stagedFrom.value = null;
      return state();
    },
    'config.history': async ({ subject, limit }) => (await history().list({ subject, limit })).map(version),
    'config.restore': async ({ id }) => mapped(async () => version(await history().restore(id))),
    'replication.status': async () => d.replicator?.status() ?? null,
    'hooks.status': async () => {
      if (!d.hooks) return { hooks: [], pending: 0, failedAttempts: 0, lastError: null, deliveries: [] };
      return d.hooks.status();
    },
  };
}
