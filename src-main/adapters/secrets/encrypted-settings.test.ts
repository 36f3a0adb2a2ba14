// Secrets encrypted at rest: a real SQLite file and key file; the clear value appears in no file of the data folder.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../sqlite/store';
import { EncryptedSettingsSecrets, secretSettingKey } from './encrypted-settings';

const KEY = 'PK_live_9f8e7d6c5b4a3f2e1d0c';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

function open(dir: string) {
  const store = openSqliteStore({ file: join(dir, 'quant.db') });
  return { store, secrets: new EncryptedSettingsSecrets(store.settings, join(dir, 'secrets.key')) };
}

describe('EncryptedSettingsSecrets', () => {
  it('stores ciphertext only: the key is in no file of the data dir, in any encoding, and survives a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-secrets-'));
    let { store, secrets } = open(dir);
    await secrets.set('apikey.polygon', KEY);
    await secrets.set('apikey.alphavantage', 'AV-SECOND-KEY-1234');
    expect(await secrets.get('apikey.polygon')).toBe(KEY);
    expect(await secrets.has('apikey.polygon')).toBe(true);
    expect(await secrets.has('apikey.none')).toBe(false);
    // What the settings row holds is not the key.
    const row = await store.settings.get(secretSettingKey('apikey.polygon'));
    expect(row).toMatch(/^v1:/);
    expect(row).not.toContain(KEY);
    store.dispose(); // checkpoints the WAL into quant.db

    const files = filesUnder(dir);
    expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(expect.arrayContaining(['quant.db', 'secrets.key']));
    for (const f of files) {
      const bytes = readFileSync(f);
      for (const needle of [KEY, Buffer.from(KEY).toString('base64'), Buffer.from(KEY).toString('hex'), Buffer.from(KEY, 'utf16le').toString('latin1')]) {
        expect(bytes.includes(Buffer.from(needle, 'latin1')), `${f} contains the key`).toBe(false);
      }
    }
    if (process.platform !== 'win32') expect(statSync(join(dir, 'secrets.key')).mode & 0o777).toBe(0o600);

    ({ store, secrets } = open(dir));
    expect(await secrets.get('apikey.polygon')).toBe(KEY);
    expect(await secrets.get('apikey.alphavantage')).toBe('AV-SECOND-KEY-1234');
    await secrets.delete('apikey.polygon');
    expect(await secrets.get('apikey.polygon')).toBeUndefined();
    expect(await secrets.has('apikey.polygon')).toBe(false);
    store.dispose();
  });

  it('a ciphertext moved to another name, or read with another key file, fails with a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-secrets-'));
    const { store, secrets } = open(dir);
    await secrets.set('apikey.polygon', KEY);
    await store.settings.set(secretSettingKey('apikey.yahoo'), (await store.settings.get(secretSettingKey('apikey.polygon')))!);
    await expect(secrets.get('apikey.yahoo')).rejects.toThrow(/"apikey.yahoo" cannot be decrypted/);
    writeFileSync(join(dir, 'other.key'), Buffer.alloc(32, 7));
    const other = new EncryptedSettingsSecrets(store.settings, join(dir, 'other.key'));
    await expect(other.get('apikey.polygon')).rejects.toThrow(/cannot be decrypted/);
    writeFileSync(join(dir, 'short.key'), 'short');
    expect(() => new EncryptedSettingsSecrets(store.settings, join(dir, 'short.key'))).toThrow(/5 bytes, expected 32/);
    await expect(secrets.set('Bad Name', 'x')).rejects.toThrow(/Invalid secret name "Bad Name"/);
    store.dispose();
  });
});
