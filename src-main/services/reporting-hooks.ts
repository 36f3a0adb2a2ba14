// Reporting hooks (issue 18): at each fill and at the end of each trading day, every configured hook gets the account's
// day (orders, fills, audit entries). Deliveries are queued in the store first (a restart loses none), tried in order,
// retried with exponential backoff, and their state (pending, failed attempts, last error) is what `status()` shows.
import type { Fill } from '../../src-shared/domain/types';
import type { ReportingHook } from '../config/config';
import type { Clock } from '../ports/clock';
import type { Disposable } from '../ports/disposable';
import type { HookDeliveryRow, OperationsStore } from '../ports/operations-store';
import type { DayReport, ReportSink } from '../ports/report-sink';
import type { Store } from '../ports/store';
import type { Timers } from '../ports/timers';

const DAY = 86_400_000;
/** Delivered rows are kept this long (for hooks.status and for a receiver's questions), then pruned at day end. */
const KEEP_DELIVERED_MS = 30 * DAY;
const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);

export interface HookStatus {
  hooks: { name: string; kind: 'folder' | 'url'; target: string; events: string[] }[];
  /** Deliveries not made yet. */
  pending: number;
  /** Failed attempts of the deliveries not made yet. */
  failedAttempts: number;
  lastError: { hook: string; time: number; message: string } | null;
  /** Newest first, at most 50. */
  deliveries: { id: number; hook: string; event: string; key: string; createdAt: number; attempts: number; nextAt: number; lastError: string | null; deliveredAt: number | null }[];
}

export interface ReportingHooksOptions {
  hooks: readonly ReportingHook[];
  /** `reporting.day_end_utc`, HH:MM. */
  dayEndUtc: string;
  outbox: OperationsStore['hookOutbox'];
  store: Pick<Store, 'orders' | 'fills' | 'audit'>;
  sink: ReportSink;
  clock: Clock;
  timers: Timers;
  /** The accounts whose day is reported at day end. */
  accounts(): string[];
  onError(err: unknown, what: string): void;
  /** First retry after this; doubled per failure up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export class ReportingHooks implements Disposable {
  private readonly hooks: Map<string, ReportingHook>;
  private cancelPump: (() => void) | undefined;
  private cancelDayEnd: (() => void) | undefined;
  private pumping: Promise<void> | undefined;
  private again = false;
  private disposed = false;
  private lastError: HookStatus['lastError'] = null;

  constructor(private readonly o: ReportingHooksOptions) {
    this.hooks = new Map(o.hooks.map((h) => [h.name, h]));
  }

  /** Delivers what a previous run left queued, and schedules the day-end reports. */
  start(): void {
    if (this.hooks.size === 0) return;
    this.kick();
    this.scheduleDayEnd();
  }

  /** A fill: every hook listening to fills gets the fill's day, queued now with what is stored at this moment. */
  onFill(fill: Fill): Promise<void> {
    const hooks = [...this.hooks.values()].filter((h) => h.events.includes('fill'));
    if (hooks.length === 0) return Promise.resolve();
    return this.enqueue(hooks, 'fill', `fill:${fill.id}`, fill.accountId, fill.time, fill.id)
      .catch((err: unknown) => this.o.onError(err, 'reporting hooks: queueing a fill report failed'));
  }

  /** The day-end reports of `day` (YYYY-MM-DD) for every account; also run by the timer at `day_end_utc`. */
  async dayEnd(day: string): Promise<void> {
    const hooks = [...this.hooks.values()].filter((h) => h.events.includes('day-end'));
    for (const accountId of this.o.accounts()) await this.enqueue(hooks, 'day-end', `day-end:${day}:${accountId}`, accountId, Date.parse(`${day}T00:00:00Z`), null);
    await this.o.outbox.prune(this.o.clock.now() - KEEP_DELIVERED_MS);
  }

  async status(): Promise<HookStatus> {
    const rows = await this.o.outbox.list(500);
    const open = rows.filter((r) => r.deliveredAt === null);
    const failedNow = open.filter((r) => r.lastError !== null).sort((a, b) => b.nextAt - a.nextAt)[0];
    return {
      hooks: [...this.hooks.values()].map((h) => ({ name: h.name, kind: h.kind, target: h.kind === 'url' ? h.url : h.path, events: [...h.events] })),
      pending: open.length,
      failedAttempts: open.reduce((n, r) => n + r.attempts, 0),
      lastError: failedNow ? { hook: failedNow.hook, time: this.o.clock.now(), message: failedNow.lastError! } : this.lastError,
      deliveries: rows.slice(0, 50).map(({ payload: _payload, ...r }) => r),
    };
  }

