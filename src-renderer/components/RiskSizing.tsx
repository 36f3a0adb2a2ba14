// Size from risk, inside the order ticket: risk as a percent of equity or an amount, and the stop distance, give the
// size (units, lots, pip value, currency conversion done in main: sizing.compute). "Use" puts the size in the ticket.
// The risk percent can come from a saved backtest's Kelly fraction (capped at 25 %: sizing.kelly).
import { useState } from 'react';
import type { BacktestRunSummary } from '../../src-shared/api/contract';
import type { SizingResult } from '../../src-shared/domain/margin';
import { useTerminal } from '../stores/terminal';

export function RiskSizing({ accountId, symbol, onSize }: { accountId: string | undefined; symbol: string; onSize: (units: number) => void }) {
  const api = useTerminal((s) => s.api);
  const [mode, setMode] = useState<'percent' | 'amount'>('percent');
  const [risk, setRisk] = useState('1');
  const [stop, setStop] = useState('');
  const [result, setResult] = useState<SizingResult | undefined>();
  const [runs, setRuns] = useState<BacktestRunSummary[] | undefined>();
  const [kelly, setKelly] = useState('');

  async function fromKelly(id: string) {
    if (!id) return;
    const k = await api!.call('sizing.kelly', { backtestId: id }).catch(() => null);
    if (!k) return setKelly('Kelly: needs a winning and a losing trade');
    setMode('percent');
    setRisk((k.fraction * 100).toFixed(2));
    setKelly(`Kelly ${(k.raw * 100).toFixed(1)} %${k.raw > 0.25 ? ', capped at 25 %' : ''} over ${k.trades} trades`);
  }

  async function compute() {
    const value = risk.trim();
    try {
      setResult(await api!.call('sizing.compute', {
        accountId, symbol: symbol.trim().toUpperCase(), stopDistance: Number(stop),
        ...(mode === 'percent' ? { riskPercent: Number(value) } : { riskAmount: value }),
      }));
    } catch (err) {
      setResult({ ok: false, problem: err instanceof Error ? err.message : String(err) });
    }
  }

  return (
    <details className="risk-sizing" onToggle={() => {
      if (runs === undefined) void api?.call('backtest.list', { limit: 50 }).then((r) => setRuns(r.filter((x) => x.kind === 'backtest'))).catch(() => setRuns([]));
    }}>
      <summary>Size from risk</summary>
      <div className="row2">
        <div className="field">
          <label htmlFor="sizing-risk">Risk</label>
          <div className="account-pick">
            <input id="sizing-risk" inputMode="decimal" autoComplete="off" value={risk} onChange={(e) => setRisk(e.target.value)} />
            <select aria-label="Risk as" value={mode} onChange={(e) => setMode(e.target.value as 'percent' | 'amount')}>
              <option value="percent">% equity</option>
              <option value="amount">amount</option>
            </select>
          </div>
        </div>
        <div className="field">
          <label htmlFor="sizing-stop">Stop distance</label>
          <input id="sizing-stop" inputMode="decimal" autoComplete="off" placeholder="in price" value={stop} onChange={(e) => setStop(e.target.value)} />
        </div>
      </div>
      {runs !== undefined && runs.length > 0 && (
        <div className="field">
          <label htmlFor="sizing-kelly">Risk from a backtest (Kelly)</label>
          <select id="sizing-kelly" defaultValue="" onChange={(e) => void fromKelly(e.target.value)}>
            <option value="">—</option>
            {runs.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
          </select>
          {kelly && <div className="dim">{kelly}</div>}
        </div>
      )}
      <button type="button" className="small" onClick={() => void compute()}>Compute size</button>
      {result && (result.ok ? (
        <div className="sizing-result" role="status" aria-label="Risk size">
          {result.units} units ({result.lots} lots) · risks {result.actualRisk} of {result.riskAmount} {result.currency} · {result.stopPips} pips at {result.pipValue} {result.currency}/pip{' '}
          <button type="button" className="small" onClick={() => onSize(result.units)}>Use</button>
        </div>
      ) : <div className="field-error" role="alert">{result.problem}</div>)}
    </details>
  );
}
