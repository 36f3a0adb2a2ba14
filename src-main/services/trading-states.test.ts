// Trading states on both stores: SQLite (a file) and PostgreSQL (a throwaway cluster): journaled,
// read back by a new instance (a restart), history from the audit log; an unreadable stored value reads as HALTED.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../adapters/sqlite/store';
import { openPostgresStore } from '../adapters/postgres/store';
import { ManualClock } from '../ports/clock';
import type { Store } from '../ports/store';
import { startPgCluster, type PgCluster } from '../../tests/support/pg-cluster';
import { TradingStates } from './trading-states';

let cluster: PgCluster | undefined;
afterAll(async () => {
  await cluster?.stop();
});

async function postgres(): Promise<() => Promise<Store>> {
  cluster ??= await startPgCluster();
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  try {
    await admin.query('CREATE DATABASE trading_states');
  } finally {
    await admin.end();
  }
  const url = new URL(cluster.url);
  url.pathname = '/trading_states';
  return async () => openPostgresStore({ url: url.toString() });
}

const sqlite = async (): Promise<() => Promise<Store>> => {
  const file = join(mkdtempSync(join(tmpdir(), 'qc-states-')), 'quant.db');
  return async () => openSqliteStore({ file });
};

describe.each([['SQLite', sqlite], ['PostgreSQL', postgres]] as const)('trading states on %s', (_name, make) => {
  it('journals each change and keeps it across a restart (the order of journal and effect: portfolio-risk.test.ts)', async () => {
    const open = await make();
    const clock = new ManualClock(Date.parse('2026-12-03T12:00:00Z'));
    const store = await open();
    const states = new TradingStates({ store, clock });
    expect((await states.get('PAPER-1')).state).toBe('ACTIVE');
    await states.set('PAPER-1', 'REDUCING', 'drill', 'manual');
    clock.advance(1000);
    await states.set('terminal', 'HALTED', 'stop everything', 'manual');
    const journal = (await store.audit.list({ limit: 10 })).filter((e) => e.kind === 'risk.state.changed').map((e) => e.payload['to']);
    expect(journal).toEqual(['HALTED', 'REDUCING']);
    await store.dispose();

    const again = await open();
    const restarted = new TradingStates({ store: again, clock });
    expect(await restarted.get('PAPER-1')).toMatchObject({ state: 'REDUCING', reason: 'drill', by: 'manual' });
    expect((await restarted.get('terminal')).state).toBe('HALTED');
    expect((await restarted.history('PAPER-1')).map((h) => [h.scope, h.from, h.state, h.reason])).toEqual([
      ['terminal', 'ACTIVE', 'HALTED', 'stop everything'],
      ['PAPER-1', 'ACTIVE', 'REDUCING', 'drill'],
    ]);
    // A hand-edited value that is not JSON: the strictest state until set again.
    await again.settings.set('risk.state.account.OTHER', 'reducing?');
    expect((await new TradingStates({ store: again, clock }).get('OTHER')).state).toBe('HALTED');

    // A listener that throws neither fails the change (already journaled and stored) nor stops the other listeners.
    const errors: unknown[] = [];
    const watched = new TradingStates({ store: again, clock, onListenerError: (err) => errors.push(err) });
    const seen: string[] = [];
    watched.on(() => {
      throw new Error('listener broke');
    });
    watched.on((r) => seen.push(r.state));
    await expect(watched.set('PAPER-1', 'ACTIVE', 'drill over', 'manual')).resolves.toMatchObject({ state: 'ACTIVE' });
    expect(seen).toEqual(['ACTIVE']);
    expect(errors).toHaveLength(1);
    expect((await new TradingStates({ store: again, clock }).get('PAPER-1')).state).toBe('ACTIVE');
    await again.dispose();
  });
});
