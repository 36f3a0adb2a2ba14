// The optimisation's heatmap: the objective over the first two parameters, coloured from worst to best.
import type { OptimizationResult } from '../../../src-shared/api/contract';
import { fmt } from './format';

export function Heatmap({ opt }: { opt: OptimizationResult }) {
  const [xName, yName] = opt.paramNames;
  if (!xName || !yName) return <p className="dim">A heatmap needs two parameters.</p>;
  const xs = [...new Set(opt.results.map((r) => r.params[xName]))].sort((a, b) => Number(a) - Number(b));
  const ys = [...new Set(opt.results.map((r) => r.params[yName]))].sort((a, b) => Number(a) - Number(b));
  const scores = opt.results.map((r) => r.score).filter((s): s is number => s !== null);
  const lo = Math.min(...scores);
  const hi = Math.max(...scores);
  const cell = new Map(opt.results.map((r) => [`${r.params[xName]}|${r.params[yName]}`, r]));
  const colour = (s: number | null) => {
    if (s === null) return 'transparent';
    const f = hi > lo ? (s - lo) / (hi - lo) : 0.5;
    return `hsl(${Math.round(f * 130)}, 65%, ${38 + f * 10}%)`;
  };
  return (
    <div className="table-scroll"><table className="heatmap" aria-label="Optimization heatmap">
      <thead><tr><th>{yName} \ {xName}</th>{xs.map((x) => <th key={String(x)}>{String(x)}</th>)}</tr></thead>
      <tbody>
        {ys.map((y) => (
          <tr key={String(y)}>
            <th>{String(y)}</th>
            {xs.map((x) => {
              const r = cell.get(`${x}|${y}`);
              return <td key={String(x)} style={{ background: colour(r?.score ?? null) }} title={r ? `${xName}=${x} ${yName}=${y}: ${opt.objective} ${fmt(r.score, 3)}, return ${fmt(r.returnPct, 1)} %` : 'not evaluated'}>{r ? fmt(r.score, 2) : ''}</td>;
            })}
          </tr>
        ))}
      </tbody>
    </table></div>
  );
}
