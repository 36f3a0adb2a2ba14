import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderProbes } from '../adapters/ops/probes';
import { openSqliteStore } from '../adapters/sqlite/store';
import { ManualClock } from '../ports/clock';
import { HealthReport } from '../../src-shared/api/ops';
import { databaseChecks, feedChecks, folderChecks, HealthService } from './health-checks';

const NOW = Date.parse('2026-12-03T20:00:00Z');
const temp = () => mkdtempSync(join(tmpdir(), 'qc-health-'));

describe('health checks', () => {
  it('database: pass on a real SQLite file (read, write, integrity); fail once the database cannot be reached', async () => {
    const dir = temp();
    const store = openSqliteStore({ file: join(dir, 'quant.db') });
    const clock = new ManualClock(NOW);
    const probe = { store, write: true, integrity: () => ({ time: NOW - 60_000, problems: [] }) };
    const ok = await databaseChecks(probe, clock);
    expect(ok.map((c) => [c.key, c.status])).toEqual([['database:connectivity', 'pass'], ['database:write-latency', 'pass'], ['database:integrity', 'pass']]);
    expect(await store.settings.get('health.probe')).toBe(String(NOW)); // the write really happened
    store.dispose();
    const down = await databaseChecks(probe, clock);
    expect(down).toEqual([expect.objectContaining({ key: 'database:connectivity', status: 'fail', output: expect.stringMatching(/not open/) })]);
  });

  it('backup age: warn without a backup and when the newest is older than 26 h, pass when fresh; other files are not backups', async () => {
    const dir = temp();
    const clock = new ManualClock(Date.now());
    const backupOf = async () => (await folderChecks(folderProbes(dir), clock)).find((c) => c.key === 'backup:age')!;
    expect(await backupOf()).toMatchObject({ status: 'warn', observedValue: null });
    mkdirSync(join(dir, 'backups'));
    const old = join(dir, 'backups', 'qc-daily-2026-12-01T02-00-00Z.sqlite');
    writeFileSync(old, 'x');
    const t = (Date.now() - 30 * 3_600_000) / 1000;
    utimesSync(old, t, t);
    writeFileSync(join(dir, 'backups', 'notes.sqlite'), 'x'); // fresh, but not a backup's name
    expect(await backupOf()).toMatchObject({ status: 'warn', observedValue: 30, componentId: 'qc-daily-2026-12-01T02-00-00Z.sqlite' });
    writeFileSync(join(dir, 'backups', 'qc-manual-2026-12-03T19-00-00Z.sqlite'), 'x');
    expect(await backupOf()).toMatchObject({ status: 'pass', componentId: 'qc-manual-2026-12-03T19-00-00Z.sqlite' });
    expect((await folderChecks(folderProbes(dir), clock)).find((c) => c.key === 'disk:free')).toMatchObject({ status: expect.stringMatching(/pass|warn/), observedUnit: 'MiB' });
  });

  it('feeds: a streaming source that stopped quoting warns (quote age, failover), a healthy one passes', () => {
    const source = (id: string, state: 'healthy' | 'degraded', streaming = true) => ({
      id, enabled: true, state, circuit: 'closed' as const, lastError: null, latencyMs: null, requestsLastHour: 0, rateLimit: 0, queued: 0, lastSuccessAt: null, streaming,
      roles: [{ kind: 'quotes' as const, rank: id === 'ib' ? 1 : 2 }],
    });
    const feed = (symbol: string, src: string, fallback: boolean) => ({ symbol, source: src, fallback, since: null, lastQuoteTime: null, lastQuoteAge: null, stale: false, barsSource: null, barsAt: null });
    const healthy = feedChecks([source('ib', 'healthy'), source('demo', 'healthy')], [feed('AAPL', 'ib', false)], new Map([['ib', NOW - 500], ['demo', NOW - 200]]), 2000, NOW);
    expect(healthy.every((c) => c.status === 'pass')).toBe(true);
    const silent = feedChecks([source('ib', 'degraded'), source('demo', 'healthy')], [feed('AAPL', 'demo', true)], new Map([['ib', NOW - 9000], ['demo', NOW - 200]]), 2000, NOW);
    expect(silent.filter((c) => c.status !== 'pass')).toEqual([
      expect.objectContaining({ key: 'ib:quote-age', status: 'warn', observedValue: 9, output: 'No quote for 9 s (stale after 2 s)' }),
      expect.objectContaining({ key: 'feeds:failover', status: 'warn', observedValue: 1, output: 'On a fallback source: AAPL (demo)' }),
    ]);
  });

  it('the report: the worst status, checks keyed component:measurement in arrays, a throwing provider as a failed check', async () => {
    const health = new HealthService({ clock: new ManualClock(NOW), version: '0.1.0' });
    health.register('a', () => [{ key: 'a:x', componentType: 'system', status: 'pass', observedValue: 1 }]);
    const off = health.register('hooks', () => [{ key: 'hooks:delivery', componentType: 'system', status: 'warn', output: '2 deliveries waiting' }]);
    expect(() => health.register('a', () => [])).toThrow(/registered already/);
    const report = HealthReport.parse(await health.get());
    expect(report).toMatchObject({ status: 'warn', checks: { 'a:x': [{ status: 'pass', time: '2026-12-03T20:00:00.000Z' }], 'hooks:delivery': [{ status: 'warn' }] } });
    off.dispose();
    health.register('broken', () => {
      throw new Error('boom');
    });
    expect(await health.get()).toMatchObject({ status: 'fail', checks: { 'broken:check': [{ status: 'fail', output: 'The check failed: boom' }] } });
  });
});
