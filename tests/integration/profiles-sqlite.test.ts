// The instrument-profile suite on a SQLite file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';
import { profilesSuite } from './profiles-suite';

profilesSuite('SQLite', async () => openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), 'qc-profiles-')), 'quant.db') }));
