// The main process's health in the top bar: shown only when something needs attention (background failures that were
// caught and kept serving, or logs going to stderr because the log file cannot be written).
import { useEffect, useState } from 'react';
import type { AppHealth } from '../../src-shared/api/contract';
import { useTerminal } from '../stores/terminal';
import { timeOfDay } from '../lib/format';

export function HealthStatus() {
  const api = useTerminal((s) => s.api);
  const [health, setHealth] = useState<AppHealth | null>(null);
  useEffect(() => {
    if (!api) return;
    void api.call('app.health', {}).then(setHealth).catch(() => undefined);
    return api.on('health', setHealth);
  }, [api]);
  if (!health || (health.failureCount === 0 && health.logging.to === 'file')) return null;
  const parts: string[] = [];
  if (health.failureCount > 0) parts.push(`${health.failureCount} background error${health.failureCount === 1 ? '' : 's'}`);
  if (health.logging.to === 'stderr') parts.push('log file failing');
  const details = [
    ...(health.logging.to === 'stderr' ? [`Logging to stderr: ${health.logging.reason ?? 'the log file cannot be written'}`] : []),
    ...health.lastFailures.slice(0, 5).map((f) => `${timeOfDay(f.time)} ${f.message}`),
  ].join('\n');
  return <div className="conn bad" role="status" aria-label="Health" title={details}>⚠ {parts.join(', ')}</div>;
}
