// A headless terminal (the real composition root) run as a child process by the backup tests: it places a burst of
// paper market orders, takes a backup through the API (as Settings does) in the middle of it, goes on placing orders,
// prints "backup <json>" and "done", then holds the data folder until it reads "stop" on stdin.
import { createApp } from '../../src-main/app';
import { createLogger } from '../../src-main/logging';

const dataDir = process.argv[process.argv.indexOf('--data-dir') + 1]!;
const orders = Number(process.argv[process.argv.indexOf('--orders') + 1] ?? 60);
const app = await createApp({ dataDir, transport: 'web', logger: createLogger({ level: 'silent' }) });
const call = async (method: string, params: unknown) => {
  const r = await app.dispatch(method as never, params as never);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.result as never;
};

// Round trips (a buy, then a sell) in markets open around the clock, small enough for every risk limit.
const place = (i: number) => {
  const btc = Math.floor(i / 2) % 2 === 0;
  return call('orders.place', { symbol: btc ? 'BTCUSD' : 'EURUSD', side: i % 2 === 0 ? 'buy' : 'sell', type: 'market', quantity: btc ? 0.001 : 1000, timeInForce: 'day' });
};
// The first half is filled before the backup starts; the second half is placed while the backup copies.
const first: Promise<unknown>[] = [];
for (let i = 0; i < orders / 2; i++) first.push(place(i));
await Promise.all(first);
await app.sessions.idle();
const backup = call('backups.create', {});
const second: Promise<unknown>[] = [];
for (let i = orders / 2; i < orders; i++) second.push(place(i));
const result = await backup;
await Promise.all(second);
await app.sessions.idle();
process.stdout.write(`backup ${JSON.stringify(result)}\ndone\n`);

process.stdin.setEncoding('utf8');
process.stdin.on('data', (d: string) => {
  if (!d.includes('stop')) return;
  void app.dispose().then(() => {
    process.stdout.write('stopped\n');
    process.exit(0);
  });
});
