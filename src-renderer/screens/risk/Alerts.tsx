// The alerts panel of the Risk screen (issue 17 item 5): create price and portfolio alerts, the rules with their
// armed/fired state, and the log of fired alerts (kept across restarts in main).
import { useEffect, useState } from 'react';
import { EVENT_KINDS, SYMBOL_KINDS, type AlertEvent, type AlertIndicator, type AlertKind, type AlertRule } from '../../../src-shared/api/alerts';
import { time } from '../../lib/format';
import { useTerminal } from '../../stores/terminal';
import { webNotificationsWanted } from '../../components/AlertToasts';
import { errorText } from '../portfolio/common';

const KINDS: { kind: AlertKind; label: string; unit: string }[] = [
  { kind: 'price', label: 'Price crosses', unit: '' },
  { kind: 'price-move', label: 'Price moves by (%)', unit: ' %' },
  { kind: 'indicator', label: 'Indicator crosses', unit: '' },
  { kind: 'drawdown', label: 'Drawdown from peak (%)', unit: ' %' },
  { kind: 'var-use', label: 'VaR budget used (%)', unit: ' %' },
  { kind: 'margin-level', label: 'Margin level (%)', unit: ' %' },
  { kind: 'concentration', label: 'Largest cluster/issuer/sector (% of NAV)', unit: ' %' },
  { kind: 'fill', label: 'Every fill', unit: '' },
  { kind: 'rejection', label: 'Every rejection', unit: '' },
];
const label = (k: AlertKind) => KINDS.find((x) => x.kind === k)!;
const INDICATORS: { id: AlertIndicator; label: string; period: number }[] = [
  { id: 'rsi', label: 'RSI', period: 14 },
  { id: 'sma-distance', label: '% from SMA', period: 50 },
];
const indicatorLabel = (r: AlertRule) => `${r.indicator === 'rsi' ? 'RSI' : '% from SMA'}(${r.period})`;

export function Alerts({ accountId }: { accountId: string | undefined }) {
  const api = useTerminal((s) => s.api);
  const transport = useTerminal((s) => s.info?.transport);
  const chartSymbol = useTerminal((s) => s.symbol);
  const [rules, setRules] = useState<AlertRule[]>([]);
  const [log, setLog] = useState<AlertEvent[]>([]);
  const [kind, setKind] = useState<AlertKind>('price');
  const [symbol, setSymbol] = useState(chartSymbol);
  const [direction, setDirection] = useState<'above' | 'below'>('above');
  const [level, setLevel] = useState('');
  const [indicator, setIndicator] = useState<AlertIndicator>('rsi');
  const [period, setPeriod] = useState('14');
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    if (!api) return;
    void api.call('alerts.list', {}).then(setRules).catch(() => undefined);
    void api.call('alerts.log', {}).then(setLog).catch(() => undefined);
    const offRules = api.on('alerts', setRules);
    const offFired = api.on('alerts.fired', (e) => setLog((l) => [e, ...l.filter((x) => x.id !== e.id)].slice(0, 200)));
    return () => {
      offRules();
      offFired();
    };
  }, [api]);

  async function create() {
    const onSymbol = SYMBOL_KINDS.includes(kind);
    const onEvent = EVENT_KINDS.includes(kind);
    try {
      await api!.call('alerts.create', {
        kind, ...(onEvent ? {} : { direction, level: level.trim() === '' ? NaN : Number(level) }),
        ...(onSymbol ? { symbol } : accountId ? { accountId } : {}),
        ...(kind === 'indicator' ? { indicator, period: Number(period) } : {}),
      });
      setLevel('');
      setProblem(undefined);
      // The browser host asks once for desktop notifications, on the trader's own action.
      if (webNotificationsWanted(transport) && Notification.permission === 'default') void Notification.requestPermission();
    } catch (err) {
      setProblem(errorText(err));
    }
  }

  const onSymbol = SYMBOL_KINDS.includes(kind);
  const onEvent = EVENT_KINDS.includes(kind);
  return (
    <section className="panel" aria-label="Alerts">
      <h2>Alerts</h2>
      <div className="risk-set">
        <select aria-label="Alert kind" value={kind} onChange={(e) => setKind(e.target.value as AlertKind)}>
          {KINDS.map((k) => <option key={k.kind} value={k.kind}>{k.label}</option>)}
        </select>
        {onSymbol && <input aria-label="Alert symbol" value={symbol} onChange={(e) => setSymbol(e.target.value.toUpperCase())} size={8} />}
        {kind === 'indicator' && (
          <>
            <select aria-label="Alert indicator" value={indicator} onChange={(e) => {
              const next = INDICATORS.find((i) => i.id === e.target.value)!;
              setIndicator(next.id);
              setPeriod(String(next.period));
            }}>
              {INDICATORS.map((i) => <option key={i.id} value={i.id}>{i.label}</option>)}
            </select>
            <input aria-label="Alert indicator period" inputMode="numeric" value={period} onChange={(e) => setPeriod(e.target.value)} size={4} title="Period in days (daily closes)" />
          </>
        )}
        {!onEvent && (
          <>
            <select aria-label="Alert direction" value={direction} onChange={(e) => setDirection(e.target.value as 'above' | 'below')}>
              <option value="above">{kind === 'price-move' ? 'up to / above' : 'above'}</option>
              <option value="below">{kind === 'price-move' ? 'down to / below' : 'below'}</option>
            </select>
            <input aria-label="Alert level" inputMode="decimal" placeholder={kind === 'price-move' ? 'e.g. −2' : kind === 'indicator' && indicator === 'rsi' ? 'e.g. 70' : 'level'} value={level} onChange={(e) => setLevel(e.target.value)} size={10} />
          </>
        )}
        <button type="button" onClick={() => void create()}>Add alert</button>
      </div>
      {problem && <div className="error-text" role="alert">{problem}</div>}
      <table aria-label="Alert rules">
        <thead><tr><th>Alert</th><th>Subject</th><th>Level</th><th>State</th><th>Last fired</th><th /></tr></thead>
        <tbody>
          {rules.length === 0 && <tr><td colSpan={6} className="dim">No alerts yet.</td></tr>}
          {rules.map((r) => (
            <tr key={r.id}>
              <td>{r.kind === 'indicator' ? indicatorLabel(r) : label(r.kind).label}</td>
              <td>{r.symbol ?? r.accountId ?? 'all accounts'}</td>
              <td>{EVENT_KINDS.includes(r.kind) ? 'each one' : `${r.direction} ${r.level}${label(r.kind).unit}${r.basePrice !== null ? ` from ${r.basePrice}` : ''}`}</td>
              <td>{EVENT_KINDS.includes(r.kind) ? 'on' : r.state === 'armed' ? 'armed' : 'fired (re-arms past the band)'}</td>
              <td>{r.lastFired ? time(r.lastFired) : '—'}</td>
              <td><button type="button" className="small" aria-label={`Remove alert ${r.symbol ?? r.accountId} ${r.direction} ${r.level}`} onClick={() => void api!.call('alerts.remove', { id: r.id }).then(setRules)}>Remove</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Alert log</h3>
      <table aria-label="Alert log">
        <thead><tr><th>Time</th><th>Alert</th></tr></thead>
        <tbody>
          {log.length === 0 && <tr><td colSpan={2} className="dim">Nothing fired yet.</td></tr>}
          {log.map((e) => <tr key={e.id}><td>{time(e.time)}</td><td>{e.message}</td></tr>)}
        </tbody>
      </table>
    </section>
  );
}
