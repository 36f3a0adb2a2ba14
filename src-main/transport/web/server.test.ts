// The web host's perimeter over real TCP: token on every request and upgrade, Host and Origin checks, loopback only.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDispatcher, EventHub, type ApiHandlers } from '../dispatcher';
import { createLogger } from '../../logging';
import { startWebHost, type WebHost } from './server';

let host: WebHost;
const hub = new EventHub(true);

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, headers: { host: `127.0.0.1:${host.port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function upgrade(path: string, headers: Record<string, string> = {}): Promise<{ opened: boolean; status?: number; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${path}`, { headers });
    ws.on('open', () => resolve({ opened: true, ws }));
    ws.on('unexpected-response', (_req, res) => resolve({ opened: false, status: res.statusCode }));
    ws.on('error', () => resolve({ opened: false }));
  });
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qc-web-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Quant Claude</title>');
  writeFileSync(join(dir, 'app.js'), 'console.log(1)');
  // Only the transport is under test here: a handler set that answers app.info and echoes the theme.
  const handlers = {
    'app.info': async () => ({ name: 'Quant Claude', version: 't', transport: 'web', broker: 'paper', dataDir: dir, database: 'sqlite' }),
    'settings.theme.set': async () => ({ ok: true }),
  } as unknown as ApiHandlers;
  host = await startWebHost({ dispatch: createDispatcher(handlers, { validateResponses: true }), hub, staticDir: dir, port: 0, logger: createLogger({ level: 'silent' }) });
});
afterAll(() => host.close());

