// Starts the IG simulator CLI (`npm run ig-sim`) as a real child process on a free port, as a user would run it;
// faults go to its admin endpoint over HTTP. With a state file, a stopped simulator restarts with the same account.
import type { Fault } from '../../tools/ig-sim/server';
import { spawnSim } from './sim-process';
import { stopChild } from './web-host';

export const SIM_API_KEY = 'test-api-key-0123456789abcdef';
export const SIM_IDENTIFIER = 'qc-demo';
export const SIM_PASSWORD = 'pass:word-42';
/** The secret as the app keeps it: the API key, a colon, the password. */
export const SIM_SECRET = `${SIM_API_KEY}:${SIM_PASSWORD}`;
export const SIM_ACCOUNT = 'XQ7654';

export interface SimDealView { dealId: string; dealReference: string; epic: string; direction: string; size: number; level: number }

export interface RunningIgSim {
  port: number;
  url: string;
  output: () => string;
  fault(f: Fault): Promise<string>;
  /** The simulator's own view (positions, working orders, every deal made), from its admin endpoint. */
  state(): Promise<{ balance: number; positions: SimDealView[]; workingOrders: (SimDealView & { type: string })[]; deals: SimDealView[]; /** GET /history/transactions answered so far. */ transactionReads: number }>;
  stop(): Promise<void>;
}

/** No allowances by default (the tests poll fast); `--non-trading-per-minute N` in `args` turns IG's on. */
export async function startIgSim(args: string[] = [], port = 0): Promise<RunningIgSim> {
  const { child, port: bound, output } = await spawnSim('ig-sim', [
    '--port', String(port), '--api-key', SIM_API_KEY, '--identifier', SIM_IDENTIFIER, '--password', SIM_PASSWORD, '--account', SIM_ACCOUNT,
    '--non-trading-per-minute', '0', '--trading-per-minute', '0', ...args,
  ]);
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
      return (await (await fetch(`${url}/__sim/state`)).json()) as Awaited<ReturnType<RunningIgSim['state']>>;
    },
    stop: () => stopChild(child),
  };
}
