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

describe('log redaction in depth and in messages', () => {
  it('redacts API keys, tokens and account ids nested deep in objects and inside message text', async () => {
    const { readdirSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'qc-log-deep-'));
    const log = createLogger({ dir });
    log.info({ req: { body: { auth: { token: 'tok-DEEP-1', apiKey: 'AK-DEEP-2' }, order: { leg: { accountId: 'DU7654321' } } } } }, 'deep');
    log.warn('fetch failed: https://x.test/q?apikey=AV-MSG-3&symbol=AAPL for account U9876543 (OANDA 101-004-1234567-001), Bearer abcdefghijk123');
    log.error({ err: new Error('rejected for DU1112223: token=tok-ERR-4') }, 'order rejected');
    const text = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    for (const secret of ['tok-DEEP-1', 'AK-DEEP-2', 'DU7654321', 'AV-MSG-3', 'U9876543', '101-004-1234567-001', 'abcdefghijk123', 'DU1112223', 'tok-ERR-4']) expect(text).not.toContain(secret);
    expect(text).toContain('symbol=AAPL');
    expect(text.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['deep', expect.stringMatching(/^fetch failed: .*apikey=\[redacted\]/), 'order rejected']);
  });
});

describe('log rotation and retention', () => {
  it('rotates by size and at midnight UTC, keeps at most max files, and deletes files older than max days', async () => {
    const { readdirSync, writeFileSync, utimesSync } = await import('node:fs');
    const { FileWithFallback } = await import('./logging');
    const dir = mkdtempSync(join(tmpdir(), 'qc-log-rotate-'));
    // A rotated file from long ago: older than maxDays, deleted at the first rotation.
    const ancient = join(dir, 'quant-claude-2025-01-01T00-00-00Z.log');
    writeFileSync(ancient, '{}\n');
    utimesSync(ancient, Date.parse('2025-01-01') / 1000, Date.parse('2025-01-01') / 1000);
    let now = Date.parse('2026-12-03T23:59:00Z');
    const dest = new FileWithFallback(join(dir, 'quant-claude.log'), () => undefined, () => now, () => undefined, { maxBytes: 100, maxFiles: 3, maxDays: 30 });
    const line = (n: number) => `{"n":${n},"pad":"${'x'.repeat(30)}"}\n`; // 50 bytes: two per file
    for (let n = 1; n <= 4; n++) dest.write(line(n)); // 1,2 | 3,4 (a size rotation at the third line)
    now = Date.parse('2026-12-04T00:00:01Z');
    dest.write(line(5)); // a new day: rotated although the file has room
    const files = () => readdirSync(dir).sort();
    expect(files()).toEqual(['quant-claude-2026-12-03T23-59-00Z.log', 'quant-claude-2026-12-04T00-00-01Z.log', 'quant-claude.log']);
    expect(readFileSync(join(dir, 'quant-claude-2026-12-03T23-59-00Z.log'), 'utf8')).toBe(line(1) + line(2));
    expect(readFileSync(join(dir, 'quant-claude-2026-12-04T00-00-01Z.log'), 'utf8')).toBe(line(3) + line(4));
    expect(readFileSync(join(dir, 'quant-claude.log'), 'utf8')).toBe(line(5));
    for (let n = 6; n <= 12; n++) dest.write(line(n)); // three more size rotations in the same second
    const rotated = files().filter((f) => f !== 'quant-claude.log');
    expect(rotated).toHaveLength(3); // the oldest went first
    expect(rotated).toEqual(['quant-claude-2026-12-04T00-00-01Z-1.log', 'quant-claude-2026-12-04T00-00-01Z-2.log', 'quant-claude-2026-12-04T00-00-01Z-3.log']);
    const { logFiles } = await import('./logging');
    expect(logFiles(dir).map((f) => f.slice(dir.length + 1))).toEqual(['quant-claude.log', ...rotated.slice().reverse()]);
  });
});