describe('web host perimeter', () => {
  it('serves the page with the token and sets an HttpOnly cookie for the assets', async () => {
    const r = await get(`/?token=${host.token}`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('Quant Claude');
    expect(String(r.headers['set-cookie'])).toMatch(/qc_token=.+HttpOnly; SameSite=Strict/);
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    const asset = await get('/app.js', { cookie: `qc_token=${host.token}` });
    expect(asset.status).toBe(200);
  });

  it('answers 401 without the token or with a wrong one', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/app.js')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    expect((await get('/', { cookie: 'qc_token=wrong' })).status).toBe(401);
  });

  it('refuses a foreign Host header even with the token (DNS rebinding)', async () => {
    const r = await get(`/?token=${host.token}`, { host: `evil.example:${host.port}` });
    expect(r.status).toBe(421);
    expect((await get(`/?token=${host.token}`, { host: `localhost:${host.port}` })).status).toBe(200);
  });

  it('does not serve files outside the renderer folder', async () => {
    const r = await get(`/..%2f..%2fetc%2fpasswd?token=${host.token}`);
    expect([403, 404]).toContain(r.status);
    expect(r.body).not.toContain('root:');
  });

  it('WebSocket upgrade: 401 without token, 403 for a foreign Origin, 421 for a foreign Host', async () => {
    expect((await upgrade('/api')).status).toBe(401);
    expect((await upgrade('/api?token=nope')).status).toBe(401);
    expect((await upgrade(`/api?token=${host.token}`, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await upgrade(`/api?token=${host.token}`, { host: 'evil.example' })).status).toBe(421);
  });

  it('speaks the contract over the socket: results, validation errors, unknown methods and events', async () => {
    const { ws, opened } = await upgrade(`/api?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` });
    expect(opened).toBe(true);
    const frames: unknown[] = [];
    ws!.on('message', (m) => frames.push(JSON.parse(String(m))));
    ws!.send(JSON.stringify({ id: 1, method: 'app.info', params: {} }));
    ws!.send(JSON.stringify({ id: 2, method: 'settings.theme.set', params: { theme: 'purple' } }));
    ws!.send(JSON.stringify({ id: 3, method: 'no.such', params: {} }));
    ws!.send('not json');
    await new Promise((r) => setTimeout(r, 100));
    hub.emit('risk', { killSwitch: true, limits: { maxPositionSize: 0.1, maxOrderNotional: 1, priceCollarPct: 0.05, maxDailyTrades: 100 }, tradesToday: 0 });
    await new Promise((r) => setTimeout(r, 100));
    ws!.close();
    expect(frames).toContainEqual(expect.objectContaining({ id: 1, result: expect.objectContaining({ transport: 'web' }) }));
    expect(frames).toContainEqual({ id: 2, error: expect.objectContaining({ code: 'BAD_REQUEST', fields: expect.objectContaining({ theme: expect.any(String) }) }) });
    expect(frames).toContainEqual({ id: 3, error: expect.objectContaining({ code: 'NOT_FOUND' }) });
    expect(frames).toContainEqual({ id: -1, error: expect.objectContaining({ code: 'BAD_REQUEST' }) });
    expect(frames).toContainEqual(expect.objectContaining({ event: 'risk', data: expect.objectContaining({ killSwitch: true }) }));
  });

  it('sends the quotes of one burst as one batch frame, in order, before the event that follows them; a lone quote plain', async () => {
    const { ws, opened } = await upgrade(`/api?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` });
    expect(opened).toBe(true);
    const frames: { event?: string; data?: { symbol?: string; last?: number }; batch?: { event: string; data: { symbol: string; last: number } }[] }[] = [];
    ws!.on('message', (m) => frames.push(JSON.parse(String(m))));
    const quote = (symbol: string, last: number) => ({ symbol, time: 1, bid: last - 0.01, ask: last + 0.01, last, lastSize: 1, source: 'demo' });
    // One turn: 50 quotes, then a risk event, then 2 more quotes.
    for (let i = 0; i < 50; i++) hub.emit('quote', quote(`S${i}`, 100 + i));
    hub.emit('risk', { killSwitch: false, limits: { maxPositionSize: 0.1, maxOrderNotional: 1, priceCollarPct: 0.05, maxDailyTrades: 100 }, tradesToday: 0 });
    hub.emit('quote', quote('A', 1));
    hub.emit('quote', quote('B', 2));
    await new Promise((r) => setTimeout(r, 50));
    // A later turn: one quote alone.
    hub.emit('quote', quote('C', 3));
    await new Promise((r) => setTimeout(r, 100));
    ws!.close();
    expect(frames.map((f) => (f.batch ? `batch:${f.batch.length}` : f.event))).toEqual(['batch:50', 'risk', 'batch:2', 'quote']);
    expect(frames[0]!.batch!.map((e) => e.data.symbol)).toEqual(Array.from({ length: 50 }, (_, i) => `S${i}`));
    expect(frames[0]!.batch!.every((e) => e.event === 'quote')).toBe(true);
    expect(frames[2]!.batch!.map((e) => e.data.symbol)).toEqual(['A', 'B']);
    expect(frames[3]!.data).toMatchObject({ symbol: 'C', last: 3 });
  });

  it('listens on 127.0.0.1 only', async () => {
    const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) {
      // No external interface in this sandbox: the bound address itself is the evidence.
      expect(host.url.startsWith('http://127.0.0.1:')).toBe(true);
      return;
    }
    const reached = await new Promise<boolean>((resolve) => {
      const req = request({ host: external.address, port: host.port, path: '/', timeout: 1000 }, () => resolve(true));
      req.on('error', () => resolve(false));
      req.on('timeout', () => (req.destroy(), resolve(false)));
      req.end();
    });
    expect(reached).toBe(false);
  });
});

describe('web host: bad input answered, never fatal', () => {
  it('a malformed %-escape in the path is 400, not 500', async () => {
    expect((await get(`/%E0%A4%A?token=${host.token}`)).status).toBe(400);
    expect((await get(`/%?token=${host.token}`)).status).toBe(400);
    expect((await get(`/?token=${host.token}`)).status).toBe(200);
  });

  it('prototype names are not methods: constructor, toString, __proto__ are NOT_FOUND', async () => {
    const { ws } = await upgrade(`/api?token=${host.token}`);
    const frames: { id: number; error?: { code: string } }[] = [];
    ws!.on('message', (m) => frames.push(JSON.parse(String(m))));
    const names = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
    names.forEach((method, i) => ws!.send(JSON.stringify({ id: i + 1, method, params: {} })));
    await new Promise<void>((r) => { const t = setInterval(() => frames.length >= names.length && (clearInterval(t), r()), 10); });
    ws!.close();
    expect(frames.map((f) => f.error?.code)).toEqual(names.map(() => 'NOT_FOUND'));
  });

  it('an over-size frame closes that connection with 1009; the host keeps serving', async () => {
    const small = await startWebHost({
      dispatch: createDispatcher({ 'app.info': async () => ({ name: 'Quant Claude', version: 't', transport: 'web', broker: 'paper', dataDir: '/', database: 'sqlite' }) } as unknown as ApiHandlers),
      hub, staticDir: tmpdir(), port: 0, logger: createLogger({ level: 'silent' }), limits: { maxFrameBytes: 1024 },
    });
    try {
      const big = new WebSocket(`ws://127.0.0.1:${small.port}/api?token=${small.token}`);
      await new Promise((r) => big.once('open', r));
      const code = new Promise<number>((r) => big.once('close', (c) => r(c)));
      big.on('error', () => {});
      big.send('x'.repeat(2048));
      expect(await code).toBe(1009);
      const ok = new WebSocket(`ws://127.0.0.1:${small.port}/api?token=${small.token}`);
      await new Promise((r) => ok.once('open', r));
      const answer = new Promise<string>((r) => ok.once('message', (m) => r(String(m))));
      ok.send(JSON.stringify({ id: 7, method: 'app.info', params: {} }));
      expect(JSON.parse(await answer)).toMatchObject({ id: 7, result: { name: 'Quant Claude' } });
      ok.close();
    } finally {
      await small.close();
    }
  });
});

