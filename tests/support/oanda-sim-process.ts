// Starts the OANDA v20 simulator CLI (`npm run oanda-sim`) as a real child process on a free port, as a user would run
// it; faults go to its admin endpoint over HTTP. With a state file, a stopped simulator restarts with the same account.
import type { Fault } from '../../tools/oanda-sim/server';
import { spawnSim } from './sim-process';
import { stopChild } from './web-host';

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
  const { child, port: bound, output } = await spawnSim('oanda-sim', ['--port', String(port), '--token', SIM_TOKEN, '--account', SIM_ACCOUNT, ...args]);
  const url = `http://127.0.0.1:${bound}`;
  return {
    port: bound,
    url,
    output,
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
