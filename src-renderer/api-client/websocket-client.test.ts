// The WebSocket client against a real WebSocket server (the `ws` package) on a loopback port: frames, validation, reconnects.
// eslint-disable-next-line no-restricted-imports -- this test runs in Node: the server side (and the client class) are the real `ws`.
import WebSocket, { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiCallError } from '../../src-shared/api/contract';
import { createWebSocketClient, parseServerFrame, type WebSocketClient, type WebSocketLike } from './websocket-client';

const INFO = { name: 'Quant Claude', version: '0.1.0', transport: 'web', broker: 'Paper — demo market', dataDir: '/tmp/x', database: 'sqlite' };
const QUOTE = { symbol: 'AAPL', time: 1_700_000_000_000, bid: 99.9, ask: 100.1, last: 100, lastSize: 5, source: 'demo' };

interface Server {
  wss: WebSocketServer;
  port: number;
  urls: string[];
  sockets: Set<WebSocket>;
  received: { method: string; params: unknown }[];
}

/** A tiny stand-in for the web host: answers a few methods the way the real one frames them. */
async function startServer(port = 0): Promise<Server> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const s: Server = { wss, port: (wss.address() as AddressInfo).port, urls: [], sockets: new Set(), received: [] };
  wss.on('connection', (ws, req) => {
    s.urls.push(req.url ?? '');
    s.sockets.add(ws);
    ws.on('close', () => s.sockets.delete(ws));
    ws.on('message', (raw) => {
      const { id, method, params } = JSON.parse(String(raw)) as { id: number; method: string; params: unknown };
      s.received.push({ method, params });
      const reply = (frame: unknown) => ws.send(JSON.stringify(frame));
      if (method === 'app.info') reply({ id, result: INFO });
      else if (method === 'settings.theme.get') reply({ id, result: { theme: 'purple' } });
      else if (method === 'orders.cancel') reply({ id, error: { code: 'NOT_FOUND', message: 'No such order', fields: { orderId: 'unknown' } } });
      else if (method === 'risk.status') reply({ id, error: 'boom' });
      // 'positions.list' is never answered: the connection drop has to settle it.
    });
  });
  return s;
}

async function stopServer(s: Server): Promise<void> {
  for (const ws of s.sockets) ws.terminate();
  await new Promise<void>((r) => s.wss.close(() => r()));
}

