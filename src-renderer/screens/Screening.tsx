// The Screening screen (issue 16): pick a universe, factors and their weights, sector-neutral or not, filters; the
// universe ranked by the composite (computed in main: screener.run, formulas in docs/factors.md), with sparklines;
// each shown stock's mean headline sentiment (screening/sentiment.tsx); add the selected stocks to a watchlist, export
// the screen as CSV, save and reload screens.
import { useEffect, useMemo, useState } from 'react';
import type { FactorInfo, ScreenDefinition, ScreenResult } from '../../src-shared/api/screener';
import { Sparkline } from '../components/MiniCharts';
import { downloadCsv } from '../lib/csv-export';
import { percent } from '../lib/format';
import { useTerminal } from '../stores/terminal';
import { errorText, useLoad } from './portfolio/common';
import { SentimentCell, useLazySentiment } from './screening/sentiment';

const DEFAULT_WEIGHTS: Record<string, number> = { mom_12_1: 1, roe: 1 };

const num = (v: number | null | undefined, digits = 2) => (v === null || v === undefined ? '—' : v.toFixed(digits));
const compact = (v: number | null) => {
  if (v === null) return '—';
  for (const [d, s] of [[1e12, 'T'], [1e9, 'B'], [1e6, 'M']] as const) if (Math.abs(v) >= d) return `${(v / d).toFixed(1)}${s}`;
  return v.toFixed(0);
};

