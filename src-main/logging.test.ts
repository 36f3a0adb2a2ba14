import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logging';

describe('logging', () => {
  it('redacts account ids, tokens and keys wherever they sit in a log object', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-log-'));
    const log = createLogger({ dir, level: 'info' });
    log.info({ accountId: 'DU1234567', order: { accountId: 'DU1234567', symbol: 'AAPL' }, token: 'tok-secret', apiKey: 'AKIA-SECRET' }, 'placed');
    // settings.apiKeys.set's parameters, and an Alpha Vantage style lower-case field.
    log.info({ method: 'settings.apiKeys.set', params: { provider: 'polygon', key: 'PK-SECRET-1' }, apikey: 'AV-SECRET-2' }, 'call');
    log.flush();
    await new Promise((r) => setTimeout(r, 200));
    const text = readFileSync(join(dir, 'quant-claude.log'), 'utf8');
    expect(text).toContain('"symbol":"AAPL"');
    expect(text).toContain('"provider":"polygon"');
    expect(text).toContain('[redacted]');
    for (const secret of ['DU1234567', 'tok-secret', 'AKIA-SECRET', 'PK-SECRET-1', 'AV-SECRET-2']) expect(text).not.toContain(secret);
  });
});
