// The web host and the CLI as real child processes for lifecycle tests: pid, exit code and every byte of output.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import WebSocket from 'ws';
import { repoRoot } from './web-host';

export interface HostProcess {
  child: ChildProcess;
  pid: number;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the ready line's port and token; rejects when the process exits first. */
  ready: Promise<{ port: number; token: string }>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnHost(dataDir: string, opts: { port?: number; env?: Record<string, string> } = {}): HostProcess {
  const child = spawn(process.execPath, [join(repoRoot, 'out/main/web.js'), '--port', String(opts.port ?? 0), '--data-dir', dataDir], {
    cwd: repoRoot, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  const ready = new Promise<{ port: number; token: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line in 60 s:\n${out}${err}`)), 60_000);
    child.stdout!.on('data', () => {
      const m = out.match(/Quant Claude ready at http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), token: m[2]! });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`web host exited (${code ?? signal}) before it was ready:\n${out}${err}`));
    });
  });
  ready.catch(() => undefined);
  return { child, pid: child.pid!, stdout: () => out, stderr: () => err, ready, exited };
}

/** Runs the web host until it exits (a refusal): exit code and all output. */
export async function runHostToExit(dataDir: string, opts: { port?: number; env?: Record<string, string> } = {}) {
  const h = spawnHost(dataDir, opts);
  const { code } = await h.exited;
  return { code, stdout: h.stdout(), stderr: h.stderr() };
}

export interface ApiConnection {
  /** The answer as sent: a result or an error. */
  request(method: string, params?: unknown): Promise<{ result?: unknown; error?: { code: string; message: string } }>;
  call<T = unknown>(method: string, params?: unknown): Promise<T>;
  /** Resolves with the error object of a failing call, rejects when it succeeds. */
  fail(method: string, params?: unknown): Promise<{ code: string; message: string }>;
  close(): void;
}

export async function connect(port: number, token: string): Promise<ApiConnection> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let next = 1;
  const pending = new Map<number, (frame: { result?: unknown; error?: { code: string; message: string } }) => void>();
  ws.on('message', (raw) => {
    const frame = JSON.parse(String(raw)) as { id?: number; result?: unknown; error?: { code: string; message: string } };
    if (frame.id !== undefined) pending.get(frame.id)?.(frame);
  });
  const send = (method: string, params: unknown) => new Promise<{ result?: unknown; error?: { code: string; message: string } }>((resolve, reject) => {
    const id = next++;
    const timer = setTimeout(() => reject(new Error(`${method}: no answer in 30 s`)), 30_000);
    pending.set(id, (f) => {
      clearTimeout(timer);
      pending.delete(id);
      resolve(f);
    });
    ws.send(JSON.stringify({ id, method, params: params ?? {} }));
  });
  return {
    request: send,
    async call<T>(method: string, params?: unknown) {
      const f = await send(method, params);
      if (f.error) throw new Error(`${method}: ${f.error.code} ${f.error.message}`);
      return f.result as T;
    },
    async fail(method: string, params?: unknown) {
      const f = await send(method, params);
      if (!f.error) throw new Error(`${method} succeeded`);
      return f.error;
    },
    close: () => ws.close(),
  };
}

/** `npm run cli -- …` as a process: exit code and output. */
export function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main/cli/main.ts'), ...args], { cwd: repoRoot, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
