// The health report: every component's checks (database, broker accounts, data feeds, live strategies, disk, backups,
// the process's own background failures), gathered on request. Other services add theirs with `register`.
import { performance } from 'node:perf_hooks';
import type { AccountInfo, AppHealth, DataFeed, DataSourceStatus, LiveStrategy, ReconciliationReport } from '../../src-shared/api/contract';
import type { HealthReport } from '../../src-shared/api/ops';
import { TIMEFRAME_SECONDS } from '../../src-shared/domain/types';
import { backupAgeCheck, diskCheck, healthReport, round, WRITE_WARN_MS, type Check } from '../domain/health/report';
import type { Clock } from '../ports/clock';
import type { Disposable } from '../ports/disposable';
import type { OpsProbes } from '../ports/ops-probes';
import type { Store } from '../ports/store';

export type { Check } from '../domain/health/report';
export type CheckProvider = () => Check[] | Promise<Check[]>;


export interface DatabaseProbe {
  store: Pick<Store, 'settings' | 'kind'>;
  /** False where the database is open read-only (the CLI beside a running terminal): no write-latency check. */
  write: boolean;
  /** The last integrity check (quick_check), or null where none ran (PostgreSQL: its own tools). */
  integrity(): { time: number; problems: string[] } | null;
}

const PROBE_KEY = 'health.probe';

/** Connectivity (one read), write latency (one small write) and the last integrity check. */
export async function databaseChecks(db: DatabaseProbe, clock: Clock): Promise<Check[]> {
  const componentId = db.store.kind;
  const checks: Check[] = [];
  let t = performance.now();
  try {
    await db.store.settings.get(PROBE_KEY);
    checks.push({ key: 'database:connectivity', componentId, componentType: 'datastore', observedValue: round(performance.now() - t, 2), observedUnit: 'ms', status: 'pass' });
  } catch (err) {
    // Unreachable: the other database checks would only repeat the error.
    return [{ key: 'database:connectivity', componentId, componentType: 'datastore', status: 'fail', output: message(err) }];
  }
  if (db.write) {
    t = performance.now();
    try {
      await db.store.settings.set(PROBE_KEY, String(clock.now()));
      const ms = performance.now() - t;
      checks.push({
        key: 'database:write-latency', componentId, componentType: 'datastore', observedValue: round(ms, 2), observedUnit: 'ms', status: ms > WRITE_WARN_MS ? 'warn' : 'pass',
        ...(ms > WRITE_WARN_MS ? { output: `A small write took ${Math.round(ms)} ms` } : {}),
      });
    } catch (err) {
      checks.push({ key: 'database:write-latency', componentId, componentType: 'datastore', status: 'fail', output: message(err) });
    }
  }
  const integrity = db.integrity();
  checks.push(integrity
    ? {
      key: 'database:integrity', componentId, componentType: 'datastore', at: integrity.time, observedValue: integrity.problems.length === 0 ? 'ok' : integrity.problems[0] ?? 'damaged',
      status: integrity.problems.length === 0 ? 'pass' : 'fail', ...(integrity.problems.length ? { output: `quick_check found ${integrity.problems.length} problem(s)` } : {}),
    }
    : { key: 'database:integrity', componentId, componentType: 'datastore', observedValue: null, status: 'pass', output: 'No integrity check on this database (PostgreSQL: use amcheck)' });
  return checks;
}

export async function folderChecks(probes: OpsProbes, clock: Clock): Promise<Check[]> {
  const [disk, backup] = await Promise.all([probes.disk(), probes.newestBackup()]);
  return [diskCheck(disk), backupAgeCheck(backup, clock.now())];
}

/** Without a message for this long a connected broker's link is suspect (the IB watchdog reconnects at 30 s). */
const BROKER_SILENT_WARN_MS = 15_000;

export function brokerChecks(accounts: AccountInfo[], reconciliation: (accountId: string) => ReconciliationReport | null, now: number): Check[] {
  return accounts.flatMap((a): Check[] => {
    const c = a.label; // masked ("IB DU••••567"): the full account id never leaves main
    const s = a.status;
    const connected: Check = {
      key: `${c}:connected`, componentId: a.venue, componentType: 'broker', observedValue: s.state,
      status: s.state === 'connected' ? 'pass' : s.state === 'degraded' || s.state === 'connecting' ? 'warn' : 'fail',
      ...(s.message ? { output: s.message } : {}),
    };
    const checks = [connected];
    if (!a.alwaysOn) {
      const age = s.lastMessageAt === null ? null : Math.max(0, now - s.lastMessageAt);
      checks.push({
        key: `${c}:last-message`, componentId: a.venue, componentType: 'broker', observedValue: age === null ? null : round(age / 1000, 1), observedUnit: 's',
        status: age === null || age > BROKER_SILENT_WARN_MS ? 'warn' : 'pass',
        ...(age === null ? { output: 'No message from the broker yet' } : age > BROKER_SILENT_WARN_MS ? { output: `No message from the broker for ${Math.round(age / 1000)} s` } : {}),
      });
    }
    const r = reconciliation(a.accountId);
    const differences = r ? r.missedFills.length + r.closedOrders.length + r.externalOrders.length + r.positionDiffs.length : 0;
    checks.push({
      key: `${c}:reconciliation`, componentId: a.venue, componentType: 'broker',
      observedValue: !s.ready ? 'pending' : r === null ? 'none' : r.clean ? 'clean' : `${differences} difference(s)`,
      status: !s.ready && s.state === 'connected' ? 'warn' : r && !r.clean ? 'warn' : 'pass',
      ...(r && !r.clean ? { output: 'The broker differs from the journal: see the reconciliation banner', at: r.time } : {}),
    });
    return checks;
  });
}

