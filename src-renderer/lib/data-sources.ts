// Display names of market-data providers and the words for their states.
const NAMES: Record<string, string> = { ib: 'IB', yahoo: 'Yahoo', demo: 'Demo', alphavantage: 'Alpha Vantage', polygon: 'Polygon', csv: 'CSV files', fred: 'FRED' };

export function sourceName(id: string | null | undefined): string {
  if (!id) return '—';
  return NAMES[id] ?? id;
}

/** "3 s", "4 min", "2 h": how long ago, for ages and last-success times. */
export function ago(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  return `${Math.floor(s / 3600)} h`;
}
