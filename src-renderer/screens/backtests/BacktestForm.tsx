// The settings form: strategy and parameters (with ranges to optimise), data source, costs, the run and optimise
// buttons with progress, and starting the strategy live.
import { formatMegabytes } from '../../../src-shared/api/limits';
import type { Timeframe } from '../../../src-shared/domain/types';
import type { BacktestsModel, BacktestSettings } from './useBacktests';

export function BacktestForm({ bt }: { bt: BacktestsModel }) {
  const { settings: s, update, strategies, info, portfolio, paramValue, instruments, busy, progress, pct, error } = bt;
  const { strategy, basket, sourceKind, timeframe } = s;
  return (
    <form className="panel bt-form" aria-label="Backtest settings" onSubmit={(e) => { e.preventDefault(); void bt.act('run'); }}>
      <h2>Backtest</h2>
      <div className="field"><label htmlFor="bt-strategy">Strategy</label>
        <select id="bt-strategy" value={strategy} onChange={(e) => update({ strategy: e.target.value })}>{strategies.map((x) => <option key={x.name} value={x.name}>{x.name}</option>)}</select>
      </div>
      <p className="dim small">{info?.description}</p>
      {portfolio ? (
        <fieldset className="basket">
          <legend>Instruments (demo market{info?.instruments?.exact ? `, exactly ${info.instruments.exact}` : ''})</legend>
          {instruments.map((i) => (
            <label key={i.symbol}><input type="checkbox" checked={basket.includes(i.symbol)}
              onChange={(e) => update({ basket: e.target.checked ? [...basket, i.symbol] : basket.filter((x) => x !== i.symbol) })} /> {i.symbol}</label>
          ))}
        </fieldset>
      ) : (<>
      <div className="field"><label htmlFor="bt-source">Data source</label>
        <select id="bt-source" value={sourceKind} onChange={(e) => update({ sourceKind: e.target.value as BacktestSettings['sourceKind'] })}><option value="demo">Demo market history</option><option value="csv">CSV file</option><option value="stored">Local store (imported, cached)</option></select>
      </div>
      {sourceKind === 'stored' ? (
        <div className="row2">
          <div className="field"><label htmlFor="bt-stored">Stored symbol</label>
            <input id="bt-stored" value={s.storedSymbol} placeholder="e.g. DAX" onChange={(e) => update({ storedSymbol: e.target.value.toUpperCase() })} /></div>
          <div className="field"><label htmlFor="bt-stored-tf">Bar size</label>
            <select id="bt-stored-tf" value={timeframe} onChange={(e) => update({ timeframe: e.target.value as '1d' | '1h' })}><option value="1d">1 day</option><option value="1h">1 hour</option></select></div>
        </div>
      ) : sourceKind === 'demo' ? (
        <div className="row2">
          <div className="field"><label htmlFor="bt-symbol">Instrument</label>
            <select id="bt-symbol" value={s.symbol} onChange={(e) => update({ symbol: e.target.value })}>{instruments.map((i) => <option key={i.symbol} value={i.symbol}>{i.symbol}</option>)}</select></div>
          <div className="field"><label htmlFor="bt-tf">Bar size</label>
            <select id="bt-tf" value={timeframe} onChange={(e) => update({ timeframe: e.target.value as '1d' | '1h' })}><option value="1d">1 day</option><option value="1h">1 hour</option></select></div>
        </div>
      ) : (
        <div className="field"><label htmlFor="bt-csv">CSV file</label>
          <input id="bt-csv" type="file" accept=".csv,.txt,text/csv" aria-describedby="bt-csv-read" onChange={(e) => { const f = e.target.files?.[0]; if (f) void f.text().then((text) => update({ csv: { name: f.name, text } })); }} />
          {/* A large file takes a moment to read: the run uses it once this line names it. */}
          {s.csv && <small id="bt-csv-read" className="dim small">Read {s.csv.name}: {formatMegabytes(s.csv.text.length)}</small>}</div>
      )}
      </>)}
      {portfolio && (
        <div className="field"><label htmlFor="bt-tf2">Bar size</label>
          <select id="bt-tf2" value={timeframe} onChange={(e) => update({ timeframe: e.target.value as '1d' | '1h' })}><option value="1d">1 day</option><option value="1h">1 hour</option></select></div>
      )}
      <div className="row2">
        <div className="field"><label htmlFor="bt-from">From</label><input id="bt-from" type="date" value={s.from} onChange={(e) => update({ from: e.target.value })} /></div>
        <div className="field"><label htmlFor="bt-to">To</label><input id="bt-to" type="date" value={s.to} onChange={(e) => update({ to: e.target.value })} /></div>
      </div>
      <h3>Parameters</h3>
      <table className="params"><thead><tr><th>Name</th><th>Value</th><th>Optimise range</th></tr></thead><tbody>
        {(info?.params ?? []).map((p) => (
          <tr key={p.name} title={p.description}>
            <th>{p.name}</th>
            <td><input aria-label={p.name} value={paramValue(p.name, p.default)} onChange={(e) => update({ values: { ...s.values, [`${strategy}.${p.name}`]: e.target.value } })} /></td>
            <td><input aria-label={`${p.name} range`} placeholder={typeof p.default === 'number' ? 'start:end:step' : 'a,b'} value={s.ranges[p.name] ?? ''} onChange={(e) => update({ ranges: { ...s.ranges, [p.name]: e.target.value } })} /></td>
          </tr>
        ))}
      </tbody></table>
      <div className="row2">
        <div className="field"><label htmlFor="bt-cash">Cash</label><input id="bt-cash" value={s.cash} onChange={(e) => update({ cash: e.target.value })} /></div>
        <div className="field"><label htmlFor="bt-comm">Commission (fraction)</label><input id="bt-comm" value={s.commission} onChange={(e) => update({ commission: e.target.value })} /></div>
      </div>
      <div className="row2">
        <div className="field"><label htmlFor="bt-fill">Fill model</label><select id="bt-fill" value={s.fill} onChange={(e) => update({ fill: e.target.value as 'next-open' | 'close' })}><option value="next-open">Next bar open</option><option value="close">Signal bar close</option></select></div>
        <div className="field"><label htmlFor="bt-obj">Objective</label><select id="bt-obj" value={s.objective} onChange={(e) => update({ objective: e.target.value as BacktestSettings['objective'] })}><option value="sharpe">Sharpe</option><option value="sortino">Sortino</option><option value="calmar">Calmar</option><option value="returnPct">Return</option></select></div>
      </div>
      <div className="sides">
        <button type="submit" className="primary" disabled={busy !== undefined}>Run backtest</button>
        <button type="button" className="primary" disabled={busy !== undefined} onClick={() => void bt.act('optimize')}>Optimize</button>
      </div>
      <h3>Live</h3>
      <div className="row2 live-row">
        <div className="field"><label htmlFor="bt-live-tf">Live timeframe</label>
          <select id="bt-live-tf" value={s.liveTf} onChange={(e) => update({ liveTf: e.target.value as Timeframe })}><option value="1m">1 minute</option><option value="5m">5 minutes</option><option value="1h">1 hour</option><option value="1d">1 day</option></select></div>
        {bt.liveAccount.picker}
        <button type="button" disabled={!portfolio && sourceKind !== 'demo'} title={!portfolio && sourceKind !== 'demo' ? 'Live runs trade demo-market instruments, not a CSV file' : `Trade ${strategy} on ${portfolio ? basket.join(', ') : s.symbol} with these parameters, on the ${bt.liveAccount.target} account`} onClick={() => void bt.runLive()}>Run live on {bt.liveAccount.target}</button>
      </div>
      {busy === 'optimize' && progress && (
        <div className="progress-row">
          <div role="progressbar" aria-label="Optimization progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} className="progress"><div style={{ width: `${pct}%` }} /></div>
          <span>{progress.done}/{progress.total || '…'}</span>
          <button type="button" className="small" onClick={bt.cancel}>Cancel</button>
        </div>
      )}
      {busy === 'run' && <div role="status">Running…</div>}
      {error && <div className="field-error" role="alert">{error}</div>}
    </form>
  );
}
