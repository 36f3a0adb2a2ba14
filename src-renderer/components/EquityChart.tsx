// The account's equity curve (NAV per minute) as an area chart.
import { useEffect, useRef } from 'react';
import { AreaSeries, createChart, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import { chartOptions, cssVar } from '../lib/chart-theme';
import { chartPriceFormat } from '../lib/format';
import { useShallow } from 'zustand/react/shallow';
import { useTerminal } from '../stores/terminal';

export function EquityChart() {
  const container = useRef<HTMLDivElement>(null);
  const series = useRef<ISeriesApi<'Area'>>(undefined);
  const chart = useRef<IChartApi>(undefined);
  const { equity, theme } = useTerminal(useShallow((s) => ({ equity: s.equity, theme: s.theme })));

  useEffect(() => {
    const c = createChart(container.current!, { ...chartOptions(theme), timeScale: { timeVisible: true, borderColor: cssVar('--grid') } });
    chart.current = c;
    series.current = c.addSeries(AreaSeries, { lineColor: cssVar('--accent'), topColor: cssVar('--accent-dim'), bottomColor: 'transparent', lineWidth: 2, priceFormat: chartPriceFormat(2, 0.01) });
    return () => c.remove();
  }, [theme]);

  useEffect(() => {
    series.current?.setData(equity.map((p) => ({ time: Math.floor(p.time / 1000) as UTCTimestamp, value: Number(p.nav) })));
    // The whole history across the width (the default bar spacing put a short history into the right edge).
    chart.current?.timeScale().fitContent();
  }, [equity, theme]);

  return <div className="chart equity" ref={container} role="img" aria-label="Equity curve" />;
}
