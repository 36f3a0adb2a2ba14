// Helpers shared by the investment-tracking screens (Portfolio, Analytics, Tax): loading with an error in words.
import { useEffect, useState } from 'react';
import type { LedgerAccount } from '../../../src-shared/domain/ledger';
import { useTerminal } from '../../stores/terminal';

export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Loads `load()` whenever a dependency changes; the last answer or the error, never both. */
export function useLoad<T>(load: (() => Promise<T>) | undefined, deps: readonly unknown[]): { data: T | undefined; error: string | undefined } {
  const [state, setState] = useState<{ data: T | undefined; error: string | undefined }>({ data: undefined, error: undefined });
  useEffect(() => {
    if (!load) return;
    let live = true;
    load().then(
      (data) => live && setState({ data, error: undefined }),
      (err: unknown) => live && setState({ data: undefined, error: errorText(err) }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}

/** The ledger's accounts (reloaded when `version` changes) and a name for an id. */
export function useLedgerAccounts(version = 0): { accounts: LedgerAccount[]; name: (id: string | null | undefined) => string; error: string | undefined } {
  const api = useTerminal((s) => s.api);
  const { data, error } = useLoad(api ? () => api.call('portfolio.accounts.list', {}) : undefined, [api, version]);
  const accounts = data ?? [];
  const name = (id: string | null | undefined) => (id ? (accounts.find((a) => a.id === id)?.name ?? id) : 'All accounts');
  return { accounts, name, error };
}
