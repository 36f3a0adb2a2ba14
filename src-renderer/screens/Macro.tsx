// The Macro screen (issue 16): economic series from FRED as line charts — GDP, CPI, unemployment, fed funds and the
// 10-year yield by default, plus any series id the user adds — each with its units and last observation date. Without
// a FRED key it says where to enter one; cached values still show.
import { useCallback, useEffect, useRef, useState } from 'react';
import { createChart, LineSeries } from 'lightweight-charts';
import type { MacroOverview, MacroSeries } from '../../src-shared/api/macro';
import { chartOptions, cssVar } from '../lib/chart-theme';
import { useShallow } from 'zustand/react/shallow';
import { useTerminal } from '../stores/terminal';
import './macro.css';

function SeriesChart({ series }: { series: MacroSeries }) {
  const container = useRef<HTMLDivElement>(null);
  const theme = useTerminal((s) => s.theme);
  useEffect(() => {
    const c = createChart(container.current!, { ...chartOptions(theme), timeScale: { borderColor: cssVar('--grid'), timeVisible: false } });
    const line = c.addSeries(LineSeries, { color: cssVar('--accent'), lineWidth: 2, priceLineVisible: false });
    // FRED's "." (no value) leaves a gap rather than a zero.
    line.setData(series.observations.filter((o) => o.value !== null).map((o) => ({ time: o.date, value: o.value! })));
    c.timeScale().fitContent();
    return () => c.remove();
  }, [series, theme]);
  return <div className="chart macro-chart" ref={container} role="img" aria-label={`${series.id} chart`} />;
}

function SeriesCard({ series, onRemove }: { series: MacroSeries; onRemove: () => void }) {
  const last = series.observations.findLast((o) => o.value !== null);
  return (
    <section className="panel macro-card" aria-label={`Series ${series.id}`}>
      <div className="macro-card-head">
        <div>
          <h3><b>{series.id}</b> <span className="dim">{series.info?.title ?? ''}</span></h3>
          <div className="dim small-text" data-testid={`macro-meta-${series.id}`}>
            {series.info ? `${series.info.units}${series.info.seasonalAdjustment ? ` (${series.info.seasonalAdjustment})` : ''} · ${series.info.frequency}` : 'not fetched yet'}
            {series.lastObservation && <> · last observation <b>{series.lastObservation}</b></>}
            {last && <> · <b>{last.value}</b>{series.info?.unitsShort === '%' ? ' %' : ''}</>}
          </div>
        </div>
        <button type="button" className="small" aria-label={`Remove ${series.id}`} onClick={onRemove}>Remove</button>
      </div>
      {series.error && <p className={series.observations.length ? 'dim small-text' : 'error-text'} role="status">{series.observations.length ? `Cached values: ${series.error}` : series.error}</p>}
      {series.observations.length > 0 && <SeriesChart series={series} />}
    </section>
  );
}

export function Macro() {
  const { api, connected, showScreen } = useTerminal(useShallow((s) => ({ api: s.api, connected: s.connected, showScreen: s.showScreen })));
  const [overview, setOverview] = useState<MacroOverview | undefined>();
  const [draft, setDraft] = useState('');
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (refresh = false) => {
    if (!api) return;
    setBusy(true);
    try {
      setOverview(await api.call('macro.series', { refresh }));
    } catch (e) {
      setMessage({ text: (e as Error).message, error: true });
    } finally {
      setBusy(false);
    }
  }, [api]);
  useEffect(() => {
    if (!api || !connected) return;
    let cancelled = false;
    api.call('macro.series', { refresh: false }).then(
      (o) => !cancelled && setOverview(o),
      (e: Error) => !cancelled && setMessage({ text: e.message, error: true }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, connected]);

  const add = async () => {
    const id = draft.trim().toUpperCase();
    if (!api || !id) return;
    setBusy(true);
    try {
      await api.call('macro.add', { id });
      setDraft('');
      setMessage({ text: `${id} added`, error: false });
      await load();
    } catch (e) {
      setMessage({ text: (e as Error).message, error: true });
    } finally {
      setBusy(false);
    }
  };
  const remove = async (id: string) => {
    if (!api) return;
    await api.call('macro.remove', { id });
    setOverview((o) => o && { ...o, series: o.series.filter((s) => s.id !== id) });
  };

  return (
    <div className="macro-screen">
      <section className="panel macro-toolbar">
        <h2>Macro</h2>
        <form className="key-form" onSubmit={(e) => { e.preventDefault(); void add(); }}>
          <input aria-label="FRED series id" placeholder="FRED series id, e.g. T10Y2Y" value={draft} maxLength={40} onChange={(e) => setDraft(e.target.value)} />
          <button type="submit" disabled={busy || !draft.trim()}>Add series</button>
        </form>
        <button type="button" disabled={busy} onClick={() => void load(true)}>Refresh</button>
        <span className="dim small-text">Source: FRED, Federal Reserve Bank of St. Louis</span>
      </section>
      {overview && !overview.hasKey && (
        <div className="panel macro-nokey" role="alert" aria-label="FRED key missing">
          <b>No FRED API key.</b> FRED's data is free with a key: request one at <a href="https://fredaccount.stlouisfed.org/apikeys" target="_blank" rel="noreferrer noopener">fredaccount.stlouisfed.org/apikeys</a>,
          then enter it under <button type="button" className="link" onClick={() => showScreen('data')}>Data sources → API keys → FRED</button>.
        </div>
      )}
      {message && <p role="status" className={message.error ? 'error-text' : 'dim'}>{message.text}</p>}
      {!overview && <p className="dim">Loading series…</p>}
      <div className="macro-grid">
        {overview?.series.map((s) => <SeriesCard key={s.id} series={s} onRemove={() => void remove(s.id)} />)}
      </div>
    </div>
  );
}
