// Small SVG charts for the screener and the factor lab: a sparkline, bars around zero and a line. Colours come from
// the theme's CSS variables, so both themes draw them.

export function Sparkline({ values, width = 80, height = 20 }: { values: readonly number[]; width?: number; height?: number }) {
  if (values.length < 2) return <span className="dim">—</span>;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const y = (v: number) => (hi === lo ? height / 2 : height - 1 - ((v - lo) / (hi - lo)) * (height - 2));
  const points = values.map((v, i) => `${((i / (values.length - 1)) * width).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const up = values[values.length - 1]! >= values[0]!;
  return (
    <svg className="spark" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true">
      <polyline points={points} fill="none" stroke={up ? 'var(--up)' : 'var(--down)'} strokeWidth="1.2" />
    </svg>
  );
}

/** Vertical bars from a zero line (positive up in the "up" colour, negative down), with optional labels under them. */
export function Bars({ values, labels, height = 160, label, format }: { values: readonly (number | null)[]; labels?: readonly string[]; height?: number; label: string; format?: (v: number) => string }) {
  const width = 600;
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const max = Math.max(1e-12, ...finite.map(Math.abs));
  const zero = height / 2;
  const w = width / Math.max(1, values.length);
  return (
    <svg className="mini-chart" viewBox={`0 0 ${width} ${height + (labels ? 16 : 0)}`} role="img" aria-label={label} preserveAspectRatio="none">
      <line x1="0" x2={width} y1={zero} y2={zero} stroke="var(--border)" />
      {values.map((v, i) => {
        if (v === null || !Number.isFinite(v)) return null;
        const h = (Math.abs(v) / max) * (height / 2 - 4);
        return (
          <rect key={i} x={i * w + w * 0.1} width={Math.max(0.5, w * 0.8)} y={v >= 0 ? zero - h : zero} height={Math.max(0.5, h)} fill={v >= 0 ? 'var(--up)' : 'var(--down)'}>
            <title>{`${labels?.[i] ?? i + 1}: ${format ? format(v) : v.toFixed(4)}`}</title>
          </rect>
        );
      })}
      {labels?.map((l, i) => <text key={i} x={i * w + w / 2} y={height + 12} textAnchor="middle" fontSize="11" fill="var(--text-dim)">{l}</text>)}
    </svg>
  );
}

/** A line, over a zero axis (the cumulative long-short) or fitted to its own range (`zero` false: an equity curve). */
export function Line({ values, height = 160, label, zero = true }: { values: readonly number[]; height?: number; label: string; zero?: boolean }) {
  const width = 600;
  if (values.length < 2) return <p className="dim">Not enough dates.</p>;
  const lo = Math.min(...(zero ? [0] : []), ...values);
  const hi = Math.max(...(zero ? [0] : []), ...values);
  const y = (v: number) => height - 2 - ((v - lo) / (hi - lo || 1)) * (height - 4);
  const points = values.map((v, i) => `${((i / (values.length - 1)) * width).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return (
    <svg className="mini-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} preserveAspectRatio="none">
      {zero && <line x1="0" x2={width} y1={y(0)} y2={y(0)} stroke="var(--border)" />}
      <polyline points={points} fill="none" stroke="var(--accent)" strokeWidth="1.5" />
    </svg>
  );
}
