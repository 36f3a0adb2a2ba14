// The Replay screen (issue 17 item 6): a trading day of the account rebuilt from the audit log. A timeline to scrub and
// play at 1×–600×; the chart of the day's bars up to that moment with order and fill markers; the blotter, positions
// and trading state as they were (main folds the journal: replay.state); every journal entry in order, the current one
// highlighted. Times are UTC days; the clock shown follows the chosen time zone.
import { useEffect, useMemo, useRef, useState } from 'react';
import { CandlestickSeries, createChart, createSeriesMarkers, type IChartApi, type ISeriesApi, type ISeriesMarkersPluginApi, type SeriesMarker, type Time, type UTCTimestamp } from 'lightweight-charts';
import type { ReplayDay, ReplayEvent, ReplayState } from '../../src-shared/api/replay';
import { chartOptions, cssVar } from '../lib/chart-theme';
import { money, pnlClass, price, qty, timeOfDay } from '../lib/format';
import { useTerminal } from '../stores/terminal';
import { errorText, useLoad } from './portfolio/common';
import './replay/replay.css';

const SPEEDS = [1, 10, 60, 600] as const;
const TICK_MS = 200;
const HOUR = 3_600_000;
const today = () => new Date().toISOString().slice(0, 10);

/** What the e2e tests read: the chart's bars and markers as drawn. */
declare global {
  interface Window {
    __qcReplay?: { bars: number; markers: string[] };
  }
}

/** The index of the last event at or before `t` (-1: none yet). */
function currentIndex(events: ReplayEvent[], t: number): number {
  let lo = 0;
  let hi = events.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid]!.time <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The span the timeline covers: an hour either side of the day's events (within the bars), or the bars alone. */
function spanOf(day: ReplayDay): { start: number; end: number } {
  let first = Infinity;
  let last = -Infinity;
  for (const s of day.symbols) {
    const b = day.bars[s] ?? [];
    if (b.length) {
      first = Math.min(first, b[0]!.time * 1000);
      last = Math.max(last, b[b.length - 1]!.time * 1000 + 60_000);
    }
  }
  if (day.events.length) {
    const a = day.events[0]!.time;
    const z = day.events[day.events.length - 1]!.time;
    first = Number.isFinite(first) ? Math.max(first, a - HOUR) : a - 60_000;
    last = Number.isFinite(last) ? Math.min(last, z + HOUR) : z + 60_000;
    first = Math.min(first, a);
    last = Math.max(last, z);
  }
  if (!Number.isFinite(first)) return { start: day.from, end: day.to };
  return { start: Math.max(day.from, first), end: Math.min(day.to, last) };
}

