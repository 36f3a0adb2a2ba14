// The Factor lab (issue 16): does a factor work on this universe? IC per date (Spearman), quantile mean forward
// returns, turnover and the cumulative top-minus-bottom line, computed in main with alphalens' conventions
// (screener.factorLab; docs/factors.md).
import { useEffect, useState } from 'react';
import type { FactorLabResult } from '../../src-shared/api/screener';
import { Bars, Line } from '../components/MiniCharts';
import { FactorBacktest } from './factor-lab/FactorBacktest';
import { percent } from '../lib/format';
import { useTerminal } from '../stores/terminal';
import { errorText, useLoad } from './portfolio/common';

const num = (v: number | null | undefined, d = 3) => (v === null || v === undefined ? '—' : v.toFixed(d));

export function FactorLab() {
  const api = useTerminal((s) => s.api);
  const factors = useLoad(api ? () => api.call('screener.factors', {}) : undefined, [api]);
  const universes = useLoad(api ? () => api.call('screener.universes', {}) : undefined, [api]);
  const [universe, setUniverse] = useState('demo');
  const [factor, setFactor] = useState('mom_12_1');
  const [args, setArgs] = useState('');
  const [quantiles, setQuantiles] = useState(5);
  const [bySector, setBySector] = useState(false);
  const [request, setRequest] = useState(0);
  const [result, setResult] = useState<FactorLabResult>();
  // The request last answered (result or error): "Computing…" while the current one differs.
  const [answered, setAnswered] = useState('');
  const [problem, setProblem] = useState<string>();
  const [period, setPeriod] = useState('1');

  const all = factors.data ?? [];
  const chosen = all.find((f) => f.name === factor);
  // Only price factors take arguments (lookbacks); a fundamental factor is read point in time on each date.
  const spec = chosen?.priceOnly && args.trim() ? `${factor}:${args.trim()}` : factor;
  const requestKey = JSON.stringify([universe, factor, quantiles, bySector, request]);
  const busy = answered !== requestKey;
  useEffect(() => {
    if (!api) return;
    let live = true;
    api.call('screener.factorLab', { universe, factor: spec, periods: [1, 5, 10], quantiles, bySector }).then(
      (r) => {
        if (!live) return;
        setResult(r);
        setProblem(undefined);
        setAnswered(requestKey);
      },
      (err: unknown) => {
        if (!live) return;
        setProblem(errorText(err));
        setAnswered(requestKey);
      },
    );
    return () => {
      live = false;
    };
    // Arguments apply on Run (request), not on every keystroke.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, requestKey]);

  const p = result?.periods[period];
  return (
    <div className="factor-lab">
      <section className="panel" aria-label="Factor lab settings">
        <form className="screening-row" onSubmit={(e) => { e.preventDefault(); setRequest((v) => v + 1); }}>
          <label>Universe{' '}
            <select aria-label="Universe" value={universe} onChange={(e) => setUniverse(e.target.value)}>
              {(universes.data ?? [{ id: 'demo', name: 'Demo', size: 0 }]).map((u) => <option key={u.id} value={u.id}>{u.name} ({u.size})</option>)}
            </select>
          </label>
          <label>Factor{' '}
            <select aria-label="Factor" value={factor} onChange={(e) => { setFactor(e.target.value); setArgs(''); }}>
              {[...new Set(all.map((f) => f.group))].map((g) => (
                <optgroup key={g} label={g}>
                  {all.filter((f) => f.group === g).map((f) => <option key={f.name} value={f.name}>{f.label}</option>)}
                </optgroup>
              ))}
            </select>
          </label>
          <input aria-label="Arguments" placeholder={chosen && !chosen.priceOnly ? 'no arguments' : 'args, e.g. 126,0'} disabled={chosen !== undefined && !chosen.priceOnly} value={args} onChange={(e) => setArgs(e.target.value)} className="medium" />
          <label>Quantiles{' '}
            <select aria-label="Quantiles" value={quantiles} onChange={(e) => setQuantiles(Number(e.target.value))}>
              {[3, 4, 5, 10].map((q) => <option key={q} value={q}>{q}</option>)}
            </select>
          </label>
          <label className="check"><input type="checkbox" aria-label="By sector" checked={bySector} onChange={(e) => setBySector(e.target.checked)} /> By sector</label>
          <button type="submit">Run</button>
          {busy && <span className="dim" role="status">Computing…</span>}
        </form>
        <p className="dim">{chosen?.formula}{chosen && !chosen.priceOnly ? ', on each date from the statements reported by then (point in time)' : ''}. Forward returns over each stock&apos;s own rows; quantiles per date (within sector when by sector); raw factor values, the top quantile holds the highest.</p>
      </section>
      {problem && <div className="error-text" role="alert">{problem}</div>}
      {result && (
        <>
          <section className="panel" aria-label="Factor summary">
            <h2>{result.factor} · {result.rows.toLocaleString()} rows on {result.dates} dates</h2>
            <table aria-label="Information coefficient">
              <thead><tr><th>Period</th><th className="num">IC mean</th><th className="num">IC std</th><th className="num">IR</th><th className="num">Top − bottom</th><th className="num">Turnover (top)</th><th className="num">Turnover (bottom)</th></tr></thead>
              <tbody>
                {Object.entries(result.periods).map(([k, x]) => (
                  <tr key={k}><td>{k} day{k === '1' ? '' : 's'}</td><td className="num">{num(x.icMean)}</td><td className="num">{num(x.icStd)}</td><td className="num">{num(x.icir)}</td>
                    <td className="num">{x.topMinusBottom === null ? '—' : percent(x.topMinusBottom, true, 3)}</td><td className="num">{num(x.turnover.top, 2)}</td><td className="num">{num(x.turnover.bottom, 2)}</td></tr>
                ))}
              </tbody>
            </table>
            <div className="screening-row factor-lab-period">
              <label>Charts for the{' '}
                <select aria-label="Period shown" value={period} onChange={(e) => setPeriod(e.target.value)}>
                  {Object.keys(result.periods).map((k) => <option key={k} value={k}>{k}-day</option>)}
                </select>
                {' '}forward return
              </label>
            </div>
          </section>
          {p && (
            <div className="factor-lab-charts">
              <section className="panel" aria-label="IC over time">
                <h2>IC over time ({period}-day forward)</h2>
                <Bars values={p.ic.map((x) => x.ic)} label="IC per date" height={150} />
                <p className="dim">{p.ic[0]?.date} … {p.ic[p.ic.length - 1]?.date}</p>
              </section>
              <section className="panel" aria-label="Quantile returns">
                <h2>Mean {period}-day return by quantile (demeaned)</h2>
                <Bars values={p.quantileMeanReturnDemeaned} labels={p.quantileMeanReturnDemeaned.map((_, i) => `Q${i + 1}`)} label="Quantile mean returns" height={150} format={(v) => percent(v, true, 3)} />
                <p className="dim">Raw: {p.quantileMeanReturn.map((v, i) => `Q${i + 1} ${v === null ? '—' : percent(v, true, 3)}`).join(' · ')}</p>
              </section>
              <section className="panel" aria-label="Cumulative long-short">
                <h2>Cumulative long-short (top − bottom quantile, 1-day, before costs)</h2>
                <Line values={result.cumulative.map((x) => x.value)} label="Cumulative long-short" height={150} />
                <p className="dim">{result.cumulative.length ? `${result.cumulative[0]!.date} … ${result.cumulative[result.cumulative.length - 1]!.date}: ${percent(result.cumulative[result.cumulative.length - 1]!.value, true)}` : ''}</p>
              </section>
            </div>
          )}
        </>
      )}
      <FactorBacktest universe={universe} factor={spec} />
    </div>
  );
}
