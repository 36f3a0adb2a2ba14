// The instrument-profile suite on a real PostgreSQL server (a private throwaway cluster; a fresh database per test).
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openPostgresStore } from '../../src-main/adapters/postgres/store';
import { startPgCluster, type PgCluster } from '../support/pg-cluster';
import { profilesSuite } from './profiles-suite';

let cluster: PgCluster;
let n = 0;
beforeAll(async () => {
  cluster = await startPgCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

profilesSuite('PostgreSQL', async () => {
  const name = `profiles_${++n}`;
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  return openPostgresStore({ url: url.toString() });
});
