// Operations (issue 18): backups and restore, the configuration history and the reporting hooks' state, as zod
// schemas. contract.ts registers them as `backups.*`, `config.*` and `hooks.*` methods.
import { z } from 'zod';

export const BackupInfo = z.object({
  name: z.string(),
  kind: z.enum(['daily', 'weekly', 'manual']),
  time: z.number(),
  bytes: z.number().int(),
});
export type BackupInfo = z.infer<typeof BackupInfo>;

export const BackupsState = z.object({
  /** False on PostgreSQL (pg_dump is its tool): `reason` says so. */
  available: z.boolean(),
  reason: z.string().nullable(),
  dir: z.string(),
  /** Newest first. */
  files: z.array(BackupInfo),
  /** A restore staged for the next start: the backup it came from. */
  pendingRestore: z.string().nullable(),
  lastFailure: z.object({ time: z.number(), message: z.string() }).nullable(),
});
export type BackupsState = z.infer<typeof BackupsState>;

export const ConfigVersion = z.object({
  id: z.number().int(),
  time: z.number(),
  subject: z.string(),
  source: z.string(),
  hash: z.string(),
  diff: z.string(),
});
export type ConfigVersion = z.infer<typeof ConfigVersion>;

export const HooksStatus = z.object({
  hooks: z.array(z.object({ name: z.string(), kind: z.enum(['folder', 'url']), target: z.string(), events: z.array(z.string()) })),
  pending: z.number().int(),
  failedAttempts: z.number().int(),
  lastError: z.object({ hook: z.string(), time: z.number(), message: z.string() }).nullable(),
  deliveries: z.array(z.object({
    id: z.number().int(), hook: z.string(), event: z.string(), key: z.string(), createdAt: z.number(), attempts: z.number().int(),
    nextAt: z.number(), lastError: z.string().nullable(), deliveredAt: z.number().nullable(),
  })),
});
export type HooksStatus = z.infer<typeof HooksStatus>;

/** Trade data replication to PostgreSQL: rows not copied yet per table (as of the last pass), last success and error. */
export const ReplicationStatus = z.object({
  behind: z.object({ orders: z.number().int(), fills: z.number().int(), audit: z.number().int() }),
  lastSuccess: z.number().nullable(),
  lastError: z.object({ time: z.number(), message: z.string() }).nullable(),
  copied: z.number().int(),
});
export type ReplicationStatus = z.infer<typeof ReplicationStatus>;

const Empty = z.object({}).strict();
/** A backup of the data folder's backups/ by its file name (no path: nothing outside that folder is read). */
const BackupName = z.string().regex(/^qc-(daily|weekly|manual)-[0-9T:Z-]+(-\d+)?\.sqlite$/, 'a backup file name from the list');

export const operationsMethods = {
  'backups.list': { request: Empty, response: BackupsState },
  /** A checked copy now (backups/qc-manual-<time>.sqlite). */
  'backups.create': { request: Empty, response: z.object({ file: z.string(), bytes: z.number().int(), integrity: z.literal('ok') }) },
  /** Checks a backup and stages it: the next start uses it, keeping the current database aside. */
  'backups.restore': { request: z.object({ name: BackupName }).strict(), response: BackupsState },
  'backups.cancelRestore': { request: Empty, response: BackupsState },
  /** Versions of config.yaml and strategies' parameters, newest first. */
  'config.history': {
    request: z.object({ subject: z.string().max(100).optional(), limit: z.number().int().positive().max(500).default(100) }).strict(),
    response: z.array(ConfigVersion),
  },
  /** Writes a kept config.yaml version back once the schema accepts it (BAD_REQUEST with the reason otherwise); applies at the next start. */
  'config.restore': { request: z.object({ id: z.number().int().positive() }).strict(), response: ConfigVersion },
  'hooks.status': { request: Empty, response: HooksStatus },
  /** null when replication.postgres_url is not set (or the store is PostgreSQL already). */
  'replication.status': { request: Empty, response: ReplicationStatus.nullable() },
} as const;
