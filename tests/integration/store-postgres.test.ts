// The Store suite on a real PostgreSQL server (a private throwaway cluster).
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openPostgresStore } from '../../src-main/adapters/postgres/store';
import { startPgCluster, type PgCluster } from '../support/pg-cluster';
import { storeSuite } from './store-suite';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPgCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

storeSuite('PostgreSQL', () => openPostgresStore({ url: cluster.url }), async (_store, sql) => {
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
});
