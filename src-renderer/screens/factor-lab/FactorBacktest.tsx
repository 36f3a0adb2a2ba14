// The Factor lab's portfolio test: hold the top N of the universe by the factor (direction applied), rebalanced every
// R trading days, on the backtest engine with the metrics of any backtest (screener.factorBacktest).
import { useState } from 'react';
import type { FactorBacktestResult } from '../../../src-shared/api/screener';
import { Line } from '../../components/MiniCharts';
import { useTerminal } from '../../stores/terminal';
import { errorText } from '../portfolio/common';

const SHOWN: [string, string, (v: number) => string][] = [
  ['cagrPct', 'CAGR', (v) => `${v.toFixed(2)} %`], ['volatilityPct', 'Volatility', (v) => `${v.toFixed(2)} %`], ['sharpe', 'Sharpe', (v) => v.toFixed(2)],
  ['maxDrawdownPct', 'Max drawdown', (v) => `${v.toFixed(2)} %`], ['returnPct', 'Return', (v) => `${v.toFixed(2)} %`], ['exposurePct', 'Exposure', (v) => `${v.toFixed(1)} %`],
];

export function FactorBacktest({ universe, factor }: { universe: string; factor: string }) {
  const api = useTerminal((s) => s.api);
  const [top, setTop] = useState(10);
  const [rebalance, setRebalance] = useState(21);
  const [result, setResult] = useState<FactorBacktestResult>();
  const [problem, setProblem] = useState<string>();

  async function run() {
    try {
      setResult(await api!.call('screener.factorBacktest', { universe, factor, top, rebalance }));
      setProblem(undefined);
    } catch (err) {
      setProblem(errorText(err));
    }
  }

  return (
    <section className="panel" aria-label="Factor backtest">
      <h2>Top-N portfolio on the factor</h2>
      <form className="screening-row" onSubmit={(e) => { e.preventDefault(); void run(); }}>
        <label>Hold the top <input aria-label="Holdings" type="number" min={1} max={500} value={top} onChange={(e) => setTop(Math.max(1, Number(e.target.value) || 1))} className="narrow" /></label>
        <label>rebalanced every <input aria-label="Rebalance every" type="number" min={1} max={260} value={rebalance} onChange={(e) => setRebalance(Math.max(1, Number(e.target.value) || 1))} className="narrow" /> days</label>
        <button type="submit">Backtest</button>
      </form>
      {problem && <div className="error-text" role="alert">{problem}</div>}
      {result && (
        <>
          <table aria-label="Factor backtest metrics" className="metrics">
            <tbody>
              <tr>{SHOWN.map(([, label]) => <th key={label} className="num">{label}</th>)}<th className="num">Trades</th></tr>
              <tr>{SHOWN.map(([k, label, f]) => <td key={label} className="num">{result.metrics[k] === null || result.metrics[k] === undefined ? '—' : f(result.metrics[k]!)}</td>)}<td className="num">{result.trades}</td></tr>
            </tbody>
          </table>
          <Line values={result.equity.map((x) => x.equity)} label="Factor backtest equity" height={120} zero={false} />
          <p className="dim">Daily closes: orders fill at the next close; commission 0.05 % of notional; {result.equity[0]?.date} … {result.equity[result.equity.length - 1]?.date}.</p>
        </>
      )}
    </section>
  );
}
