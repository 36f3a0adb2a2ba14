// `npm run ig-sim -- --port 8090 [--api-key K] [--identifier U] [--password W] [--account ID]`: runs the IG REST
// simulator until SIGINT/SIGTERM. Faults are typed on stdin (`drop`, `stall 5000`, `5xx 3`, `allowance 2`, `429 2 1`,
// `duplicate 5`, `shock CS.D.EURUSD.CFD.IP -3`, `price EPIC MID`, `expire`, `rollover [DAYS]`, `duplicate-funding N`, `clear`) or posted as JSON to /__sim/fault.
import { Command } from 'commander';
import { IgSimulator, type Fault } from './server';
import { intOption, runSimMain, serveFaultConsole } from '../venue-sim-kit/cli';

const o = new Command('ig-sim')
  .description("An IG REST trading API simulator: one demo CFD account, plain HTTP on loopback (no Lightstreamer).")
  .option('--port <n>', 'TCP port (0: any free port)', intOption('--port'), 8090)
  .option('--host <addr>', 'address to bind', '127.0.0.1')
  .option('--api-key <k>', 'X-IG-API-KEY clients must send (default: a random one, printed)')
  .option('--identifier <u>', 'login identifier (default: demo-user, printed)')
  .option('--password <w>', 'login password (default: a random one, printed)')
  .option('--account <id>', 'account id (default: a demo-style id, printed)')
  .option('--seed <n>', 'seed of the price walks', intOption('--seed'), 1)
  .option('--tick-ms <n>', 'random-walk step interval in ms (0 = frozen prices)', intOption('--tick-ms'), 500)
  .option('--balance <n>', 'opening balance in USD', intOption('--balance'), 10_000)
  .option('--non-trading-per-minute <n>', "non-trading requests per account per minute (IG's allowance: 30; 0: no limit)", intOption('--non-trading-per-minute'), 30)
  .option('--trading-per-minute <n>', "trading requests per account per minute (IG's allowance: 100; 0: no limit)", intOption('--trading-per-minute'), 100)
  .option('--state <file>', 'keep the account in this JSON file (a restart continues it)')
  .parse()
  .opts<{ port: number; host: string; apiKey?: string; identifier?: string; password?: string; account?: string; seed: number; tickMs: number; balance: number; nonTradingPerMinute: number; tradingPerMinute: number; state?: string }>();

/** A stdin line as a fault. */
export function parseFault(line: string): Fault {
  const [cmd, a, b, c] = line.split(/\s+/);
  const n = (v: string | undefined, d: number) => (v === undefined ? d : Number(v));
  switch (cmd) {
    case 'drop': return { kind: 'drop' };
    case 'stall': return { kind: 'stall', ms: n(a, 10_000) };
    case '5xx': return { kind: '5xx', count: n(a, 1), after: b === 'after', path: c };
    case 'allowance': return { kind: 'allowance', count: n(a, 1), path: b };
    case '429': return { kind: '429', count: n(a, 1), retryAfter: n(b, 1) };
    case 'duplicate': return { kind: 'duplicate', count: n(a, 1) };
    case 'shock': return { kind: 'shock', epic: a ?? 'CS.D.EURUSD.CFD.IP', pct: n(b, -5) };
    case 'price': return { kind: 'price', epic: a ?? 'CS.D.EURUSD.CFD.IP', mid: n(b, NaN) };
    case 'expire': return { kind: 'expire' };
    case 'rollover': return { kind: 'rollover', days: a === undefined ? undefined : Number(a) };
    case 'duplicate-funding': return { kind: 'duplicate-funding', count: n(a, 1) };
    case 'clear': return { kind: 'clear' };
    default: throw new Error(`unknown command "${cmd}": drop | stall MS | 5xx N [after] [PATH] | allowance N [PATH] | 429 N SECONDS | duplicate N | shock EPIC PCT | price EPIC MID | expire | rollover [DAYS] | duplicate-funding N | clear`);
  }
}

async function main(): Promise<void> {
  const sim = new IgSimulator({
    port: o.port, host: o.host, apiKey: o.apiKey, identifier: o.identifier, password: o.password, accountId: o.account, seed: o.seed, tickMs: o.tickMs,
    balance: o.balance, nonTradingPerMinute: o.nonTradingPerMinute, tradingPerMinute: o.tradingPerMinute, stateFile: o.state,
  });
  const port = await sim.start();
  console.log(`ig-sim listening on ${o.host}:${port} (seed ${o.seed})`);
  // Printed only when the simulator made them up: given ones are the caller's and stay out of the output.
  if (!o.apiKey) console.log(`api-key ${sim.apiKey}`);
  if (!o.identifier) console.log(`identifier ${sim.identifier}`);
  if (!o.password) console.log(`password ${sim.password}`);
  if (!o.account) console.log(`account ${sim.accountId}`);
  serveFaultConsole(sim, parseFault);
}

runSimMain(main);
