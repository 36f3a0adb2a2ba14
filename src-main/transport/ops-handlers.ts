// The operations methods of issue 18 (src-shared/api/ops.ts): health report, monitoring samples, log viewer.
import type { HealthReport, LogLine, MetricsSample } from '../../src-shared/api/ops';
import type { ParsedRequestOf } from '../../src-shared/api/contract';
import { HandlerError, type ApiHandlers } from './dispatcher';

type OpsMethod = 'health.get' | 'metrics.history' | 'metrics.tickToUi' | 'logs.read';

export interface OpsDeps {
  health(): Promise<HealthReport>;
  /** Absent when metrics are off (QC_METRICS=off). */
  metrics?: { history(): MetricsSample[]; observeTickToUi(ms: number[]): void };
  readLogs(q: ParsedRequestOf<'logs.read'>): Promise<{ lines: LogLine[]; files: string[] }>;
}

export function opsHandlers(d: OpsDeps | undefined): Pick<ApiHandlers, OpsMethod> {
  const need = () => {
    if (!d) throw new HandlerError('UNAVAILABLE', 'Operations are not running');
    return d;
  };
  return {
    'health.get': async () => need().health(),
    'metrics.history': async () => need().metrics?.history() ?? [],
    'metrics.tickToUi': async ({ samples }) => {
      need().metrics?.observeTickToUi(samples);
      return { ok: true as const };
    },
    'logs.read': async (q) => need().readLogs(q),
  };
}
