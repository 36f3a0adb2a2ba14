// Chart screen: symbol search, timeframes, one, two or four live candlestick charts (the workspace), the watchlists
// and the order ticket beside them, and the keyboard shortcuts.
import { memo, useEffect, useRef, useState, type RefObject } from 'react';
import type { IChartApi } from 'lightweight-charts';
import type { Instrument, SessionKind, Timeframe } from '../../src-shared/domain/types';
import { CandleChart, scrollToNow } from '../components/CandleChart';
import { Watchlists } from '../components/Watchlists';
import { SHORTCUTS, TIMEFRAME_KEYS, typingInField } from '../lib/keyboard';
import { useWorkspace, type LayoutSize } from '../stores/workspace';
import './workspace.css';
import { OrderTicket } from '../components/OrderTicket';
import { NewsPanel } from '../components/NewsPanel';
import { SourceTag } from '../components/SourceTag';
import { price } from '../lib/format';
import { previousClose, useBaseEpochs } from '../lib/prev-close';
import { statusText, useMarketStatus } from '../lib/market-status';
import { useShallow } from 'zustand/react/shallow';
import { useTerminal } from '../stores/terminal';

const TIMEFRAMES: { tf: Timeframe; label: string }[] = [
  { tf: '1m', label: '1m' }, { tf: '5m', label: '5m' }, { tf: '1h', label: '1h' }, { tf: '1d', label: '1D' },
];

/** The active chart's symbol (every chart's when linked); the terminal's symbol follows it (ChartScreen's effect). */
function showSymbol(symbol: string): void {
  useWorkspace.getState().showSymbol(symbol);
}

