// GET /health and GET /metrics on the running web host (out/main/web.js): token required, the IETF health document,
// and a Prometheus exposition that Prometheus' own `promtool check metrics` accepts; the log viewer reads the files.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHost, type RunningHost } from '../support/web-host';

let host: RunningHost;
let ws: WebSocket;
let nextId = 1;
const pending = new Map<number, (frame: { result?: unknown; error?: { message: string } }) => void>();

function call<T>(method: string, params: unknown = {}): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, (f) => (f.error ? reject(new Error(f.error.message)) : resolve(f.result as T)));
    ws.send(JSON.stringify({ id, method, params }));
  });
}

beforeAll(async () => {
  // US market hours whenever the test runs: the paper broker holds market orders while the market is closed.
  host = await startHost({ env: { QC_TEST_FAULTS: 'clock-from=2026-12-01T16:00:00Z' } });
  ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`);
  ws.on('message', (raw) => {
    const f = JSON.parse(String(raw)) as { id?: number; result?: unknown; error?: { message: string } };
    if (typeof f.id === 'number') pending.get(f.id)?.(f);
  });
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
});
afterAll(async () => {
  ws?.close();
  await host?.stop();
});

const get = (path: string, token = true) => fetch(`http://127.0.0.1:${host.port}${path}${token ? `?token=${host.token}` : ''}`);

describe('operations endpoints of the web host', () => {
  it('GET /health needs the token and answers application/health+json; health.get answers the same document', async () => {
    expect((await get('/health', false)).status).toBe(401);
    expect((await get('/metrics', false)).status).toBe(401);
    const res = await get('/health');
    expect(res.headers.get('content-type')).toBe('application/health+json');
    const report = (await res.json()) as { status: string; checks: Record<string, { status: string; componentType: string; time: string }[]> };
    // A fresh folder has no backup: warn, which is still 200 (only fail is 503).
    expect(res.status).toBe(200);
    expect(report.status).toBe('warn');
    expect(report.checks['backup:age']![0]).toMatchObject({ status: 'warn', componentType: 'system' });
    expect(report.checks['database:connectivity']![0]).toMatchObject({ status: 'pass', componentType: 'datastore' });
    expect(report.checks['Paper:connected']![0]).toMatchObject({ status: 'pass', componentType: 'broker' });
    expect(report.checks['demo:circuit']![0]).toMatchObject({ status: 'pass', componentType: 'data-feed' });
    expect(Date.parse(report.checks['disk:free']![0]!.time)).toBeGreaterThan(0);
    const viaApi = await call<{ checks: Record<string, unknown> }>('health.get');
    expect(Object.keys(viaApi.checks).sort()).toEqual(Object.keys(report.checks).sort());
  });

  it('GET /metrics: orders, fills, rejections, quotes, API latency, tick-to-UI, DB timings; promtool check metrics passes', async () => {
    // An order that fills (24x7 market), one the risk gate refuses, and the renderer's tick-to-UI report.
    const filled = await call<{ rejection: unknown }>('orders.place', { symbol: 'BTCUSD', side: 'buy', type: 'market', quantity: 0.001, timeInForce: 'day' });
    expect(filled.rejection).toBeNull();
    const refused = await call<{ rejection: { rule: string } | null }>('orders.place', { symbol: 'BTCUSD', side: 'buy', type: 'market', quantity: 5000, timeInForce: 'day' });
    expect(refused.rejection).not.toBeNull();
    await call('metrics.tickToUi', { samples: [12, 30, 45] });
    for (let i = 0; i < 50 && (await call<unknown[]>('fills.list')).length === 0; i++) await new Promise((r) => setTimeout(r, 100));

    // The demo market's quotes come on its own timer: on a loaded machine the first may still be on its way.
    let res = await get('/metrics');
    let text = await res.text();
    for (let i = 0; i < 100 && !/^qc_quotes_total\{provider="demo"\} [1-9]/m.test(text); i++) {
      await new Promise((r) => setTimeout(r, 100));
      res = await get('/metrics');
      text = await res.text();
    }
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toMatch(/^qc_orders_total\{outcome="submitted"\} [1-9]/m);
    expect(text).toMatch(/^qc_orders_total\{outcome="rejected"\} [1-9]/m);
    expect(text).toMatch(/^qc_order_rejections_total\{reason="[^"]+"\} 1$/m);
    expect(text).toMatch(/^qc_fills_total\{venue="paper"\} [1-9]/m);
    expect(text).toMatch(/^qc_quotes_total\{provider="demo"\} [1-9]/m);
    expect(text).toMatch(/^qc_api_request_duration_seconds_count\{method="orders.place",outcome="ok"\} 2$/m);
    expect(text).toMatch(/^qc_tick_to_ui_seconds_count 3$/m);
    expect(text).toMatch(/^qc_db_statement_duration_seconds_count\{statement="applyFill"\} [1-9]/m);
    expect(text).toMatch(/^qc_nodejs_eventloop_lag_seconds /m);
    expect(text).toMatch(/^qc_process_resident_memory_bytes /m);
    expect(text).toMatch(/^qc_process_cpu_seconds_total /m);

    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(promtool.error).toBeUndefined();
    expect({ status: promtool.status, out: promtool.stdout + promtool.stderr }).toEqual({ status: 0, out: '' });
  });

  it('logs.read: the log file\'s lines, newest first, filtered by level and text', async () => {
    const all = await call<{ lines: { level: string; msg: string; time: number }[]; files: string[] }>('logs.read', { level: 'info', text: '' });
    expect(all.files).toEqual(['quant-claude.log']);
    expect(all.lines.map((l) => l.msg)).toContain('Quant Claude started');
    for (let i = 1; i < all.lines.length; i++) expect(all.lines[i - 1]!.time).toBeGreaterThanOrEqual(all.lines[i]!.time);
    const started = await call<{ lines: { msg: string }[] }>('logs.read', { level: 'info', text: 'QUANT CLAUDE STARTED' });
    expect(started.lines.map((l) => l.msg)).toEqual(['Quant Claude started']);
    const errors = await call<{ lines: { level: string }[] }>('logs.read', { level: 'error', text: '' });
    expect(errors.lines.every((l) => l.level === 'error' || l.level === 'fatal')).toBe(true);
  });
});