function ReplayChart({ day, symbol, t }: { day: ReplayDay; symbol: string; t: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi>(undefined);
  const series = useRef<ISeriesApi<'Candlestick'>>(undefined);
  const markers = useRef<ISeriesMarkersPluginApi<Time>>(undefined);
  const theme = useTerminal((s) => s.theme);
  useEffect(() => {
    const c = createChart(ref.current!, { ...chartOptions(theme), timeScale: { timeVisible: true, secondsVisible: false, borderColor: cssVar('--grid') } });
    chart.current = c;
    series.current = c.addSeries(CandlestickSeries, { upColor: cssVar('--up'), downColor: cssVar('--down'), borderVisible: false, wickUpColor: cssVar('--up'), wickDownColor: cssVar('--down') });
    markers.current = createSeriesMarkers(series.current, []);
    return () => {
      c.remove();
      chart.current = undefined;
    };
  }, [theme, symbol]);
  const bars = day.bars[symbol] ?? [];
  const shown = bars.filter((b) => b.time * 1000 <= t);
  const minute = (ms: number) => (Math.floor(ms / 60_000) * 60) as UTCTimestamp;
  const events = day.events.filter((e) => e.symbol === symbol && e.time <= t && (e.kind === 'order.fill' || e.kind === 'order.intent' || e.kind === 'order.cancelled' || e.kind === 'order.rejected'));
  const key = `${shown.length}|${events.length}|${theme}|${symbol}`;
  useEffect(() => {
    series.current?.setData(shown.map((b) => ({ time: b.time as UTCTimestamp, open: b.open, high: b.high, low: b.low, close: b.close })));
    const ms: SeriesMarker<Time>[] = events.map((e) => {
      const buy = /\bbuy\b/.test(e.summary);
      if (e.kind === 'order.fill') {
        return { time: minute(e.time), position: buy ? 'belowBar' : 'aboveBar', shape: buy ? 'arrowUp' : 'arrowDown', color: cssVar(buy ? '--up' : '--down'), text: `${buy ? 'B' : 'S'} ${String(e.payload['quantity'])}` };
      }
      if (e.kind === 'order.intent') return { time: minute(e.time), position: 'aboveBar', shape: 'circle', color: cssVar('--accent'), size: 0.6 };
      return { time: minute(e.time), position: 'aboveBar', shape: 'square', color: cssVar('--text-dim'), text: e.kind === 'order.cancelled' ? 'cancel' : 'reject' };
    });
    markers.current?.setMarkers(ms.sort((a, b) => (a.time as number) - (b.time as number)));
    window.__qcReplay = { bars: shown.length, markers: ms.map((m) => m.text ?? m.shape) };
    if (shown.length) chart.current?.timeScale().fitContent();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return <div className="chart replay-chart" ref={ref} role="img" aria-label={`${symbol} bars up to the replay time`} />;
}

export function Replay() {
  const api = useTerminal((s) => s.api);
  const accountId = useTerminal((s) => s.account?.accountId);
  const ref = accountId ? { accountId } : {};
  const [version, setVersion] = useState(0);
  const days = useLoad(api ? () => api.call('replay.days', ref) : undefined, [api, accountId, version]);
  const [date, setDate] = useState<string>();
  const chosen = date ?? days.data?.[0] ?? today();
  const day = useLoad(api ? () => api.call('replay.day', { date: chosen, ...ref }) : undefined, [api, accountId, chosen, version]);
  const d = day.data;
  const span = useMemo(() => (d ? spanOf(d) : undefined), [d]);
  // The moment and the playing flag belong to the day shown: another day starts at its beginning, paused.
  const spanKey = d && span ? `${d.accountId}|${d.date}|${span.start}` : '';
  const [pos, setPos] = useState<{ key: string; t: number }>();
  const t = pos && pos.key === spanKey ? pos.t : (span?.start ?? 0);
  const setT = (next: number | ((x: number) => number)) =>
    setPos((p) => {
      const current = p && p.key === spanKey ? p.t : (span?.start ?? 0);
      return { key: spanKey, t: typeof next === 'function' ? next(current) : next };
    });
  const [playKey, setPlayKey] = useState<string>();
  const playing = playKey === spanKey && spanKey !== '';
  const setPlaying = (on: boolean) => setPlayKey(on ? spanKey : undefined);
  const [speed, setSpeed] = useState<(typeof SPEEDS)[number]>(60);
  const [symbol, setSymbol] = useState<string>();
  const [state, setState] = useState<ReplayState>();
  const [problem, setProblem] = useState<string>();

  const sym = symbol && d?.symbols.includes(symbol) ? symbol : d?.symbols[0];

  useEffect(() => {
    if (!playing || !span) return;
    const timer = setInterval(() => {
      setPos((p) => {
        const next = Math.min(span.end, (p && p.key === spanKey ? p.t : span.start) + TICK_MS * speed);
        if (next >= span.end) setPlayKey(undefined);
        return { key: spanKey, t: next };
      });
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [playing, speed, span, spanKey]);

  const events = d?.events ?? [];
  const idx = currentIndex(events, t);
  // The book changes only at journal entries; its marks once a minute (the bars).
  const stateKey = `${chosen}|${idx}|${Math.floor(t / 60_000)}|${d ? 1 : 0}`;
  const asked = useRef(0);
  useEffect(() => {
    if (!api || !d || !span) return;
    const n = ++asked.current;
    api.call('replay.state', { date: chosen, time: t, ...ref }).then(
      (s) => n === asked.current && (setState(s), setProblem(undefined)),
      (err: unknown) => n === asked.current && setProblem(errorText(err)),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stateKey]);

  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    list.current?.querySelector('[aria-current="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [idx]);

  const jump = (to: number) => {
    setPlaying(false);
    setT(to);
  };
  const pct = (x: number) => (span && span.end > span.start ? ((x - span.start) / (span.end - span.start)) * 100 : 0);

  return (
    <div className="replay">
      <section className="panel replay-controls" aria-label="Replay timeline">
        <div className="panel-head">
          <h2>Session replay</h2>
          <label className="dim">Day{' '}
            <select aria-label="Replay day" value={chosen} onChange={(e) => setDate(e.target.value)}>
              {[...new Set([chosen, ...(days.data ?? [])])].map((x) => <option key={x} value={x}>{x}</option>)}
            </select>
          </label>
          <button type="button" className="small" onClick={() => setVersion((v) => v + 1)}>Reload</button>
        </div>
        {(days.error ?? day.error ?? problem) && <div className="error-text" role="alert">{days.error ?? day.error ?? problem}</div>}
        {d && span && (
          <>
            <div className="replay-bar">
              <button type="button" onClick={() => (t >= span.end ? (setT(span.start), setPlaying(true)) : setPlaying(!playing))}>{playing ? 'Pause' : 'Play'}</button>
              <div className="speeds" role="group" aria-label="Replay speed">
                {SPEEDS.map((s) => <button key={s} type="button" className="small" aria-pressed={speed === s} onClick={() => setSpeed(s)}>{s}×</button>)}
              </div>
              <button type="button" className="small" disabled={idx < 0} onClick={() => jump(events[Math.max(0, idx - 1)]!.time)} title="Previous event">◀ event</button>
              <button type="button" className="small" disabled={idx >= events.length - 1} onClick={() => jump(events[idx + 1]!.time)} title="Next event">event ▶</button>
              <output className="replay-clock" aria-label="Replay time">{timeOfDay(t)}</output>
              <span className="dim">{idx + 1} / {events.length} events</span>
            </div>
            <div className="timeline">
              <div className="ticks" aria-hidden="true">
                {events.map((e) => <span key={e.seq} className={`tick ${e.kind.replace(/\./g, '-')}`} style={{ left: `${pct(e.time)}%` }} />)}
              </div>
              <input type="range" aria-label="Scrub" min={span.start} max={span.end} step={1000} value={t} onChange={(e) => jump(Number(e.target.value))} />
            </div>
          </>
        )}
      </section>
      {d && d.events.length === 0 && <p className="dim">Nothing was journaled for this account on {chosen}.</p>}
      {d && sym && (
        <section className="panel replay-chart-panel" aria-label="Replay chart">
          <div className="panel-head">
            <h2>Chart</h2>
            <select aria-label="Replay symbol" value={sym} onChange={(e) => setSymbol(e.target.value)}>
              {d.symbols.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
            <span className="dim">{d.timeframe} bars · {d.barSource[sym] === 'store' ? 'stored' : d.barSource[sym] === 'market' ? 'from the market (none stored)' : 'no bars'}</span>
          </div>
          <ReplayChart day={d} symbol={sym} t={t} />
        </section>
      )}
      {state && (
        <div className="replay-book">
          <section className="panel" aria-label="Replay risk state">
            <h2>Trading state then</h2>
            <p>
              <span className={`risk-state ${state.state.effective.toLowerCase()}`} role="status" aria-label="Trading state then">{state.state.effective}</span>{' '}
              <span className="dim">account {state.state.account} · terminal {state.state.terminal}{state.state.killSwitch ? ' · kill switch engaged' : ''}{state.state.reason ? ` · ${state.state.reason}` : ''}</span>
            </p>
            <p className="dim">Cash <b>{money(state.cash)}</b> · realised P&amp;L <b className={pnlClass(state.realizedPnl)}>{money(state.realizedPnl, true)}</b> · risk decisions {state.decisions.length} ({state.decisions.filter((x) => !x.ok).length} refused)</p>
          </section>
          <section className="panel" aria-label="Replay positions">
            <h2>Positions then</h2>
            <table aria-label="Positions then">
              <thead><tr><th>Symbol</th><th>Qty</th><th>Avg</th><th>Mark</th><th>Unrealised</th><th>Realised</th></tr></thead>
              <tbody>
                {state.positions.length === 0 && <tr><td colSpan={6} className="empty">No position.</td></tr>}
                {state.positions.map((p) => (
                  <tr key={p.symbol}>
                    <td>{p.symbol}</td><td>{qty(p.quantity)}</td><td>{price(p.avgPrice)}</td><td>{price(p.marketPrice)}</td>
                    <td className={pnlClass(String(p.unrealizedPnl ?? 0))}>{p.unrealizedPnl === null ? '—' : money(p.unrealizedPnl.toFixed(2), true)}</td>
                    <td className={pnlClass(p.realizedPnl)}>{money(p.realizedPnl, true)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="panel replay-blotter" aria-label="Replay blotter">
            <h2>Orders then</h2>
            <table aria-label="Orders then">
              <thead><tr><th>Time</th><th>Symbol</th><th>Side</th><th>Type</th><th>Qty</th><th>Filled</th><th>Avg fill</th><th>Status</th></tr></thead>
              <tbody>
                {state.orders.length === 0 && <tr><td colSpan={8} className="empty">No order yet.</td></tr>}
                {state.orders.map((o) => (
                  <tr key={o.id} title={o.rejectReason ?? undefined}>
                    <td>{timeOfDay(o.createdAt)}</td><td>{o.symbol}</td><td className={o.side === 'buy' ? 'pos' : 'neg'}>{o.side}</td><td>{o.type}{o.limitPrice !== null ? ` ${price(o.limitPrice)}` : ''}</td>
                    <td>{qty(o.quantity)}</td><td>{qty(o.filledQuantity)}</td><td>{o.avgFillPrice === null ? '—' : price(o.avgFillPrice)}</td><td>{o.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      )}
      {d && d.events.length > 0 && (
        <section className="panel replay-events" aria-label="Replay events">
          <h2>Journal</h2>
          <ol ref={list} aria-label="Journal entries">
            {events.map((e, i) => (
              <li key={e.seq} aria-current={i === idx ? 'true' : undefined} className={i > idx ? 'future' : ''}>
                <button type="button" className="link" onClick={() => jump(e.time)}>
                  <span className="when">{timeOfDay(e.time)}</span> <span className="kind">{e.kind}</span> {e.summary}
                </button>
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}
