// Settings → Backups, Configuration history and Reporting hooks (issue 18): on-demand backups, a restore staged for
// the next start, the versions of config.yaml and strategies with their diffs, and the hooks' delivery state.
import { useCallback, useEffect, useState } from 'react';
import type { BackupsState, ConfigVersion, HooksStatus, ReplicationStatus } from '../../src-shared/api/operations';
import { useTerminal } from '../stores/terminal';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const when = (t: number) => new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
const size = (b: number) => (b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.round(b / 1024))} KB`);

export function BackupsSection() {
  const api = useTerminal((s) => s.api);
  const [state, setState] = useState<BackupsState | undefined>();
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [confirm, setConfirm] = useState<string | undefined>();

  const refresh = useCallback(() => api?.call('backups.list', {}).then(setState, (e: unknown) => setFailure(message(e))), [api]);
  useEffect(() => void refresh(), [refresh]);

  async function act(fn: () => Promise<unknown>) {
    setBusy(true);
    setFailure(undefined);
    setNote(undefined);
    try {
      await fn();
    } catch (e) {
      setFailure(message(e));
    } finally {
      setBusy(false);
      await refresh();
    }
  }

  return (
    <section className="panel settings-section" aria-label="Backups">
      <h2>Backups</h2>
      {state && !state.available && <p className="dim">{state.reason}</p>}
      {state?.available && (
        <>
          <p className="dim small">A checked copy of the database is made every day into <code>{state.dir}</code> (7 daily and 4 weekly kept).</p>
          {state.pendingRestore && (
            <div className="ops-pending" role="status">
              <b>Restore staged:</b> {state.pendingRestore} replaces the database at the next start of Quant Claude (the current one is kept aside). Trading goes on
              with the current database until then.
              <div className="settings-buttons"><button type="button" disabled={busy} onClick={() => void act(() => api!.call('backups.cancelRestore', {}))}>Cancel the restore</button></div>
            </div>
          )}
          {state.lastFailure && <div className="settings-failure" role="alert">The last scheduled backup failed ({when(state.lastFailure.time)}): {state.lastFailure.message}</div>}
          <div className="settings-buttons">
            <button type="button" className="primary" disabled={busy} onClick={() => void act(async () => {
              const r = await api!.call('backups.create', {});
              setNote(`Backed up: ${r.file.split(/[/\\]/).pop()} (${size(r.bytes)}, integrity ok)`);
            })}>{busy ? 'Working…' : 'Back up now'}</button>
          </div>
          {note && <p className="ops-note" role="status">{note}</p>}
          <table aria-label="Backup files">
            <thead><tr><th>File (kind and UTC time)</th><th className="num">Size</th><th /></tr></thead>
            <tbody>
              {state.files.length === 0 && <tr><td colSpan={3} className="dim">No backup yet</td></tr>}
              {state.files.map((f) => (
                <tr key={f.name}>
                  <td><code title={`${f.kind}, taken ${when(f.time)}`}>{f.name}</code></td><td className="num">{size(f.bytes)}</td>
                  <td>{confirm === f.name
                    ? <span className="ops-confirm">Restore at next start? <button type="button" className="danger" disabled={busy} onClick={() => { setConfirm(undefined); void act(() => api!.call('backups.restore', { name: f.name })); }}>Restore</button>
                      <button type="button" onClick={() => setConfirm(undefined)}>Keep</button></span>
                    : <button type="button" disabled={busy} onClick={() => setConfirm(f.name)}>Restore…</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {failure && <div className="settings-failure" role="alert">{failure}</div>}
    </section>
  );
}

function Diff({ text }: { text: string }) {
  if (!text) return <p className="dim small">First version kept (no earlier one to compare with).</p>;
  return (
    <pre className="ops-diff" aria-label="Diff">
      {text.split('\n').map((l, i) => <div key={i} className={l.startsWith('@@') ? 'hunk' : l.startsWith('+') && !l.startsWith('+++') ? 'add' : l.startsWith('-') && !l.startsWith('---') ? 'del' : ''}>{l || ' '}</div>)}
    </pre>
  );
}

export function ConfigHistorySection() {
  const api = useTerminal((s) => s.api);
  const [versions, setVersions] = useState<ConfigVersion[]>([]);
  const [open, setOpen] = useState<number | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [note, setNote] = useState<string | undefined>();

  const refresh = useCallback(() => api?.call('config.history', { limit: 100 }).then((v) => {
    setVersions(v);
    setOpen((o) => o ?? v[0]?.id);
  }, (e: unknown) => setFailure(message(e))), [api]);
  useEffect(() => {
    void refresh();
    const t = setInterval(() => void refresh(), 5000);
    return () => clearInterval(t);
  }, [refresh]);

  async function restore(v: ConfigVersion) {
    setFailure(undefined);
    setNote(undefined);
    try {
      await api!.call('config.restore', { id: v.id });
      setNote(`config.yaml is version #${v.id} again; it applies at the next start.`);
      setOpen(undefined);
      await refresh();
    } catch (e) {
      setFailure(message(e));
    }
  }

  const shown = versions.find((v) => v.id === open);
  return (
    <section className="panel settings-section" aria-label="Configuration history">
      <h2>Configuration history</h2>
      <p className="dim small">Every change of config.yaml (here or by hand) and of a strategy's parameters.</p>
      <table aria-label="Configuration versions">
        <thead><tr><th>#</th><th>When</th><th>What</th><th>Source</th><th /></tr></thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.id} className={v.id === open ? 'selected' : ''} onClick={() => setOpen(v.id)}>
              <td>{v.id}</td><td>{when(v.time)}</td><td>{v.subject}</td><td>{v.source}</td>
              <td>{v.subject === 'config.yaml' && v.id !== versions.find((x) => x.subject === 'config.yaml')?.id
                && <button type="button" onClick={(e) => { e.stopPropagation(); void restore(v); }}>Restore</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown && <><h3>Version #{shown.id}: {shown.subject} ({shown.source})</h3><Diff text={shown.diff} /></>}
      {note && <p className="ops-note" role="status">{note}</p>}
      {failure && <div className="settings-failure" role="alert">{failure}</div>}
    </section>
  );
}