  /** Resolves when nothing is being delivered (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  private async enqueue(hooks: ReportingHook[], event: DayReport['event'], key: string, accountId: string, time: number, fillId: string | null): Promise<void> {
    if (hooks.length === 0) return;
    const now = this.o.clock.now();
    const report = await this.report(event, key, accountId, dayOf(time), fillId, now);
    const payload = JSON.stringify(report);
    await this.o.outbox.enqueue(hooks.map((h) => ({ hook: h.name, event, key, payload, createdAt: now, nextAt: now })));
    this.kick();
  }

  private async report(event: DayReport['event'], key: string, accountId: string, day: string, fillId: string | null, now: number): Promise<DayReport> {
    const from = Date.parse(`${day}T00:00:00Z`);
    const inDay = (t: number) => t >= from && t < from + DAY;
    const orders = (await this.o.store.orders.list({ accountId, limit: 5000 })).filter((o) => inDay(o.createdAt) || inDay(o.updatedAt)).reverse();
    const fills = (await this.o.store.fills.list({ accountId, limit: 5000 })).filter((f) => inDay(f.time)).reverse();
    const ids = new Set(orders.map((o) => o.id));
    const audit = (await this.o.store.audit.list({ limit: 5000 })).filter((a) => inDay(a.time) && (a.orderId === null || ids.has(a.orderId))).reverse();
    return { key, event, day, accountId, generatedAt: now, fillId, orders, fills, audit };
  }

  /** Starts a delivery pass, or asks the running one to look again when it ends. */
  private kick(): void {
    if (this.disposed) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.cancelPump?.();
    this.pumping = this.pump().catch((err: unknown) => this.o.onError(err, 'reporting hooks: a delivery pass failed')).finally(() => {
      this.pumping = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  private async pump(): Promise<void> {
    for (;;) {
      const due = await this.o.outbox.due(this.o.clock.now(), 20);
      if (due.length === 0) break;
      for (const row of due) {
        if (this.disposed) return;
        await this.deliver(row);
      }
    }
    // The next retry: the earliest undelivered row.
    const open = (await this.o.outbox.list(500)).filter((r) => r.deliveredAt === null);
    if (open.length > 0 && !this.disposed) {
      const next = Math.min(...open.map((r) => r.nextAt));
      this.cancelPump = this.o.timers.after(Math.max(0, next - this.o.clock.now()), () => this.kick());
    }
  }

  private async deliver(row: HookDeliveryRow): Promise<void> {
    const hook = this.hooks.get(row.hook);
    const now = this.o.clock.now();
    if (!hook) {
      // Removed from config.yaml: kept undelivered and visible, tried again once the hook is back.
      await this.o.outbox.failed(row.id, `no hook "${row.hook}" in config.yaml`, now + DAY);
      return;
    }
    try {
      await this.o.sink(hook, JSON.parse(row.payload) as DayReport);
      await this.o.outbox.delivered(row.id, this.o.clock.now());
      if (this.lastError?.hook === row.hook) this.lastError = null;
    } catch (err) {
      const message = err instanceof Error ? (err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message) : String(err);
      const backoff = Math.min(this.o.maxBackoffMs ?? 300_000, (this.o.backoffMs ?? 1000) * 2 ** row.attempts);
      this.lastError = { hook: row.hook, time: now, message };
      await this.o.outbox.failed(row.id, message, now + backoff);
    }
  }

  private scheduleDayEnd(): void {
    if (this.disposed) return;
    const [h, m] = this.o.dayEndUtc.split(':').map(Number) as [number, number];
    const now = this.o.clock.now();
    let at = Date.parse(`${dayOf(now)}T00:00:00Z`) + (h * 60 + m) * 60_000;
    if (at <= now) at += DAY;
    this.cancelDayEnd = this.o.timers.after(at - now, () => {
      void this.dayEnd(dayOf(at)).catch((err: unknown) => this.o.onError(err, 'reporting hooks: queueing the day-end reports failed'));
      this.scheduleDayEnd();
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.cancelPump?.();
    this.cancelDayEnd?.();
    await this.idle();
  }
}
