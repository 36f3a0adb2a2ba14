// Backtests: choose a strategy, its parameters and data (demo market or a CSV file), run or optimise on the worker
// pool with a progress bar, see the charts, metrics and trades, a heatmap of the search, and reopen/compare saved runs.
import { useEffect, useMemo, useState } from 'react';
import { ApiCallError, type BacktestRequest, type BacktestResult, type BacktestRunSummary, type LiveStrategy, type OptimizationResult, type StrategyInfo } from '../../src-shared/api/contract';
import type { Timeframe } from '../../src-shared/domain/types';
import { EquityAndDrawdown, PriceWithTrades } from '../components/BacktestCharts';
import { LiveStrategies } from '../components/LiveStrategies';
import { price, qty } from '../lib/format';
import { useShallow } from 'zustand/react/shallow';
import { useTerminal } from '../stores/terminal';
import { useLiveAccount } from '../components/LiveAccountPicker';

const METRICS: [string, string, number][] = [
  ['returnPct', 'Return %', 2], ['buyHoldReturnPct', 'Buy & hold %', 2], ['cagrPct', 'CAGR %', 2], ['annualReturnPct', 'Annual return %', 2],
  ['volatilityPct', 'Volatility %', 2], ['sharpe', 'Sharpe', 3], ['sortino', 'Sortino', 3], ['calmar', 'Calmar', 3], ['maxDrawdownPct', 'Max drawdown %', 2],
  ['avgDrawdownPct', 'Avg drawdown %', 2], ['maxDrawdownDays', 'Max drawdown days', 0], ['trades', 'Trades', 0], ['winRatePct', 'Win rate %', 2],
  ['profitFactor', 'Profit factor', 3], ['expectancyPct', 'Expectancy %', 3], ['sqn', 'SQN', 3], ['exposurePct', 'Exposure %', 2],
  ['bestTradePct', 'Best trade %', 2], ['worstTradePct', 'Worst trade %', 2], ['finalEquity', 'Final equity', 2],
];
const fmt = (v: number | null | undefined, d: number) => (v === null || v === undefined ? '—' : v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
const day = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);

