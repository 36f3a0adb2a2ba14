// Instrument profiles of the holdings (sector, industry, asset class, country) with the source of each field, and the
// user's edit of them: an edit overrides every data source (IB, Yahoo, the demo market); an empty field falls back.
import { useState } from 'react';
import type { MergedProfile } from '../../../src-shared/domain/profile';
import { PROFILE_FIELDS, type ProfileField } from '../../../src-shared/domain/profile';
import { useTerminal } from '../../stores/terminal';
import { errorText, useLoad } from '../portfolio/common';

const LABEL: Record<ProfileField, string> = { sector: 'Sector', industry: 'Industry', assetClass: 'Asset class', country: 'Country' };
const SOURCE: Record<string, string> = { user: 'your edit', ib: 'IB', yahoo: 'Yahoo', demo: 'demo market' };

export function ProfilesPanel({ symbols, onSaved }: { symbols: string[]; onSaved: () => void }) {
  const api = useTerminal((s) => s.api);
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState<{ symbol: string; fields: Record<ProfileField, string> } | null>(null);
  const [error, setError] = useState<string | undefined>();
  const key = symbols.join(',');
  const profiles = useLoad(api && symbols.length ? () => api.call('analytics.profiles', { symbols }) : undefined, [api, key, version]);

  const start = (p: MergedProfile) => {
    setError(undefined);
    // The form starts from the user's own values only: a field left empty keeps following the data sources.
    setEditing({ symbol: p.symbol, fields: Object.fromEntries(PROFILE_FIELDS.map((f) => [f, p.sources[f] === 'user' ? (p[f] ?? '') : ''])) as Record<ProfileField, string> });
  };
  const save = async () => {
    if (!api || !editing) return;
    try {
      await api.call('analytics.profiles.set', { symbol: editing.symbol, ...editing.fields });
      setEditing(null);
      setVersion((v) => v + 1);
      onSaved();
    } catch (err) {
      setError(errorText(err));
    }
  };

  if (!symbols.length) return null;
  return (
    <>
      <h2 className="an-subhead">Instrument profiles</h2>
      {profiles.error && <div className="field-error" role="alert">{profiles.error}</div>}
      <div className="table-scroll">
        <table aria-label="Instrument profiles">
          <thead><tr><th>Symbol</th>{PROFILE_FIELDS.map((f) => <th key={f}>{LABEL[f]}</th>)}<th /></tr></thead>
          <tbody>{(profiles.data ?? []).map((p) => (
            editing?.symbol === p.symbol ? (
              <tr key={p.symbol} className="an-profile-edit">
                <td>{p.symbol}</td>
                {PROFILE_FIELDS.map((f) => (
                  <td key={f}>
                    <input aria-label={`${LABEL[f]} of ${p.symbol}`} value={editing.fields[f]} placeholder={p[f] ?? 'Unknown'} maxLength={80}
                      onChange={(e) => setEditing({ ...editing, fields: { ...editing.fields, [f]: e.target.value } })} />
                  </td>
                ))}
                <td className="an-profile-actions">
                  <button type="button" className="primary" onClick={() => void save()}>Save</button>
                  <button type="button" onClick={() => setEditing(null)}>Cancel</button>
                </td>
              </tr>
            ) : (
              <tr key={p.symbol}>
                <td>{p.symbol}</td>
                {PROFILE_FIELDS.map((f) => (
                  <td key={f} title={p.sources[f] ? `from ${SOURCE[p.sources[f]!]}` : 'no source knows it'}>
                    {p[f] ?? <span className="dim">Unknown</span>}{p.sources[f] === 'user' && <span className="dim small"> (edited)</span>}
                  </td>
                ))}
                <td><button type="button" aria-label={`Edit the profile of ${p.symbol}`} onClick={() => start(p)}>Edit</button></td>
              </tr>
            )
          ))}</tbody>
        </table>
      </div>
      {error && <div className="field-error" role="alert">{error}</div>}
      <p className="dim small">Each field comes from your edit, else IB&apos;s contract details, else Yahoo&apos;s profile, else the demo market (hover a value for its source). Leave a field empty to follow the sources again.</p>
    </>
  );
}
