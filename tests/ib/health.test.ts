// The health report of the app with an IB account on the TWS simulator: pass while everything flows, warn when the
// simulator goes silent (the feed goes stale) and when the last backup is older than 26 h.
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { createLogger } from '../../src-main/logging';
import type { Clock } from '../../src-main/ports/clock';
import type { HealthReport } from '../../src-shared/api/ops';
import type { TwsSimulator } from '../../tools/tws-sim/simulator';
import { FAST_TIMINGS, startSim, waitUntil } from './harness';

let app: App | undefined;
let sim: TwsSimulator | undefined;

afterEach(async () => {
  await app?.dispose();
  await sim?.close();
  app = sim = undefined;
});

/** Real time passing, from a Tuesday afternoon in New York: the US market is open whenever the test runs. */
function marketHoursClock(): Clock {
  const start = Date.now();
  const t0 = Date.parse('2026-12-01T16:00:00Z');
  return { now: () => t0 + (Date.now() - start) };
}

async function call<T>(a: App, method: string, params: unknown = {}): Promise<T> {
  const r = await a.dispatch(method, params);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.result as T;
}

const failing = (r: HealthReport) => Object.entries(r.checks).flatMap(([key, list]) => list.filter((c) => c.status !== 'pass').map((c) => `${key} ${c.status}`));

describe('health with the TWS simulator', () => {
  it('passes while IB quotes flow, warns when it goes silent (stale feed), and when the backup is old', async () => {
    sim = await startSim({ tickMs: 50 });
    const dataDir = mkdtempSync(join(tmpdir(), 'qc-health-ib-'));
    // IB first in the quotes chain, the demo market behind it; stale after 1 s of silence. No Yahoo (offline).
    writeFileSync(join(dataDir, 'config.yaml'), 'data_providers:\n  yahoo: { enabled: false }\napi_strategy:\n  stale_after: 1\n');
    mkdirSync(join(dataDir, 'backups'));
    const backup = join(dataDir, 'backups', 'qc-daily-2026-12-01T02-00-00Z.sqlite');
    const clock = marketHoursClock();
    writeFileSync(backup, 'a backup');
    utimesSync(backup, clock.now() / 1000, clock.now() / 1000);
    // A slow silence watchdog: the stale feed is seen before the session gives up on the socket.
    app = await createApp({ dataDir, transport: 'web', clock, logger: createLogger({ level: 'silent' }), ibTimings: { ...FAST_TIMINGS, heartbeatMs: 10_000, silenceTimeoutMs: 60_000 } });
    await call(app, 'connection.connect', { port: sim.port, clientId: 21, account: 'DU1234567' });
    await waitUntil('ready', async () => (await call<{ ready: boolean }>(app!, 'connection.status')).ready);

    let report: HealthReport | undefined;
    await waitUntil('a passing report', async () => {
      report = await call<HealthReport>(app!, 'health.get');
      return report.status === 'pass';
    }, 10_000, 100).catch(() => {
      throw new Error(`not passing: ${failing(report!).join(', ')}`);
    });
    expect(Object.keys(report!.checks)).toEqual(expect.arrayContaining([
      'database:connectivity', 'database:write-latency', 'database:integrity', 'disk:free', 'backup:age',
      'IB DU••••567:connected', 'IB DU••••567:last-message', 'IB DU••••567:reconciliation', 'Paper:connected',
      'ib:circuit', 'ib:quote-age', 'feeds:failover', 'feeds:stale',
    ]));
    expect(JSON.stringify(report)).not.toContain('DU1234567');

    sim.silent(true);
    await waitUntil('the stale feed reported', async () => {
      report = await call<HealthReport>(app!, 'health.get');
      return report.checks['ib:quote-age']?.[0]?.status === 'warn';
    }, 10_000, 100);
    expect(report!.status).toBe('warn');
    expect(report!.checks['ib:quote-age']![0]).toMatchObject({ componentType: 'data-feed', observedUnit: 's', output: expect.stringMatching(/^No quote for \d+ s \(stale after 1 s\)$/) });
    sim.silent(false);
    await waitUntil('quotes again', async () => (await call<HealthReport>(app!, 'health.get')).checks['ib:quote-age']?.[0]?.status === 'pass', 10_000, 100);

    const old = (clock.now() - 30 * 3_600_000) / 1000; // the app's clock is the one it measures the age on
    utimesSync(backup, old, old);
    report = await call<HealthReport>(app, 'health.get');
    expect(report.checks['backup:age']![0]).toMatchObject({ status: 'warn', output: expect.stringMatching(/^The last backup is 3\d h old/) });
  }, 40_000);
});
