// The health report (health.get) as a table: one row per check, worst first, refreshed every 5 s.
import type { HealthStatus } from '../../../src-shared/api/ops';
import { REFRESH_MS, useHealthReport } from '../../lib/health-report';

const RANK: Record<HealthStatus, number> = { fail: 0, warn: 1, pass: 2 };

const value = (v: unknown, unit?: string) => (v === undefined || v === null ? '—' : `${String(v)}${unit ? ` ${unit}` : ''}`);

export function HealthView() {
  const { report, error } = useHealthReport();
  const rows = report
    ? Object.entries(report.checks).flatMap(([key, list]) => list.map((c, i) => ({ key: `${key}#${i}`, name: key, ...c }))).sort((a, b) => RANK[a.status] - RANK[b.status] || a.name.localeCompare(b.name))
    : [];
  return (
    <section className="panel ops-health" aria-label="Health">
      <div className="panel-head">
        <h3>Health</h3>
        {report && <span className={`ops-status ${report.status}`} role="status" aria-label="Overall health">{report.status}</span>}
        <span className="dim">refreshed every {REFRESH_MS / 1000} s · also GET /health (application/health+json)</span>
      </div>
      {error && <div className="error-text" role="alert">{error}</div>}
      <table aria-label="Health checks">
        <thead><tr><th>Status</th><th>Check</th><th>Type</th><th className="num">Observed</th><th>Detail</th><th>Time</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} aria-label={r.name} className={`ops-row ${r.status}`}>
              <td><span className={`ops-status ${r.status}`}>{r.status}</span></td>
              <td><b>{r.name}</b></td>
              <td className="dim">{r.componentType}</td>
              <td className="num">{value(r.observedValue, r.observedUnit)}</td>
              <td className="reason">{r.output ?? ''}</td>
              <td className="dim">{new Date(r.time).toLocaleTimeString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