function Heatmap({ opt }: { opt: OptimizationResult }) {
  const [xName, yName] = opt.paramNames;
  if (!xName || !yName) return <p className="dim">A heatmap needs two parameters.</p>;
  const xs = [...new Set(opt.results.map((r) => r.params[xName]))].sort((a, b) => Number(a) - Number(b));
  const ys = [...new Set(opt.results.map((r) => r.params[yName]))].sort((a, b) => Number(a) - Number(b));
  const scores = opt.results.map((r) => r.score).filter((s): s is number => s !== null);
  const lo = Math.min(...scores);
  const hi = Math.max(...scores);
  const cell = new Map(opt.results.map((r) => [`${r.params[xName]}|${r.params[yName]}`, r]));
  const colour = (s: number | null) => {
    if (s === null) return 'transparent';
    const f = hi > lo ? (s - lo) / (hi - lo) : 0.5;
    return `hsl(${Math.round(f * 130)}, 65%, ${38 + f * 10}%)`;
  };
  return (
    <table className="heatmap" aria-label="Optimization heatmap">
      <thead><tr><th>{yName} \ {xName}</th>{xs.map((x) => <th key={String(x)}>{String(x)}</th>)}</tr></thead>
      <tbody>
        {ys.map((y) => (
          <tr key={String(y)}>
            <th>{String(y)}</th>
            {xs.map((x) => {
              const r = cell.get(`${x}|${y}`);
              return <td key={String(x)} style={{ background: colour(r?.score ?? null) }} title={r ? `${xName}=${x} ${yName}=${y}: ${opt.objective} ${fmt(r.score, 3)}, return ${fmt(r.returnPct, 1)} %` : 'not evaluated'}>{r ? fmt(r.score, 2) : ''}</td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function BacktestView({ result }: { result: BacktestResult }) {
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

function OptimizationView({ opt }: { opt: OptimizationResult }) {
  return (
    <div className="bt-result">
      <h2>{opt.name}</h2>
      <p>{opt.evaluated} backtests in {opt.seconds.toFixed(2)} s · deflated Sharpe of the best: {fmt(opt.deflatedSharpe, 3)}</p>
      {opt.warning && <p className="warning" role="alert">{opt.warning}</p>}
      <Heatmap opt={opt} />
      <table aria-label="Top results">
        <thead><tr>{opt.paramNames.map((p) => <th key={p}>{p}</th>)}<th className="num">{opt.objective}</th><th className="num">Return %</th><th className="num">Max DD %</th><th className="num">Trades</th></tr></thead>
        <tbody>{opt.results.slice(0, 15).map((r, i) => <tr key={i}>{opt.paramNames.map((p) => <td key={p}>{String(r.params[p])}</td>)}<td className="num">{fmt(r.score, 3)}</td><td className="num">{fmt(r.returnPct, 2)}</td><td className="num">{fmt(r.maxDrawdownPct, 2)}</td><td className="num">{r.trades}</td></tr>)}</tbody>
      </table>
    </div>
  );
}

export function Backtests() {
  const { api, instruments } = useTerminal(useShallow((s) => ({ api: s.api, instruments: s.instruments })));
  const [strategies, setStrategies] = useState<StrategyInfo[]>([]);
  const [strategy, setStrategy] = useState('sma-cross');
  const [values, setValues] = useState<Record<string, string>>({});
  const [ranges, setRanges] = useState<Record<string, string>>({ fast: '5:50:5', slow: '20:200:10' });
  const [sourceKind, setSourceKind] = useState<'demo' | 'csv' | 'stored'>('demo');
  const [storedSymbol, setStoredSymbol] = useState('');
  const [symbol, setSymbol] = useState('AAPL');
  const [timeframe, setTimeframe] = useState<'1d' | '1h'>('1d');
  const [csv, setCsv] = useState<{ name: string; text: string } | undefined>();
  const [cash, setCash] = useState('10000');
  const [commission, setCommission] = useState('0.001');
  const [fill, setFill] = useState<'next-open' | 'close'>('next-open');
  const [objective, setObjective] = useState<'sharpe' | 'returnPct' | 'sortino' | 'calmar'>('sharpe');
  const [busy, setBusy] = useState<'run' | 'optimize' | undefined>();
  const [progress, setProgress] = useState<{ id: string; done: number; total: number } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [view, setView] = useState<{ kind: 'backtest'; r: BacktestResult } | { kind: 'optimization'; r: OptimizationResult } | undefined>();
  const [runs, setRuns] = useState<BacktestRunSummary[]>([]);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [basket, setBasket] = useState<string[]>(['AAPL', 'MSFT']);
  const [selected, setSelected] = useState<string[]>([]);
  const [loaded, setLoaded] = useState<Record<string, BacktestResult>>({});
  const compare = selected.flatMap((id) => loaded[id] ?? []);
  const [live, setLive] = useState<LiveStrategy[]>([]);
  const [liveTf, setLiveTf] = useState<Timeframe>('1m');
  const liveAccount = useLiveAccount();

  useEffect(() => {
    if (!api) return;
    void api.call('backtest.strategies', {}).then(setStrategies);
    void api.call('backtest.list', { limit: 50 }).then(setRuns);
    void api.call('strategies.list', {}).then(setLive);
    const offLive = api.on('strategies', setLive);
    const offProgress = api.on('backtest.progress', (p) => setProgress((cur) => (cur && cur.id === p.id ? p : cur)));
    return () => (offLive(), offProgress());
  }, [api]);

  const info = useMemo(() => strategies.find((s) => s.name === strategy), [strategies, strategy]);
  const paramValue = (name: string, dflt: number | string) => values[`${strategy}.${name}`] ?? String(dflt);

  const portfolio = info?.instruments != null;

  function request(): Omit<BacktestRequest, 'params'> & { params: Record<string, string | number> } {
    const source = portfolio
      ? { kind: 'demo' as const, symbol: basket[0] ?? symbol, symbols: basket, timeframe }
      : sourceKind === 'demo' ? { kind: 'demo' as const, symbol, timeframe }
        : sourceKind === 'stored' ? { kind: 'stored' as const, symbol: storedSymbol, timeframe }
          : { kind: 'csv' as const, name: csv?.name ?? '', text: csv?.text ?? '' };
    const params = Object.fromEntries((info?.params ?? []).map((p) => {
      const v = paramValue(p.name, p.default);
      // Not a number: sent as typed, so main's answer names the parameter and the value.
      return [p.name, typeof p.default === 'number' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v];
    }));
    return { strategy, source, params, cash: Number(cash), commission: Number(commission), fill, from: from || undefined, to: to || undefined };
  }

  async function act(kind: 'run' | 'optimize') {
    if (!portfolio && sourceKind === 'csv' && !csv) return setError('Choose a CSV file first');
    if (!portfolio && sourceKind === 'stored' && !storedSymbol.trim()) return setError('Name the stored symbol first');
    if (portfolio) {
      const { exact, min } = info!.instruments!;
      if ((exact !== undefined && basket.length !== exact) || (min !== undefined && basket.length < min))
        return setError(`${strategy} needs ${exact !== undefined ? `exactly ${exact}` : `at least ${min}`} instruments (${basket.length} chosen)`);
    }
    setError(undefined);
    setBusy(kind);
    try {
      if (kind === 'run') {
        const r = await api!.call('backtest.run', request());
        setView({ kind: 'backtest', r });
      } else {
        const id = crypto.randomUUID();
        setProgress({ id, done: 0, total: 0 });
        // Parameters with a range are searched; the others keep their value (size, mode, …).
        const space = Object.fromEntries((info?.params ?? []).filter((p) => (ranges[p.name] ?? '').trim()).map((p) => [p.name, ranges[p.name]!.trim()]));
        const r = await api!.call('backtest.optimize', { ...request(), id, space, objective });
        setView({ kind: 'optimization', r });
      }
      setRuns(await api!.call('backtest.list', { limit: 50 }));
    } catch (err) {
      setError(err instanceof ApiCallError || err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(undefined);
    }
  }

  /** Runs the settings' strategy live on the chosen account (paper by default), on the session's closed bars. */
  async function runLive() {
    const { params } = request();
    setError(undefined);
    const account = liveAccount.fields();
    if (!account.ok) return setError(account.error);
    try {
      await api!.call('strategies.start', { strategy, symbols: portfolio ? basket : [symbol], timeframe: liveTf, params, capital: Number(cash), ...account.fields });
      setLive(await api!.call('strategies.list', {}));
    } catch (err) {
      setError(err instanceof ApiCallError || err instanceof Error ? err.message : String(err));
    }
  }

  async function stopLive(id: string) {
    try {
      await api!.call('strategies.stop', { id });
      setLive(await api!.call('strategies.list', {}));
    } catch (err) {
      setError(err instanceof ApiCallError || err instanceof Error ? err.message : String(err));
    }
  }

  async function open(id: string) {
    const r = await api!.call('backtest.get', { id });
    setView(r.kind === 'backtest' ? { kind: 'backtest', r: r.backtest } : { kind: 'optimization', r: r.optimization });
  }

  function toggleCompare(id: string, on: boolean) {
    setSelected((ids) => (on ? [...ids.filter((x) => x !== id), id] : ids.filter((x) => x !== id)));
    if (on && !loaded[id]) {
      void api!.call('backtest.get', { id }).then((r) => {
        if (r.kind === 'backtest') setLoaded((l) => ({ ...l, [id]: r.backtest }));
      });
    }
  }

  const pct = progress && progress.total ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <div className="backtests">
      <form className="panel bt-form" aria-label="Backtest settings" onSubmit={(e) => { e.preventDefault(); void act('run'); }}>
        <h2>Backtest</h2>
        <div className="field"><label htmlFor="bt-strategy">Strategy</label>
          <select id="bt-strategy" value={strategy} onChange={(e) => setStrategy(e.target.value)}>{strategies.map((s) => <option key={s.name} value={s.name}>{s.name}</option>)}</select>
        </div>
        <p className="dim small">{info?.description}</p>
        {portfolio ? (
          <fieldset className="basket">
            <legend>Instruments (demo market{info?.instruments?.exact ? `, exactly ${info.instruments.exact}` : ''})</legend>
            {instruments.map((i) => (
              <label key={i.symbol}><input type="checkbox" checked={basket.includes(i.symbol)}
                onChange={(e) => setBasket((b) => (e.target.checked ? [...b, i.symbol] : b.filter((x) => x !== i.symbol)))} /> {i.symbol}</label>
            ))}
          </fieldset>
        ) : (<>
        <div className="field"><label htmlFor="bt-source">Data source</label>
          <select id="bt-source" value={sourceKind} onChange={(e) => setSourceKind(e.target.value as 'demo' | 'csv' | 'stored')}><option value="demo">Demo market history</option><option value="csv">CSV file</option><option value="stored">Local store (imported, cached)</option></select>
        </div>
        {sourceKind === 'stored' ? (
          <div className="row2">
            <div className="field"><label htmlFor="bt-stored">Stored symbol</label>
              <input id="bt-stored" value={storedSymbol} placeholder="e.g. DAX" onChange={(e) => setStoredSymbol(e.target.value.toUpperCase())} /></div>
            <div className="field"><label htmlFor="bt-stored-tf">Bar size</label>
              <select id="bt-stored-tf" value={timeframe} onChange={(e) => setTimeframe(e.target.value as '1d' | '1h')}><option value="1d">1 day</option><option value="1h">1 hour</option></select></div>
          </div>
        ) : sourceKind === 'demo' ? (
          <div className="row2">
            <div className="field"><label htmlFor="bt-symbol">Instrument</label>
              <select id="bt-symbol" value={symbol} onChange={(e) => setSymbol(e.target.value)}>{instruments.map((i) => <option key={i.symbol} value={i.symbol}>{i.symbol}</option>)}</select></div>
            <div className="field"><label htmlFor="bt-tf">Bar size</label>
              <select id="bt-tf" value={timeframe} onChange={(e) => setTimeframe(e.target.value as '1d' | '1h')}><option value="1d">1 day</option><option value="1h">1 hour</option></select></div>
          </div>
        ) : (
          <div className="field"><label htmlFor="bt-csv">CSV file</label>
            <input id="bt-csv" type="file" accept=".csv,.txt,text/csv" onChange={(e) => { const f = e.target.files?.[0]; if (f) void f.text().then((text) => setCsv({ name: f.name, text })); }} /></div>
        )}
        </>)}
        {portfolio && (
          <div className="field"><label htmlFor="bt-tf2">Bar size</label>
            <select id="bt-tf2" value={timeframe} onChange={(e) => setTimeframe(e.target.value as '1d' | '1h')}><option value="1d">1 day</option><option value="1h">1 hour</option></select></div>
        )}
        <div className="row2">
          <div className="field"><label htmlFor="bt-from">From</label><input id="bt-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} /></div>
          <div className="field"><label htmlFor="bt-to">To</label><input id="bt-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} /></div>
        </div>
        <h3>Parameters</h3>
        <table className="params"><thead><tr><th>Name</th><th>Value</th><th>Optimise range</th></tr></thead><tbody>
          {(info?.params ?? []).map((p) => (
            <tr key={p.name} title={p.description}>
              <th>{p.name}</th>
              <td><input aria-label={p.name} value={paramValue(p.name, p.default)} onChange={(e) => setValues({ ...values, [`${strategy}.${p.name}`]: e.target.value })} /></td>
              <td><input aria-label={`${p.name} range`} placeholder={typeof p.default === 'number' ? 'start:end:step' : 'a,b'} value={ranges[p.name] ?? ''} onChange={(e) => setRanges({ ...ranges, [p.name]: e.target.value })} /></td>
            </tr>
          ))}
        </tbody></table>
        <div className="row2">
          <div className="field"><label htmlFor="bt-cash">Cash</label><input id="bt-cash" value={cash} onChange={(e) => setCash(e.target.value)} /></div>
          <div className="field"><label htmlFor="bt-comm">Commission (fraction)</label><input id="bt-comm" value={commission} onChange={(e) => setCommission(e.target.value)} /></div>
        </div>
        <div className="row2">
          <div className="field"><label htmlFor="bt-fill">Fill model</label><select id="bt-fill" value={fill} onChange={(e) => setFill(e.target.value as 'next-open' | 'close')}><option value="next-open">Next bar open</option><option value="close">Signal bar close</option></select></div>
          <div className="field"><label htmlFor="bt-obj">Objective</label><select id="bt-obj" value={objective} onChange={(e) => setObjective(e.target.value as typeof objective)}><option value="sharpe">Sharpe</option><option value="sortino">Sortino</option><option value="calmar">Calmar</option><option value="returnPct">Return</option></select></div>
        </div>
        <div className="sides">
          <button type="submit" className="primary" disabled={busy !== undefined}>Run backtest</button>
          <button type="button" className="primary" disabled={busy !== undefined} onClick={() => void act('optimize')}>Optimize</button>
        </div>
        <h3>Live</h3>
        <div className="row2 live-row">
          <div className="field"><label htmlFor="bt-live-tf">Live timeframe</label>
            <select id="bt-live-tf" value={liveTf} onChange={(e) => setLiveTf(e.target.value as Timeframe)}><option value="1m">1 minute</option><option value="5m">5 minutes</option><option value="1h">1 hour</option><option value="1d">1 day</option></select></div>
          {liveAccount.picker}
          <button type="button" disabled={!portfolio && sourceKind !== 'demo'} title={!portfolio && sourceKind !== 'demo' ? 'Live runs trade demo-market instruments, not a CSV file' : `Trade ${strategy} on ${portfolio ? basket.join(', ') : symbol} with these parameters, on the ${liveAccount.target} account`} onClick={() => void runLive()}>Run live on {liveAccount.target}</button>
        </div>
        {busy === 'optimize' && progress && (
          <div className="progress-row">
            <div role="progressbar" aria-label="Optimization progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} className="progress"><div style={{ width: `${pct}%` }} /></div>
            <span>{progress.done}/{progress.total || '…'}</span>
            <button type="button" className="small" onClick={() => void api!.call('backtest.cancel', { id: progress.id })}>Cancel</button>
          </div>
        )}
        {busy === 'run' && <div role="status">Running…</div>}
        {error && <div className="field-error" role="alert">{error}</div>}
      </form>
      <section className="panel bt-main" aria-label="Results">
        {view?.kind === 'backtest' && <BacktestView result={view.r} />}
        {view?.kind === 'optimization' && <OptimizationView opt={view.r} />}
        {!view && <p className="dim">Run a backtest or an optimisation; results are saved and listed below.</p>}
        {compare.length > 1 && (
          <table aria-label="Comparison" className="comparison">
            <thead><tr><th>Metric</th>{compare.map((r) => <th key={r.id} className="num">{r.name}</th>)}</tr></thead>
            <tbody>{METRICS.map(([k, label, d]) => <tr key={k}><th>{label}</th>{compare.map((r) => <td key={r.id} className="num">{fmt(r.metrics[k], d)}</td>)}</tr>)}</tbody>
          </table>
        )}
        <h2>Live strategies</h2>
        <LiveStrategies list={live} onStop={(id) => void stopLive(id)} />
        <h2>Saved runs</h2>
        <table aria-label="Saved runs">
          <thead><tr><th>When</th><th>Kind</th><th>Name</th><th>Summary</th><th /><th>Compare</th></tr></thead>
          <tbody>
            {runs.length === 0 && <tr><td colSpan={6} className="empty">No saved runs yet</td></tr>}
            {runs.map((r) => (
              <tr key={r.id}>
                <td>{new Date(r.createdAt).toLocaleString('en-GB')}</td><td>{r.kind}</td><td>{r.name}</td>
                <td className="dim">{Object.entries(r.summary).map(([k, v]) => `${k}: ${typeof v === 'number' ? v.toFixed(2) : JSON.stringify(v)}`).join(' · ')}</td>
                <td><button type="button" className="small" aria-label={`Open ${r.name}`} onClick={() => void open(r.id)}>Open</button></td>
                <td>{r.kind === 'backtest' && <input type="checkbox" aria-label={`Compare ${r.name}`} checked={selected.includes(r.id)} onChange={(e) => toggleCompare(r.id, e.target.checked)} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
