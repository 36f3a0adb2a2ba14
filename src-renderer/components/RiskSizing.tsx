// Size from risk, inside the order ticket: risk as a percent of equity or an amount, and the stop distance, give the
// size (units, lots, pip value, currency conversion done in main: sizing.compute). "Use" puts the size in the ticket.
import { useState } from 'react';
import type { SizingResult } from '../../src-shared/domain/margin';
import { useTerminal } from '../stores/terminal';

export function RiskSizing({ accountId, symbol, onSize }: { accountId: string | undefined; symbol: string; onSize: (units: number) => void }) {
  const api = useTerminal((s) => s.api);
  const [mode, setMode] = useState<'percent' | 'amount'>('percent');
  const [risk, setRisk] = useState('1');
  const [stop, setStop] = useState('');
  const [result, setResult] = useState<SizingResult | undefined>();

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
    <details className="risk-sizing">
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
