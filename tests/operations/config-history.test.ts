// Configuration history on real files (issue 18): config.yaml edited by hand while the terminal runs is detected and
// kept as a version with its diff; a strategy's parameters are versioned; a version is restored only when valid.
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { DEFAULT_CONFIG_YAML } from '../../src-main/config/config';
import { createLogger } from '../../src-main/logging';
import type { ConfigVersion } from '../../src-shared/api/operations';

const dataDir = mkdtempSync(join(tmpdir(), 'qc-config-history-'));
const configPath = join(dataDir, 'config.yaml');
let app: App;
afterAll(async () => app?.dispose());

async function call<T>(method: string, params: unknown): Promise<T> {
  const r = await app.dispatch(method as never, params as never);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.result as T;
}

/** Until `pred` holds for the config.yaml history (the watcher debounces, the file system reports late). */
async function historyUntil(pred: (h: ConfigVersion[]) => boolean): Promise<ConfigVersion[]> {
  for (let i = 0; i < 200; i++) {
    const h = await call<ConfigVersion[]>('config.history', { subject: 'config.yaml' });
    if (pred(h)) return h;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('config.yaml change not detected');
}

describe('configuration history', () => {
  it('keeps the file at start, detects hand edits (also a save by rename), and restores a valid version', async () => {
    app = await createApp({ dataDir, transport: 'web', logger: createLogger({ level: 'silent' }) });
    const first = await historyUntil((h) => h.length === 1);
    expect(first[0]).toMatchObject({ subject: 'config.yaml', source: 'start', diff: '' });

    // By hand, in place.
    writeFileSync(configPath, DEFAULT_CONFIG_YAML.replace('max_order_notional: 50000', 'max_order_notional: 75000'));
    const second = await historyUntil((h) => h.length === 2);
    expect(second[0]!.source).toBe('file');
    expect(second[0]!.diff).toContain('-  max_order_notional: 50000    # account currency');
    expect(second[0]!.diff).toContain('+  max_order_notional: 75000    # account currency');
    expect(second[0]!.diff).toMatch(/^--- config\.yaml #\d+\n\+\+\+ config\.yaml \(file\)\n@@ -\d+,7 \+\d+,7 @@/);

    // As an editor saves: a new file renamed over the old one. Then an invalid edit: kept too (it is what the file is).
    writeFileSync(`${configPath}.tmp`, DEFAULT_CONFIG_YAML.replace('level: info', 'level: debug'));
    renameSync(`${configPath}.tmp`, configPath);
    await historyUntil((h) => h[0]!.diff.includes('+  level: debug'));
    writeFileSync(configPath, DEFAULT_CONFIG_YAML.replace('max_order_notional: 50000', 'max_order_notional: -5'));
    const withInvalid = await historyUntil((h) => h[0]!.diff.includes('+  max_order_notional: -5'));

    // Restoring the invalid version is refused with the schema's reason; the file is unchanged.
    const invalidId = withInvalid[0]!.id;
    await expect(call('config.restore', { id: invalidId })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/not a valid config\.yaml now: risk\.max_order_notional: Too small: expected number to be >0/) });
    // The 75000 version restored: the file holds it again, and the restore is a version of its own.
    const v75 = withInvalid.find((v) => v.diff.includes('+  max_order_notional: 75000'))!;
    const restored = await call<ConfigVersion>('config.restore', { id: v75.id });
    expect(restored.source).toBe(`restore #${v75.id}`);
    expect(readFileSync(configPath, 'utf8')).toContain('max_order_notional: 75000');
    const after = await historyUntil((h) => h[0]!.id === restored.id);
    expect(after[0]!.diff).toContain('-  max_order_notional: -5');
    // The watcher sees the restore's own write and keeps no second version of it.
    await new Promise((r) => setTimeout(r, 600));
    expect((await call<ConfigVersion[]>('config.history', { subject: 'config.yaml' }))[0]!.id).toBe(restored.id);
  }, 60_000);

  it('a strategy started with parameters is a version; its running state is not', async () => {
    const started = await call<{ id: string }>('strategies.start', { strategy: 'sma-cross', symbols: ['BTCUSD'], timeframe: '1m', params: { fast: 5, slow: 20 }, capital: 1000 });
    const subject = `strategy:${started.id}`;
    let h: ConfigVersion[] = [];
    for (let i = 0; i < 100 && h.length === 0; i++) {
      h = await call<ConfigVersion[]>('config.history', { subject });
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(h).toHaveLength(1);
    expect(h[0]!.source).toBe('app');
    await call('strategies.stop', { id: started.id });
    await new Promise((r) => setTimeout(r, 200));
    // Stopping changes its status, not its configuration.
    expect(await call<ConfigVersion[]>('config.history', { subject })).toHaveLength(1);
    await expect(call('config.restore', { id: h[0]!.id })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/only config\.yaml versions are restored/) });
  }, 60_000);
});
