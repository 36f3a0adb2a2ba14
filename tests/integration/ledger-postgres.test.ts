// The ledger suite on a real PostgreSQL server (a private throwaway cluster; a fresh database per test).
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openPostgresStore } from '../../src-main/adapters/postgres/store';
import { startPgCluster, type PgCluster } from '../support/pg-cluster';
import { ledgerSuite } from './ledger-suite';

let cluster: PgCluster;
let n = 0;
beforeAll(async () => {
  cluster = await startPgCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

ledgerSuite('PostgreSQL', async () => {
  const name = `ledger_${++n}`;
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
