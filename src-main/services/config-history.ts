// Configuration history (issue 18): every version of config.yaml (changed by the app, or by hand while it runs:
// fs.watch on the folder, debounced, compared by content hash) and of every strategy's parameters, kept with its time,
// source and a unified diff from the previous one; a config.yaml version can be restored once the schema accepts it.
import { createHash } from 'node:crypto';
import { renameSync, readFileSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { unifiedDiff } from '../domain/operations/text-diff';
import type { Clock } from '../ports/clock';
import type { Disposable } from '../ports/disposable';
import type { ConfigVersionRow, OperationsStore } from '../ports/operations-store';
import type { StrategyRow } from '../ports/store';
import type { Timers } from '../ports/timers';

export const CONFIG_SUBJECT = 'config.yaml';
export const strategySubject = (id: string) => `strategy:${id}`;

export class ConfigRestoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigRestoreError';
  }
}

export interface ConfigHistoryOptions {
  versions: OperationsStore['configVersions'];
  /** The data folder's config.yaml. */
  configPath: string;
  clock: Clock;
  timers: Timers;
  /** Why the text is not a valid config.yaml (the schema's message), or undefined when it is. */
  validate(text: string): string | undefined;
  /** A change that could not be read or stored: reported, never thrown. */
  onError(err: unknown, what: string): void;
  /** A new version was kept. */
  onVersion?(v: ConfigVersionRow): void;
  /** Quiet time after the last file event before the file is read (editors write in several steps). */
  debounceMs?: number;
}

const sha256 = (t: string) => createHash('sha256').update(t).digest('hex');

/** What of a strategy's stored row is its configuration (the rest is running state: positions, last bar…). */
export function strategyConfigText(row: StrategyRow): string {
  const p = row.params;
  const pick = { strategy: row.kind, name: row.name, symbols: p['symbols'], timeframe: p['timeframe'], capital: p['capital'], accountId: p['accountId'], params: p['params'] };
  return `${JSON.stringify(sortKeys(pick), null, 2)}\n`;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

export class ConfigHistory implements Disposable {
  private watcher: FSWatcher | undefined;
  private cancelDebounce: (() => void) | undefined;
  /** Records run one at a time: a watcher event and the app's own write compare hashes in order. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: ConfigHistoryOptions) {}

  /** Keeps the file as it is now (a version when it changed while the app was stopped) and watches it. */
  async start(): Promise<void> {
    await this.recordFile('start');
    // The folder, not the file: editors that save by writing a new file and renaming it replace the watched inode.
    this.watcher = watch(dirname(this.o.configPath), (_event, name) => {
      if (name !== null && name !== basename(this.o.configPath)) return;
      this.cancelDebounce?.();
      this.cancelDebounce = this.o.timers.after(this.o.debounceMs ?? 250, () => void this.recordFile('file'));
    });
    this.watcher.on('error', (err) => this.o.onError(err, 'config history: watching config.yaml failed'));
  }

  /** Keeps `text` as a version of `subject` when it differs from the last one kept; the new version or undefined. */
  record(subject: string, text: string, source: string): Promise<ConfigVersionRow | undefined> {
    const run = this.queue.then(async () => {
      const hash = sha256(text);
      const last = await this.o.versions.latest(subject);
      if (last?.hash === hash) return undefined;
      const row = {
        time: this.o.clock.now(), subject, source, hash, text,
        diff: last ? unifiedDiff(last.text, text, { from: `${subject} #${last.id}`, to: `${subject} (${source})` }) : '',
      };
      const v = { ...row, id: await this.o.versions.append(row) };
      this.o.onVersion?.(v);
      return v;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A strategy's stored row; only a change of its configuration (not of its running state) is a version. */
  recordStrategy(row: StrategyRow): Promise<ConfigVersionRow | undefined> {
    return this.record(strategySubject(row.id), strategyConfigText(row), 'app');
  }

  list(opts: { subject?: string; limit?: number } = {}): Promise<ConfigVersionRow[]> {
    return this.o.versions.list(opts);
  }

  /**
   * Writes a kept version of config.yaml back, after the schema accepted it (refused with its reason otherwise). The
   * running services keep the settings they started with: the restored file applies at the next start.
   */
  async restore(id: number): Promise<ConfigVersionRow> {
    const v = await this.o.versions.get(id);
    if (!v) throw new ConfigRestoreError(`No version ${id}`);
    if (v.subject !== CONFIG_SUBJECT) throw new ConfigRestoreError(`Version ${id} is of ${v.subject}: only config.yaml versions are restored here`);
    const reason = this.o.validate(v.text);
    if (reason) throw new ConfigRestoreError(`Version ${id} is not a valid config.yaml now: ${reason}`);
    const tmp = `${this.o.configPath}.restoring`;
    writeFileSync(tmp, v.text);
    renameSync(tmp, this.o.configPath);
    return (await this.record(CONFIG_SUBJECT, v.text, `restore #${id}`)) ?? v;
  }

  private async recordFile(source: string): Promise<void> {
    try {
      await this.record(CONFIG_SUBJECT, readFileSync(this.o.configPath, 'utf8'), source);
    } catch (err) {
      this.o.onError(err, 'config history: keeping a version of config.yaml failed');
    }
  }

  async dispose(): Promise<void> {
    this.cancelDebounce?.();
    this.watcher?.close();
    await this.queue;
  }
}
