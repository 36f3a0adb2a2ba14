// The app's metrics: Prometheus series on a registry of its own (prom-client; GET /metrics serves them), and a sample
// of the key series every 15 s into a ring buffer for the Monitoring view's charts.
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MetricsSample } from '../../src-shared/api/ops';
import type { Order } from '../../src-shared/domain/types';
import type { Clock } from '../ports/clock';
import type { Disposable } from '../ports/disposable';

export const SAMPLE_EVERY_MS = 15_000;
/** Six hours of 15 s samples. */
export const SAMPLES_KEPT = 1440;
/** Distinct rejection reasons kept as labels; the rest count as "other" (a label per free-text message would grow without bound). */
const MAX_REASONS = 40;
/** Latencies kept per interval for the sample's p95 (a burst beyond that is represented by its first part). */
const MAX_PER_INTERVAL = 20_000;

const MS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

class Window {
  private values: number[] = [];
  add(v: number): void {
    if (this.values.length < MAX_PER_INTERVAL) this.values.push(v);
  }
  /** p95 of the values since the last take, then empties. */
  takeP95(): number | null {
    const v = this.values.sort((a, b) => a - b);
    this.values = [];
    return v.length ? v[Math.min(v.length - 1, Math.floor(v.length * 0.95))]! : null;
  }
  get count(): number {
    return this.values.length;
  }
}

export class AppMetrics implements Disposable {
  readonly registry = new Registry();
  private readonly apiLatency: Histogram<'method' | 'outcome'>;
  private readonly orders: Counter<'outcome'>;
  private readonly fills: Counter<'venue'>;
  private readonly rejections: Counter<'reason'>;
  private readonly quotes: Counter<'provider'>;
  private readonly quoteRate: Gauge<'provider'>;
  private readonly tickToUi: Histogram;
  private readonly dbTimings: Histogram<'statement'>;
  private readonly reasons = new Set<string>();

