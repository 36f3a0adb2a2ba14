// Settings: the connected accounts, the other venues' connections (OANDA…), the Interactive Brokers connection (validated with the contract's IbSettings schema), the theme, and operations (backups, configuration history, reporting hooks).
import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { ApiCallError, type IbSettings, type Theme } from '../../src-shared/api/contract';
import { BrokerStatus } from '../components/BrokerStatus';
import { ConnectedAccounts } from '../components/ConnectedAccounts';
import { LiveConfirm } from '../components/LiveConfirm';
import { VenueConnections } from '../components/VenueConnections';
import { BackupsSection, ConfigHistorySection, ReportingHooksSection } from '../components/Operations';
import { PORT_PRESETS, toForm, validateSettings, type SettingsForm } from '../lib/ib-settings';
import { currentZone, onTimeZoneChange, setTimeZoneChoice, timeZoneChoice } from '../lib/format';
import { useShallow } from 'zustand/react/shallow';
import { applyTheme, useTerminal } from '../stores/terminal';

function Field({ id, label, error, children, hint }: { id: string; label: string; error?: string; children: ReactNode; hint?: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={`ib-${id}`}>{label}</label>
      {children}
      {hint && !error && <div className="field-hint">{hint}</div>}
      {error && <div id={`ib-${id}-error`} className="field-error" role="alert">{error}</div>}
    </div>
  );
}