export function ReportingHooksSection() {
  const api = useTerminal((s) => s.api);
  const [status, setStatus] = useState<HooksStatus | undefined>();
  const [replication, setReplication] = useState<ReplicationStatus | null>(null);
  useEffect(() => {
    const load = () => {
      void api?.call('hooks.status', {}).then(setStatus, () => undefined);
      void api?.call('replication.status', {}).then(setReplication, () => undefined);
    };
    load();
    const t = setInterval(load, 5000);
    return () => clearInterval(t);
  }, [api]);
  if (!status) return null;
  return (
    <section className="panel settings-section" aria-label="Reporting hooks">
      <h2>Reporting hooks</h2>
      {status.hooks.length === 0
        ? <p className="dim small">None configured: add them in config.yaml under <code>reporting.hooks</code> (a folder, or a loopback/HTTPS URL).</p>
        : <p>{status.hooks.map((h) => `${h.name} → ${h.target}`).join(', ')}: {status.pending} pending, {status.failedAttempts} failed attempt{status.failedAttempts === 1 ? '' : 's'}</p>}
      {status.lastError && <div className="settings-failure" role="alert">{status.lastError.hook}: {status.lastError.message}</div>}
      {replication && (
        <p>Replication to PostgreSQL: {replication.behind.orders + replication.behind.fills + replication.behind.audit} rows behind
          {replication.lastSuccess !== null && `, last pass ${when(replication.lastSuccess)}`}
          {replication.lastError && <span className="neg"> — failing: {replication.lastError.message}</span>}</p>
      )}
    </section>
  );
}
