// The health report (health.get), polled while a component shows it (the top bar's dot, the Health view).
import { useEffect, useState } from 'react';
import type { HealthReport } from '../../src-shared/api/ops';
import { useTerminal } from '../stores/terminal';

export const REFRESH_MS = 5000;

/** The report, refreshed every `every` ms while mounted. */
export function useHealthReport(every = REFRESH_MS): { report: HealthReport | undefined; error: string | undefined } {
  const api = useTerminal((s) => s.api);
  const [report, setReport] = useState<HealthReport>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!api) return;
    let live = true;
    const load = () => void api.call('health.get', {}).then((r) => live && (setReport(r), setError(undefined))).catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    load();
    const t = setInterval(load, every);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [api, every]);
  return { report, error };
}

