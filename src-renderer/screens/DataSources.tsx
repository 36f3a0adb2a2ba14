// Data sources: each market-data provider's health, circuit, rate usage and last error; which source feeds each
// instrument; and the prices on which the primary and the secondary source disagree.
import { useEffect, useState } from 'react';
import type { DataDivergence } from '../../src-shared/api/contract';
import { ApiKeys } from '../components/ApiKeys';
import { Completeness } from '../components/Completeness';
import { ImportBarsDialog } from '../components/ImportBars';
import { ago, sourceName } from '../lib/data-sources';
import { price, time } from '../lib/format';
import { useShallow } from 'zustand/react/shallow';
import { useTerminal } from '../stores/terminal';

/** Re-renders every second so ages stay current. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

function SourcesTable({ now }: { now: number }) {
  const sources = useTerminal((s) => s.dataSources);
  return (
    <table aria-label="Data sources">
      <thead><tr><th>Source</th><th>Role</th><th>State</th><th>Circuit</th><th className="num">Requests / hour</th><th className="num">Latency</th><th>Last success</th><th>Last error</th></tr></thead>
      <tbody>
        {sources.length === 0 && <tr><td colSpan={8} className="empty">No data source</td></tr>}
        {sources.map((s) => (
          <tr key={s.id} aria-label={sourceName(s.id)}>
            <td><b>{sourceName(s.id)}</b> <span className="dim">{s.streaming ? 'streaming' : 'polled'}</span></td>
            <td>{s.roles.length ? s.roles.map((r) => `${r.kind} #${r.rank}`).join(', ') : <span className="dim">not in use</span>}</td>
            <td><span className={`health ${s.enabled ? s.state : 'down'}`}>{s.enabled ? s.state : 'disabled'}</span></td>
            <td className={`circuit-${s.circuit}`}>{s.circuit}</td>
            <td className="num">{s.requestsLastHour}{s.rateLimit > 0 ? ` / ${s.rateLimit}` : ' (no limit)'}{s.queued > 0 ? ` · ${s.queued} queued` : ''}</td>
            <td className="num">{s.latencyMs === null ? '—' : `${s.latencyMs} ms`}</td>
            <td>{s.lastSuccessAt === null ? 'never' : `${ago(now - s.lastSuccessAt)} ago`}</td>
            <td className="reason">{s.lastError ? <span title={time(s.lastError.at)}>{s.lastError.message} <span className="dim">({ago(now - s.lastError.at)} ago)</span></span> : <span className="dim">none</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FeedsTable({ now }: { now: number }) {
  const { feeds, quotes, instruments } = useTerminal(useShallow((s) => ({ feeds: s.feeds, quotes: s.quotes, instruments: s.instruments })));
  return (
    <table aria-label="Instrument feeds">
      <thead><tr><th>Instrument</th><th>Source</th><th>Since</th><th className="num">Last quote age</th><th>Bars from</th></tr></thead>
      <tbody>
        {instruments.map((i) => {
          const f = feeds[i.symbol];
          const q = quotes[i.symbol];
          const lastTime = q?.time ?? f?.lastQuoteTime ?? null;
          return (
            <tr key={i.symbol} aria-label={i.symbol}>
              <td><b>{i.symbol}</b></td>
              <td><span className={`source${f?.fallback ? ' fallback' : ''}${f?.stale ? ' stale' : ''}`}>{sourceName(f?.source)}{f?.fallback ? ' (fallback)' : ''}{f?.stale ? ' · stale' : ''}</span></td>
              <td>{f?.since ? time(f.since) : '—'}</td>
              <td className="num">{lastTime === null ? '—' : ago(now - lastTime)}</td>
              <td>{f?.barsSource ? sourceName(f.barsSource) : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function DivergencesTable() {
  const { api, instruments } = useTerminal(useShallow((s) => ({ api: s.api, instruments: s.instruments })));
  const [rows, setRows] = useState<DataDivergence[]>([]);
  useEffect(() => {
    if (!api) return;
    let live = true;
    const load = () => void api.call('data.divergences', { limit: 100 }).then((d) => live && setRows(d)).catch(() => undefined);
    load();
    const t = setInterval(load, 5000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [api]);
  const tick = (symbol: string) => instruments.find((i) => i.symbol === symbol)?.tickSize ?? 0.01;
  return (
    <table aria-label="Price divergences">
      <thead><tr><th>Instrument</th><th>What</th><th>When</th><th className="num">Primary</th><th className="num">Secondary</th><th className="num">Difference</th></tr></thead>
      <tbody>
        {rows.length === 0 && <tr><td colSpan={6} className="empty">No divergence between sources</td></tr>}
        {rows.map((d) => (
          <tr key={d.id} className="divergence">
            <td><b>{d.symbol}</b></td>
            <td>{d.kind === 'quote' ? 'last price' : `daily close ${new Date(d.at).toISOString().slice(0, 10)}`}</td>
            <td>{time(d.detectedAt)}</td>
            <td className="num">{price(d.primary.price, tick(d.symbol))} <span className="dim">{sourceName(d.primary.source)}</span></td>
            <td className="num">{price(d.secondary.price, tick(d.symbol))} <span className="dim">{sourceName(d.secondary.source)}</span></td>
            <td className="num warning">{(d.diff * 100).toFixed(2)} % <span className="dim">(&gt; {(d.threshold * 100).toFixed(1)} %)</span></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DataSources() {
  const now = useNow();
  const [importing, setImporting] = useState(false);
  const [imports, setImports] = useState(0); // counts closed import dialogs, so the completeness view re-reads the series
  return (
    <div className="data-sources">
      <section className="panel"><h2>Data sources</h2><SourcesTable now={now} /></section>
      <section className="panel"><h2>Which source feeds each instrument</h2><FeedsTable now={now} /></section>
      <section className="panel"><h2>Divergences</h2><div className="divergences-wrap"><DivergencesTable /></div></section>
      <section className="panel"><h2>Data completeness</h2><Completeness reload={imports} /></section>
      <section className="panel"><h2>API keys</h2><ApiKeys /></section>
      <section className="panel"><h2>Import bars</h2>
        <p className="dim">Bars from a CSV file (generic OHLCV, a Yahoo export, close-only series) into the local store, validated row by row.</p>
        <button type="button" onClick={() => setImporting(true)}>Import a CSV file…</button>
        {importing && <ImportBarsDialog onClose={() => { setImporting(false); setImports((k) => k + 1); }} />}
      </section>
    </div>
  );
}