describe('web host: fair per-connection queues', () => {
  it("a second client's request is answered while the first has thousands waiting; the first's run in arrival order", async () => {
    const IN_FLIGHT = 4;
    const QUEUED = 3000;
    const BURST = 3000 + IN_FLIGHT;
    const EXTRA = 25;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const started: number[] = [];
    // settings.theme.set stands for a slow request (an order): each waits for the gate.
    const handlers = {
      'app.info': async () => ({ name: 'Quant Claude', version: 't', transport: 'web', broker: 'paper', dataDir: '/', database: 'sqlite' }),
      'settings.theme.set': async (p: { theme: string }) => {
        started.push(started.length);
        await gate;
        return { ok: true, theme: p.theme };
      },
    } as unknown as ApiHandlers;
    const fair = await startWebHost({
      dispatch: createDispatcher(handlers), hub, staticDir: tmpdir(), port: 0, logger: createLogger({ level: 'silent' }),
      limits: { inFlight: IN_FLIGHT, queued: QUEUED },
    });
    try {
      const open = async () => {
        const ws = new WebSocket(`ws://127.0.0.1:${fair.port}/api?token=${fair.token}`);
        await new Promise((r) => ws.once('open', r));
        return ws;
      };
      const a = await open();
      const b = await open();
      const aFrames: { id: number; result?: unknown; error?: { code: string; message: string } }[] = [];
      a.on('message', (m) => aFrames.push(JSON.parse(String(m))));
      for (let id = 1; id <= BURST + EXTRA; id++) a.send(JSON.stringify({ id, method: 'settings.theme.set', params: { theme: 'dark' } }));
      // A pong is sent after every frame before the ping has been read by the host: the burst has arrived.
      await new Promise<void>((r) => { a.once('pong', () => r()); a.ping(); });

      const bAnswer = new Promise<{ id: number; result?: { name: string } }>((r) => b.once('message', (m) => r(JSON.parse(String(m)))));
      b.send(JSON.stringify({ id: 1, method: 'app.info', params: {} }));
      expect(await bAnswer).toMatchObject({ id: 1, result: { name: 'Quant Claude' } });
      // B was answered while A still had thousands waiting: only A's first IN_FLIGHT had started, none answered...
      expect(started.length).toBe(IN_FLIGHT);
      // ...except the frames past the queue's cap, refused at once with a busy error naming their id.
      const busy = aFrames.filter((f) => f.error?.code === 'UNAVAILABLE');
      expect(busy.map((f) => f.id)).toEqual(Array.from({ length: EXTRA }, (_, i) => BURST + 1 + i));
      expect(aFrames.some((f) => 'result' in f)).toBe(false);

      release();
      await new Promise<void>((r) => { const t = setInterval(() => aFrames.length >= BURST + EXTRA && (clearInterval(t), r()), 20); });
      const answered = aFrames.filter((f) => 'result' in f).map((f) => f.id);
      expect(answered.length).toBe(BURST);
      // At most IN_FLIGHT run at once and they started in arrival order, so the answers come back in order.
      expect(answered).toEqual(Array.from({ length: BURST }, (_, i) => i + 1));
      a.close();
      b.close();
    } finally {
      await fair.close();
    }
  });
});
