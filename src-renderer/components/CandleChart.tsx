// Candlesticks and volume with lightweight-charts v5: history from main, then live updates from quotes.
import { useEffect, useRef, useState } from 'react';
import { CandlestickSeries, createChart, HistogramSeries, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import type { Bar, Timeframe } from '../../src-shared/domain/types';
import { applyQuote } from '../../src-shared/domain/candles';
import { chartOptions, cssVar } from '../lib/chart-theme';
import { useShallow } from 'zustand/react/shallow';
import { useTerminal } from '../stores/terminal';
import { chartPriceFormat, price, priceDecimals } from '../lib/format';

/** Without props it shows the store's symbol and timeframe; the workspace's charts pass their own (issue 15), and
 * `onChart` hands the chart to the keyboard's time navigation. */
export function CandleChart(props: { symbol?: string; timeframe?: Timeframe; onChart?: (chart: IChartApi | undefined) => void } = {}) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi>(undefined);
  const candles = useRef<ISeriesApi<'Candlestick'>>(undefined);
  const volume = useRef<ISeriesApi<'Histogram'>>(undefined);
  const lastBar = useRef<Bar | undefined>(undefined);
  // The legend: the bar under the crosshair (or the last one) and the close before it.
  const [legend, setLegend] = useState<{ bar: Bar; prevClose: number | undefined } | undefined>();
  const hovering = useRef(false);
  const legendFrame = useRef(0);
  // Shown when the newest bar is scrolled out of view.
  const [awayFromNow, setAwayFromNow] = useState(false);
  /** The legend follows the newest bar, at most once a frame (quotes can come faster than frames). */
  function showLast(): void {
    if (legendFrame.current) return;
    legendFrame.current = requestAnimationFrame(() => {
      legendFrame.current = 0;
      const data = candles.current?.data() ?? [];
      const last = data[data.length - 1] as { close?: number } | undefined;
      const prev = data[data.length - 2] as { close?: number } | undefined;
      if (hovering.current) return;
      setLegend(lastBar.current && last ? { bar: lastBar.current, prevClose: prev?.close } : undefined);
    });
  }
  const { api, symbol: storeSymbol, timeframe: storeTimeframe, theme, instruments, connected } = useTerminal(useShallow((s) => ({ api: s.api, symbol: s.symbol, timeframe: s.timeframe, theme: s.theme, instruments: s.instruments, connected: s.connected })));
  const symbol = props.symbol ?? storeSymbol;
  const timeframe = props.timeframe ?? storeTimeframe;
  const onChart = useRef(props.onChart);
  useEffect(() => {
    onChart.current = props.onChart;
  });
  const instrument = instruments.find((i) => i.symbol === symbol);
  // History comes from the active broker session: loaded once it is ready, again when it switches (paper ↔ IB) or is
  // ready again after a reconnect; never while it is not ready (IB paces identical history requests).
  const session = useTerminal((s) => (s.broker?.ready ? s.broker.broker : s.broker ? 'pending' : ''));
  // Keyed by the request, so a new symbol, timeframe or session never shows an older request's failure.
  const [historyError, setHistoryError] = useState<{ key: string; message: string } | undefined>();
  const requestKey = `${symbol}|${timeframe}|${session}`;

  useEffect(() => {
    const c = createChart(container.current!, chartOptions(theme));
    chart.current = c;
    onChart.current?.(c);
    candles.current = c.addSeries(CandlestickSeries, {
      upColor: cssVar('--up'), downColor: cssVar('--down'), borderVisible: false, wickUpColor: cssVar('--up'), wickDownColor: cssVar('--down'),
      lastValueVisible: true, priceLineVisible: true,
    });
    volume.current = c.addSeries(HistogramSeries, { priceScaleId: 'volume', priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false });
    c.priceScale('volume').applyOptions({ scaleMargins: { top: 0.82, bottom: 0 } });
    candles.current.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.22 } });
    const series = candles.current;
    c.subscribeCrosshairMove((param) => {
      const point = param.time !== undefined ? param.seriesData.get(series) : undefined;
      hovering.current = point !== undefined && 'open' in point;
      if (!hovering.current || param.logical === undefined) return showLast();
      const p = point as unknown as { time: number; open: number; high: number; low: number; close: number };
      const prev = series.dataByIndex(param.logical - 1) as { close?: number } | null;
      setLegend({ bar: { time: p.time, open: p.open, high: p.high, low: p.low, close: p.close, volume: 0 }, prevClose: prev?.close });
    });
    c.timeScale().subscribeVisibleLogicalRangeChange((range) => {
      const last = series.data().length - 1;
      // A few bars of slack: the right edge sits at a fractional index, and a new bar may arrive during the scroll.
      setAwayFromNow(range !== null && last > 0 && range.to < last - 3);
    });
    return () => {
      cancelAnimationFrame(legendFrame.current);
      onChart.current?.(undefined);
      c.remove();
      chart.current = undefined;
    };
  }, [theme]);

  useEffect(() => {
    if (!instrument) return;
    const d = priceDecimals(instrument.tickSize);
    candles.current?.applyOptions({ priceFormat: chartPriceFormat(d, instrument.tickSize) });
  }, [instrument, theme]);

  useEffect(() => {
    if (!api || !connected || session === 'pending') return;
    let cancelled = false;
    // Quotes are applied once history is in (they would be overwritten by it); with no history (a broker that has none
    // for the symbol), the chart starts from the live quotes.
    let loaded = false;
    const volColor = (b: Bar) => (b.close >= b.open ? cssVar('--up-dim') : cssVar('--down-dim'));
    const key = `${symbol}|${timeframe}|${session}`;
    api.call('bars.history', { symbol, timeframe, limit: 2000 }).then((bars) => {
      if (cancelled || !candles.current) return;
      setHistoryError(undefined);
      candles.current.setData(bars.map((b) => ({ time: b.time as UTCTimestamp, open: b.open, high: b.high, low: b.low, close: b.close })));
      volume.current!.setData(bars.map((b) => ({ time: b.time as UTCTimestamp, value: b.volume, color: volColor(b) })));
      lastBar.current = bars[bars.length - 1];
      loaded = true;
      chart.current?.timeScale().scrollToRealTime();
      showLast();
    }, (err: unknown) => {
      if (cancelled) return;
      // Without history the chart still follows the live quotes; the reason is shown over it.
      candles.current?.setData([]);
      volume.current?.setData([]);
      lastBar.current = undefined;
      loaded = true;
      setHistoryError({ key, message: err instanceof Error ? err.message : String(err) });
    });
    const off = api.on('quote', (q) => {
      if (q.symbol !== symbol || !candles.current || !loaded) return;
      const bar = applyQuote(lastBar.current, q, timeframe);
      if (!bar) return;
      lastBar.current = bar;
      candles.current.update({ time: bar.time as UTCTimestamp, open: bar.open, high: bar.high, low: bar.low, close: bar.close });
      volume.current!.update({ time: bar.time as UTCTimestamp, value: bar.volume, color: volColor(bar) });
      if (!hovering.current) showLast();
    });
    return () => {
      cancelled = true;
      off();
    };
  }, [api, connected, symbol, timeframe, theme, session]);

  return (
    <div className="chart" ref={container} role="img" aria-label={`${symbol} ${timeframe} candlestick chart`}>
      {legend && <Legend bar={legend.bar} prevClose={legend.prevClose} tick={instrument?.tickSize ?? 0.01} />}
      {historyError?.key === requestKey && <div className="chart-note" role="note">No history: {historyError.message}</div>}
      {awayFromNow && <button type="button" className="to-now small" onClick={() => chart.current?.timeScale().scrollToRealTime()}>Now ⇥</button>}
    </div>
  );
}

/** O H L C of a bar and its change from the close before it, over the chart's top-left corner. */
function Legend({ bar, prevClose, tick }: { bar: Bar; prevClose: number | undefined; tick: number }) {
  const change = prevClose !== undefined ? bar.close - prevClose : undefined;
  const tone = change === undefined || change === 0 ? '' : change > 0 ? 'pos' : 'neg';
  return (
    <div className="chart-legend" role="status" aria-label="Bar under the crosshair">
      <span className="dim">O</span> {price(bar.open, tick)} <span className="dim">H</span> {price(bar.high, tick)} <span className="dim">L</span> {price(bar.low, tick)}{' '}
      <span className="dim">C</span> <span className={tone}>{price(bar.close, tick)}</span>
      {change !== undefined && prevClose ? <span className={tone}> {change > 0 ? '+' : ''}{price(change, tick)} ({change > 0 ? '+' : ''}{((change / prevClose) * 100).toFixed(2)} %)</span> : null}
    </div>
  );
}