/** The search of the active chart's symbol; `opener` lets the keyboard open it with the first key typed on the chart. */
function SymbolSearch({ opener }: { opener: RefObject<((text: string) => void) | undefined> }) {
  const api = useTerminal((s) => s.api);
  // Search what the ticket's account trades (its own market when it is not the default account), as the ticket does.
  const account = useTerminal((s) => s.accounts.find((a) => a.accountId === s.ticketAccount && !a.default)?.accountId);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Instrument[]>([]);
  const [open, setOpen] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    opener.current = (text) => {
      input.current?.focus();
      void search(text);
    };
    return () => {
      opener.current = undefined;
    };
  });

  // Answers can come back out of order (one request per key typed): only the latest query's answer is shown.
  const latest = useRef(0);
  // The list closes a moment after the field loses focus (so a click on a result lands); typing again before then
  // must not be closed by that pending close.
  const closing = useRef<ReturnType<typeof setTimeout>>(undefined);
  async function search(q: string) {
    clearTimeout(closing.current);
    setQuery(q);
    setOpen(true);
    const seq = ++latest.current;
    const found = await api!.call('instruments.search', account === undefined ? { query: q } : { query: q, accountId: account });
    if (seq === latest.current) setResults(found);
  }
  function choose(i: Instrument) {
    showSymbol(i.symbol);
    setQuery('');
    setOpen(false);
  }
  return (
    <div className="search">
      <input aria-label="Search symbol" placeholder="Search symbol…" value={query} role="combobox" aria-expanded={open} aria-controls="symbol-results"
        onChange={(e) => void search(e.target.value)} onFocus={() => void search(query)} onBlur={() => { closing.current = setTimeout(() => setOpen(false), 150); }}
        ref={input} onKeyDown={(e) => {
          if (e.key === 'Enter' && results[0]) choose(results[0]);
          if (e.key === 'Escape') {
            setQuery('');
            setOpen(false);
            input.current?.blur();
          }
        }} />
      {open && results.length > 0 && (
        <ul id="symbol-results" role="listbox" className="search-results">
          {results.map((i) => (
            <li key={i.symbol} role="option" aria-selected={false} onMouseDown={() => choose(i)}>
              <b>{i.symbol}</b> <span>{i.name}</span> <em>{i.assetClass}</em>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The day change's base (see previousClose), for the header. */
function usePreviousClose(symbol: string, session: SessionKind | undefined): number | undefined {
  const { api, connected } = useTerminal(useShallow((s) => ({ api: s.api, connected: s.connected })));
  const [epoch] = useBaseEpochs([session]) as [string];
  const [prev, setPrev] = useState<{ symbol: string; close: number } | undefined>();
  useEffect(() => {
    if (!api || !connected) return;
    let cancelled = false;
    void previousClose(api, symbol, epoch).then((close) => {
      if (!cancelled && close !== undefined) setPrev({ symbol, close });
    });
    return () => {
      cancelled = true;
    };
  }, [api, connected, symbol, epoch]);
  return prev?.symbol === symbol ? prev.close : undefined;
}

/** The header's live part: last, day change, bid and ask. Its own component, so a quote re-renders these few spans
 * and not the screen (four charts, the ticket and the watchlist under it). */
function LastPrice({ symbol, tickSize, session }: { symbol: string; tickSize: number | undefined; session: SessionKind | undefined }) {
  const q = useTerminal((s) => s.quotes[symbol]);
  const prevClose = usePreviousClose(symbol, session);
  const change = q && prevClose ? q.last - prevClose : undefined;
  return (
    <div className="last">
      <span className="dim">Last</span> <b data-testid="last-price">{price(q?.last, tickSize)}</b>
      {change !== undefined && prevClose ? (
        <span className={`day-change ${change > 0 ? 'pos' : change < 0 ? 'neg' : ''}`} aria-label="Change today" title={`Since the previous close ${price(prevClose, tickSize)}`}>
          {change > 0 ? '+' : ''}{price(change, tickSize)} ({change > 0 ? '+' : ''}{((change / prevClose) * 100).toFixed(2)} %)
        </span>
      ) : null}
      <span className="dim">Bid</span> {price(q?.bid, tickSize)} <span className="dim">Ask</span> {price(q?.ask, tickSize)}
      <SourceTag symbol={symbol} fallbackSource={q?.source} />
    </div>
  );
}

function MarketState({ session }: { session: Instrument['session'] | undefined }) {
  const market = useMarketStatus(session);
  return market ? <span className={`market-state ${market.open ? 'open' : 'closed'}`} role="status" aria-label="Market">{statusText(market)}</span> : null;
}

// Memoised: they take what they need from the stores themselves; the screen's renders (a layout or symbol change)
// need not run them again.
const MemoTicket = memo(OrderTicket);
const MemoWatchlists = memo(Watchlists);

const LAYOUTS: { n: LayoutSize; label: string }[] = [{ n: 1, label: '1 chart' }, { n: 2, label: '2 charts' }, { n: 4, label: '4 charts' }];

export function ChartScreen() {
  const { symbol, timeframe, instruments } = useTerminal(useShallow((s) => ({ symbol: s.symbol, timeframe: s.timeframe, instruments: s.instruments })));
  const ws = useWorkspace();
  const activePane = ws.panes[ws.active]!;
  // The terminal's symbol and timeframe are the active chart's: the header, the ticket and the watchlist follow it.
  useEffect(() => {
    const t = useTerminal.getState();
    if (t.symbol !== activePane.symbol) {
      localStorage.setItem('qc.symbol', activePane.symbol);
      t.chooseSymbol(activePane.symbol);
    }
    if (t.timeframe !== activePane.timeframe) t.chooseTimeframe(activePane.timeframe);
  }, [activePane.symbol, activePane.timeframe]);
  const chooseTimeframe = (tf: Timeframe) => ws.setTimeframe(ws.active, tf);
  const inst = instruments.find((i) => i.symbol === symbol);
  const charts = useRef<(IChartApi | undefined)[]>([]);
  const opener = useRef<((text: string) => void) | undefined>(undefined);
  const [help, setHelp] = useState(false);
  useChartKeys({ charts, opener, help, setHelp });
  return (
    <div className="chart-screen workspace">
      <section className="chart-panel panel" aria-label="Chart">
        <div className="toolbar">
          <SymbolSearch opener={opener} />
          <div className="symbol-head">
            <h2>{symbol}</h2>
            <span className="dim">{inst?.name}</span>
            <MarketState session={inst?.session} />
          </div>
          <div className="tf-group" role="group" aria-label="Timeframe">
            {TIMEFRAMES.map(({ tf, label }) => (
              <button key={tf} type="button" aria-pressed={timeframe === tf} onClick={() => chooseTimeframe(tf)}>{label}</button>
            ))}
          </div>
          <div className="tf-group layout-group" role="group" aria-label="Layout">
            {LAYOUTS.map(({ n, label }) => (
              <button key={n} type="button" aria-pressed={ws.layout === n} aria-label={label} title={label} onClick={() => ws.setLayout(n)}>{n === 1 ? '▢' : n === 2 ? '▥' : '▦'}</button>
            ))}
          </div>
          {ws.layout > 1 && (
            <label className="link-toggle" title="One symbol on every chart"><input type="checkbox" checked={ws.linked} onChange={(e) => ws.setLinked(e.target.checked)} /> Link symbols</label>
          )}
          <button type="button" className="small" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => setHelp(true)}>?</button>
          <LastPrice symbol={symbol} tickSize={inst?.tickSize} session={inst?.session} />
        </div>
        {ws.layout === 1 ? (
          <CandleChart symbol={activePane.symbol} timeframe={activePane.timeframe} onChart={(c) => (charts.current[0] = c)} />
        ) : (
          <div className={`chart-grid n${ws.layout}`}>
            {ws.panes.slice(0, ws.layout).map((p, i) => (
              <ChartPane key={i} index={i} symbol={p.symbol} timeframe={p.timeframe} active={i === ws.active} onChart={(c) => (charts.current[i] = c)} />
            ))}
          </div>
        )}
      </section>
      <div className="chart-side">
        <MemoTicket />
        <NewsPanel symbol={symbol} />
      </div>
      <MemoWatchlists onChoose={showSymbol} />
      {help && <ShortcutsList onClose={() => setHelp(false)} />}
    </div>
  );
}

/** One chart of a 2- or 4-chart layout: its symbol, its own timeframe, a click makes it the active one. */
function ChartPane({ index, symbol, timeframe, active, onChart }: { index: number; symbol: string; timeframe: Timeframe; active: boolean; onChart: (c: IChartApi | undefined) => void }) {
  const { activate, setTimeframe } = useWorkspace(useShallow((s) => ({ activate: s.activate, setTimeframe: s.setTimeframe })));
  return (
    <div className={`chart-pane ${active ? 'active' : ''}`} role="group" aria-label={`Chart ${index + 1}: ${symbol} ${timeframe}`} aria-current={active ? 'true' : undefined}
      onPointerDownCapture={() => !active && activate(index)}>
      <div className="pane-head">
        <button type="button" className="link" aria-label={`Make chart ${index + 1} active`} onClick={() => activate(index)}><b>{symbol}</b></button>
        <select aria-label={`Timeframe of chart ${index + 1}`} value={timeframe} onChange={(e) => setTimeframe(index, e.target.value as Timeframe)}>
          {TIMEFRAMES.map(({ tf, label }) => <option key={tf} value={tf}>{label}</option>)}
        </select>
      </div>
      <CandleChart chartId={index === 0 ? 'main' : `chart${index + 1}`} symbol={symbol} timeframe={timeframe} onChart={onChart} />
    </div>
  );
}

function ShortcutsList({ onClose }: { onClose: () => void }) {
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal panel shortcuts" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table aria-label="Shortcuts">
          <tbody>{SHORTCUTS.map((k) => <tr key={k.keys}><td><kbd>{k.keys}</kbd></td><td>{k.what}</td></tr>)}</tbody>
        </table>
        <div className="modal-buttons"><button type="button" autoFocus onClick={onClose}>Close</button></div>
      </div>
    </div>
  );
}

/** The chart screen's keys (lib/keyboard.ts lists them). Keys typed into a field or under a dialog are left alone. */
function useChartKeys({ charts, opener, help, setHelp }: {
  charts: RefObject<(IChartApi | undefined)[]>; opener: RefObject<((text: string) => void) | undefined>; help: boolean; setHelp: (open: boolean) => void;
}): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || help || typingInField(e.target) || document.querySelector('[role="dialog"]')) return;
      const ws = useWorkspace.getState();
      const chart = charts.current[ws.active];
      const handled = (): void => e.preventDefault();
      if (e.key === '?') {
        handled();
        return setHelp(true);
      }
      if (e.altKey && !e.ctrlKey && !e.metaKey) {
        const tf = TIMEFRAME_KEYS[e.code];
        if (tf) return (handled(), ws.setTimeframe(ws.active, tf));
        if (e.code === 'KeyL') return (handled(), ws.setLayout(ws.layout === 1 ? 2 : ws.layout === 2 ? 4 : 1));
        // Focus only: an order still needs a click on Buy or Sell.
        if (e.code === 'KeyT') return (handled(), document.getElementById('ticket-quantity')?.focus());
        return;
      }
      if (e.ctrlKey || e.metaKey) return;
      if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && chart) {
        handled();
        const ts = chart.timeScale();
        const step = Math.max(1, Math.round(((ts.getVisibleLogicalRange()?.to ?? 20) - (ts.getVisibleLogicalRange()?.from ?? 0)) / 10));
        return ts.scrollToPosition(ts.scrollPosition() + (e.key === 'ArrowLeft' ? -step : step), false);
      }
      if (e.key === 'End' && chart) return (handled(), scrollToNow(chart));
      if (e.key === '[' || e.key === ']') return (handled(), ws.activate((ws.active + (e.key === ']' ? 1 : ws.layout - 1)) % ws.layout));
      if (/^[a-z0-9]$/i.test(e.key) && opener.current) {
        handled();
        opener.current(e.key.toUpperCase());
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [charts, opener, help, setHelp]);
}
