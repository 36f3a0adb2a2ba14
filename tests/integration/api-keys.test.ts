// settings.apiKeys.* through the real app and dispatcher: keys are stored encrypted, listed as present, never returned.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src-main/app';
import { createLogger } from '../../src-main/logging';
import { ManualClock } from '../../src-main/ports/clock';

const KEY = 'AVKEY7Q2W9E4R1T6';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('settings.apiKeys', () => {
  it('set, list, survive a restart, remove; the key is in no file of the data dir nor any response', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'qc-apikeys-'));
    const start = () => createApp({ dataDir, transport: 'web', clock: new ManualClock(Date.UTC(2026, 0, 5, 15)), logger: createLogger({ dir: join(dataDir, 'logs') }) });
    let app = await start();
    const responses: unknown[] = [];
    const call = async (method: string, params: unknown) => {
      const r = await app.dispatch(method, params);
      responses.push(r);
      return r;
    };
    expect(await call('settings.apiKeys.list', {})).toEqual({ ok: true, result: [{ provider: 'alphavantage', hasKey: false }, { provider: 'polygon', hasKey: false }] });
    expect(await call('settings.apiKeys.set', { provider: 'alphavantage', key: `  ${KEY} ` })).toEqual({ ok: true, result: { ok: true } });
    const bad = await call('settings.apiKeys.set', { provider: 'alphavantage', key: 'has space' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^key: An API key is printable ASCII/) } });
    expect(await call('settings.apiKeys.set', { provider: 'iex', key: 'X' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await call('settings.apiKeys.list', {})).toEqual({ ok: true, result: [{ provider: 'alphavantage', hasKey: true }, { provider: 'polygon', hasKey: false }] });
    await app.dispose();

    for (const f of filesUnder(dataDir)) expect(readFileSync(f).includes(KEY), `${f} holds the key in clear`).toBe(false);
    expect(filesUnder(dataDir).map((f) => f.slice(dataDir.length + 1))).toContain('secrets.key');

    app = await start();
    expect(await call('settings.apiKeys.list', {})).toEqual({ ok: true, result: [{ provider: 'alphavantage', hasKey: true }, { provider: 'polygon', hasKey: false }] });
    expect(await call('settings.apiKeys.set', { provider: 'alphavantage', key: null })).toEqual({ ok: true, result: { ok: true } });
    expect(await call('settings.apiKeys.list', {})).toMatchObject({ result: [{ provider: 'alphavantage', hasKey: false }, { provider: 'polygon', hasKey: false }] });
    await app.dispose();
    expect(JSON.stringify(responses)).not.toContain(KEY);
  });
});
