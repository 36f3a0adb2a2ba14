// The operations port (config versions, the hooks' outbox) on SQLite and on a real PostgreSQL: the same behaviour.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src-main/adapters/postgres/store';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';
import type { Store } from '../../src-main/ports/store';
import { startPgCluster, type PgCluster } from '../support/pg-cluster';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPgCluster();
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

const kinds: [string, () => Promise<Store>][] = [
  ['SQLite', async () => openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), 'qc-ops-')), 'q.db') })],
  ['PostgreSQL', () => openPostgresStore({ url: cluster.url })],
];

describe.each(kinds)('operations store on %s', (_name, open) => {
  it('keeps config versions newest first and an outbox that delivers each hook and key once', async () => {
    const store = await open();
    try {
      const v = store.operations.configVersions;
      const a = await v.append({ time: 1, subject: 'config.yaml', source: 'start', hash: 'h1', text: 'a: 1\n', diff: '' });
      const b = await v.append({ time: 2, subject: 'config.yaml', source: 'file', hash: 'h2', text: 'a: 2\n', diff: '-a: 1\n+a: 2\n' });
      await v.append({ time: 3, subject: 'strategy:s1', source: 'app', hash: 'h3', text: '{}\n', diff: '' });
      expect(b).toBeGreaterThan(a);
      expect((await v.list({ subject: 'config.yaml' })).map((r) => [r.id, r.time, r.source, r.text])).toEqual([[b, 2, 'file', 'a: 2\n'], [a, 1, 'start', 'a: 1\n']]);
      expect((await v.list({})).map((r) => r.subject)).toEqual(['strategy:s1', 'config.yaml', 'config.yaml']);
      expect(await v.latest('config.yaml')).toMatchObject({ id: b, hash: 'h2' });
      expect(await v.get(a)).toMatchObject({ id: a, diff: '' });
      expect(await v.get(9999)).toBeUndefined();

      const o = store.operations.hookOutbox;
      const row = (hook: string, key: string) => ({ hook, event: 'fill' as const, key, payload: `{"key":"${key}"}`, createdAt: 10, nextAt: 10 });
      expect(await o.enqueue([row('desk', 'fill:1'), row('archive', 'fill:1')])).toBe(2);
      expect(await o.enqueue([row('desk', 'fill:1'), row('desk', 'fill:2')])).toBe(1); // fill:1 is queued already
      const due = await o.due(10, 10);
      expect(due.map((d) => [d.hook, d.key, d.attempts, d.deliveredAt])).toEqual([['desk', 'fill:1', 0, null], ['archive', 'fill:1', 0, null], ['desk', 'fill:2', 0, null]]);
      await o.failed(due[0]!.id, 'HTTP 503', 1010);
      await o.delivered(due[1]!.id, 11);
      expect((await o.due(11, 10)).map((d) => d.key)).toEqual(['fill:2']);
      expect((await o.due(1010, 10)).map((d) => [d.key, d.attempts, d.lastError])).toEqual([['fill:1', 1, 'HTTP 503'], ['fill:2', 0, null]]);
      expect((await o.list(10)).map((d) => [d.hook, d.deliveredAt])).toEqual([['desk', null], ['archive', 11], ['desk', null]]);
      // Pruning drops delivered rows older than the cut-off only; the undelivered ones stay whatever their age.
      expect(await o.prune(11)).toBe(0);
      expect(await o.prune(12)).toBe(1);
      expect((await o.list(10)).map((d) => [d.hook, d.key, d.deliveredAt])).toEqual([['desk', 'fill:2', null], ['desk', 'fill:1', null]]);
    } finally {
      await store.dispose();
    }
  }, 60_000);
});
