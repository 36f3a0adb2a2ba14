// Starts the cTrader Open API simulator CLI (`npm run ctrader-sim`) as a real child process on a free port, as a user
// would run it; faults go to its admin endpoint over HTTP. With a state file, a stopped simulator restarts with the
// same account.
import type { Fault } from '../../tools/ctrader-sim/server';
import { spawnSim } from './sim-process';
import { stopChild } from './web-host';

export const CT_CLIENT_ID = '4242_testclientid';
export const CT_CLIENT_SECRET = 'test-client-secret';
export const CT_ACCESS_TOKEN = 'test-access-token-0123456789';
export const CT_ACCOUNT = 44_123_456;
/** The credential as the secrets store keeps it. */
export const CT_CREDENTIALS = `${CT_CLIENT_SECRET}:${CT_ACCESS_TOKEN}`;

export interface RunningCtraderSim {
  port: number;
  url: string;
  output: () => string;
  fault(f: Fault): Promise<string>;
  /** The simulator's own view (balance, open positions, orders, deals), from its admin endpoint. */
  state(): Promise<{ balance: number; positions: { symbol: string; tradeSide: number; volume: number }[]; orders: { orderId: number; clientOrderId?: string; status: number; orderType: number }[]; deals: { dealId: number; orderId: number }[]; connections: number }>;
  stop(): Promise<void>;
}

export async function startCtraderSim(args: string[] = [], port = 0): Promise<RunningCtraderSim> {
  const { child, port: bound, output } = await spawnSim('ctrader-sim', [
    '--port', String(port), '--client-id', CT_CLIENT_ID, '--client-secret', CT_CLIENT_SECRET, '--access-token', CT_ACCESS_TOKEN, '--account', String(CT_ACCOUNT), ...args,
  ]);
  const http = `http://127.0.0.1:${bound}`;
  return {
    port: bound,
    url: `ws://127.0.0.1:${bound}`,
    output,
    async fault(f) {
      const res = await fetch(`${http}/__sim/fault`, { method: 'POST', body: JSON.stringify(f) });
      return ((await res.json()) as { result: string }).result;
    },
    async state() {
      return (await (await fetch(`${http}/__sim/state`)).json()) as Awaited<ReturnType<RunningCtraderSim['state']>>;
    },
    stop: () => stopChild(child),
  };
}