export function Screening() {
  const api = useTerminal((s) => s.api);
  const factors = useLoad(api ? () => api.call('screener.factors', {}) : undefined, [api]);
  const universes = useLoad(api ? () => api.call('screener.universes', {}) : undefined, [api]);
  const [savedVersion, setSavedVersion] = useState(0);
  const saved = useLoad(api ? () => api.call('screener.saved.list', {}) : undefined, [api, savedVersion]);
  const [watchVersion, setWatchVersion] = useState(0);
  const watchlists = useLoad(api ? () => api.call('watchlists.list', {}) : undefined, [api, watchVersion]);

  const [universe, setUniverse] = useState('demo');
  const [weights, setWeights] = useState<Record<string, number>>(DEFAULT_WEIGHTS);
  const [sectorNeutral, setSectorNeutral] = useState(false);
  const [filterText, setFilterText] = useState('');
  const [filter, setFilter] = useState('');
  const [top, setTop] = useState(100);
  const [result, setResult] = useState<ScreenResult>();
  const [problem, setProblem] = useState<string>();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [target, setTarget] = useState('');
  const [note, setNote] = useState<string>();
  const [name, setName] = useState('');
  const sentiment = useLazySentiment(api, result);

  const definition: ScreenDefinition = useMemo(() => ({
    universe, sectorNeutral, filter, top,
    factors: Object.entries(weights).map(([n, weight]) => ({ name: n, weight })),
  }), [universe, sectorNeutral, filter, top, weights]);

  useEffect(() => {
    if (!api || definition.factors.length === 0) return;
    let live = true;
    api.call('screener.run', definition).then(
      (r) => {
        if (!live) return;
        setResult(r);
        setProblem(undefined);
      },
      (err: unknown) => live && setProblem(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [api, definition]);

  // The first list until the user picks one.
  const targetId = target || watchlists.data?.[0]?.id || '';

  const groups = useMemo(() => {
    const m = new Map<string, FactorInfo[]>();
    for (const f of factors.data ?? []) m.set(f.group, [...(m.get(f.group) ?? []), f]);
    return [...m.entries()];
  }, [factors.data]);
  const chosen = definition.factors.map((f) => f.name);
  const label = (n: string) => factors.data?.find((f) => f.name === n)?.label ?? n;

  function toggle(n: string, on: boolean) {
    setWeights((w) => {
      const next = { ...w };
      if (on) next[n] = 1;
      else delete next[n];
      return next;
    });
  }

  async function addToWatchlist() {
    try {
      const list = await api!.call('watchlists.addSymbols', { id: targetId, symbols: [...selected] });
      setNote(`${selected.size} added to ${list.name} (${list.symbols.length} symbols)`);
      setSelected(new Set());
      setWatchVersion((v) => v + 1);
    } catch (err) {
      setNote(errorText(err));
    }
  }

  async function exportCsv() {
    try {
      const { filename, csv } = await api!.call('screener.exportCsv', definition);
      downloadCsv(filename, csv);
    } catch (err) {
      setProblem(errorText(err));
    }
  }

  async function save() {
    try {
      await api!.call('screener.saved.save', { name: name.trim(), definition });
      setName('');
      setSavedVersion((v) => v + 1);
    } catch (err) {
      setProblem(errorText(err));
    }
  }

  function load(id: string) {
    const s = saved.data?.find((x) => x.id === id);
    if (!s) return;
    setUniverse(s.definition.universe);
    setWeights(Object.fromEntries(s.definition.factors.map((f) => [f.name, f.weight])));
    setSectorNeutral(s.definition.sectorNeutral);
    setFilter(s.definition.filter);
    setFilterText(s.definition.filter);
    setTop(s.definition.top ?? 100);
  }

  return (
    <div className="screening">
      <section className="panel screening-controls" aria-label="Screen settings">
        <div className="screening-row">
          <label>Universe{' '}
            <select aria-label="Universe" value={universe} onChange={(e) => setUniverse(e.target.value)}>
              {(universes.data ?? [{ id: 'demo', name: 'Demo', size: 0 }]).map((u) => <option key={u.id} value={u.id}>{u.name} ({u.size})</option>)}
            </select>
          </label>
          <label className="check"><input type="checkbox" aria-label="Sector-neutral" checked={sectorNeutral} onChange={(e) => setSectorNeutral(e.target.checked)} /> Sector-neutral</label>
          <form className="screening-filter" onSubmit={(e) => { e.preventDefault(); setFilter(filterText); }}>
            <input aria-label="Filter" placeholder="Filter, e.g. pe<20 and market_cap>10B and mom_12_1.pct>=0.5" value={filterText} onChange={(e) => setFilterText(e.target.value)} />
            <button type="submit">Apply</button>
          </form>
          <label>Top{' '}
            <input aria-label="Top" type="number" min={1} max={5000} value={top} onChange={(e) => setTop(Math.max(1, Number(e.target.value) || 1))} className="narrow" />
          </label>
        </div>
        <div className="screening-factors" role="group" aria-label="Factor weights">
          {groups.map(([group, list]) => (
            <fieldset key={group}>
              <legend>{group}</legend>
              {list.map((f) => (
                <div key={f.name} className="screening-factor" title={`${f.formula} (${f.direction === 1 ? 'higher' : 'lower'} is better)`}>
                  <label className="check"><input type="checkbox" aria-label={`Use ${f.label}`} checked={f.name in weights} onChange={(e) => toggle(f.name, e.target.checked)} /> {f.label}</label>
                  {f.name in weights && (
                    <input aria-label={`Weight of ${f.label}`} type="number" min={0.1} step={0.5} value={weights[f.name]} className="narrow"
                      onChange={(e) => { const v = Number(e.target.value); if (v > 0) setWeights((w) => ({ ...w, [f.name]: v })); }} />
                  )}
                </div>
              ))}
            </fieldset>
          ))}
        </div>
        <div className="screening-row">
          <select aria-label="Saved screens" value="" onChange={(e) => load(e.target.value)}>
            <option value="">Saved screens…</option>
            {(saved.data ?? []).map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
          <input aria-label="Screen name" placeholder="Name to save as" value={name} onChange={(e) => setName(e.target.value)} className="medium" />
          <button type="button" disabled={!name.trim() || chosen.length === 0} onClick={() => void save()}>Save screen</button>
          <span className="spacer" />
          <button type="button" disabled={!result} onClick={() => void exportCsv()}>Export CSV</button>
        </div>
      </section>

      {problem && <div className="error-text" role="alert">{problem}</div>}
      {chosen.length === 0 && <p className="dim">Pick at least one factor.</p>}
      {result && (
        <section className="panel" aria-label="Screen results">
          <div className="panel-head screening-row">
            <h2>Ranked {result.universe.name} · as of {result.asOf} · {result.matched} of {result.universe.size} passed{sectorNeutral ? ' · sector-neutral' : ''}</h2>
            <span className="spacer" />
            <select aria-label="Watchlist" value={targetId} onChange={(e) => setTarget(e.target.value)}>
              {(watchlists.data ?? []).map((w) => <option key={w.id} value={w.id}>{w.name}</option>)}
            </select>
            <button type="button" disabled={selected.size === 0 || !targetId} onClick={() => void addToWatchlist()}>Add {selected.size || ''} to watchlist</button>
          </div>
          {note && <p className="dim" role="status" aria-label="Watchlist note">{note}</p>}
          <table aria-label="Ranked stocks">
            <thead>
              <tr>
                <th aria-label="Select" />
                <th className="num">Rank</th><th>Symbol</th><th>Name</th><th>Sector</th><th className="num">Composite</th><th className="num">Pctl</th>
                {chosen.map((n) => <th key={n} className="num" title="value (z-score)">{label(n)}</th>)}
                <th className="num">Price</th><th className="num">Mkt cap</th>
                <th className="num" title="Mean sentiment of the stock's recent headlines (−1 to +1, the chart's news scores); the count small">Sentiment</th>
                <th>60 days</th><th>Missing</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <tr key={r.symbol}>
                  <td><input type="checkbox" aria-label={`Select ${r.symbol}`} checked={selected.has(r.symbol)} onChange={(e) => setSelected((s) => { const n = new Set(s); if (e.target.checked) n.add(r.symbol); else n.delete(r.symbol); return n; })} /></td>
                  <td className="num">{r.rank}</td>
                  <td><b>{r.symbol}</b></td>
                  <td className="dim">{r.name}</td>
                  <td>{r.sector ?? '—'}</td>
                  <td className={`num ${r.composite !== null && r.composite >= 0 ? 'pos' : 'neg'}`}>{num(r.composite)}</td>
                  <td className="num">{r.percentile === null ? '—' : percent(r.percentile, false, 0)}</td>
                  {chosen.map((n) => {
                    const f = r.factors[n];
                    return <td key={n} className="num" title={f?.z === null || f === undefined ? 'missing' : `z ${num(f.z)}`}>{f?.value === null || f === undefined ? <span className="dim">n/a</span> : num(f.value, Math.abs(f.value) < 10 ? 3 : 1)}</td>;
                  })}
                  <td className="num">{num(r.price)}</td>
                  <td className="num">{compact(r.marketCap)}</td>
                  <SentimentCell symbol={r.symbol} value={sentiment.answers.get(r.symbol)} watch={sentiment.watch} />
                  <td><Sparkline values={r.spark} /></td>
                  <td className="dim">{r.missing.map(label).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
