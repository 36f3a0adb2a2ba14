// The ledger suite on real SQLite files (a fresh file per test).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';
import { ledgerSuite } from './ledger-suite';

ledgerSuite('SQLite', async () => openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), 'qc-ledger-')), 'quant.db') }));
