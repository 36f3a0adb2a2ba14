// A headless terminal (the real composition root, createApp, on a data folder) run as a child process by the paper
// order kill trials. `--phase run` places the trial's orders and cancels (market, limit, bracket) and prints every fill
// the terminal acknowledged ("fill <execId>"); the parent SIGKILLs it at a random moment. `--phase settle` restarts on
// the same folder, lets the restart path finish, prints "settled" and exits cleanly.
import { createApp } from '../../src-main/app';
import { createLogger } from '../../src-main/logging';
import { planPaperOrders } from './order-trials';

function arg(name: string): string {
  const i = process.argv.indexOf(name);
  return process.argv[i + 1]!;
}

const dataDir = arg('--data-dir');
const phase = arg('--phase');
const seed = Number(arg('--seed'));
const app = await createApp({ dataDir, transport: 'web', logger: createLogger({ level: 'silent' }) });
app.hub.subscribe((name, data) => {
  if (name === 'fill') process.stdout.write(`fill ${(data as { id: string }).id}\n`);
});
const call = async (method: string, params: unknown) => {
  const r = await app.dispatch(method as never, params as never);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.result as never;
};

async function quiet(): Promise<void> {
  // Until nothing is in flight: no order waiting for the broker's acknowledgement and the queue idle.
  for (let i = 0; i < 400; i++) {
    await app.sessions.idle();
    const open = (await call('orders.list', { scope: 'open', limit: 5000 })) as { status: string }[];
    if (!open.some((o) => o.status === 'new' || o.status === 'submitted')) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

process.stdout.write('ready\n');
if (phase === 'run') {
  const quotes = (await call('quotes.snapshot', {})) as { symbol: string; bid: number; ask: number }[];
  const quote = (s: string) => quotes.find((q) => q.symbol === s)!;
  const placed: string[] = [];
  for (const step of planPaperOrders(seed, quote)) {
    if (step.delayMs) await new Promise((r) => setTimeout(r, step.delayMs));
    if (step.kind === 'cancel') {
      const id = placed[step.index % Math.max(placed.length, 1)];
      if (id) await call('orders.cancel', { orderId: id }).catch(() => undefined); // already finished: nothing to cancel
      continue;
    }
    const r = (await call('orders.place', step.request)) as { order: { id: string } };
    placed.push(r.order.id);
  }
  await quiet();
  process.stdout.write('done\n');
} else {
  await quiet();
  await new Promise((r) => setTimeout(r, 50));
  await quiet();
  await app.dispose();
  process.stdout.write('settled\n');
  process.exit(0);
}
