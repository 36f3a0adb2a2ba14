// The chart screen's watchlists (issue 15): several named lists kept in main (watchlists.*), symbols added from a search
// or from the chart, live last / change / % change, sortable, a click shows the symbol on the active chart.
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Watchlist } from '../../src-shared/api/watchlists';
import type { Instrument } from '../../src-shared/domain/types';
import { percent, price } from '../lib/format';
import { previousClose, useBaseEpochs } from '../lib/prev-close';
import { useShallow } from 'zustand/react/shallow';
import { useTerminal } from '../stores/terminal';

type SortKey = 'symbol' | 'last' | 'change' | 'changePct';
type Sort = { key: SortKey; dir: 1 | -1 } | undefined;

/** The lasts of the listed symbols. The store takes quotes once a frame (a busy feed sends 1,000 a second), and the rows
 * follow in that same frame: a frame requested from inside it would show them a frame later. */
function useLasts(symbols: readonly string[]): Record<string, number | undefined> {
  return useTerminal(useShallow((s) => Object.fromEntries(symbols.map((sym) => [sym, s.quotes[sym]?.last]))));
}

function usePrevCloses(symbols: readonly string[], instruments: readonly Instrument[]): Record<string, number | undefined> {
  const api = useTerminal((s) => s.api);
  const connected = useTerminal((s) => s.connected);
  const [prev, setPrev] = useState<Record<string, number | undefined>>({});
  const epochs = useBaseEpochs(symbols.map((sym) => instruments.find((i) => i.symbol === sym)?.session));
  const key = symbols.map((sym, i) => `${sym}@${epochs[i]}`).join(',');
  useEffect(() => {
    if (!api || !connected) return;
    let cancelled = false;
    symbols.forEach((s, i) => {
      const epoch = epochs[i];
      if (epoch === undefined) return;
      void previousClose(api, s, epoch).then((close) => {
        if (!cancelled && close !== undefined) setPrev((p) => (p[s] === close ? p : { ...p, [s]: close }));
      });
    });
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the symbols' and epochs' text
  }, [api, connected, key]);
  return prev;
}

