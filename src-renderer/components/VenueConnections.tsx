// Settings → Connections for every venue of the registry that describes its settings form (OANDA today; IB keeps its
// own form below): the fields from VenueInfo.settingsFields, the venue's credential (only "set" / "not set" comes back),
// Connect / Disconnect through venues.connect / venues.disconnect, LIVE typed before real money, and the live state of
// the venue's account from the account list.
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ApiCallError, type VenueInfo } from '../../src-shared/api/contract';
import { useTerminal } from '../stores/terminal';
import { settingsErrors, toSettings, toValues, type Values } from '../lib/venue-settings';
import { LiveConfirm } from './LiveConfirm';
import { ModeBadge } from './ModeBadge';

function VenueForm({ info }: { info: VenueInfo }) {
  const { api, accounts } = useTerminal(useShallow((s) => ({ api: s.api, accounts: s.accounts })));
  const [values, setValues] = useState<Values | undefined>();
  const [secretSet, setSecretSet] = useState<boolean | undefined>();
  const [secret, setSecret] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string>();
  const [note, setNote] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const id = (key: string) => `venue-${info.id}-${key}`;

  useEffect(() => {
    if (!api) return;
    api.call('venues.settings', { venue: info.id }).then((s) => setValues((v) => v ?? toValues(info, s)), (e: unknown) => setFailure(e instanceof Error ? e.message : String(e)));
    if (info.secret) void api.call('venues.secret.status', { venue: info.id }).then((r) => setSecretSet(r.set)).catch(() => setSecretSet(undefined));
  }, [api, info]);

  const account = accounts.find((a) => a.venue === info.id);
  if (!values) return <p className="dim">Loading {info.label}…</p>;
  const liveField = info.settingsFields.find((f) => f.liveValue !== undefined && values[f.key] === f.liveValue);

  async function saveSecret(value: string | null): Promise<boolean> {
    try {
      await api!.call('venues.secret.set', { venue: info.id, value });
      setSecret('');
      setSecretSet(value !== null);
      setNote(value === null ? `${info.secret!.label} removed` : `${info.secret!.label} saved`);
      return true;
    } catch (err) {
      setErrors((e) => ({ ...e, secret: err instanceof Error ? err.message : String(err) }));
      return false;
    }
  }

  async function connect(confirmLive: boolean) {
    setConfirming(false);
    setBusy(true);
    setFailure(undefined);
    setNote(undefined);
    setErrors({});
    try {
      // A token typed and not saved yet is saved first: one click connects.
      if (secret.trim() !== '' && !(await saveSecret(secret.trim()))) return;
      const status = await api!.call('venues.connect', { venue: info.id, settings: toSettings(info, values!), confirmLive });
      if (status.state === 'disconnected' && status.message) setFailure(status.message);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof ApiCallError && err.error.code === 'BAD_REQUEST') setErrors(settingsErrors(message, info.settingsFields.map((f) => f.key)));
      setFailure(message);
    } finally {
      setBusy(false);
    }
  }

  async function disconnect() {
    setBusy(true);
    setFailure(undefined);
    try {
      await api!.call('venues.disconnect', { venue: info.id });
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const error = (key: string) => errors[key] && <div id={`${id(key)}-error`} className="field-error" role="alert">{errors[key]}</div>;
  return (
    <form className="ib-form venue-form" aria-label={`${info.label} connection`} noValidate
      onSubmit={(e) => { e.preventDefault(); if (liveField) setConfirming(true); else void connect(false); }}>
      <h3>{info.label}</h3>
      <div className="settings-status" aria-label={`${info.label} state`}>
        <span className="dim">Now:</span>
        {account ? <>
          <ModeBadge mode={account.status.mode} />
          <b>{account.label}</b>
          <span data-testid={`venue-${info.id}-state`}>{account.status.state === 'connected' && !account.status.ready ? 'reconciling…' : account.status.state}</span>
          {account.status.message && <span className="dim">{account.status.message}</span>}
        </> : <span data-testid={`venue-${info.id}-state`}>not connected</span>}
      </div>
      {info.settingsFields.map((f) => {
        const v = values[f.key];
        if (f.kind === 'checkbox') {
          return <label key={f.key} className="check"><input id={id(f.key)} type="checkbox" checked={v === true} onChange={(e) => setValues({ ...values, [f.key]: e.target.checked })} /> {f.label}</label>;
        }
        return (
          <div className="field" key={f.key}>
            <label htmlFor={id(f.key)}>{f.label}</label>
            {f.kind === 'select' ? (
              <select id={id(f.key)} value={String(v)} onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}>
                {f.options?.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
              </select>
            ) : (
              <input id={id(f.key)} autoComplete="off" inputMode={f.kind === 'url' ? 'url' : undefined} placeholder={f.placeholder} value={String(v)}
                aria-invalid={errors[f.key] ? true : undefined} aria-describedby={errors[f.key] ? `${id(f.key)}-error` : undefined}
                onChange={(e) => setValues({ ...values, [f.key]: e.target.value })} />
            )}
            {f.hint && !errors[f.key] && <div className="field-hint">{f.hint}</div>}
            {error(f.key)}
          </div>
        );
      })}
      {info.secret && (
        <div className="field">
          <div className="label-row">
            <label htmlFor={id('secret')}>{info.secret.label}</label>
            <span className={secretSet ? 'dim' : 'warning'} data-testid={`venue-${info.id}-secret-state`}>{secretSet === undefined ? '' : secretSet ? 'set' : 'not set'}</span>
          </div>
          <div className="account-pick">
            <input id={id('secret')} type="password" autoComplete="off" value={secret} placeholder={secretSet ? 'replace the token' : 'paste the token'}
              aria-invalid={errors['secret'] ? true : undefined} onChange={(e) => setSecret(e.target.value)} />
            <button type="button" disabled={busy || secret.trim() === ''} onClick={() => void saveSecret(secret.trim())}>Save</button>
            <button type="button" disabled={busy || !secretSet} aria-label={`Remove the ${info.label} ${info.secret.label}`} onClick={() => void saveSecret(null)}>Remove</button>
          </div>
          {info.secret.hint && !errors['secret'] && <div className="field-hint">{info.secret.hint}</div>}
          {error('secret')}
        </div>
      )}
      <div className="settings-buttons">
        <button type="submit" className={liveField ? 'danger' : 'primary'} disabled={busy}>{busy ? 'Working…' : liveField ? 'Connect live…' : 'Connect'}</button>
        <button type="button" disabled={busy || !account} aria-label={`Close the ${info.label} connection`} onClick={() => void disconnect()}>Close connection</button>
      </div>
      {note && <p className="dim small" role="status">{note}</p>}
      {failure && <div className="settings-failure" role="alert">{failure}</div>}
      {confirming && <LiveConfirm endpoint={info.label} onConfirm={() => void connect(true)} onCancel={() => setConfirming(false)} />}
    </form>
  );
}

export function VenueConnections() {
  const api = useTerminal((s) => s.api);
  const [venues, setVenues] = useState<VenueInfo[]>();
  const [failure, setFailure] = useState<string>();
  useEffect(() => {
    if (api) api.call('venues.list', {}).then(setVenues, (e: unknown) => setFailure(e instanceof Error ? e.message : String(e)));
  }, [api]);
  // IB has its own form (ports and presets); always-on venues (paper) have nothing to connect.
  const shown = venues?.filter((v) => !v.alwaysOn && v.id !== 'ib' && (v.settingsFields.length > 0 || v.secret));
  if (shown?.length === 0) return null;
  return (
    <section className="panel settings-section" aria-label="Venues">
      <h2>Venues</h2>
      {!shown && !failure && <p className="dim">Loading…</p>}
      {failure && <p className="field-error" role="alert">{failure}</p>}
      <div className="venue-forms">{shown?.map((v) => <VenueForm key={v.id} info={v} />)}</div>
    </section>
  );
}
