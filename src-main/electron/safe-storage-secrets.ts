// Secrets for the desktop window: the OS keychain (Keychain, DPAPI, libsecret/kwallet) encrypts via Electron's safeStorage.
import { safeStorage } from 'electron';
import { secretSettingKey } from '../adapters/secrets/encrypted-settings';
import { assertSecretName, type Secrets } from '../ports/secrets';
import type { Store } from '../ports/store';

const FORMAT = 'ss1:';

/** Undefined where the OS offers no keychain (Linux without a secret service): the caller falls back to the key file. */
export function safeStorageSecrets(settings: Store['settings']): Secrets | undefined {
  // 'basic_text' is Chromium's hard-coded key on Linux: no better than the key file, so refuse it.
  if (!safeStorage.isEncryptionAvailable() || (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text')) return undefined;
  return {
    async get(name) {
      assertSecretName(name);
      const stored = await settings.get(secretSettingKey(name));
      if (stored === undefined) return undefined;
      if (!stored.startsWith(FORMAT)) throw new Error(`The secret "${name}" was stored by the web host (key file), not the keychain: enter it again here`);
      return safeStorage.decryptString(Buffer.from(stored.slice(FORMAT.length), 'base64'));
    },
    async set(name, value) {
      assertSecretName(name);
      await settings.set(secretSettingKey(name), FORMAT + safeStorage.encryptString(value).toString('base64'));
    },
    async delete(name) {
      assertSecretName(name);
      await settings.delete(secretSettingKey(name));
    },
    async has(name) {
      assertSecretName(name);
      return (await settings.get(secretSettingKey(name))) !== undefined;
    },
  };
}