  // This interval's figures, for the next sample.
  private readonly api = new Window();
  private readonly ui = new Window();
  private readonly db = new Window();
  private readonly dbChildren = new Map<string, { observe(value: number): void }>();
  private apiCount = 0;
  private readonly quotesByProvider = new Map<string, number>();
  private ordersN = 0;
  private fillsN = 0;
  private rejectionsN = 0;
  private readonly loop: IntervalHistogram;
  private cpu = process.cpuUsage();
  private sampledAt: number;
  private readonly samples: MetricsSample[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly clock: Clock) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'qc_' });
    // Gauges named like counters, which promtool's lint refuses; the per-type gauges without `_total` stay.
    for (const name of ['qc_nodejs_active_handles_total', 'qc_nodejs_active_requests_total', 'qc_nodejs_active_resources_total']) this.registry.removeSingleMetric(name);
    this.apiLatency = new Histogram({ name: 'qc_api_request_duration_seconds', help: 'API request latency by method (IPC and web host).', labelNames: ['method', 'outcome'], buckets: MS, registers });
    this.orders = new Counter({ name: 'qc_orders_total', help: 'Orders placed, by outcome (submitted to the broker or rejected).', labelNames: ['outcome'], registers });
    this.fills = new Counter({ name: 'qc_fills_total', help: 'Fills (executions) by venue.', labelNames: ['venue'], registers });
    this.rejections = new Counter({ name: 'qc_order_rejections_total', help: 'Rejected orders by reason (numbers in the reason masked).', labelNames: ['reason'], registers });
    this.quotes = new Counter({ name: 'qc_quotes_total', help: 'Quotes received by provider.', labelNames: ['provider'], registers });
    this.quoteRate = new Gauge({ name: 'qc_quotes_per_second', help: 'Quotes per second by provider over the last 15 s sample.', labelNames: ['provider'], registers });
    this.tickToUi = new Histogram({ name: 'qc_tick_to_ui_seconds', help: 'Quote time to painted in the renderer, as the renderer reports it.', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers });
    this.dbTimings = new Histogram({ name: 'qc_db_statement_duration_seconds', help: 'Database call timings by store method.', labelNames: ['statement'], buckets: MS, registers });
    this.loop = monitorEventLoopDelay({ resolution: 20 });
    this.loop.enable();
    this.sampledAt = clock.now();
  }

  /** Starts the 15 s sampler (not in tests that sample by hand). */
  start(every = SAMPLE_EVERY_MS): void {
    this.timer = setInterval(() => this.sample(), every);
    this.timer.unref();
  }

  observeRequest(method: string, seconds: number, ok: boolean): void {
    this.apiLatency.observe({ method, outcome: ok ? 'ok' : 'error' }, seconds);
    this.api.add(seconds * 1000);
    this.apiCount++;
  }

  observeOrder(order: Order): void {
    if (order.status === 'submitted') {
      this.orders.inc({ outcome: 'submitted' });
      this.ordersN++;
    } else if (order.status === 'rejected') {
      this.orders.inc({ outcome: 'rejected' });
      this.rejections.inc({ reason: this.reasonLabel(order.rejectReason) });
      this.ordersN++;
      this.rejectionsN++;
    }
  }

  observeFill(venue: string): void {
    this.fills.inc({ venue });
    this.fillsN++;
  }

  observeQuote(provider: string): void {
    this.quotes.inc({ provider });
    this.quotesByProvider.set(provider, (this.quotesByProvider.get(provider) ?? 0) + 1);
  }

  observeTickToUi(ms: number[]): void {
    for (const v of ms) {
      this.tickToUi.observe(v / 1000);
      this.ui.add(v);
    }
  }

  observeStatement(statement: string, seconds: number): void {
    // One child per statement, kept: observing through the labels object hashes them on every call (every store call).
    let child = this.dbChildren.get(statement);
    if (!child) this.dbChildren.set(statement, (child = this.dbTimings.labels({ statement })));
    child.observe(seconds);
    this.db.add(seconds * 1000);
  }

  /** The Prometheus text exposition of this app's registry. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  history(): MetricsSample[] {
    return this.samples.slice();
  }

  /** Closes the interval: one sample of the key series (called every 15 s). */
  sample(): MetricsSample {
    const now = this.clock.now();
    const secs = Math.max(0.001, (now - this.sampledAt) / 1000);
    this.sampledAt = now;
    let quotes = 0;
    for (const [provider, n] of this.quotesByProvider) {
      this.quoteRate.set({ provider }, n / secs);
      quotes += n;
    }
    this.quotesByProvider.clear();
    const cpu = process.cpuUsage(this.cpu);
    this.cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    const s: MetricsSample = {
      time: now,
      apiRequestsPerS: round2(this.apiCount / secs),
      apiP95Ms: nullableRound(this.api.takeP95()),
      quotesPerS: round2(quotes / secs),
      ordersPerMin: round2((this.ordersN * 60) / secs),
      fillsPerMin: round2((this.fillsN * 60) / secs),
      rejectionsPerMin: round2((this.rejectionsN * 60) / secs),
      eventLoopLagMs: round2(Number.isFinite(this.loop.mean) ? this.loop.mean / 1e6 : 0),
      rssMb: round2(mem.rss / 1048576),
      heapMb: round2(mem.heapUsed / 1048576),
      cpuPercent: round2(((cpu.user + cpu.system) / 1000 / (secs * 1000)) * 100),
      tickToUiP95Ms: nullableRound(this.ui.takeP95()),
      dbP95Ms: nullableRound(this.db.takeP95()),
    };
    this.apiCount = 0;
    this.ordersN = this.fillsN = this.rejectionsN = 0;
    this.loop.reset();
    this.samples.push(s);
    if (this.samples.length > SAMPLES_KEPT) this.samples.shift();
    return s;
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.loop.disable();
    this.registry.clear();
  }

  private reasonLabel(reason: string | null): string {
    const r = (reason ?? 'unknown').replace(/[-+]?[$€£]?\d[\d.,]*\s*%?/g, '#').replace(/\s+/g, ' ').trim().slice(0, 80) || 'unknown';
    if (this.reasons.has(r)) return r;
    if (this.reasons.size >= MAX_REASONS) return 'other';
    this.reasons.add(r);
    return r;
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const nullableRound = (x: number | null) => (x === null ? null : round2(x));

/** The dispatch wrapped to time every request by method. */
export function timedDispatch<R extends { ok: boolean }>(dispatch: (method: string, params: unknown) => Promise<R>, metrics: AppMetrics) {
  return async (method: string, params: unknown): Promise<R> => {
    const t = performance.now();
    const r = await dispatch(method, params);
    // Unknown names are not labels: a client could otherwise create a series per string it sends.
    metrics.observeRequest(r.ok || (r as unknown as { error?: { code?: string } }).error?.code !== 'NOT_FOUND' ? method : 'unknown', (performance.now() - t) / 1000, r.ok);
    return r;
  };
}

/**
 * The store with every repository call timed (`orders.insert`, `applyFill`…), as database statement timings. The
 * Store port's methods are async; a synchronous one (SQLite's pragma/check) is timed as it returns.
 */
export function timedStore<S extends object>(store: S, observe: (statement: string, seconds: number) => void): S {
  const wrapFn = (fn: (...a: unknown[]) => unknown, self: unknown, name: string) => (...args: unknown[]) => {
    const t = performance.now();
    const done = () => observe(name, (performance.now() - t) / 1000);
    const r = fn.apply(self, args);
    if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).then(done, done);
    else done();
    return r;
  };
  // Repositories may be class instances (methods on the prototype): proxied one level deep rather than copied.
  const proxy = <T extends object>(target: T, prefix: string, deep: boolean): T => {
    const cache = new Map<PropertyKey, unknown>();
    return new Proxy(target, {
      get(t, prop, receiver) {
        if (cache.has(prop)) return cache.get(prop);
        const v = Reflect.get(t, prop, receiver) as unknown;
        if (typeof prop !== 'string' || prop === 'dispose' || prop === 'kind' || prop === 'then') return v;
        let out = v;
        if (typeof v === 'function') out = wrapFn(v as (...a: unknown[]) => unknown, t, `${prefix}${prop}`);
        else if (deep && v && typeof v === 'object' && !Array.isArray(v)) out = proxy(v, `${prop}.`, false);
        cache.set(prop, out);
        return out;
      },
    });
  };
  return proxy(store, '', true);
}
