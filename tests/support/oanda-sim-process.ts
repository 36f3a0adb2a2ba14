// Starts the OANDA v20 simulator CLI (`npm run oanda-sim`) as a real child process on a free port, as a user would run
// it; faults go to its admin endpoint over HTTP. With a state file, a stopped simulator restarts with the same account.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Fault } from '../../tools/oanda-sim/server';
import { repoRoot, stopChild } from './web-host';

export const SIM_TOKEN = 'test-token-0123456789';
export const SIM_ACCOUNT = '101-004-7654321-001';

export interface RunningOandaSim {
  port: number;
  url: string;
  output: () => string;
  fault(f: Fault): Promise<string>;
  /** The simulator's own view (account summary, trades, orders), from its admin endpoint. */
  state(): Promise<{ lastTransactionID: string; summary: Record<string, string>; trades: { id: string; instrument: string; currentUnits: number; state: string }[]; orders: Record<string, unknown>[] }>;
  stop(): Promise<void>;
}

export async function startOandaSim(args: string[] = [], port = 0): Promise<RunningOandaSim> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'tools/oanda-sim/cli.ts', '--port', String(port), '--token', SIM_TOKEN, '--account', SIM_ACCOUNT, ...args], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const bound = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`oanda-sim did not print its listening line in 20 s:\n${out}`)), 20_000);
    const check = () => {
      const m = out.match(/oanda-sim listening on [\d.]+:(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`oanda-sim exited with ${code}:\n${out}`));
    });
  });
  const url = `http://127.0.0.1:${bound}`;
  return {
    port: bound,
    url,
    output: () => out,
    async fault(f) {
      const res = await fetch(`${url}/__sim/fault`, { method: 'POST', body: JSON.stringify(f) });
      return ((await res.json()) as { result: string }).result;
    },
    async state() {
      return (await (await fetch(`${url}/__sim/state`)).json()) as Awaited<ReturnType<RunningOandaSim['state']>>;
    },
    stop: () => stopChild(child),
  };
}
