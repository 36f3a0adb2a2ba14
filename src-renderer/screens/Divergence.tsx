// The Divergence screen (issue 17 item 7): each live strategy beside the backtest of the same strategy over the bars it
// saw — matched, missed and extra trades, fill price differences in bps, and the equity of both runs with the drift.
// Computed in main (divergence.run on the button, and daily); stored reports are listed newest first.
import { useEffect, useRef, useState } from 'react';
import { createChart, HistogramSeries, LineSeries, type UTCTimestamp } from 'lightweight-charts';
import type { DivergenceReport, DivergenceTrade } from '../../src-shared/api/divergence';
import { chartOptions, cssVar } from '../lib/chart-theme';
import { price, qty, time } from '../lib/format';
import { useTerminal } from '../stores/terminal';
import { errorText, useLoad } from './portfolio/common';
import './replay/replay.css';

const bps = (v: number | null) => (v === null ? '—' : `${v >= 0 ? '+' : ''}${v.toFixed(1)} bps`);
const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

function DivergenceChart({ report }: { report: DivergenceReport }) {
  const ref = useRef<HTMLDivElement>(null);
  const theme = useTerminal((s) => s.theme);
  useEffect(() => {
    const chart = createChart(ref.current!, { ...chartOptions(theme), timeScale: { timeVisible: true, borderColor: cssVar('--grid') } });
    const t = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp;
    const live = chart.addSeries(LineSeries, { color: cssVar('--accent'), lineWidth: 2, title: 'live' });
    const bt = chart.addSeries(LineSeries, { color: '#f5a623', lineWidth: 2, title: 'backtest' });
    const drift = chart.addSeries(HistogramSeries, { title: 'drift' }, 1);
    live.setData(report.equity.map((p) => ({ time: t(p.time), value: p.live })));
    bt.setData(report.equity.map((p) => ({ time: t(p.time), value: p.backtest })));
    drift.setData(report.equity.map((p) => ({ time: t(p.time), value: p.drift, color: cssVar(p.drift >= 0 ? '--up' : '--down') })));
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [report, theme]);
  return <div className="chart divergence-chart" ref={ref} role="img" aria-label="Live and backtest equity with the drift" />;
}

function Trades({ label, rows }: { label: string; rows: DivergenceTrade[] }) {
  return (
    <table aria-label={label}>
      <thead><tr><th>Time</th><th>Side</th><th>Qty</th><th>Price</th></tr></thead>
      <tbody>
        {rows.length === 0 && <tr><td colSpan={4} className="empty">None.</td></tr>}
        {rows.map((r, i) => <tr key={i}><td>{time(r.time)}</td><td className={r.side === 'buy' ? 'pos' : 'neg'}>{r.side}</td><td>{qty(r.quantity)}</td><td>{price(r.price)}</td></tr>)}
      </tbody>
    </table>
  );
}

export function Divergence() {
  const api = useTerminal((s) => s.api);
  const list = useLoad(api ? () => api.call('strategies.list', {}) : undefined, [api]);
  const [chosen, setChosen] = useState<string>();
  const single = (list.data ?? []).filter((s) => s.symbols.length === 1);
  const id = chosen ?? single[0]?.id;
  const [version, setVersion] = useState(0);
  const reports = useLoad(api && id ? () => api.call('divergence.list', { strategyId: id }) : undefined, [api, id, version]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [shown, setShown] = useState(0);
  const r = reports.data?.[Math.min(shown, (reports.data?.length ?? 1) - 1)];

  async function run() {
    if (!api || !id) return;
    setBusy(true);
    try {
      await api.call('divergence.run', { strategyId: id });
      setProblem(undefined);
      setShown(0);
      setVersion((v) => v + 1);
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="divergence">
      <section className="panel" aria-label="Divergence">
        <div className="panel-head">
          <h2>Live vs backtest</h2>
          <select aria-label="Live strategy" value={id ?? ''} onChange={(e) => (setChosen(e.target.value), setShown(0))}>
            {single.length === 0 && <option value="">No single-instrument live strategy</option>}
            {single.map((s) => <option key={s.id} value={s.id}>{s.strategy} on {s.symbols.join(', ')} {s.timeframe} · {s.status}</option>)}
          </select>
          <button type="button" disabled={!id || busy} onClick={() => void run()}>{busy ? 'Comparing…' : 'Compare with backtest'}</button>
          {(reports.data?.length ?? 0) > 1 && (
            <select aria-label="Stored report" value={shown} onChange={(e) => setShown(Number(e.target.value))}>
              {reports.data!.map((x, i) => <option key={x.createdAt} value={i}>{time(x.createdAt)} ({x.trigger})</option>)}
            </select>
          )}
        </div>
        {(list.error ?? reports.error ?? problem) && <div className="error-text" role="alert">{list.error ?? reports.error ?? problem}</div>}
        {id && reports.data?.length === 0 && <p className="dim">No report yet: compare now, or wait for the daily run (00:10 UTC).</p>}
        {r && (
          <>
            <p className="dim">{r.name} · {time(r.from)} → {time(r.to)} · {r.bars} bars · matched within {Math.round(r.windowMs / 1000)} s · {r.trigger} report of {time(r.createdAt)}</p>
            <div className="divergence-figures" role="group" aria-label="Divergence figures">
              <div><span className="tile-label">Live trades</span><b>{r.liveTrades}</b></div>
              <div><span className="tile-label">Backtest trades</span><b>{r.backtestTrades}</b></div>
              <div><span className="tile-label">Matched</span><b>{r.matched.length}</b></div>
              <div><span className="tile-label">Missed</span><b>{r.missed.length}</b></div>
              <div><span className="tile-label">Extra</span><b>{r.extra.length}</b></div>
              <div><span className="tile-label">Fill difference (mean)</span><b>{bps(r.meanBps)}</b></div>
              <div><span className="tile-label">P&amp;L drift</span><b className={r.finalDrift >= 0 ? 'pos' : 'neg'}>{signed(r.finalDrift)}</b></div>
            </div>
          </>
        )}
      </section>
      {r && (
        <>
          <section className="panel" aria-label="Equity and drift">
            <h2>Equity: live and backtest; drift below</h2>
            <DivergenceChart report={r} />
          </section>
          <section className="panel" aria-label="Matched trades">
            <h2>Matched trades</h2>
            <table aria-label="Matched trades">
              <thead><tr><th>Backtest time</th><th>Side</th><th>Qty live / bt</th><th>Live price</th><th>Backtest price</th><th>Difference</th><th>Delay</th></tr></thead>
              <tbody>
                {r.matched.length === 0 && <tr><td colSpan={7} className="empty">None.</td></tr>}
                {r.matched.map((m, i) => (
                  <tr key={i}>
                    <td>{time(m.backtest.time)}</td><td className={m.live.side === 'buy' ? 'pos' : 'neg'}>{m.live.side}</td><td>{qty(m.live.quantity)} / {qty(m.backtest.quantity)}</td>
                    <td>{price(m.live.price)}</td><td>{price(m.backtest.price)}</td><td className={m.priceDiffBps > 0 ? 'neg' : 'pos'}>{bps(m.priceDiffBps)}</td><td>{(m.timeDiffMs / 1000).toFixed(1)} s</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <div className="divergence-side">
            <section className="panel" aria-label="Missed trades"><h2>Missed (backtest only)</h2><Trades label="Missed trades" rows={r.missed} /></section>
            <section className="panel" aria-label="Extra trades"><h2>Extra (live only)</h2><Trades label="Extra trades" rows={r.extra} /></section>
          </div>
        </>
      )}
    </div>
  );
}