export function feedChecks(sources: DataSourceStatus[], feeds: DataFeed[], lastQuote: Map<string, number>, staleMs: number, now: number): Check[] {
  const checks: Check[] = [];
  for (const s of sources) {
    if (!s.enabled || !s.roles.some((r) => r.kind === 'quotes')) continue;
    checks.push({
      key: `${s.id}:circuit`, componentId: s.id, componentType: 'data-feed', observedValue: s.circuit,
      status: s.circuit === 'closed' ? 'pass' : 'warn', ...(s.lastError && s.circuit !== 'closed' ? { output: s.lastError.message } : {}),
    });
    if (s.streaming) {
      const at = lastQuote.get(s.id);
      const age = at === undefined ? null : Math.max(0, now - at);
      // A streaming source in the quotes chain that stopped quoting (a silent TWS) while the others go on.
      const stale = s.state !== 'healthy' && (age === null || age > staleMs);
      checks.push({
        key: `${s.id}:quote-age`, componentId: s.id, componentType: 'data-feed', observedValue: age === null ? null : round(age / 1000, 1), observedUnit: 's',
        status: stale ? 'warn' : 'pass',
        ...(stale ? { output: age === null ? 'No quote received yet' : `No quote for ${Math.round(age / 1000)} s (stale after ${staleMs / 1000} s)` } : {}),
      });
    }
  }
  const fallback = feeds.filter((f) => f.fallback);
  const stale = feeds.filter((f) => f.stale);
  checks.push({
    key: 'feeds:failover', componentType: 'data-feed', observedValue: fallback.length, observedUnit: 'instruments', status: fallback.length ? 'warn' : 'pass',
    ...(fallback.length ? { output: `On a fallback source: ${list(fallback.map((f) => `${f.symbol} (${f.source})`))}` } : {}),
  });
  checks.push({
    key: 'feeds:stale', componentType: 'data-feed', observedValue: stale.length, observedUnit: 'instruments', status: stale.length ? 'warn' : 'pass',
    ...(stale.length ? { output: `No fresh quote: ${list(stale.map((f) => f.symbol))}` } : {}),
  });
  return checks;
}

export function strategyChecks(strategies: LiveStrategy[], now: number): Check[] {
  return strategies.filter((s) => s.status !== 'stopped').flatMap((s): Check[] => {
    const c = `strategy ${s.strategy} ${s.id.slice(0, 8)}`;
    const age = s.lastBarTime === null ? null : Math.max(0, now / 1000 - s.lastBarTime - TIMEFRAME_SECONDS[s.timeframe]);
    return [
      {
        key: `${c}:running`, componentId: s.id, componentType: 'strategy', observedValue: s.status,
        status: s.status === 'running' ? 'pass' : s.status === 'error' ? 'fail' : 'warn', ...(s.message ? { output: s.message } : {}),
      },
      // Informative only: markets close, so an old last bar is not by itself a fault.
      { key: `${c}:last-bar`, componentId: s.id, componentType: 'strategy', observedValue: age === null ? null : Math.round(age), observedUnit: 's', status: 'pass' },
    ];
  });
}

/** The log target and background failures (src-main/health.ts): a failure in the last 15 minutes warns. */
export function processChecks(app: AppHealth, now: number): Check[] {
  const recent = app.lastFailures.filter((f) => now - f.time < 15 * 60_000);
  return [
    { key: 'logging:target', componentType: 'system', observedValue: app.logging.to, status: app.logging.to === 'file' ? 'pass' : 'warn', ...(app.logging.reason ? { output: app.logging.reason } : {}) },
    {
      key: 'process:background-failures', componentType: 'system', observedValue: app.failureCount, status: recent.length ? 'warn' : 'pass',
      ...(recent[0] ? { output: recent[0].message, at: recent[0].time } : {}),
    },
  ];
}

/** Gathers the registered providers' checks; a provider that throws becomes a failed check of its own, not a failed report. */
export class HealthService {
  private readonly providers = new Map<string, CheckProvider>();

  constructor(private readonly o: { clock: Clock; version: string }) {}

  register(name: string, provider: CheckProvider): Disposable {
    if (this.providers.has(name)) throw new Error(`health: a check named ${name} is registered already`);
    this.providers.set(name, provider);
    return { dispose: () => void this.providers.delete(name) };
  }

  async get(): Promise<HealthReport> {
    const parts = await Promise.all([...this.providers].map(async ([name, p]): Promise<Check[]> => {
      try {
        return await p();
      } catch (err) {
        return [{ key: `${name}:check`, componentType: 'system', status: 'fail', output: `The check failed: ${message(err)}` }];
      }
    }));
    return healthReport(parts.flat(), this.o.clock.now(), { version: this.o.version });
  }
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 500);
}

function list(items: string[]): string {
  return items.length > 8 ? `${items.slice(0, 8).join(', ')} and ${items.length - 8} more` : items.join(', ');
}
