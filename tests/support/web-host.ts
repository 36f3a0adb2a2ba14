// Starts the built web host (out/main/web.js) as a real child process on a free port and a temp data folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(new URL('../..', import.meta.url).pathname);

export interface RunningHost {
  url: string;
  port: number;
  token: string;
  dataDir: string;
  /** ms from spawn to the ready line. */
  startupMs: number;
  /** The host process's exit code, null while it runs. */
  exitCode: () => number | null;
  output: () => string;
  /** Sends the host a signal (test faults triggered by SIGUSR2, see src-main/test-faults.ts). */
  signal(sig: NodeJS.Signals): void;
  stop(): Promise<void>;
}

export function tempDataDir(prefix = 'qc-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startHost(opts: { dataDir?: string; port?: number; env?: Record<string, string>; args?: string[] } = {}): Promise<RunningHost> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [join(repoRoot, 'out/main/web.js'), '--port', String(opts.port ?? 0), '--data-dir', dataDir, ...(opts.args ?? [])], {
    cwd: repoRoot,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const match = await new Promise<RegExpMatchArray>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not print its ready line in 60 s:\n${out}`)), 60_000);
    const check = () => {
      const m = out.match(/Quant Claude ready at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]+))/);
      if (m) {
        clearTimeout(timer);
        resolvePromise(m);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web host exited with ${code}:\n${out}`));
    });
  });
  const startupMs = performance.now() - started;
  return {
    url: match[1]!,
    port: Number(match[2]),
    token: match[3]!,
    dataDir,
    startupMs,
    exitCode: () => child.exitCode ?? (child.signalCode ? -1 : null),
    output: () => out,
    signal: (sig) => void child.kill(sig),
    stop: () => stopChild(child),
  };
}

/** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolvePromise) => {
    if (child.exitCode !== null) return resolvePromise();
    child.once('exit', () => resolvePromise());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}
