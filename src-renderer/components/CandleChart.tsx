// Candlesticks and volume with lightweight-charts v5: history from main, then live updates from quotes.
import { useEffect, useRef, useState } from 'react';
import { CandlestickSeries, createChart, HistogramSeries, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import type { Bar } from '../../src-shared/domain/types';
import { applyQuote } from '../../src-shared/domain/candles';
import { chartOptions, cssVar } from '../lib/chart-theme';
import { useShallow } from 'zustand/react/shallow';
import { useTerminal } from '../stores/terminal';
import { priceDecimals, chartPriceFormat } from '../lib/format';

export function CandleChart() {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi>(undefined);
  const candles = useRef<ISeriesApi<'Candlestick'>>(undefined);
  const volume = useRef<ISeriesApi<'Histogram'>>(undefined);
  const lastBar = useRef<Bar | undefined>(undefined);
  const { api, symbol, timeframe, theme, instruments, connected } = useTerminal(useShallow((s) => ({ api: s.api, symbol: s.symbol, timeframe: s.timeframe, theme: s.theme, instruments: s.instruments, connected: s.connected })));
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
    candles.current = c.addSeries(CandlestickSeries, {
      upColor: cssVar('--up'), downColor: cssVar('--down'), borderVisible: false, wickUpColor: cssVar('--up'), wickDownColor: cssVar('--down'),
      lastValueVisible: true, priceLineVisible: true,
    });
    volume.current = c.addSeries(HistogramSeries, { priceScaleId: 'volume', priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false });
    c.priceScale('volume').applyOptions({ scaleMargins: { top: 0.82, bottom: 0 } });
    candles.current.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.22 } });
    return () => {
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
    });
    return () => {
      cancelled = true;
      off();
    };
  }, [api, connected, symbol, timeframe, theme, session]);

  return (
    <div className="chart" ref={container} role="img" aria-label={`${symbol} ${timeframe} candlestick chart`}>
      {historyError?.key === requestKey && <div className="chart-note" role="note">No history: {historyError.message}</div>}
    </div>
  );
}
