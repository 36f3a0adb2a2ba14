// What a run produced: a backtest (charts, metrics, trades), an optimisation (heatmap, best sets), and saved backtests
// side by side.
import type { BacktestResult, OptimizationResult } from '../../../src-shared/api/contract';
import { EquityAndDrawdown, PriceWithTrades } from '../../components/BacktestCharts';
import { price, qty } from '../../lib/format';
import { Heatmap } from './Heatmap';
import { METRICS, day, fmt } from './format';

export function BacktestView({ result }: { result: BacktestResult }) {
  return (
    <div className="bt-result">
      <h2>{result.name}</h2>
      {result.warning && <p className="warning" role="alert">{result.warning}</p>}
      <PriceWithTrades result={result} />
      <EquityAndDrawdown result={result} />
      <div className="bt-tables">
        <table aria-label="Metrics" className="metrics">
          <tbody>{METRICS.map(([k, label, d]) => <tr key={k}><th>{label}</th><td className="num">{fmt(result.metrics[k], d)}</td></tr>)}</tbody>
        </table>
        <div className="trades-wrap">
          <table aria-label="Trades">
            <thead><tr>{result.trades.some((t) => t.symbol) && <th>Symbol</th>}<th>Entry</th><th>Exit</th><th>Side</th><th className="num">Size</th><th className="num">Entry price</th><th className="num">Exit price</th><th className="num">P&amp;L</th><th className="num">Commission</th></tr></thead>
            <tbody>
              {result.trades.map((t, i) => (
                <tr key={i}>{t.symbol && <td>{t.symbol}</td>}<td>{day(t.entryTime)}</td><td>{day(t.exitTime)}</td><td className={t.side === 'long' ? 'buy' : 'sell'}>{t.side}</td><td className="num">{qty(t.size)}</td>
                  <td className="num">{price(t.entryPrice, 0.0001)}</td><td className="num">{price(t.exitPrice, 0.0001)}</td><td className={`num ${t.pnl > 0 ? 'pos' : t.pnl < 0 ? 'neg' : ''}`}>{fmt(t.pnl, 2)}</td><td className="num">{fmt(t.commission, 2)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </div>
  );
}

export function OptimizationView({ opt }: { opt: OptimizationResult }) {
  return (
    <div className="bt-result">
      <h2>{opt.name}</h2>
      <p>{opt.evaluated} backtests in {opt.seconds.toFixed(2)} s · deflated Sharpe of the best: {fmt(opt.deflatedSharpe, 3)}</p>
      {opt.warning && <p className="warning" role="alert">{opt.warning}</p>}
      <Heatmap opt={opt} />
      <div className="table-scroll"><table aria-label="Top results">
        <thead><tr>{opt.paramNames.map((p) => <th key={p}>{p}</th>)}<th className="num">{opt.objective}</th><th className="num">Return %</th><th className="num">Max DD %</th><th className="num">Trades</th></tr></thead>
        <tbody>{opt.results.slice(0, 15).map((r, i) => <tr key={i}>{opt.paramNames.map((p) => <td key={p}>{String(r.params[p])}</td>)}<td className="num">{fmt(r.score, 3)}</td><td className="num">{fmt(r.returnPct, 2)}</td><td className="num">{fmt(r.maxDrawdownPct, 2)}</td><td className="num">{r.trades}</td></tr>)}</tbody>
      </table></div>
    </div>
  );
}

/** Saved backtests side by side, metric by metric (shown from two on). */
export function Comparison({ runs }: { runs: BacktestResult[] }) {
  if (runs.length < 2) return null;
  return (
    <div className="table-scroll"><table aria-label="Comparison" className="comparison">
      <thead><tr><th>Metric</th>{runs.map((r) => <th key={r.id} className="num">{r.name}</th>)}</tr></thead>
      <tbody>{METRICS.map(([k, label, d]) => <tr key={k}><th>{label}</th>{runs.map((r) => <td key={r.id} className="num">{fmt(r.metrics[k], d)}</td>)}</tr>)}</tbody>
    </table></div>
  );
}
