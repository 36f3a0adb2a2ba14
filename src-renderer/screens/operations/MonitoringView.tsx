// Charts of the key series over the last hours (metrics.history: a sample every 15 s, kept for 6 h in main).
import { useEffect, useRef, useState } from 'react';
import { createChart, LineSeries, type IChartApi, type UTCTimestamp } from 'lightweight-charts';
import type { MetricsSample } from '../../../src-shared/api/ops';
import { chartOptions, cssVar } from '../../lib/chart-theme';
import { useTerminal } from '../../stores/terminal';

type Series = { label: string; pick: (s: MetricsSample) => number | null; color: string };
const PANELS: { title: string; unit: string; series: Series[] }[] = [
  { title: 'API requests', unit: '/s · ms', series: [{ label: 'requests/s', pick: (s) => s.apiRequestsPerS, color: '--accent' }, { label: 'p95 ms', pick: (s) => s.apiP95Ms, color: '--warn' }] },
  { title: 'Quotes per second', unit: '/s', series: [{ label: 'quotes/s', pick: (s) => s.quotesPerS, color: '--accent' }] },
  { title: 'Orders, fills, rejections', unit: '/min', series: [{ label: 'orders', pick: (s) => s.ordersPerMin, color: '--accent' }, { label: 'fills', pick: (s) => s.fillsPerMin, color: '--up' }, { label: 'rejections', pick: (s) => s.rejectionsPerMin, color: '--down' }] },
  { title: 'Tick to UI (p95)', unit: 'ms', series: [{ label: 'tick→UI p95', pick: (s) => s.tickToUiP95Ms, color: '--accent' }] },
  { title: 'Database statements (p95)', unit: 'ms', series: [{ label: 'db p95', pick: (s) => s.dbP95Ms, color: '--accent' }] },
  { title: 'Event loop lag', unit: 'ms', series: [{ label: 'lag', pick: (s) => s.eventLoopLagMs, color: '--warn' }] },
  { title: 'Memory', unit: 'MB', series: [{ label: 'RSS', pick: (s) => s.rssMb, color: '--accent' }, { label: 'heap', pick: (s) => s.heapMb, color: '--up' }] },
  { title: 'CPU', unit: '% of a core', series: [{ label: 'cpu', pick: (s) => s.cpuPercent, color: '--accent' }] },
];

function MetricChart({ title, unit, series, samples }: { title: string; unit: string; series: Series[]; samples: MetricsSample[] }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi>(undefined);
  const lines = useRef<ReturnType<IChartApi['addSeries']>[]>([]);
  const theme = useTerminal((s) => s.theme);
  useEffect(() => {
    const c = createChart(box.current!, { ...chartOptions(theme), timeScale: { timeVisible: true, secondsVisible: true, borderColor: cssVar('--grid') } });
    chart.current = c;
    lines.current = series.map((s) => c.addSeries(LineSeries, { color: cssVar(s.color), lineWidth: 2, title: s.label, priceLineVisible: false }));
    return () => c.remove();
  }, [theme, series]);
  useEffect(() => {
    let any = false;
    series.forEach((s, i) => {
      // One point per second (the chart's resolution): the newest sample of a second wins.
      const bySecond = new Map<number, number>();
      for (const p of samples) {
        const v = s.pick(p);
        if (v !== null) bySecond.set(Math.floor(p.time / 1000), v);
      }
      any ||= bySecond.size > 0;
      lines.current[i]?.setData([...bySecond].map(([time, value]) => ({ time: time as UTCTimestamp, value })));
    });
    if (any) chart.current?.timeScale().fitContent();
  }, [samples, series, theme]);
  const last = samples.at(-1);
  // Each series' newest value: a sample between two renderer reports has no tick-to-UI figure of its own.
  const newest = (pick: (s: MetricsSample) => number | null) => {
    for (let i = samples.length - 1; i >= 0; i--) {
      const v = pick(samples[i]!);
      if (v !== null) return v;
    }
    return '—';
  };
  return (
    <div className="panel ops-chart" role="figure" aria-label={title}>
      <div className="panel-head"><b>{title}</b><span className="dim">{unit}</span>
        <span className="ops-last">{last ? series.map((s) => `${s.label} ${newest(s.pick)}`).join(' · ') : 'no sample yet'}</span>
      </div>
      <div className="chart ops" ref={box} />
    </div>
  );
}

export function MonitoringView() {
  const api = useTerminal((s) => s.api);
  const [samples, setSamples] = useState<MetricsSample[]>([]);
  useEffect(() => {
    if (!api) return;
    let live = true;
    const load = () => void api.call('metrics.history', {}).then((s) => live && setSamples(s)).catch(() => undefined);
    load();
    const t = setInterval(load, 5000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [api]);
  return (
    <section aria-label="Monitoring">
      <div className="toolbar"><span className="dim">{samples.length} samples (every 15 s, the last 6 h) · also GET /metrics (Prometheus)</span></div>
      <div className="ops-charts">
        {PANELS.map((p) => <MetricChart key={p.title} {...p} samples={samples} />)}
      </div>
    </section>
  );
}
