// Backtest charts: price with trade markers, equity, and drawdown (lightweight-charts v5).
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  AreaSeries, CandlestickSeries, createChart, createSeriesMarkers, type ISeriesApi, LineSeries, type SeriesMarker, type UTCTimestamp,
} from 'lightweight-charts';
import type { BacktestResult, BarColumns } from '../../src-shared/api/contract';
import { chartOptions, cssVar } from '../lib/chart-theme';
import { qty } from '../lib/format';
import { useTerminal } from '../stores/terminal';
import { drawdownPct, minMaxDecimate } from './chart/curves';
import { INDICATORS } from './chart/indicators';
import { BACKTEST_HOLD, BACKTEST_VIEW, doubleHeld, EXTEND_AT } from './chart/live-window';
import { strategyIndicators } from './chart/strategy-indicators';

const t = (s: number) => s as UTCTimestamp;
/** Equity and drawdown are drawn from at most this many points (chart/curves): about two per pixel of the widest
 * chart; a curve of 100,000 points took the library 300 ms a chart to draw. */
const CURVE_POINTS = 2_000;
const curvePoints = (time: readonly number[], values: readonly number[]) => time.map((x, i) => ({ time: t(x), value: values[i]! }));

export function PriceWithTrades({ result }: { result: BacktestResult }) {
  const ref = useRef<HTMLDivElement>(null);
  const theme = useTerminal((s) => s.theme);
  const indicators = useMemo(() => strategyIndicators(result.strategy, result.params), [result]);
  const api = useTerminal((s) => s.api);
  // The run's bars: a long run's result carries its newest (BACKTEST_BARS_SENT); the rest are fetched when the view
  // goes back to them. The series hold the newest BACKTEST_HOLD at first (chart/live-window).
  const total = result.barsTotal ?? result.bars.time.length;
  const [held, setHeld] = useState(total);
  const [fetchError, setFetchError] = useState<{ id: string; message: string }>();
  useEffect(() => {
    let data = result.bars;
    let disposed = false;
    let fetching = false;
    const chart = createChart(ref.current!, chartOptions(theme));
    const candles = chart.addSeries(CandlestickSeries, { upColor: cssVar('--up'), downColor: cssVar('--down'), borderVisible: false, wickUpColor: cssVar('--up'), wickDownColor: cssVar('--down') });
    const markers: SeriesMarker<UTCTimestamp>[] = result.trades.flatMap((tr) => [
      { time: t(tr.entryTime), position: tr.side === 'long' ? 'belowBar' : 'aboveBar', shape: tr.side === 'long' ? 'arrowUp' : 'arrowDown', color: cssVar(tr.side === 'long' ? '--up' : '--down'), text: tr.side === 'long' ? 'L' : 'S' } as SeriesMarker<UTCTimestamp>,
      { time: t(tr.exitTime), position: 'inBar', shape: 'circle', color: cssVar('--text-dim') } as SeriesMarker<UTCTimestamp>,
    ]).sort((a, b) => a.time - b.time);
    const marked = createSeriesMarkers(candles, []);
    // The strategy's own indicators, on price or in a pane below it, computed over all the bars at hand (for a long
    // run's newest bars: thousands of bars of warm-up before the view, and exact once the rest arrive).
    const plots: { config: (typeof indicators)[number]; series: ISeriesApi<'Line'>[]; values: ArrayLike<number>[] }[] = [];
    let pane = 0;
    const palette = ['#f5a623', '#4a90e2', '#bd10e0', '#50e3c2'];
    let colour = 0;
    const columnsOf = (d: BarColumns) => ({ high: Float64Array.from(d.high), low: Float64Array.from(d.low), close: Float64Array.from(d.close), volume: Float64Array.from(d.volume) });
    const compute = () => {
      const cols = columnsOf(data);
      for (const plot of plots) plot.values = INDICATORS[plot.config.kind].run(cols, plot.config.params).map((line) => line.values);
    };
    const cols = columnsOf(data);
    for (const config of indicators) {
      const def = INDICATORS[config.kind];
      const paneIndex = def.overlay ? 0 : ++pane;
      const lines = def.run(cols, config.params);
      plots.push({
        config,
        values: lines.map((line) => line.values),
        series: lines.map((line) => chart.addSeries(LineSeries, { color: palette[colour++ % palette.length], lineWidth: 1, title: line.name, lastValueVisible: false, priceLineVisible: false, crosshairMarkerVisible: false }, paneIndex)),
      });
    }
    let from = Math.max(0, data.time.length - BACKTEST_HOLD);
    const hold = () => {
      const { time, open, high, low, close } = data;
      const n = time.length - from;
      candles.setData(Array.from({ length: n }, (_, k) => ({ time: t(time[from + k]!), open: open[from + k]!, high: high[from + k]!, low: low[from + k]!, close: close[from + k]! })));
      for (const plot of plots) {
        plot.series.forEach((series, j) => {
          const values = plot.values[j]!;
          series.setData(Array.from({ length: n }, (_, k) => (Number.isNaN(values[from + k]!) ? { time: t(time[from + k]!) } : { time: t(time[from + k]!), value: values[from + k]! })));
        });
      }
      const oldest = time[from] ?? 0;
      marked.setMarkers(from === 0 && n === total ? markers : markers.filter((m) => m.time >= oldest));
      setHeld(n);
    };
    /** Older bars join: the bars held double, the rest of a long run fetched first. */
    const holdOlder = () => {
      if (from > 0) {
        from = doubleHeld(from, data.time.length);
        return hold();
      }
      if (fetching || data.time.length >= total || !api) return;
      fetching = true;
      api.call('backtest.bars', { id: result.id }).then((all) => {
        if (disposed) return;
        from += all.time.length - data.time.length;
        data = all;
        compute();
        from = doubleHeld(from, data.time.length);
        hold();
      }, (err: unknown) => {
        if (!disposed) setFetchError({ id: result.id, message: err instanceof Error ? err.message : String(err) });
      });
    };
    hold();
    if (total <= BACKTEST_HOLD) chart.timeScale().fitContent();
    else chart.timeScale().setVisibleLogicalRange({ from: BACKTEST_HOLD - BACKTEST_VIEW, to: BACKTEST_HOLD - 1 });
    // The view nears the oldest bar held (not from inside the library's notification: the data changes next frame).
    let frame = 0;
    chart.timeScale().subscribeVisibleLogicalRangeChange((range) => {
      if (!range || range.from >= EXTEND_AT || frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        holdOlder();
      });
    });
    return () => {
      disposed = true;
      cancelAnimationFrame(frame);
      chart.remove();
    };
  }, [api, result, total, theme, indicators]);
  const plotted = indicators.map((c) => `${INDICATORS[c.kind].label} ${c.params.join(' ')}`).join(' · ');
  const partial = held < total;
  return (
    <div className="chart bt-chart" ref={ref} role="img" aria-label="Price with trades">
      {(plotted || partial) && (
        <div className="chart-legend">
          {plotted && <span aria-label="Plotted indicators">{plotted}</span>}
          {partial && <span className="dim" aria-label="Bars held">{plotted && ' · '}newest {qty(held)} of {qty(total)} bars: {fetchError?.id === result.id ? `older ones could not be loaded (${fetchError.message})` : 'older ones join as you scroll back'}</span>}
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
