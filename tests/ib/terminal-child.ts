// A headless terminal on a data file, run as a child process by the kill trials: connects to the simulator, optionally
// places the trial's orders, and answers "settle" / "exit" on stdin. The parent SIGKILLs it at a random moment.
import { createInterface } from 'node:readline';
import { openTerminal, waitReady } from './harness';
import { planOrders } from './trials';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const db = arg('--db')!;
const port = Number(arg('--port'));
const seed = Number(arg('--seed'));
const term = openTerminal(db, port);
await term.connect();
await waitReady(term, 10_000);
process.stdout.write('ready\n');

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  if (line === 'settle') {
    void (async () => {
      const { session } = term.sessions.active();
      let last = -1;
      for (;;) {
        await term.sessions.idle();
        const n = (await term.store.fills.list({ accountId: session.accountId, limit: 5000 })).length;
        if (n === last && session.status().ready) break;
        last = n;
        await new Promise((r) => setTimeout(r, 40));
      }
      process.stdout.write('settled\n');
    })();
  } else if (line === 'exit') {
    void term.close().then(() => process.exit(0));
  }
});

if (process.argv.includes('--orders')) {
  const { trading, session } = term.sessions.active();
  const plans = planOrders(seed, (s) => {
    const q = session.market.lastQuote(s)!;
    return { bid: q.bid, ask: q.ask };
  });
  for (const [i, p] of plans.entries()) {
    if (p.delayMs) await new Promise((r) => setTimeout(r, p.delayMs));
    process.stdout.write(`placing ${i}\n`);
    const r = await trading.placeOrder(p.request);
    if (!r.rejection) process.stdout.write(`accepted ${r.order.id}\n`);
  }
}
