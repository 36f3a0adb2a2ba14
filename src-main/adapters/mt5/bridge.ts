// The MetaTrader 5 bridge process: `tools/mt5-bridge/bridge.py` (Python, the `MetaTrader5` package) as a child process,
// one JSON request per line on its stdin, one answer per line on its stdout, matched by id. The package drives a running
// MT5 terminal on Windows; the bridge is the only place that imports it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Emitter } from '../../../src-shared/common/emitter';
import type { Disposable } from '../../ports/disposable';
import { describeMt5Error, Mt5Error } from './errors';

export interface Mt5BridgeOptions {
  /** The Python interpreter (`python` on Windows, where MetaTrader5 runs). */
  python: string;
  /** The bridge script (tools/mt5-bridge/bridge.py). */
  script: string;
  /** Extra environment: MT5_MODULE names a stand-in for the package (tests). */
  env?: Record<string, string>;
  /** One request's time limit. */
  timeoutMs: number;
}

type Json = Record<string, unknown>;

export class Mt5Bridge implements Disposable {
  private child: ChildProcess | null = null;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private readonly exited = new Emitter<string>();
  private stderr = '';

  constructor(private readonly o: Mt5BridgeOptions) {}

  /** Starts the process and waits for its ready line. */
  async start(): Promise<void> {
    const child = spawn(this.o.python, [this.o.script], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...this.o.env } });
    this.child = child;
    child.stderr!.on('data', (d) => (this.stderr = (this.stderr + String(d)).slice(-2_000)));
    // A write to a bridge that just died fails with EPIPE; its exit rejects what was pending (unhandled, it would end the app).
    child.stdin!.on('error', () => undefined);
    const lines = createInterface({ input: child.stdout! });
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Mt5Error(-10005, 'the bridge did not start')), this.o.timeoutMs);
      lines.once('line', (first) => {
        clearTimeout(timer);
        if ((JSON.parse(first) as Json)['ready'] === true) resolve();
        else reject(new Mt5Error(-1, 'the bridge answered something else than its ready line'));
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new Mt5Error(-1, `the bridge could not start (${err.message}): is Python installed?`));
      });
    });
    child.once('exit', (code) => {
      const why = `the bridge exited (code ${code})${this.stderr ? `: ${this.stderr.trim().split('\n').pop()}` : ''}`;
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Mt5Error(-10004, why));
      }
      this.pending.clear();
      this.child = null;
      this.exited.emit(why);
    });
    await ready;
    lines.on('line', (line) => this.onLine(line));
  }

  private onLine(line: string): void {
    let msg: Json;
    try {
      msg = JSON.parse(line) as Json;
    } catch {
      return;
    }
    const p = this.pending.get(Number(msg['id']));
    if (!p) return;
    this.pending.delete(Number(msg['id']));
    clearTimeout(p.timer);
    const err = msg['error'] as { code: number; message: string } | undefined;
    if (err) p.reject(new Mt5Error(err.code, err.message));
    else p.resolve(msg['result']);
  }

  call<T = unknown>(method: string, params: Json = {}): Promise<T> {
    const child = this.child;
    if (!child) return Promise.reject(new Mt5Error(-10004, 'the bridge is not running'));
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Mt5Error(-10005, `no answer to ${method} in ${this.o.timeoutMs} ms`));
      }, this.o.timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      child.stdin!.write(`${JSON.stringify({ id, method, params })}\n`);
    });
  }

  onExit(listener: (why: string) => void): Disposable {
    return this.exited.on(listener);
  }

  isRunning(): boolean {
    return this.child !== null;
  }

  /**
   * Ends the process at once (SIGKILL): after a request went unanswered, a bridge still stuck in it must not carry it out
   * later, when the reconciliation on the next bridge may already have sent the order again.
   */
  kill(): void {
    this.child?.kill('SIGKILL');
  }

  dispose(): void {
    const child = this.child;
    if (!child) return;
    child.stdin!.write(`${JSON.stringify({ id: 0, method: 'shutdown' })}\n`);
    child.stdin!.end();
    // A bridge stuck in the terminal's IPC does not read its stdin: it is ended after a moment.
    setTimeout(() => child.kill(), 2_000).unref();
  }
}

export { describeMt5Error };
