// Backtest charts: price with trade markers, equity, and drawdown (lightweight-charts v5).
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  AreaSeries, CandlestickSeries, createChart, createSeriesMarkers, type ISeriesApi, LineSeries, type SeriesMarker, type UTCTimestamp,
} from 'lightweight-charts';
import type { BacktestResult } from '../../src-shared/api/contract';
import { chartOptions, cssVar } from '../lib/chart-theme';
import { qty } from '../lib/format';
import { useTerminal } from '../stores/terminal';
import { drawdownPct, minMaxDecimate } from './chart/curves';
import { INDICATORS } from './chart/indicators';
import { BACKTEST_HOLD, BACKTEST_VIEW, doubleHeld, EXTEND_AT } from './chart/live-window';
import { strategyIndicators } from './chart/strategy-indicators';

const t = (s: number) => s as UTCTimestamp;
/** Equity and drawdown are drawn from at most this many points (chart/decimate): about two per pixel of the widest
 * chart; a curve of 100,000 points took the library 300 ms a chart to draw. */
const CURVE_POINTS = 2_000;
const curvePoints = (time: readonly number[], values: readonly number[]) => time.map((x, i) => ({ time: t(x), value: values[i]! }));

export function PriceWithTrades({ result }: { result: BacktestResult }) {
  const ref = useRef<HTMLDivElement>(null);
  const theme = useTerminal((s) => s.theme);
  const indicators = useMemo(() => strategyIndicators(result.strategy, result.params), [result]);
  // How many of the run's bars the series hold (chart/live-window): all but for very long runs.
  const total = result.bars.time.length;
  const [held, setHeld] = useState(total);
  useEffect(() => {
    const { time, open, high, low, close, volume } = result.bars;
    const chart = createChart(ref.current!, chartOptions(theme));
    const candles = chart.addSeries(CandlestickSeries, { upColor: cssVar('--up'), downColor: cssVar('--down'), borderVisible: false, wickUpColor: cssVar('--up'), wickDownColor: cssVar('--down') });
    const markers: SeriesMarker<UTCTimestamp>[] = result.trades.flatMap((tr) => [
      { time: t(tr.entryTime), position: tr.side === 'long' ? 'belowBar' : 'aboveBar', shape: tr.side === 'long' ? 'arrowUp' : 'arrowDown', color: cssVar(tr.side === 'long' ? '--up' : '--down'), text: tr.side === 'long' ? 'L' : 'S' } as SeriesMarker<UTCTimestamp>,
      { time: t(tr.exitTime), position: 'inBar', shape: 'circle', color: cssVar('--text-dim') } as SeriesMarker<UTCTimestamp>,
    ]).sort((a, b) => a.time - b.time);
    const marked = createSeriesMarkers(candles, []);
    // The strategy's own indicators, on price or in a pane below it, computed over the whole run.
    const cols = { high: Float64Array.from(high), low: Float64Array.from(low), close: Float64Array.from(close), volume: Float64Array.from(volume) };
    const lines: { series: ISeriesApi<'Line'>; values: ArrayLike<number> }[] = [];
    let pane = 0;
    const palette = ['#f5a623', '#4a90e2', '#bd10e0', '#50e3c2'];
    let colour = 0;
    for (const config of indicators) {
      const def = INDICATORS[config.kind];
      const paneIndex = def.overlay ? 0 : ++pane;
      for (const line of def.run(cols, config.params)) {
        const series = chart.addSeries(LineSeries, { color: palette[colour++ % palette.length], lineWidth: 1, title: line.name, lastValueVisible: false, priceLineVisible: false, crosshairMarkerVisible: false }, paneIndex);
        lines.push({ series, values: line.values });
      }
    }
    let from = total > BACKTEST_HOLD ? total - BACKTEST_HOLD : 0;
    const hold = () => {
      const n = total - from;
      candles.setData(Array.from({ length: n }, (_, k) => ({ time: t(time[from + k]!), open: open[from + k]!, high: high[from + k]!, low: low[from + k]!, close: close[from + k]! })));
      for (const { series, values } of lines) {
        series.setData(Array.from({ length: n }, (_, k) => (Number.isNaN(values[from + k]!) ? { time: t(time[from + k]!) } : { time: t(time[from + k]!), value: values[from + k]! })));
      }
      const oldest = time[from] ?? 0;
      marked.setMarkers(from === 0 ? markers : markers.filter((m) => m.time >= oldest));
      setHeld(n);
    };
    hold();
    if (from === 0) chart.timeScale().fitContent();
    else chart.timeScale().setVisibleLogicalRange({ from: BACKTEST_HOLD - BACKTEST_VIEW, to: BACKTEST_HOLD - 1 });
    // The view nears the oldest bar held: the bars held double (not from inside the library's notification).
    let frame = 0;
    chart.timeScale().subscribeVisibleLogicalRangeChange((range) => {
      if (!range || range.from >= EXTEND_AT || from === 0 || frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        from = doubleHeld(from, total);
        hold();
      });
    });
    return () => {
      cancelAnimationFrame(frame);
      chart.remove();
    };
  }, [result, total, theme, indicators]);
  const plotted = indicators.map((c) => `${INDICATORS[c.kind].label} ${c.params.join(' ')}`).join(' · ');
  const partial = held < total;
  return (
    <div className="chart bt-chart" ref={ref} role="img" aria-label="Price with trades">
      {(plotted || partial) && (
        <div className="chart-legend">
          {plotted && <span aria-label="Plotted indicators">{plotted}</span>}
          {partial && <span className="dim" aria-label="Bars held">{plotted && ' · '}newest {qty(held)} of {qty(total)} bars: older ones join as you scroll back</span>}
        </div>
      )}
    </div>
  );
}

export function EquityAndDrawdown({ result }: { result: BacktestResult }) {
  const eqRef = useRef<HTMLDivElement>(null);
  const ddRef = useRef<HTMLDivElement>(null);
  const theme = useTerminal((s) => s.theme);
  useEffect(() => {
    // The whole run in view: the library's default least bar spacing (0.5 px) would show only the newest ~700 points.
    const curve = { ...chartOptions(theme), timeScale: { ...chartOptions(theme).timeScale, minBarSpacing: 0.01 } };
    const eq = createChart(eqRef.current!, curve);
    eq.addSeries(LineSeries, { color: cssVar('--accent'), lineWidth: 2 }).setData(minMaxDecimate(curvePoints(result.equity.time, result.equity.equity), CURVE_POINTS));
    eq.timeScale().fitContent();
    const dd = createChart(ddRef.current!, curve);
    dd.addSeries(AreaSeries, { lineColor: cssVar('--down'), topColor: 'transparent', bottomColor: cssVar('--down-dim'), invertFilledArea: true, lineWidth: 1 })
      .setData(minMaxDecimate(curvePoints(result.equity.time, drawdownPct(result.equity.equity)), CURVE_POINTS));
    dd.timeScale().fitContent();
    return () => {
      eq.remove();
      dd.remove();
    };
  }, [result, theme]);
  return (
    <div className="bt-curves">
      <div><h3>Equity</h3><div className="chart bt-chart-sm" ref={eqRef} role="img" aria-label="Equity curve of the backtest" /></div>
      <div><h3>Drawdown %</h3><div className="chart bt-chart-sm" ref={ddRef} role="img" aria-label="Drawdown of the backtest" /></div>
    </div>
  );
}
