// Secrets on the settings table, encrypted with AES-256-GCM under a random key kept in a separate 0600 file.
//
// Threat model (honest): the database and the key file live in the same data folder, so this protects a secret from
// whoever gets the database alone — a copied or synced quant.db, a backup, a bug report with the file attached, a
// PostgreSQL server's admin or dump (QUANT_DB_URL) — and keeps it out of every plain-text file and log. It does NOT
// protect against malware or another account that can read the user's data folder: whoever reads both files can
// decrypt. The desktop build uses the OS keychain instead (src-main/electron/safe-storage-secrets.ts); this adapter
// serves the web host and the CLI, which have no keychain. A machine-bound derived key was rejected: any "machine
// value" (hostname, machine-id) is readable by the same attacker and breaks on restore to a new machine.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { assertSecretName, type Secrets } from '../../ports/secrets';
import type { Store } from '../../ports/store';

/** Settings key under which a secret's ciphertext is stored. */
export const secretSettingKey = (name: string): string => `secret.${name}`;

const FORMAT = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;

/** Reads the key file, creating it (0600, 32 random bytes) on first use. */
export function loadOrCreateKey(keyFile: string): Buffer {
  try {
    const key = readFileSync(keyFile);
    if (key.length !== KEY_BYTES) throw new Error(`The secrets key file ${keyFile} is ${key.length} bytes, expected ${KEY_BYTES}: it is damaged; stored API keys must be entered again after removing it`);
    if (process.platform !== 'win32' && (statSync(keyFile).mode & 0o077) !== 0) chmodSync(keyFile, 0o600);
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dirname(keyFile), { recursive: true });
  const key = randomBytes(KEY_BYTES);
  // 'wx': never overwrite a key another process has just written (it would orphan its ciphertexts).
  try {
    writeFileSync(keyFile, key, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateKey(keyFile);
    throw err;
  }
  return key;
}

export class EncryptedSettingsSecrets implements Secrets {
  private readonly key: Buffer;

  constructor(private readonly settings: Store['settings'], keyFile: string) {
    this.key = loadOrCreateKey(keyFile);
  }

  async get(name: string): Promise<string | undefined> {
    assertSecretName(name);
    const stored = await this.settings.get(secretSettingKey(name));
    if (stored === undefined) return undefined;
    const [format, iv, tag, data] = stored.split(':');
    if (format !== FORMAT || !iv || !tag || data === undefined) throw new Error(`The stored secret "${name}" is not in a known format`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    // The name is authenticated data: a ciphertext copied under another name fails to decrypt.
    decipher.setAAD(Buffer.from(name));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(`The stored secret "${name}" cannot be decrypted (the key file was replaced or the value altered): enter it again`);
    }
  }

  async set(name: string, value: string): Promise<void> {
    assertSecretName(name);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(name));
    const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    const stored = [FORMAT, iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
    await this.settings.set(secretSettingKey(name), stored);
  }

  async delete(name: string): Promise<void> {
    assertSecretName(name);
    await this.settings.delete(secretSettingKey(name));
  }

  async has(name: string): Promise<boolean> {
    assertSecretName(name);
    return (await this.settings.get(secretSettingKey(name))) !== undefined;
  }
}