export function Watchlists({ onChoose }: { onChoose: (symbol: string) => void }) {
  const api = useTerminal((s) => s.api);
  const connected = useTerminal((s) => s.connected);
  const chartSymbol = useTerminal((s) => s.symbol);
  const instruments = useTerminal((s) => s.instruments);
  const [lists, setLists] = useState<Watchlist[]>([]);
  const [chosen, setChosen] = useState(() => localStorage.getItem('qc.watchlist') ?? '');
  const [error, setError] = useState<string | undefined>();
  const [editing, setEditing] = useState<{ mode: 'create' | 'rename'; name: string } | undefined>();
  const [sort, setSort] = useState<Sort>(() => {
    try {
      return JSON.parse(localStorage.getItem('qc.watchlist.sort') ?? 'null') as Sort ?? undefined;
    } catch {
      return undefined;
    }
  });
  const [collapsed, setCollapsed] = useState(() => localStorage.getItem('qc.watchlist.collapsed') === '1');
  const list = lists.find((l) => l.id === chosen) ?? lists[0];

  useEffect(() => {
    if (!api || !connected) return;
    api.call('watchlists.list', {}).then(setLists, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [api, connected]);

  const run = (p: Promise<Watchlist>, select = false) => p.then((w) => {
    setError(undefined);
    setLists((ls) => (ls.some((l) => l.id === w.id) ? ls.map((l) => (l.id === w.id ? w : l)) : [...ls, w]));
    if (select) choose(w.id);
  }, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  function choose(id: string) {
    localStorage.setItem('qc.watchlist', id);
    setChosen(id);
  }
  const add = (symbol: string) => list && void run(api!.call('watchlists.addSymbols', { id: list.id, symbols: [symbol] }));
  const remove = (symbol: string) => list && void run(api!.call('watchlists.removeSymbol', { id: list.id, symbol }));
  // The rows are memoised: they get one callback for the component's life, which calls the current `remove`.
  const removeNow = useRef(remove);
  useEffect(() => {
    removeNow.current = remove;
  });
  const onRemove = useCallback((symbol: string) => removeNow.current(symbol), []);
  function submitName() {
    if (!editing || !api) return;
    const p = editing.mode === 'create' ? api.call('watchlists.create', { name: editing.name }) : api.call('watchlists.rename', { id: list!.id, name: editing.name });
    void run(p, editing.mode === 'create').then(() => setEditing(undefined));
  }
  function removeList() {
    if (!list || !confirm(`Delete the watchlist "${list.name}"?`)) return;
    api!.call('watchlists.delete', { id: list.id }).then(() => {
      setLists((ls) => ls.filter((l) => l.id !== list.id));
      setError(undefined);
    }, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }
  function toggleCollapsed() {
    localStorage.setItem('qc.watchlist.collapsed', collapsed ? '0' : '1');
    setCollapsed(!collapsed);
  }

  const symbols = useMemo(() => list?.symbols ?? [], [list]);
  // Each row follows its own last; the list itself follows them only to sort by a live figure (a hidden list, none).
  const sortsLive = sort !== undefined && sort.key !== 'symbol';
  const lasts = useLasts(collapsed || !sortsLive ? NONE : symbols);
  const prev = usePrevCloses(symbols, instruments);
  const tick = (s: string) => instruments.find((i) => i.symbol === s)?.tickSize ?? 0.01;
  const rows = symbols.map((symbol) => {
    const last = lasts[symbol];
    const base = prev[symbol];
    const change = last !== undefined && base !== undefined ? last - base : undefined;
    return { symbol, base, last, change, changePct: change !== undefined && base ? change / base : undefined };
  });
  if (sort) {
    rows.sort((a, b) => {
      const x = a[sort.key];
      const y = b[sort.key];
      if (x === y) return 0;
      // Unknown values sit last whatever the direction.
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      return (x < y ? -1 : 1) * sort.dir;
    });
  }
  function sortBy(key: SortKey) {
    const next: Sort = sort?.key !== key ? { key, dir: key === 'symbol' ? 1 : -1 } : sort.dir === (key === 'symbol' ? 1 : -1) ? { key, dir: sort.dir === 1 ? -1 : 1 } : undefined;
    localStorage.setItem('qc.watchlist.sort', JSON.stringify(next ?? null));
    setSort(next);
  }
  const head = (key: SortKey, label: string, num = true) => (
    <th className={num ? 'num' : undefined} aria-sort={sort?.key === key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort" onClick={() => sortBy(key)}>{label}{sort?.key === key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}</button>
    </th>
  );

  return (
    <section className={`watchlist panel ${collapsed ? 'collapsed' : ''}`} aria-label="Watchlist">
      <div className="wl-head">
        <h2>Watchlist</h2>
        <button type="button" className="small wl-toggle" aria-expanded={!collapsed} onClick={toggleCollapsed}>{collapsed ? 'Show' : 'Hide'}</button>
      </div>
      {!collapsed && (
        <>
          <div className="wl-lists">
            <select aria-label="Choose watchlist" value={list?.id ?? ''} onChange={(e) => choose(e.target.value)}>
              {lists.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
            </select>
            <button type="button" className="small" title="New watchlist" aria-label="New watchlist" onClick={() => setEditing({ mode: 'create', name: '' })}>+</button>
            <button type="button" className="small" title="Rename watchlist" aria-label="Rename watchlist" disabled={!list} onClick={() => setEditing({ mode: 'rename', name: list?.name ?? '' })}>✎</button>
            <button type="button" className="small" title="Delete watchlist" aria-label="Delete watchlist" disabled={lists.length < 2} onClick={removeList}>−</button>
          </div>
          {editing && (
            <form className="wl-name" aria-label={editing.mode === 'create' ? 'New watchlist' : 'Rename watchlist'} onSubmit={(e) => {
              e.preventDefault();
              submitName();
            }}>
              <input aria-label="New name" autoFocus value={editing.name} placeholder="Name" onChange={(e) => setEditing({ ...editing, name: e.target.value })}
                onKeyDown={(e) => e.key === 'Escape' && setEditing(undefined)} />
              <button type="submit" className="small">{editing.mode === 'create' ? 'Create' : 'Rename'}</button>
            </form>
          )}
          <div className="wl-add">
            <AddSymbol onAdd={add} />
            <button type="button" className="small" disabled={!list || symbols.includes(chartSymbol)} onClick={() => add(chartSymbol)}>Add {chartSymbol}</button>
          </div>
          {error && <div className="field-error" role="alert">{error}</div>}
          <div className="wl-table">
            <table aria-label={`Watchlist ${list?.name ?? ''}`}>
              <colgroup><col className="wl-c-symbol" /><col className="wl-c-last" /><col className="wl-c-chg" /><col className="wl-c-pct" /><col className="wl-c-x" /></colgroup>
              <thead><tr>{head('symbol', 'Symbol', false)}{head('last', 'Last')}{head('change', 'Chg')}{head('changePct', 'Chg %')}<th><span className="sr-only">Remove</span></th></tr></thead>
              <tbody>
                {rows.length === 0 && <tr><td colSpan={5} className="empty">No symbols yet</td></tr>}
                {rows.map((r) => (
                  <WatchRow key={r.symbol} symbol={r.symbol} base={r.base} tick={tick(r.symbol)}
                    current={r.symbol === chartSymbol} onChoose={onChoose} onRemove={onRemove} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

const NONE: readonly string[] = [];

/** One row, following its own last: under a busy feed only the rows whose symbol ticked re-render in a frame (all 50
 * tick, each about every third frame), not the list around them. */
const WatchRow = memo(function WatchRow({ symbol, base, tick, current, onChoose, onRemove }: {
  symbol: string; base: number | undefined; tick: number; current: boolean;
  onChoose: (symbol: string) => void; onRemove: (symbol: string) => void;
}) {
  const last = useTerminal((s) => s.quotes[symbol]?.last);
  const change = last !== undefined && base !== undefined ? last - base : undefined;
  const changePct = change !== undefined && base ? change / base : undefined;
  const tone = change === undefined || change === 0 ? '' : change > 0 ? 'pos' : 'neg';
  return (
    <tr className={current ? 'current' : undefined}>
      <td><button type="button" className="link" aria-label={`Chart ${symbol}`} onClick={() => onChoose(symbol)}><b>{symbol}</b></button></td>
      <td className="num" data-testid="wl-last">{price(last, tick)}</td>
      <td className={`num ${tone}`}>{change === undefined ? '—' : `${change > 0 ? '+' : ''}${price(change, tick)}`}</td>
      <td className={`num ${tone}`}>{percent(changePct, true)}</td>
      <td><button type="button" className="small icon-x" aria-label={`Remove ${symbol}`} onClick={() => onRemove(symbol)}>×</button></td>
    </tr>
  );
});

/** A symbol search that adds the chosen instrument to the list (Enter takes the first match). */
function AddSymbol({ onAdd }: { onAdd: (symbol: string) => void }) {
  const api = useTerminal((s) => s.api);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Instrument[]>([]);
  const asked = useRef(0);
  async function search(q: string) {
    setQuery(q);
    const n = ++asked.current;
    const found = q.trim() ? await api!.call('instruments.search', { query: q }) : [];
    if (n === asked.current) setResults(found);
  }
  function choose(i: Instrument) {
    onAdd(i.symbol);
    setQuery('');
    setResults([]);
  }
  return (
    <div className="search wl-search">
      <input aria-label="Add symbol to watchlist" placeholder="Add symbol…" value={query} role="combobox" aria-expanded={results.length > 0} aria-controls="wl-results"
        onChange={(e) => void search(e.target.value)} onBlur={() => setTimeout(() => setResults([]), 150)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && results[0]) choose(results[0]);
          if (e.key === 'Escape') void search('');
        }} />
      {results.length > 0 && (
        <ul id="wl-results" role="listbox" aria-label="Symbols to add" className="search-results">
          {results.map((i) => (
            <li key={i.symbol} role="option" aria-selected={false} onMouseDown={(e) => {
              // The field keeps the focus: its blur would close the next search's results.
              e.preventDefault();
              choose(i);
            }}><b>{i.symbol}</b> <span>{i.name}</span></li>
          ))}
        </ul>
      )}
    </div>
  );
}
