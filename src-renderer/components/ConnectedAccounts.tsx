// Every connected account, whichever venue: its kind, its connection, and Disconnect for the venues that are not
// always on (Close). Works from the account list alone, so a newly registered venue shows here without a change.
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useTerminal } from '../stores/terminal';
import { ModeBadge } from './ModeBadge';

export function ConnectedAccounts() {
  const { api, accounts } = useTerminal(useShallow((s) => ({ api: s.api, accounts: s.accounts })));
  const [failure, setFailure] = useState<string>();
  async function disconnect(venue: string) {
    setFailure(undefined);
    try {
      useTerminal.getState().setBroker(await api!.call('venues.disconnect', { venue }));
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    }
  }
  return (
    <section className="panel settings-section" aria-label="Connected accounts">
      <h2>Connected accounts</h2>
      <table aria-label="Connected accounts">
        <thead><tr><th>Account</th><th>Kind</th><th>Connection</th><th /></tr></thead>
        <tbody>
          {accounts.map((a) => (
            <tr key={a.accountId}>
              <td><b>{a.label}</b>{a.default && <span className="dim small"> default for new orders</span>}</td>
              <td><ModeBadge mode={a.status.mode} /></td>
              <td>{a.status.state}{a.status.message ? ` · ${a.status.message}` : ''}</td>
              <td>{!a.alwaysOn && <button type="button" className="small" aria-label={`Close the connection of ${a.label}`} onClick={() => void disconnect(a.venue)}>Close</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {failure && <p className="field-error" role="alert">{failure}</p>}
    </section>
  );
}
