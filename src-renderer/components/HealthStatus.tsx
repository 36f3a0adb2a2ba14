// The app's health in the top bar: a coloured dot (the health report's status: pass, warn, fail) that opens the Health
// view, and, when something needs attention in the process itself, the background failures or the failing log file.
import { useEffect, useState } from 'react';
import type { AppHealth } from '../../src-shared/api/contract';
import { useTerminal } from '../stores/terminal';
import { timeOfDay } from '../lib/format';
import { useHealthReport } from '../lib/health-report';
import { useOpsTab } from '../screens/operations/tab';

export function HealthStatus() {
  const api = useTerminal((s) => s.api);
  const showScreen = useTerminal((s) => s.showScreen);
  const [health, setHealth] = useState<AppHealth | null>(null);
  const { report } = useHealthReport(10_000);
  useEffect(() => {
    if (!api) return;
    void api.call('app.health', {}).then(setHealth).catch(() => undefined);
    return api.on('health', setHealth);
  }, [api]);
  const open = () => {
    useOpsTab.getState().setTab('health');
    showScreen('operations');
  };
  const status = report?.status ?? 'unknown';
  const failing = report ? Object.entries(report.checks).flatMap(([k, list]) => list.filter((c) => c.status !== 'pass').map((c) => `${c.status}: ${k}${c.output ? ` — ${c.output}` : ''}`)) : [];
  const dot = (
    <button type="button" className={`health-dot ${status}`} aria-label={`Health: ${status}`} title={failing.length ? failing.slice(0, 8).join('\n') : `Health: ${status}`} onClick={open}>●</button>
  );
  if (!health || (health.failureCount === 0 && health.logging.to === 'file')) return dot;
  const parts: string[] = [];
  if (health.failureCount > 0) parts.push(`${health.failureCount} background error${health.failureCount === 1 ? '' : 's'}`);
  if (health.logging.to === 'stderr') parts.push('log file failing');
  const details = [
    ...(health.logging.to === 'stderr' ? [`Logging to stderr: ${health.logging.reason ?? 'the log file cannot be written'}`] : []),
    ...health.lastFailures.slice(0, 5).map((f) => `${timeOfDay(f.time)} ${f.message}`),
  ].join('\n');
  return <>{dot}<div className="conn bad" role="status" aria-label="Health" title={details}>⚠ {parts.join(', ')}</div></>;
}
