// The Risk screen (issue 17): the trading state with its history and the controls to set it, limit usage bars, the
// VaR/CVaR table by method, each position's contribution, stress results, the correlation heatmap and the drawdowns.
// Everything is computed in main (risk.snapshot, risk.state.*; formulas in docs/risk.md).
import { useEffect, useState } from 'react';
import type { LimitUsage, TradingState } from '../../src-shared/api/risk';
import { percent, time } from '../lib/format';
import { useTerminal } from '../stores/terminal';
import { errorText, useLoad } from './portfolio/common';
import { Alerts } from './risk/Alerts';

const STATES: TradingState[] = ['ACTIVE', 'REDUCING', 'HALTED'];
const METHOD_LABEL = { historical: 'Historical', parametric: 'Parametric (normal)', 'monte-carlo': 'Monte Carlo (10,000 paths)' } as const;

/** Blue for negative, red for positive correlation, transparent at 0. */
const heat = (c: number | null) => (c === null ? 'transparent' : `hsla(${c >= 0 ? 0 : 215}, 70%, 50%, ${Math.abs(c).toFixed(2)})`);

export function Risk() {
  const api = useTerminal((s) => s.api);
  const accountId = useTerminal((s) => s.account?.accountId);
  const [version, setVersion] = useState(0);
  const ref = accountId ? { accountId } : {};
  // Pushed by main: a state change reloads the state (not the heavy snapshot); limit usage replaces the snapshot's.
  const [stateVersion, setStateVersion] = useState(0);
  const [liveLimits, setLiveLimits] = useState<{ accountId: string; limits: LimitUsage[] }>();
  useEffect(() => {
    if (!api) return;
    const offState = api.on('risk.state', () => setStateVersion((v) => v + 1));
    const offLimits = api.on('risk.limits', (e) => setLiveLimits(e));
    return () => {
      offState();
      offLimits();
    };
  }, [api]);
  const state = useLoad(api ? () => api.call('risk.state.get', ref) : undefined, [api, accountId, version, stateVersion]);
  const snap = useLoad(api ? () => api.call('risk.snapshot', ref) : undefined, [api, accountId, version]);
  const [target, setTarget] = useState<TradingState>('REDUCING');
  const [scope, setScope] = useState<'account' | 'terminal'>('account');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>();

  async function apply() {
    try {
      await api!.call('risk.state.set', { scope, state: target, reason, ...ref });
      setReason('');
      setProblem(undefined);
      setVersion((v) => v + 1);
    } catch (err) {
      setProblem(errorText(err));
    }
  }

  const s = snap.data && liveLimits && liveLimits.accountId === snap.data.accountId ? { ...snap.data, limits: liveLimits.limits } : snap.data;
  const st = state.data;
  return (
    <div className="risk">
      <section className="panel" aria-label="Trading state">
        <div className="panel-head">
          <h2>Trading state</h2>
          <button type="button" className="small" onClick={() => setVersion((v) => v + 1)}>Refresh</button>
        </div>
        {state.error && <div className="error-text" role="alert">{state.error}</div>}
        {st && (
          <p>
            <span className={`risk-state ${st.state.toLowerCase()}`} role="status" aria-label="Trading state">{st.state}</span>{' '}
            <span className="dim">account {st.accountState} · terminal {st.terminalState}{st.killSwitch ? ' · kill switch engaged' : ''}</span>
          </p>
        )}
        <div className="risk-set">
          <select aria-label="Scope" value={scope} onChange={(e) => setScope(e.target.value as 'account' | 'terminal')}>
            <option value="account">This account</option>
            <option value="terminal">Terminal (every account)</option>
          </select>
          <select aria-label="New state" value={target} onChange={(e) => setTarget(e.target.value as TradingState)}>
            {STATES.map((x) => <option key={x} value={x}>{x}</option>)}
          </select>
          <input aria-label="Reason" placeholder="Reason (journaled)" value={reason} onChange={(e) => setReason(e.target.value)} />
          <button type="button" disabled={!reason.trim()} onClick={() => void apply()}>Set state</button>
        </div>
        {problem && <div className="error-text" role="alert">{problem}</div>}
        <table aria-label="State history">
          <thead><tr><th>Time</th><th>Scope</th><th>From</th><th>To</th><th>By</th><th>Reason</th></tr></thead>
          <tbody>
            {(st?.history ?? []).map((h, i) => (
              <tr key={i}><td>{time(h.time)}</td><td>{h.scope}</td><td>{h.from}</td><td>{h.state}</td><td>{h.by}</td><td>{h.reason}</td></tr>
            ))}
          </tbody>
        </table>
      </section>
      <Alerts accountId={accountId} />

      {snap.error && <div className="error-text" role="alert">{snap.error}</div>}
      {s && (
        <>
          <section className="panel" aria-label="Limits">
            <h2>Limits</h2>
            {s.limits.length === 0 && <p className="dim">No portfolio limit is configured (config.yaml risk.*).</p>}
            {s.limits.map((l) => (
              <div key={l.name + (l.subject ?? '')} className="risk-limit" role="meter" aria-label={l.name} aria-valuenow={l.value} aria-valuemax={l.limit}>
                <span className="risk-limit-name">{l.name}{l.subject ? ` (${l.subject})` : ''}</span>
                <span className="risk-bar"><span className={l.headroom < 0 ? 'over' : ''} style={{ width: `${Math.min(100, (l.value / l.limit) * 100).toFixed(1)}%` }} /></span>
                <span>{percent(l.value)} of {percent(l.limit)} · headroom {percent(l.headroom)}</span>
              </div>
            ))}
          </section>

          <section className="panel" aria-label="Value at risk">
            <h2>Value at risk</h2>
            <p className="dim">NAV {s.nav.toFixed(2)} {s.currency}; {s.historyDays} days of history; 10-day = 1-day × √10.{s.unmodelled.length > 0 ? ` Not modelled (no history): ${s.unmodelled.join(', ')}.` : ''}</p>
            <table aria-label="VaR table">
              <thead><tr><th>Method</th><th>Confidence</th><th>Horizon</th><th>VaR</th><th>CVaR</th></tr></thead>
              <tbody>
                {s.table.map((f, i) => (
                  <tr key={i}><td>{METHOD_LABEL[f.method]}</td><td>{percent(f.confidence, false, 0)}</td><td>{f.horizonDays} d</td><td>{percent(f.var)}</td><td>{percent(f.cvar)}</td></tr>
                ))}
              </tbody>
            </table>
          </section>

          <section className="panel" aria-label="Contributions">
            <h2>Contributions (component VaR, 1-day 95 %)</h2>
            <table aria-label="Contributions table">
              <thead><tr><th>Symbol</th><th>Weight</th><th>Historical</th><th>Parametric</th></tr></thead>
              <tbody>
                {s.components.map((c) => (
                  <tr key={c.symbol}><td>{c.symbol}</td><td>{percent(c.weight)}</td><td>{percent(c.historical)}</td><td>{percent(c.parametric)}</td></tr>
                ))}
              </tbody>
            </table>
          </section>

          <section className="panel" aria-label="Stress tests">
            <h2>Stress tests</h2>
            <table aria-label="Stress table">
              <thead><tr><th>Scenario</th><th>P&amp;L</th><th>of NAV</th><th>Without data</th></tr></thead>
              <tbody>
                {s.stress.map((x) => (
                  <tr key={x.id}><td>{x.label}</td><td>{x.pnl.toFixed(2)}</td><td>{percent(x.fraction, true)}</td><td>{x.missing.join(', ')}</td></tr>
                ))}
              </tbody>
            </table>
          </section>

          <section className="panel" aria-label="Correlation">
            <h2>Correlation ({s.correlation.clusters.length} correlated cluster{s.correlation.clusters.length === 1 ? '' : 's'})</h2>
            <div className="risk-heatmap" style={{ gridTemplateColumns: `auto repeat(${s.correlation.symbols.length}, 2.6em)` }} role="grid" aria-label="Correlation heatmap">
              <span />
              {s.correlation.symbols.map((x) => <span key={x} className="dim">{x}</span>)}
              {s.correlation.matrix.map((row, i) => [
                <span key={`h${i}`} className="dim">{s.correlation.symbols[i]}</span>,
                ...row.map((c, j) => <span key={j} title={c === null ? '—' : c.toFixed(2)} style={{ background: heat(c) }}>{c === null ? '—' : c.toFixed(1)}</span>),
              ])}
            </div>
          </section>

          <section className="panel" aria-label="Drawdowns">
            <h2>Drawdowns</h2>
            <p>From the peak {percent(s.drawdown.fromPeak)} · daily loss {percent(s.drawdown.dailyLoss)} · gross {s.leverage.gross.toFixed(2)}× · net {s.leverage.net.toFixed(2)}×</p>
            <table aria-label="Worst drawdowns">
              <thead><tr><th>Start</th><th>Trough</th><th>Recovery</th><th>Depth</th></tr></thead>
              <tbody>
                {s.drawdown.worst.map((d) => (
                  <tr key={d.start}><td>{d.start}</td><td>{d.trough}</td><td>{d.recovery ?? '—'}</td><td>{percent(d.depth)}</td></tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </div>
  );
}
