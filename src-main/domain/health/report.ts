// The health report's rules, pure: each measurement's status from its thresholds, and the IETF health-check document
// (draft-inadarei-api-health-check) whose status is the worst of its checks.
import type { HealthCheckResult, HealthReport, HealthStatus } from '../../../src-shared/api/ops';

/** One measurement before it is grouped: `key` is `component:measurement`. */
export interface Check extends Omit<HealthCheckResult, 'time'> {
  key: string;
  /** UTC ms; the report's time when absent. */
  at?: number;
}

const RANK: Record<HealthStatus, number> = { pass: 0, warn: 1, fail: 2 };

export function worst(statuses: Iterable<HealthStatus>): HealthStatus {
  let w: HealthStatus = 'pass';
  for (const s of statuses) if (RANK[s] > RANK[w]) w = s;
  return w;
}

export function healthReport(checks: Check[], now: number, meta: { version: string; serviceId?: string; description?: string }): HealthReport {
  const grouped: HealthReport['checks'] = {};
  for (const { key, at, ...c } of checks) (grouped[key] ??= []).push({ ...c, time: new Date(at ?? now).toISOString() });
  return {
    status: worst(checks.map((c) => c.status)),
    version: meta.version,
    serviceId: meta.serviceId ?? 'quant-claude',
    description: meta.description ?? 'Quant Claude trading terminal',
    checks: grouped,
  };
}

/** A web host answers 503 for fail (a load balancer or a monitor reads the code), 200 otherwise, as the draft suggests. */
export const httpStatusOf = (status: HealthStatus): number => (status === 'fail' ? 503 : 200);

export const HOUR_MS = 3_600_000;
/** A daily backup is due every 24 h; 2 h of slack for a machine that slept through the time. */
export const BACKUP_WARN_AFTER_MS = 26 * HOUR_MS;

/** Age of the newest backup (its file's mtime); none ⇒ warn. */
export function backupAgeCheck(newest: { file: string; mtime: number } | null, now: number): Check {
  if (!newest) return { key: 'backup:age', componentType: 'system', observedValue: null, observedUnit: 'h', status: 'warn', output: 'No backup in the data folder yet' };
  const hours = Math.max(0, now - newest.mtime) / HOUR_MS;
  const old = now - newest.mtime > BACKUP_WARN_AFTER_MS;
  return {
    key: 'backup:age', componentId: newest.file, componentType: 'system', observedValue: round(hours, 1), observedUnit: 'h', status: old ? 'warn' : 'pass',
    ...(old ? { output: `The last backup is ${Math.floor(hours)} h old (a daily one is expected)` } : {}),
  };
}

const MIB = 1024 * 1024;
/** Free space of the data folder's disk: warn below 1 GiB or 5 %, fail below 100 MiB (SQLite then fails writes soon). */
export function diskCheck(d: { free: number; total: number } | { error: string }): Check {
  if ('error' in d) return { key: 'disk:free', componentType: 'system', status: 'fail', output: d.error };
  const freeMb = d.free / MIB;
  const share = d.total > 0 ? d.free / d.total : 1;
  const status: HealthStatus = freeMb < 100 ? 'fail' : freeMb < 1024 || share < 0.05 ? 'warn' : 'pass';
  return {
    key: 'disk:free', componentType: 'system', observedValue: Math.round(freeMb), observedUnit: 'MiB', status,
    ...(status !== 'pass' ? { output: `${Math.round(freeMb)} MiB free (${(share * 100).toFixed(1)} % of the disk)` } : {}),
  };
}

/** Write latency of one small write: warn above 250 ms (a slow or overloaded disk; fills wait for it). */
export const WRITE_WARN_MS = 250;

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