const waitFor = async (cond: () => boolean, ms = 5000) => {
  const until = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

let server: Server | undefined;
let client: WebSocketClient | undefined;
afterEach(async () => {
  client?.close();
  if (server) await stopServer(server);
  client = server = undefined;
});

function connect(s: Server, logs: unknown[][] = []): WebSocketClient {
  return createWebSocketClient({
    url: () => `ws://127.0.0.1:${s.port}/api?token=t0k`,
    WebSocket: WebSocket as unknown as new (url: string) => WebSocketLike,
    initialBackoffMs: 20,
    maxBackoffMs: 80,
    log: (...args) => logs.push(args),
  });
}

describe('the WebSocket API client', () => {
  it('sends {id, method, params} with the token in the URL and resolves with the parsed result', async () => {
    server = await startServer();
    client = connect(server);
    // Called before the socket is open: queued, then sent.
    await expect(client.call('app.info', {})).resolves.toEqual(INFO);
    expect(server.urls[0]).toBe('/api?token=t0k');
    expect(server.received).toEqual([{ method: 'app.info', params: {} }]);
  });

  it('turns error frames into ApiCallError with code, message and fields', async () => {
    server = await startServer();
    client = connect(server);
    const err = await client.call('orders.cancel', { orderId: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect((err as ApiCallError).error).toEqual({ code: 'NOT_FOUND', message: 'No such order', fields: { orderId: 'unknown' } });
    const odd = await client.call('risk.status', {}).catch((e: unknown) => e);
    expect((odd as ApiCallError).error.code).toBe('INTERNAL');
  });

  it('rejects a response that does not match the contract, and says so on the console', async () => {
    server = await startServer();
    const logs: unknown[][] = [];
    client = connect(server, logs);
    const err = await client.call('settings.theme.get', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect((err as ApiCallError).message).toBe('Malformed response to settings.theme.get');
    expect(String(logs[0]?.[0])).toMatch(/malformed response to settings\.theme\.get/);
  });

  it('delivers valid events and drops malformed or unknown ones', async () => {
    server = await startServer();
    const logs: unknown[][] = [];
    client = connect(server, logs);
    const quotes: unknown[] = [];
    client.on('quote', (q) => quotes.push(q));
    await client.call('app.info', {});
    const [ws] = server.sockets;
    ws!.send(JSON.stringify({ event: 'quote', data: { ...QUOTE, bid: 'cheap' } }));
    ws!.send(JSON.stringify({ event: 'weather', data: {} }));
    ws!.send('not json');
    ws!.send(JSON.stringify({ event: 'quote', data: QUOTE }));
    await waitFor(() => quotes.length === 1);
    expect(quotes).toEqual([QUOTE]);
    expect(logs.map((l) => String(l[0]))).toEqual([
      expect.stringMatching(/malformed "quote" event/),
      expect.stringMatching(/unknown event "weather"/),
      expect.stringMatching(/malformed frame rejected \(not JSON\)/),
    ]);
  });

  it('reports drops, rejects calls in flight, queues new ones and reconnects when the server is back', async () => {
    server = await startServer();
    client = connect(server);
    const states: boolean[] = [];
    client.onConnection((c) => states.push(c)); // called at once with the current state
    await client.call('app.info', {});
    expect(states).toEqual([false, true]);

    const inFlight = client.call('positions.list', {}).catch((e: unknown) => e);
    await waitFor(() => server!.received.some((r) => r.method === 'positions.list'));
    const port = server.port;
    await stopServer(server);
    const err = await inFlight;
    expect((err as ApiCallError).error.code).toBe('UNAVAILABLE');
    await waitFor(() => states.length === 3);
    expect(states).toEqual([false, true, false]);

    // Made while the server is down: it waits for the next connection instead of failing.
    const queued = client.call('app.info', {});
    await new Promise((r) => setTimeout(r, 200)); // several failed attempts with backoff
    server = await startServer(port);
    await expect(queued).resolves.toEqual(INFO);
    expect(states).toEqual([false, true, false, true]);
  });

  it('close() stops reconnecting and rejects what is pending', async () => {
    server = await startServer();
    client = connect(server);
    await client.call('app.info', {});
    const pending = client.call('positions.list', {}).catch((e: unknown) => e);
    client.close();
    expect(((await pending) as ApiCallError).error.code).toBe('UNAVAILABLE');
    await new Promise((r) => setTimeout(r, 150));
    expect(server.urls).toHaveLength(1);
    await expect(client.call('app.info', {})).rejects.toBeInstanceOf(ApiCallError);
  });
});

describe('server frames', () => {
  it('sorts events, results and errors and names what is wrong with the rest', () => {
    expect(parseServerFrame('{"event":"quote","data":1}')).toEqual({ kind: 'event', event: 'quote', data: 1 });
    expect(parseServerFrame('{"id":3,"result":null}')).toEqual({ kind: 'result', id: 3, result: null });
    expect(parseServerFrame('{"id":3,"error":{"code":"INTERNAL","message":"x"}}')).toMatchObject({ kind: 'error', id: 3 });
    expect(parseServerFrame('[1]')).toEqual({ kind: 'malformed', reason: 'not an object' });
    expect(parseServerFrame('{"id":1.5,"result":1}')).toEqual({ kind: 'malformed', reason: 'no event name and no integer id' });
    expect(parseServerFrame('{"id":1}')).toEqual({ kind: 'malformed', reason: 'neither result nor error' });
    expect(parseServerFrame('{')).toEqual({ kind: 'malformed', reason: 'not JSON' });
  });
});
