// `npm run ctrader-sim -- --port 5036 [--client-id ID] [--client-secret S] [--access-token T] [--account N]`: runs the
// cTrader Open API simulator (JSON over WebSocket) until SIGINT/SIGTERM. Credentials left out are made up and printed.
// Faults are typed on stdin (`drop`, `stall 5000`, `error 2 [CODE]`, `ratelimit 3`, `drop-on-order`, `duplicate 5`,
// `shock EURUSD -3`, `price XAUUSD 2000`, `clear`) or posted as JSON to /__sim/fault.
import { Command } from 'commander';
import { CtraderSimulator, type Fault } from './server';
import { intOption, runSimMain, serveFaultConsole } from '../venue-sim-kit/cli';

const o = new Command('ctrader-sim')
  .description('A cTrader Open API simulator: JSON over WebSocket on loopback, one funded NETTED demo account.')
  .option('--port <n>', 'TCP port (0: any free port)', intOption('--port'), 5036)
  .option('--host <addr>', 'address to bind', '127.0.0.1')
  .option('--client-id <id>', 'the application\'s client id (default: made up, printed)')
  .option('--client-secret <s>', 'the application\'s client secret (default: made up, printed)')
  .option('--access-token <t>', 'the trader\'s access token (default: made up, printed)')
  .option('--account <n>', 'ctidTraderAccountId (default: made up, printed)', intOption('--account'))
  .option('--seed <n>', 'seed of the price walks', intOption('--seed'), 1)
  .option('--tick-ms <n>', 'random-walk step interval in ms (0 = frozen prices)', intOption('--tick-ms'), 250)
  .option('--heartbeat-ms <n>', 'ProtoHeartbeatEvent interval in ms', intOption('--heartbeat-ms'), 10_000)
  .option('--liquidity <n>', 'units that fill at once: larger orders fill in parts', intOption('--liquidity'), 10_000_000)
  .option('--balance <n>', 'opening balance in USD', intOption('--balance'), 100_000)
  .option('--state <file>', 'keep the account in this JSON file (a restart continues it)')
  .parse()
  .opts<{ port: number; host: string; clientId?: string; clientSecret?: string; accessToken?: string; account?: number; seed: number; tickMs: number; heartbeatMs: number; liquidity: number; balance: number; state?: string }>();

/** A stdin line as a fault. */
export function parseFault(line: string): Fault {
  const [cmd, a, b] = line.split(/\s+/);
  const n = (v: string | undefined, d: number) => (v === undefined ? d : Number(v));
  switch (cmd) {
    case 'drop': return { kind: 'drop' };
    case 'stall': return { kind: 'stall', ms: n(a, 10_000) };
    case 'error': return { kind: 'error', count: n(a, 1), code: b };
    case 'ratelimit': return { kind: 'ratelimit', count: n(a, 1) };
    case 'drop-on-order': return { kind: 'drop-on-order' };
    case 'duplicate': return { kind: 'duplicate', count: n(a, 1) };
    case 'shock': return { kind: 'shock', symbol: a ?? 'EURUSD', pct: n(b, -5) };
    case 'price': return { kind: 'price', symbol: a ?? 'EURUSD', mid: n(b, NaN) };
    case 'rollover': return { kind: 'rollover', days: a === undefined ? undefined : Number(a) };
    case 'clear': return { kind: 'clear' };
    default: throw new Error(`unknown command "${cmd}": drop | stall MS | error N [CODE] | ratelimit N | drop-on-order | duplicate N | shock SYMBOL PCT | price SYMBOL MID | clear`);
  }
}

async function main(): Promise<void> {
  const sim = new CtraderSimulator({
    port: o.port, host: o.host, clientId: o.clientId, clientSecret: o.clientSecret, accessToken: o.accessToken, accountId: o.account, seed: o.seed,
    tickMs: o.tickMs, heartbeatMs: o.heartbeatMs, liquidity: o.liquidity, balance: o.balance, stateFile: o.state,
  });
  const port = await sim.start();
  console.log(`ctrader-sim listening on ${o.host}:${port} (seed ${o.seed}; ws://${o.host}:${port})`);
  // Printed only when the simulator made them up: given ones are the caller's and stay out of the output.
  if (!o.clientId) console.log(`client-id ${sim.clientId}`);
  if (!o.clientSecret) console.log(`client-secret ${sim.clientSecret}`);
  if (!o.accessToken) console.log(`access-token ${sim.accessToken}`);
  if (o.account === undefined) console.log(`account ${sim.accountId}`);
  serveFaultConsole(sim, parseFault);
}

runSimMain(main);
