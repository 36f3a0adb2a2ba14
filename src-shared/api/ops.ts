// Operations messages (issue 18): the health report (IETF health-check draft), the monitoring series and the log
// viewer's query, as zod schemas. contract.ts registers them as `health.get`, `metrics.*` and `logs.read`.
import { z } from 'zod';

export const HealthStatus = z.enum(['pass', 'warn', 'fail']);
export type HealthStatus = z.infer<typeof HealthStatus>;

/** One measurement of one component (draft-inadarei-api-health-check §4); `time` is ISO 8601. */
export const HealthCheckResult = z.object({
  componentId: z.string().optional(),
  componentType: z.string(),
  observedValue: z.union([z.number(), z.string(), z.boolean(), z.null()]).optional(),
  observedUnit: z.string().optional(),
  status: HealthStatus,
  time: z.string(),
  output: z.string().optional(),
});
export type HealthCheckResult = z.infer<typeof HealthCheckResult>;

/** The `application/health+json` document: the worst status of its checks, checks keyed `component:measurement`. */
export const HealthReport = z.object({
  status: HealthStatus,
  version: z.string(),
  serviceId: z.string(),
  description: z.string(),
  checks: z.record(z.string(), z.array(HealthCheckResult)),
});
export type HealthReport = z.infer<typeof HealthReport>;

/** One sample of the key series, taken in main every 15 s (the Monitoring view's charts). */
export const MetricsSample = z.object({
  time: z.number(),
  /** Requests per second over the last interval, and their p95 latency (ms, null without requests). */
  apiRequestsPerS: z.number(),
  apiP95Ms: z.number().nullable(),
  quotesPerS: z.number(),
  ordersPerMin: z.number(),
  fillsPerMin: z.number(),
  rejectionsPerMin: z.number(),
  eventLoopLagMs: z.number(),
  rssMb: z.number(),
  heapMb: z.number(),
  /** Process CPU over the last interval, percent of one core. */
  cpuPercent: z.number(),
  /** p95 of the renderer's tick-to-UI reports in the interval (null without reports). */
  tickToUiP95Ms: z.number().nullable(),
  dbP95Ms: z.number().nullable(),
});
export type MetricsSample = z.infer<typeof MetricsSample>;

export const LogLevel = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
export type LogLevel = z.infer<typeof LogLevel>;

export const LogQuery = z.object({
  /** This level and above. */
  level: LogLevel.default('info'),
  /** Case-insensitive text anywhere in the line. */
  text: z.string().max(200).default(''),
  limit: z.number().int().positive().max(2000).default(300),
});

export const LogLine = z.object({
  time: z.number(),
  level: LogLevel,
  msg: z.string(),
  /** The rest of the line's fields, as logged (already redacted). */
  fields: z.record(z.string(), z.unknown()),
});
export type LogLine = z.infer<typeof LogLine>;

export const opsMethods = {
  /** The health report of the running app (also served as GET /health by the web host). */
  'health.get': { request: z.object({}).strict(), response: HealthReport },
  /** The samples of the last hours, oldest first. */
  'metrics.history': { request: z.object({}).strict(), response: z.array(MetricsSample) },
  /** The renderer's tick-to-UI latencies (quote time → painted), ms, since its last report. */
  'metrics.tickToUi': { request: z.object({ samples: z.array(z.number().finite().min(0).max(600_000)).max(5000) }), response: z.object({ ok: z.literal(true) }) },
  /** The newest log lines that match, newest first, read from the log files of the data folder. */
  'logs.read': { request: LogQuery, response: z.object({ lines: z.array(LogLine), files: z.array(z.string()) }) },
} as const;