function Connections() {
  const { api, broker } = useTerminal(useShallow((s) => ({ api: s.api, broker: s.broker })));
  const [form, setForm] = useState<SettingsForm | undefined>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<IbSettings | undefined>();

  useEffect(() => {
    if (!api) return;
    api.call('connection.settings', {}).then((s) => setForm((f) => f ?? toForm(s)), (e: unknown) => setFailure(e instanceof Error ? e.message : String(e)));
  }, [api]);

  if (!form) return <section className="panel settings-section" aria-label="Connections"><h2>Connections</h2><p className="dim">Loading…</p></section>;

  const update = (patch: Partial<SettingsForm>) => setForm({ ...form, ...patch });
  const preset = PORT_PRESETS.find((p) => String(p.port) === form.port.trim());
  const onIb = broker?.broker === 'ib';

  async function connect(settings: IbSettings, confirmLive: boolean) {
    setConfirming(undefined);
    setBusy(true);
    setFailure(undefined);
    try {
      const status = await api!.call('connection.connect', { ...settings, confirmLive });
      useTerminal.getState().setBroker(status);
      if (status.state === 'disconnected' && status.message) setFailure(status.message);
    } catch (err) {
      if (err instanceof ApiCallError && err.error.fields) setErrors(err.error.fields);
      setFailure(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  function submit() {
    const { settings, errors: found } = validateSettings(form!);
    setErrors(found);
    if (!settings) return;
    if (settings.mode === 'live') setConfirming(settings);
    else void connect(settings, false);
  }

  async function disconnect() {
    setBusy(true);
    setFailure(undefined);
    try {
      useTerminal.getState().setBroker(await api!.call('connection.disconnect', {}));
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const input = (id: keyof SettingsForm & string, label: string, props: { inputMode?: 'numeric'; placeholder?: string } = {}, hint?: ReactNode) => (
    <Field id={id} label={label} error={errors[id]} hint={hint}>
      <input id={`ib-${id}`} autoComplete="off" value={form[id] as string} {...props}
        aria-invalid={errors[id] ? true : undefined} aria-describedby={errors[id] ? `ib-${id}-error` : undefined}
        onChange={(e) => update({ [id]: e.target.value })} />
    </Field>
  );

  return (
    <section className="panel settings-section" aria-label="Connections">
      <h2>Connections</h2>
      <div className="settings-status"><span className="dim">Now:</span> <BrokerStatus />{broker && <span className="dim">{broker.endpoint}</span>}</div>
      <form className="ib-form" aria-label="Interactive Brokers connection" noValidate onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <h3>Interactive Brokers (TWS or IB Gateway)</h3>
        <div className="row2">
          {input('host', 'Host', { placeholder: '127.0.0.1' })}
          <div className="field">
            <label htmlFor="ib-preset">Preset</label>
            <select id="ib-preset" value={preset ? String(preset.port) : ''}
              onChange={(e) => {
                const p = PORT_PRESETS.find((x) => String(x.port) === e.target.value);
                if (p) update({ port: String(p.port), mode: p.mode });
              }}>
              <option value="">Custom port</option>
              {PORT_PRESETS.map((p) => <option key={p.port} value={String(p.port)}>{p.label} ({p.port})</option>)}
            </select>
          </div>
        </div>
        <div className="row2">
          {input('port', 'Port', { inputMode: 'numeric' },
            preset && preset.mode !== form.mode ? <span className="warning">{preset.label} is port {preset.port}: check the mode</span> : undefined)}
          {input('clientId', 'Client id', { inputMode: 'numeric' })}
        </div>
        {input('account', 'Account (optional)', { placeholder: 'first account TWS reports' })}
        <fieldset className="mode-switch">
          <legend>Mode</legend>
          <label><input type="radio" name="ib-mode" checked={form.mode === 'paper'} onChange={() => update({ mode: 'paper' })} /> Paper</label>
          <label className={form.mode === 'live' ? 'live-text' : ''}>
            <input type="radio" name="ib-mode" checked={form.mode === 'live'} onChange={() => update({ mode: 'live' })} /> Live (real money)
          </label>
        </fieldset>
        <label className="check"><input type="checkbox" checked={form.autoConnect} onChange={(e) => update({ autoConnect: e.target.checked })} /> Connect when Quant Claude starts</label>
        {errors['_'] && <div className="field-error" role="alert">{errors['_']}</div>}
        <div className="settings-buttons">
          <button type="submit" className={form.mode === 'live' ? 'danger' : 'primary'} disabled={busy}>{busy ? 'Working…' : form.mode === 'live' ? 'Connect live…' : 'Connect'}</button>
          <button type="button" disabled={busy || !onIb} onClick={() => void disconnect()}>Disconnect</button>
        </div>
        {failure && <div className="settings-failure" role="alert">{failure}</div>}
        <p className="dim small">
          In TWS: Configure → API → Settings → enable “ActiveX and Socket Clients” and add this machine to the trusted IPs. Disconnect returns to
          the paper broker on the demo market.
        </p>
      </form>
      {confirming && <LiveConfirm endpoint={`${confirming.host}:${confirming.port}`} onConfirm={() => void connect(confirming, true)} onCancel={() => setConfirming(undefined)} />}
    </section>
  );
}

function Appearance() {
  const theme = useTerminal((s) => s.theme);
  const choose = (t: Theme) => t !== theme && applyTheme(t);
  return (
    <section className="panel settings-section" aria-label="Appearance">
      <h2>Appearance</h2>
      <fieldset className="mode-switch">
        <legend>Theme</legend>
        <label><input type="radio" name="theme" checked={theme === 'dark'} onChange={() => choose('dark')} /> Dark</label>
        <label><input type="radio" name="theme" checked={theme === 'light'} onChange={() => choose('light')} /> Light</label>
      </fieldset>
      <TimeZoneSetting />
    </section>
  );
}

/** The time zone of the chart and the tables (the chart's toolbar has the same choice), and the one in use with why. */
function TimeZoneSetting() {
  const choice = useSyncExternalStore(onTimeZoneChange, timeZoneChoice);
  const why = useSyncExternalStore(onTimeZoneChange, () => currentZone().why);
  return (
    <fieldset className="mode-switch" style={{ flexWrap: 'wrap' }}>
      <legend>Time zone</legend>
      {(['exchange', 'local', 'utc'] as const).map((z) => (
        <label key={z}><input type="radio" name="time-zone" checked={choice === z} onChange={() => setTimeZoneChoice(z)} /> {z === 'exchange' ? 'Exchange' : z === 'local' ? 'Local' : 'UTC'}</label>
      ))}
      <p className="dim" role="status" aria-label="Time zone in use" style={{ flexBasis: '100%', margin: 0 }}>Times in {why}</p>
    </fieldset>
  );
}

export function Settings() {
  return (
    <div className="settings">
      <ConnectedAccounts />
      <VenueConnections />
      <Connections />
      <Appearance />
      <BackupsSection />
      <ConfigHistorySection />
      <ReportingHooksSection />
    </div>
  );
}
