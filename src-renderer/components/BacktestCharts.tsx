// Backtest charts: price with trade markers, equity, and drawdown (lightweight-charts v5).
import { useEffect, useMemo, useRef } from 'react';
import {
  AreaSeries, CandlestickSeries, createChart, createSeriesMarkers, LineSeries, type SeriesMarker, type UTCTimestamp,
} from 'lightweight-charts';
import type { BacktestResult } from '../../src-shared/api/contract';
import { chartOptions, cssVar } from '../lib/chart-theme';
import { useTerminal } from '../stores/terminal';
import { columns, INDICATORS } from './chart/indicators';
import { strategyIndicators } from './chart/strategy-indicators';

const t = (s: number) => s as UTCTimestamp;

export function PriceWithTrades({ result }: { result: BacktestResult }) {
  const ref = useRef<HTMLDivElement>(null);
  const theme = useTerminal((s) => s.theme);
  const indicators = useMemo(() => strategyIndicators(result.strategy, result.params), [result]);
  useEffect(() => {
    const chart = createChart(ref.current!, chartOptions(theme));
    const candles = chart.addSeries(CandlestickSeries, { upColor: cssVar('--up'), downColor: cssVar('--down'), borderVisible: false, wickUpColor: cssVar('--up'), wickDownColor: cssVar('--down') });
    candles.setData(result.bars.map((b) => ({ time: t(b.time), open: b.open, high: b.high, low: b.low, close: b.close })));
    const markers: SeriesMarker<UTCTimestamp>[] = result.trades.flatMap((tr) => [
      { time: t(tr.entryTime), position: tr.side === 'long' ? 'belowBar' : 'aboveBar', shape: tr.side === 'long' ? 'arrowUp' : 'arrowDown', color: cssVar(tr.side === 'long' ? '--up' : '--down'), text: tr.side === 'long' ? 'L' : 'S' } as SeriesMarker<UTCTimestamp>,
      { time: t(tr.exitTime), position: 'inBar', shape: 'circle', color: cssVar('--text-dim') } as SeriesMarker<UTCTimestamp>,
    ]).sort((a, b) => a.time - b.time);
    createSeriesMarkers(candles, markers);
    // The strategy's own indicators, on price or in a pane below it.
    const cols = columns(result.bars);
    let pane = 0;
    const palette = ['#f5a623', '#4a90e2', '#bd10e0', '#50e3c2'];
    let colour = 0;
    for (const config of indicators) {
      const def = INDICATORS[config.kind];
      const paneIndex = def.overlay ? 0 : ++pane;
      for (const line of def.run(cols, config.params)) {
        const s = chart.addSeries(LineSeries, { color: palette[colour++ % palette.length], lineWidth: 1, title: line.name, lastValueVisible: false, priceLineVisible: false, crosshairMarkerVisible: false }, paneIndex);
        s.setData(result.bars.map((b, i) => (Number.isNaN(line.values[i]!) ? { time: t(b.time) } : { time: t(b.time), value: line.values[i]! })));
      }
    }
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [result, theme, indicators]);
  return (
    <div className="chart bt-chart" ref={ref} role="img" aria-label="Price with trades">
      {indicators.length > 0 && <div className="chart-legend" aria-label="Plotted indicators">{indicators.map((c) => `${INDICATORS[c.kind].label} ${c.params.join(' ')}`).join(' · ')}</div>}
    </div>
  );
}

export function EquityAndDrawdown({ result }: { result: BacktestResult }) {
  const eqRef = useRef<HTMLDivElement>(null);
  const ddRef = useRef<HTMLDivElement>(null);
  const theme = useTerminal((s) => s.theme);
  useEffect(() => {
    const eq = createChart(eqRef.current!, chartOptions(theme));
    eq.addSeries(LineSeries, { color: cssVar('--accent'), lineWidth: 2 }).setData(result.equity.map((p) => ({ time: t(p.time), value: p.equity })));
    eq.timeScale().fitContent();
    const dd = createChart(ddRef.current!, chartOptions(theme));
    dd.addSeries(AreaSeries, { lineColor: cssVar('--down'), topColor: 'transparent', bottomColor: cssVar('--down-dim'), invertFilledArea: true, lineWidth: 1 })
      .setData(result.equity.map((p) => ({ time: t(p.time), value: p.drawdownPct })));
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
