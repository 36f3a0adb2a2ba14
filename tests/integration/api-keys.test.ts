// settings.apiKeys.* through the real app and dispatcher: keys are stored encrypted, listed as present, never returned.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src-main/app';
import { createLogger } from '../../src-main/logging';
import { ManualClock } from '../../src-main/ports/clock';
import { listenLocal } from '../support/local-http';

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
    expect(await call('settings.apiKeys.list', {})).toEqual({ ok: true, result: [{ provider: 'alphavantage', hasKey: false }, { provider: 'polygon', hasKey: false }, { provider: 'fred', hasKey: false }] });
    expect(await call('settings.apiKeys.set', { provider: 'alphavantage', key: `  ${KEY} ` })).toEqual({ ok: true, result: { ok: true } });
    const bad = await call('settings.apiKeys.set', { provider: 'alphavantage', key: 'has space' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^key: An API key is printable ASCII/) } });
    expect(await call('settings.apiKeys.set', { provider: 'iex', key: 'X' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await call('settings.apiKeys.list', {})).toEqual({ ok: true, result: [{ provider: 'alphavantage', hasKey: true }, { provider: 'polygon', hasKey: false }, { provider: 'fred', hasKey: false }] });
    await app.dispose();

    for (const f of filesUnder(dataDir)) expect(readFileSync(f).includes(KEY), `${f} holds the key in clear`).toBe(false);
    expect(filesUnder(dataDir).map((f) => f.slice(dataDir.length + 1))).toContain('secrets.key');

    app = await start();
    expect(await call('settings.apiKeys.list', {})).toEqual({ ok: true, result: [{ provider: 'alphavantage', hasKey: true }, { provider: 'polygon', hasKey: false }, { provider: 'fred', hasKey: false }] });
    expect(await call('settings.apiKeys.set', { provider: 'alphavantage', key: null })).toEqual({ ok: true, result: { ok: true } });
    expect(await call('settings.apiKeys.list', {})).toMatchObject({ result: [{ provider: 'alphavantage', hasKey: false }, { provider: 'polygon', hasKey: false }, { provider: 'fred', hasKey: false }] });
    await app.dispose();
    expect(JSON.stringify(responses)).not.toContain(KEY);
  });
});

describe('API keys never leave the main process', () => {
  it('an upstream error that echoes the key (URL-encoded, as it went on the wire) reaches the renderer scrubbed', async () => {
    // A key with characters a URL encodes; the provider removes the key as typed from messages, not its encoded form.
    const key = 'AV+KEY/7Q2W9E4R';
    const onWire = encodeURIComponent(key);
    // An Alpha Vantage stand-in that answers every request with a notice quoting the key from the raw query string.
    const server = createServer((req, res) => {
      const raw = /[?&]apikey=([^&]*)/.exec(req.url ?? '')?.[1] ?? '';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Information: `Thank you for using Alpha Vantage! The key ${raw} has no access to this function.` }));
    });
    const av = await listenLocal(server);
    const dataDir = mkdtempSync(join(tmpdir(), 'qc-apikeys-echo-'));
    writeFileSync(join(dataDir, 'config.yaml'), `data_providers:\n  yahoo: { enabled: false }\n  alphavantage: { enabled: true, endpoint: "${av.url}", retry_attempts: 0, rate_limit: 6000 }\n`);
    // The system clock: the rate limiter refills as time passes.
    const app = await createApp({ dataDir, transport: 'web', logger: createLogger({ level: 'silent' }) });
    const events: unknown[] = [];
    const sub = app.hub.subscribe((name, data) => events.push({ name, data }));
    try {
      expect(await app.dispatch('settings.apiKeys.set', { provider: 'alphavantage', key })).toEqual({ ok: true, result: { ok: true } });
      const f = await app.dispatch('data.fundamentals', { symbols: ['IBM'] });
      const sources = await app.dispatch('data.sources', {});
      // The echo happened (the message says so) and the key is gone from it.
      expect(f).toMatchObject({ ok: true, result: [{ symbol: 'IBM', status: 'failed', error: expect.stringContaining('The key [redacted] has no access') }] });
      expect(sources).toMatchObject({ ok: true, result: expect.arrayContaining([expect.objectContaining({ id: 'alphavantage', lastError: expect.objectContaining({ message: expect.stringContaining('The key [redacted] has no access') }) })]) });
      await new Promise((r) => setTimeout(r, 1200)); // a supervisor tick pushes data.sources
      expect(events.some((e) => (e as { name: string }).name === 'data.sources')).toBe(true);
      const sent = JSON.stringify([f, sources, events]);
      expect(sent).not.toContain(onWire);
      expect(sent).not.toContain(key);
    } finally {
      sub.dispose();
      await app.dispose();
      await av.close();
    }
  }, 30_000);
});
