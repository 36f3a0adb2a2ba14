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

describe('log file fallback', () => {
  it('goes to stderr when the file cannot be written, and back to the file once it can, without throwing', async () => {
    const { mkdirSync, rmdirSync } = await import('node:fs');
    const { FileWithFallback } = await import('./logging');
    const dir = mkdtempSync(join(tmpdir(), 'qc-log-fallback-'));
    const path = join(dir, 'quant-claude.log');
    mkdirSync(path); // a folder where the file should be: opening it fails (EISDIR)
    let now = 1_000;
    const targets: { to: string; reason: string | null }[] = [];
    let stderr = '';
    const dest = new FileWithFallback(path, (t) => targets.push(t), () => now, (text) => (stderr += text));
    expect(() => dest.write('{"msg":"one"}\n')).not.toThrow();
    expect(targets).toEqual([{ to: 'stderr', reason: expect.stringMatching(/^EISDIR/) }]);
    rmdirSync(path);
    now += 59_000;
    dest.write('{"msg":"two"}\n'); // not yet retried: still stderr
    now += 1_000;
    dest.write('{"msg":"three"}\n');
    expect(targets.at(-1)).toEqual({ to: 'file', reason: null });
    expect(readFileSync(path, 'utf8')).toBe('{"msg":"three"}\n');
    expect(stderr).toMatch(/^Quant Claude: cannot write the log file \S+ \(EISDIR[^\n]*\); logging to stderr instead\n\{"msg":"one"\}\n\{"msg":"two"\}\n$/);
  });
});
