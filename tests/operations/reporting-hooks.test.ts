// Reporting hooks (issue 18) against a real local HTTP server: a receiver that fails twice and then accepts gets the
// fill's report exactly once, with the right payload, across a restart of the terminal between the failures.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { DEFAULT_CONFIG_YAML, parseConfig } from '../../src-main/config/config';
import { createLogger } from '../../src-main/logging';
import type { HooksStatus } from '../../src-shared/api/operations';
import type { Fill, Order } from '../../src-shared/domain/types';

let server: Server;
let app: App | undefined;
afterAll(async () => {
  await app?.dispose();
  server?.close();
});

async function call<T>(a: App, method: string, params: unknown): Promise<T> {
  const r = await a.dispatch(method as never, params as never);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.result as T;
}

async function until<T>(fn: () => Promise<T>, pred: (v: T) => boolean, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (pred(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('reporting hooks', () => {
  it('config.yaml refuses a hook URL that is neither loopback nor HTTPS, with the reason', () => {
    const yaml = (url: string) => `${DEFAULT_CONFIG_YAML.replace('  hooks: []\n', `  hooks:\n    - { name: out, kind: url, url: '${url}' }\n`)}`;
    expect(() => parseConfig(yaml('http://reports.example.com/in'))).toThrow(/reporting\.hooks\.0\.url: http:\/\/reports\.example\.com is refused: reports go to a loopback address .* or over HTTPS only/);
    expect(parseConfig(yaml('https://reports.example.com/in')).reporting.hooks[0]).toMatchObject({ kind: 'url', events: ['fill', 'day-end'] });
    expect(parseConfig(yaml('http://127.0.0.1:9/in')).reporting.hooks).toHaveLength(1);
  });

  it('a receiver that fails twice then accepts gets the fill report exactly once, across a restart', async () => {
    const received: { status: number; body: Record<string, unknown>; key: string | undefined }[] = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const status = received.length < 2 ? 503 : 200;
        received.push({ status, body: JSON.parse(body) as Record<string, unknown>, key: req.headers['idempotency-key'] as string | undefined });
        res.writeHead(status).end(status === 200 ? 'ok' : 'busy');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const dataDir = mkdtempSync(join(tmpdir(), 'qc-hooks-'));
    const folder = join(dataDir, 'reports');
    writeFileSync(join(dataDir, 'config.yaml'), DEFAULT_CONFIG_YAML.replace('  hooks: []\n',
      `  hooks:\n    - { name: desk, kind: url, url: 'http://127.0.0.1:${port}/report', events: [fill] }\n    - { name: archive, kind: folder, path: '${folder}', format: csv, events: [fill] }\n`));

    app = await createApp({ dataDir, transport: 'web', logger: createLogger({ level: 'silent' }) });
    const placed = await call<{ order: Order }>(app, 'orders.place', { symbol: 'BTCUSD', side: 'buy', type: 'market', quantity: 0.002, timeInForce: 'day' });
    // First attempt at once, the second after the 1 s backoff: both refused, visible in hooks.status.
    const failing = await until(() => call<HooksStatus>(app!, 'hooks.status', {}), (s) => s.failedAttempts >= 1 && received.length >= 1, 'a failed attempt');
    expect(failing.pending).toBe(1);
    expect(failing.lastError).toMatchObject({ hook: 'desk', message: expect.stringMatching(/answered HTTP 503/) });
    await until(async () => received.length, (n) => n >= 2, 'the second attempt');
    // A restart with the delivery still queued: nothing is lost, the store had it.
    await app.dispose();
    app = await createApp({ dataDir, transport: 'web', logger: createLogger({ level: 'silent' }) });
    const done = await until(() => call<HooksStatus>(app!, 'hooks.status', {}), (s) => s.pending === 0, 'the delivery');
    expect(done.lastError).toBeNull();
    await new Promise((r) => setTimeout(r, 1500)); // no further POST comes

    expect(received.map((r) => r.status)).toEqual([503, 503, 200]);
    const fills = await call<Fill[]>(app, 'fills.list', {});
    expect(fills).toHaveLength(1);
    const body = received[2]!.body as { key: string; event: string; fillId: string; accountId: string; day: string; orders: Order[]; fills: Fill[]; audit: { kind: string; orderId: string }[] };
    expect(received[2]!.key).toBe(`fill:${fills[0]!.id}`);
    expect(body).toMatchObject({ key: `fill:${fills[0]!.id}`, event: 'fill', fillId: fills[0]!.id, accountId: 'PAPER-1', day: new Date(fills[0]!.time).toISOString().slice(0, 10) });
    expect(body.fills).toEqual(fills);
    expect(body.orders.map((o) => o.id)).toEqual([placed.order.id]);
    expect(body.audit.filter((a) => a.orderId === placed.order.id).map((a) => a.kind)).toEqual(expect.arrayContaining(['order.intent', 'order.fill']));
    // Every attempt carried the same report.
    expect(received[0]!.body).toEqual(received[2]!.body);
    const deliveries = done.deliveries.filter((d) => d.hook === 'desk');
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.attempts).toBe(3);

    // The folder hook wrote the day's records as CSV.
    const base = join(folder, `qc-${body.day}-PAPER-1`);
    expect(readFileSync(`${base}-fills.csv`, 'utf8').split('\n')[1]).toContain(fills[0]!.id);
    expect(readFileSync(`${base}-orders.csv`, 'utf8')).toContain(placed.order.id);
    expect(readFileSync(`${base}-audit.csv`, 'utf8')).toContain('order.fill');
  }, 90_000);
});
