// Every saved run, newest first: open one, or tick backtests to compare them.
import type { BacktestRunSummary } from '../../../src-shared/api/contract';

export function SavedRuns({ runs, selected, onOpen, onCompare }: {
  runs: BacktestRunSummary[];
  selected: string[];
  onOpen: (id: string) => void;
  onCompare: (id: string, on: boolean) => void;
}) {
  return (
    <table aria-label="Saved runs">
      <thead><tr><th>When</th><th>Kind</th><th>Name</th><th>Summary</th><th /><th>Compare</th></tr></thead>
      <tbody>
        {runs.length === 0 && <tr><td colSpan={6} className="empty">No saved runs yet</td></tr>}
        {runs.map((r) => (
          <tr key={r.id}>
            <td>{new Date(r.createdAt).toLocaleString('en-GB')}</td><td>{r.kind}</td><td>{r.name}</td>
            <td className="dim">{Object.entries(r.summary).map(([k, v]) => `${k}: ${typeof v === 'number' ? v.toFixed(2) : JSON.stringify(v)}`).join(' · ')}</td>
            <td><button type="button" className="small" aria-label={`Open ${r.name}`} onClick={() => onOpen(r.id)}>Open</button></td>
            <td>{r.kind === 'backtest' && <input type="checkbox" aria-label={`Compare ${r.name}`} checked={selected.includes(r.id)} onChange={(e) => onCompare(r.id, e.target.checked)} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
