// API keys of the keyed data providers (Alpha Vantage, Polygon): which have one, set or remove it. The key goes to
// main once and is never shown again; the input is a password field, cleared after saving.
import { useCallback, useEffect, useState } from 'react';
import type { KeyedProvider } from '../../src-shared/api/contract';
import { sourceName } from '../lib/data-sources';
import { useTerminal } from '../stores/terminal';

export function ApiKeys() {
  const api = useTerminal((s) => s.api);
  const [keys, setKeys] = useState<{ provider: KeyedProvider; hasKey: boolean }[]>([]);
  const [drafts, setDrafts] = useState<Partial<Record<KeyedProvider, string>>>({});
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const load = useCallback(() => {
    if (api) void api.call('settings.apiKeys.list', {}).then(setKeys).catch((e: Error) => setMessage({ text: e.message, error: true }));
  }, [api]);
  useEffect(load, [load]);

  const save = async (provider: KeyedProvider, key: string | null) => {
    if (!api) return;
    try {
      await api.call('settings.apiKeys.set', { provider, key });
      setDrafts((d) => ({ ...d, [provider]: '' }));
      setMessage({ text: key === null ? `${sourceName(provider)} key removed` : `${sourceName(provider)} key saved`, error: false });
      load();
    } catch (e) {
      setMessage({ text: (e as Error).message, error: true });
    }
  };

  return (
    <>
      <table aria-label="API keys">
        <thead><tr><th>Provider</th><th>Key</th><th>New key</th><th /></tr></thead>
        <tbody>
          {keys.map(({ provider, hasKey }) => (
            <tr key={provider} aria-label={sourceName(provider)}>
              <td><b>{sourceName(provider)}</b></td>
              <td data-testid={`key-state-${provider}`}>{hasKey ? 'set' : <span className="dim">none</span>}</td>
              <td>
                <form className="key-form" onSubmit={(e) => { e.preventDefault(); const k = drafts[provider]?.trim(); if (k) void save(provider, k); }}>
                  <input type="password" autoComplete="off" aria-label={`${sourceName(provider)} API key`} placeholder={hasKey ? 'replace the key' : 'paste the key'}
                    value={drafts[provider] ?? ''} onChange={(e) => setDrafts((d) => ({ ...d, [provider]: e.target.value }))} />
                  <button type="submit" disabled={!drafts[provider]?.trim()}>Save</button>
                </form>
              </td>
              <td><button type="button" disabled={!hasKey} onClick={() => void save(provider, null)} aria-label={`Remove the ${sourceName(provider)} key`}>Remove</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      {message && <p role="status" className={message.error ? 'error-text' : 'dim'}>{message.text}</p>}
      <p className="dim field-hint">Keys are stored encrypted and never shown again. A provider is used once it is enabled in config.yaml.</p>
    </>
  );
}
