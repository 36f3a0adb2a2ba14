// One writer per data folder, with real processes on one folder: a second web host and a writing CLI command refuse in
// one line naming the holder and re-send nothing; reads still work; a SIGKILLed holder leaves no lock behind.
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, connect, runHostToExit, spawnHost, type HostProcess } from '../support/host-process';
import { tempDataDir } from '../support/web-host';

interface AuditRow { kind: string; order: string | null }
interface OrderRow { status: string }

const hosts: HostProcess[] = [];
afterAll(() => {
  for (const h of hosts) if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGKILL');
});

async function audit(dataDir: string): Promise<AuditRow[]> {
  const r = await cli('audit', '--data-dir', dataDir, '--limit', '5000', '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as AuditRow[];
}
const count = (rows: AuditRow[], kind: string) => rows.filter((r) => r.kind === kind).length;

function occupy(): Promise<Server> {
  const s = createServer();
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}

describe('one writer per data folder', () => {
  it('a second host and a writing CLI command refuse while reads work; nothing is re-sent; a SIGKILLed holder is taken over', async () => {
    const dataDir = tempDataDir('qc-lock-');
    const a = spawnHost(dataDir);
    hosts.push(a);
    const { port, token } = await a.ready;
    const api = await connect(port, token);
    const [btc] = (await api.call<{ symbol: string; last: number }[]>('quotes.snapshot')).filter((q) => q.symbol === 'BTCUSD');
    expect(btc).toBeDefined();
    // Ten working GTC buy limits 4 % under the price (inside the ±5 % collar), far enough not to fill during the test.
    const limitPrice = Math.round(btc!.last * 0.96 * 100) / 100;
    for (let i = 0; i < 10; i++) {
      const r = await api.call<{ order: { status: string }; rejection: unknown }>('orders.place', { symbol: 'BTCUSD', side: 'buy', type: 'limit', quantity: 0.001, limitPrice, timeInForce: 'gtc' });
      expect(r.rejection).toBeNull();
    }
    api.close();
    const before = await audit(dataDir);
    expect(count(before, 'order.ack')).toBe(10);

    // A second web host on the folder: one line naming the holder, exit code 1, nothing re-sent.
    const b = await runHostToExit(dataDir);
    expect(b.code).toBe(1);
    expect(b.stdout).toBe('');
    expect(b.stderr).toMatch(new RegExp(`^Quant Claude could not start: the data folder \\S+ is in use by the Quant Claude web host \\(pid ${a.pid}, started [^)]+\\); stop it first or use another data folder\\n$`));

    // On A's own port too: the folder is checked first, so the refusal names A rather than a busy port.
    const b2 = await runHostToExit(dataDir, { port });
    expect(b2.code).toBe(1);
    expect(b2.stderr).toBe(b.stderr);

    // A writing CLI command refuses the same way; the read-only ones answer from the live database.
    const imp = await cli('import', '--data', 'tests/fixtures/GOOG.csv', '--symbol', 'GOOG', '--data-dir', dataDir);
    expect(imp.code).not.toBe(0);
    expect(imp.stderr).toMatch(new RegExp(`^quant-claude: the data folder \\S+ is in use by the Quant Claude web host \\(pid ${a.pid}, [^)]+\\)[^\\n]*\\n$`));
    const account = await cli('account', '--data-dir', dataDir, '--json');
    expect(account.code, account.stderr).toBe(0);
    expect((JSON.parse(account.stdout) as { cash: string }[]).map((x) => Number(x.cash))).toEqual([100_000]);
    const positions = await cli('positions', '--data-dir', dataDir, '--json');
    expect(JSON.parse(positions.stdout)).toEqual([]);
    const open = await cli('orders', '--open', '--data-dir', dataDir, '--json');
    expect((JSON.parse(open.stdout) as OrderRow[]).map((o) => o.status)).toEqual(Array(10).fill('working'));

    const afterB = await audit(dataDir);
    expect(count(afterB, 'order.ack')).toBe(10);
    expect(count(afterB, 'order.resubmitted')).toBe(0);
    expect(afterB.length).toBe(before.length);

    // kill -9: the OS drops the lock with the process.
    a.child.kill('SIGKILL');
    await a.exited;

    // A start whose port is taken refuses before it opens the database: nothing re-sent.
    const blocker = await occupy();
    const taken = (blocker.address() as { port: number }).port;
    const c = await runHostToExit(dataDir, { port: taken });
    blocker.close();
    expect(c.code).toBe(1);
    expect(c.stderr).toBe(`Quant Claude could not start: port ${taken} on 127.0.0.1 is in use; pass --port N.\n`);
    expect(count(await audit(dataDir), 'order.resubmitted')).toBe(0);

    // A new start takes the folder over. The paper broker forgets working orders, so the new holder re-sends each one
    // at most once (none, should the paper broker come to keep them as a real broker does).
    const d = spawnHost(dataDir);
    hosts.push(d);
    const ready = await d.ready;
    const api2 = await connect(ready.port, ready.token);
    const orders = await api2.call<{ status: string }[]>('orders.list', { scope: 'open' });
    expect(orders.map((o) => o.status)).toEqual(Array(10).fill('working'));
    const resent = await audit(dataDir);
    const resentIds = resent.filter((r) => r.kind === 'order.resubmitted').map((r) => r.order);
    expect(resentIds.length).toBeLessThanOrEqual(10);
    expect(new Set(resentIds).size).toBe(resentIds.length);
    expect(await api2.call('positions.list')).toEqual([]);
    expect(Number((await api2.call<{ cash: string }>('account.summary')).cash)).toBe(100_000);
    api2.close();
    d.child.kill('SIGTERM');
    expect((await d.exited).code).toBe(0);

    // Released on a clean stop: the CLI may write now.
    const imp2 = await cli('import', '--data', 'tests/fixtures/GOOG.csv', '--symbol', 'GOOG', '--data-dir', dataDir, '--json');
    expect(imp2.code, imp2.stderr).toBe(0);
  });
});
