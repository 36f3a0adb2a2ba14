// The portfolio against its benchmark as growth of 1 (both lines) and the relative series (portfolio / benchmark − 1)
// on its own scale below, with lightweight-charts; daily points by calendar date.
import { useEffect, useRef } from 'react';
import { AreaSeries, createChart, LineSeries, type Time } from 'lightweight-charts';
import { chartOptions, cssVar } from '../lib/chart-theme';
import { chartPriceFormat, percent } from '../lib/format';
import { useTerminal } from '../stores/terminal';

export interface RelativePoint { date: string; portfolio: number; benchmark: number | null; relative: number | null }

export function RelativeChart({ points, benchmark }: { points: RelativePoint[]; benchmark: string }) {
  const container = useRef<HTMLDivElement>(null);
  const theme = useTerminal((s) => s.theme);

  useEffect(() => {
    const c = createChart(container.current!, { ...chartOptions(theme), timeScale: { timeVisible: false, borderColor: cssVar('--grid') } });
    const growth = { priceFormat: chartPriceFormat(3, 0.001), lineWidth: 2 as const };
    const pf = c.addSeries(LineSeries, { ...growth, color: cssVar('--accent'), title: 'Portfolio' });
    const bm = c.addSeries(LineSeries, { ...growth, color: cssVar('--warn'), title: benchmark });
    const rel = c.addSeries(LineSeries, { color: cssVar('--up'), lineWidth: 1, title: 'Relative', priceFormat: { type: 'custom', minMove: 0.0001, formatter: (v: number) => percent(v, true) } }, 1);
    pf.setData(points.map((p) => ({ time: p.date as Time, value: p.portfolio })));
    bm.setData(points.filter((p) => p.benchmark !== null).map((p) => ({ time: p.date as Time, value: p.benchmark! })));
    rel.setData(points.filter((p) => p.relative !== null).map((p) => ({ time: p.date as Time, value: p.relative! })));
    c.panes()[1]?.setHeight(90);
    c.timeScale().fitContent();
    return () => c.remove();
  }, [theme, points, benchmark]);

  return <div className="chart an-chart" ref={container} role="img" aria-label={`Portfolio against ${benchmark} chart`} />;
}

/** NAV in the reporting currency when there is no benchmark to compare with. */
export function NavChart({ nav, currency }: { nav: { date: string; nav: number }[]; currency: string }) {
  const container = useRef<HTMLDivElement>(null);
  const theme = useTerminal((s) => s.theme);
  useEffect(() => {
    const c = createChart(container.current!, { ...chartOptions(theme), timeScale: { timeVisible: false, borderColor: cssVar('--grid') } });
    const s = c.addSeries(AreaSeries, { lineColor: cssVar('--accent'), topColor: cssVar('--accent-dim'), bottomColor: 'transparent', lineWidth: 2, title: `NAV ${currency}`, priceFormat: chartPriceFormat(2, 0.01) });
    s.setData(nav.map((p) => ({ time: p.date as Time, value: p.nav })));
    c.timeScale().fitContent();
    return () => c.remove();
  }, [theme, nav, currency]);
  return <div className="chart an-chart" ref={container} role="img" aria-label="NAV chart" />;
}
