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
    log.flush();
    await new Promise((r) => setTimeout(r, 200));
    const text = readFileSync(join(dir, 'quant-claude.log'), 'utf8');
    expect(text).toContain('"symbol":"AAPL"');
    expect(text).toContain('[redacted]');
    for (const secret of ['DU1234567', 'tok-secret', 'AKIA-SECRET']) expect(text).not.toContain(secret);
  });
});
