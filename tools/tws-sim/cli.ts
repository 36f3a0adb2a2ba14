// `npm run tws-sim -- --port 7497`: runs the TWS simulator for a user until SIGINT/SIGTERM.
import { createInterface } from 'node:readline';
import { Command, InvalidArgumentError } from 'commander';
import { TwsSimulator } from './simulator';

const int = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer, got "${v}"`);
  return n;
};

const program = new Command('tws-sim')
  .description('A TWS API server simulator: real wire protocol, simulated market, orders and account.')
  .option('--port <n>', 'TCP port (7497 = TWS paper)', int('--port'), 7497)
  .option('--host <addr>', 'address to bind', '127.0.0.1')
  .option('--account <id>', 'account id', 'DU1234567')
  .option('--seed <n>', 'seed of the price walks', int('--seed'), 1)
  .option('--tick-ms <n>', 'random-walk step interval in ms (0 = frozen prices)', int('--tick-ms'), 250)
  .option('--server-version <n>', 'highest API server version to announce (176..193)', int('--server-version'), 193)
  .option('--max-fill-size <n>', 'largest quantity per execution (partial fills)', int('--max-fill-size'))
  .option('--max-order-quantity <n>', 'reject orders above this quantity (error 201)', int('--max-order-quantity'))
  .option('--delayed-only', 'no live data permission: live requests get 10167 and delayed data')
  .option('--delay-ms <n>', 'delay every outgoing message (slow TWS)', int('--delay-ms'), 0)
  .option('--refuse', 'accept and close every connection (TWS not accepting API clients)')
  .parse();

const o = program.opts<{
  port: number; host: string; account: string; seed: number; tickMs: number; serverVersion: number;
  maxFillSize?: number; maxOrderQuantity?: number; delayedOnly?: boolean; delayMs: number; refuse?: boolean;
}>();

async function main(): Promise<void> {
  const sim = new TwsSimulator({
    port: o.port, host: o.host, account: o.account, seed: o.seed, tickMs: o.tickMs, serverVersion: o.serverVersion,
    maxFillSize: o.maxFillSize, maxOrderQuantity: o.maxOrderQuantity, liveData: !o.delayedOnly,
  });
  sim.delay(o.delayMs);
  sim.refuseConnections(!!o.refuse);
  // One line per client: when it has started the API (so the line can name its clientId), and when it goes.
  const remotes = new Map<number, string>();
  sim.on('connect', (e: { session: number; remote: string }) => remotes.set(e.session, e.remote));
  sim.on('client-ready', (e: { session: number; clientId: number }) => console.log(`connect #${e.session} from ${remotes.get(e.session)}: started the API with clientId ${e.clientId}`));
  sim.on('disconnect', (e: { session: number; clientId: number }) => {
    remotes.delete(e.session);
    console.log(`disconnect #${e.session}${e.clientId >= 0 ? ` (clientId ${e.clientId})` : ' (before startApi)'}`);
  });
  sim.on('protocol-error', (e: { session: number; error: string }) => console.log(`protocol error on #${e.session}: ${e.error}`));
  const port = await sim.start();
  // The account id stays out of the output: the project treats account ids as secrets, even a paper one.
  console.log(`tws-sim listening on ${o.host}:${port} (server version ≤ ${o.serverVersion}, seed ${o.seed})`);
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    void runCommand(sim, line.trim()).then((msg) => msg && console.log(msg), (e: unknown) => console.log(`error: ${(e as Error).message}`));
  });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    rl.close();
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** Fault and market commands typed on stdin while the simulator runs. */
async function runCommand(sim: TwsSimulator, line: string): Promise<string | undefined> {
  const [cmd, a, b] = line.split(/\s+/);
  const on = (v: string | undefined): boolean => v === undefined || v === 'on' || v === 'ok' || v === 'true';
  switch (cmd) {
    case '':
    case undefined:
      return undefined;
    case 'price': {
      const p = Number(b);
      if (!a || !Number.isFinite(p) || p <= 0) throw new Error('usage: price <symbol> <price>');
      sim.setPrice(a, p);
      return `${a.toUpperCase()} ${JSON.stringify(sim.quote(a))}`;
    }
    case 'drop':
      sim.dropConnections();
      return 'dropped all connections';
    case 'restart':
      await sim.restart();
      return `restarted on port ${sim.port}`;
    case 'silent':
      sim.silent(on(a));
      return `silent ${on(a) ? 'on' : 'off'}`;
    case 'lost':
      sim.connectivityLost();
      return 'connectivity lost (1100)';
    case 'restored':
      sim.connectivityRestored(a === 'lost');
      return `connectivity restored (${a === 'lost' ? '1101' : '1102'})`;
    case 'farm':
      if (!a) throw new Error('usage: farm usfarm|ushmds ok|broken');
      sim.dataFarm(a, on(b));
      return `${a} ${on(b) ? 'ok' : 'broken'}`;
    case 'delay': {
      const ms = Number(a);
      if (!Number.isFinite(ms) || ms < 0) throw new Error('usage: delay <ms>');
      sim.delay(ms);
      return `delay ${ms} ms`;
    }
    case 'refuse':
      sim.refuseConnections(on(a));
      return `refuse ${on(a) ? 'on' : 'off'}`;
    case 'stops':
      sim.refuseStops(!on(a));
      return `stop orders ${on(a) ? 'accepted' : 'refused'}`;
    case 'status':
      return JSON.stringify({ stats: sim.stats, account: sim.account(), positions: sim.positions(), openOrders: sim.openOrders().length });
    default:
      throw new Error(`unknown command "${cmd}" (price, drop, restart, silent, lost, restored, farm, delay, refuse, stops, status)`);
  }
}

main().catch((e: unknown) => {
  console.error(`tws-sim: ${(e as Error).message}`);
  process.exit(1);
});
