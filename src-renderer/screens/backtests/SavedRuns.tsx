// Every saved run, newest first: open one, or tick backtests to compare them.
import type { BacktestRunSummary } from '../../../src-shared/api/contract';
import { time } from '../../lib/format';

const num = (v: number, digits = 2) => v.toLocaleString(undefined, { maximumFractionDigits: digits });
const pct = (v: number) => `${v > 0 ? '+' : ''}${num(v)} %`;
/** Parameters as "fast 10, slow 30". */
const params = (v: unknown) => (v && typeof v === 'object' ? Object.entries(v).map(([k, x]) => `${k} ${String(x)}`).join(', ') : String(v));

/** A run's summary in words: "Return +12.3 % · Sharpe 1.21 · Max DD −4.5 % · 21 trades"; best parameters spelt out. */
export function summaryText(summary: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(summary)) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) continue;
      if (k === 'returnPct') parts.push(`Return ${pct(v)}`);
      else if (k === 'maxDrawdownPct') parts.push(`Max DD ${num(v)} %`);
      else if (k === 'sharpe') parts.push(`Sharpe ${num(v)}`);
      else if (k === 'trades') parts.push(`${num(v, 0)} trades`);
      else if (k === 'evaluated') parts.push(`${num(v, 0)} evaluated`);
      else if (k === 'score') parts.push(`score ${num(v)}`);
      else parts.push(`${k} ${num(v)}`);
    } else if (k === 'best') parts.push(`best: ${params(v)}`);
    else parts.push(`${k}: ${params(v)}`);
  }
  return parts.join(' · ');
}

export function SavedRuns({ runs, selected, onOpen, onCompare }: {
  runs: BacktestRunSummary[];
  selected: string[];
  onOpen: (id: string) => void;
  onCompare: (id: string, on: boolean) => void;
}) {
  return (
    <div className="table-scroll"><table aria-label="Saved runs">
      <thead><tr><th>When</th><th>Kind</th><th>Name</th><th>Summary</th><th /><th>Compare</th></tr></thead>
      <tbody>
        {runs.length === 0 && <tr><td colSpan={6} className="empty">No saved runs yet</td></tr>}
        {runs.map((r) => (
          <tr key={r.id}>
            <td>{time(r.createdAt)}</td><td>{r.kind}</td><td className="run-name">{r.name}</td>
            <td className="dim run-summary">{summaryText(r.summary)}</td>
            <td><button type="button" className="small" aria-label={`Open ${r.name}`} onClick={() => onOpen(r.id)}>Open</button></td>
            <td>{r.kind === 'backtest' && <input type="checkbox" aria-label={`Compare ${r.name}`} checked={selected.includes(r.id)} onChange={(e) => onCompare(r.id, e.target.checked)} />}</td>
          </tr>
        ))}
      </tbody>
    </table></div>
  );
}
