// The process's health as the user sees it: where the logs go and the last failures of background tasks.
import type { AppHealth, BackgroundFailure } from '../src-shared/api/contract';
import { Emitter } from '../src-shared/common/emitter';
import type { Disposable } from './ports/disposable';
import type { LogTarget } from './logging';

const KEEP = 20;

export class Health {
  private readonly failures: BackgroundFailure[] = [];
  private failureCount = 0;
  private logging: LogTarget = { to: 'file', reason: null };
  // A listener's failure must not become another background failure.
  private readonly changes = new Emitter<AppHealth>(() => undefined);

  constructor(private readonly now: () => number = Date.now) {}

  /** A failure nobody else handled (a stray rejection, an exception in a callback): kept, the process goes on. */
  recordFailure(kind: BackgroundFailure['kind'], err: unknown): void {
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
    this.failures.push({ time: this.now(), kind, message });
    if (this.failures.length > KEEP) this.failures.shift();
    this.failureCount++;
    this.changed();
  }

  setLogging(target: LogTarget): void {
    this.logging = target;
    this.changed();
  }

  snapshot(): AppHealth {
    return { logging: { ...this.logging }, failureCount: this.failureCount, lastFailures: [...this.failures].reverse() };
  }

  onChange(listener: (h: AppHealth) => void): Disposable {
    return this.changes.on(listener);
  }

  private changed(): void {
    this.changes.emit(this.snapshot());
  }
}
