// `npm run oanda-sim -- --port 8080 [--account ID] [--token T]`: runs the OANDA v20 simulator until SIGINT/SIGTERM.
// Faults are typed on stdin (`drop`, `stall 5000`, `5xx 3`, `429 2 1`, `duplicate 5`, `shock EUR_USD -3`, `price XAU_USD 2000`,
// `rollover`, `clear`) or posted as JSON to /__sim/fault.
import { Command } from 'commander';
import { OandaSimulator, type Fault } from './server';
import { intOption, runSimMain, serveFaultConsole } from '../venue-sim-kit/cli';

const o = new Command('oanda-sim')
  .description('An OANDA v20 REST and streaming API simulator: one funded practice account, plain HTTP on loopback.')
  .option('--port <n>', 'TCP port (0: any free port)', intOption('--port'), 8080)
  .option('--host <addr>', 'address to bind', '127.0.0.1')
  .option('--account <id>', 'account id (default: a practice-style id, printed)')
  .option('--token <t>', 'bearer token clients must send (default: a random one, printed)')
  .option('--seed <n>', 'seed of the price walks', intOption('--seed'), 1)
  .option('--tick-ms <n>', 'random-walk step interval in ms (0 = frozen prices)', intOption('--tick-ms'), 250)
  .option('--heartbeat-ms <n>', 'stream heartbeat interval in ms', intOption('--heartbeat-ms'), 5_000)
  .option('--liquidity <n>', 'units at the top of the book: larger orders fill in parts', intOption('--liquidity'), 10_000_000)
  .option('--balance <n>', 'opening balance in USD', intOption('--balance'), 100_000)
  .option('--state <file>', 'keep the account in this JSON file (a restart continues it)')
  .parse()
  .opts<{ port: number; host: string; account?: string; token?: string; seed: number; tickMs: number; heartbeatMs: number; liquidity: number; balance: number; state?: string }>();

/** A stdin line as a fault. */
export function parseFault(line: string): Fault {
  const [cmd, a, b, c] = line.split(/\s+/);
  const n = (v: string | undefined, d: number) => (v === undefined ? d : Number(v));
  switch (cmd) {
    case 'drop': return { kind: 'drop' };
    case 'stall': return { kind: 'stall', ms: n(a, 10_000) };
    case '5xx': return { kind: '5xx', count: n(a, 1), after: b === 'after', path: c };
    case '429': return { kind: '429', count: n(a, 1), retryAfter: n(b, 1) };
    case 'duplicate': return { kind: 'duplicate', count: n(a, 1) };
    case 'shock': return { kind: 'shock', instrument: a ?? 'EUR_USD', pct: n(b, -5) };
    case 'price': return { kind: 'price', instrument: a ?? 'EUR_USD', mid: n(b, NaN) };
    case 'rollover': return { kind: 'rollover', days: a === undefined ? undefined : Number(a) };
    case 'clear': return { kind: 'clear' };
    default: throw new Error(`unknown command "${cmd}": drop | stall MS | 5xx N [after] [PATH] | 429 N SECONDS | duplicate N | shock INSTRUMENT PCT | price INSTRUMENT MID | rollover [DAYS] | clear`);
  }
}

async function main(): Promise<void> {
  const sim = new OandaSimulator({
    port: o.port, host: o.host, accountId: o.account, token: o.token, seed: o.seed, tickMs: o.tickMs, heartbeatMs: o.heartbeatMs,
    liquidity: o.liquidity, balance: o.balance, stateFile: o.state,
  });
  const port = await sim.start();
  console.log(`oanda-sim listening on ${o.host}:${port} (seed ${o.seed})`);
  // Printed only when the simulator made them up: given ones are the caller's and stay out of the output.
  if (!o.account) console.log(`account ${sim.accountId}`);
  if (!o.token) console.log(`token ${sim.token}`);
  serveFaultConsole(sim, parseFault);
}

runSimMain(main);
