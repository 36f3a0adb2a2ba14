// The loopback web host: serves the renderer and the API contract over HTTP + WebSocket on 127.0.0.1 only.
// Every HTTP request and WebSocket upgrade needs this run's random token; Host (DNS rebinding) and Origin are checked.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ClientFrame, type EventName, type ServerFrame } from '../../../src-shared/api/contract';
import {
  MAX_FRAME_BYTES, MAX_IN_FLIGHT_PER_CONNECTION, MAX_QUEUED_BYTES_PER_CONNECTION, MAX_QUEUED_PER_CONNECTION,
} from '../../../src-shared/api/limits';
import type { Dispatch, EventHub } from '../dispatcher';
import type { Logger } from '../../logging';

const COOKIE = 'qc_token';
/** Quotes are snapshots: a client that is this far behind skips them rather than buffering without bound. */
const QUOTE_BACKLOG_LIMIT = 1 << 20;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface WebHostOptions {
  dispatch: Dispatch;
  hub: EventHub;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** 0 picks a free port. */
  port: number;
  token?: string;
  logger: Logger;
  /** GET /health (application/health+json) and GET /metrics (Prometheus text), token required like every request. */
  ops?: {
    health(): Promise<{ status: 'pass' | 'warn' | 'fail' }>;
    /** Absent: metrics are off (404). */
    metrics?: () => Promise<{ contentType: string; text: string }>;
  };
  /** Per-connection fairness limits (tests lower them); defaults in src-shared/api/limits.ts. */
  limits?: { inFlight?: number; queued?: number; queuedBytes?: number; maxFrameBytes?: number };
}

export interface WebHost {
  readonly port: number;
  readonly token: string;
  readonly url: string;
  close(): Promise<void>;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return undefined;
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const root = resolve(opts.staticDir);
  const log = opts.logger;
  let port = opts.port;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  /** Token from the query string or the cookie set when the page was first opened with it. */
  function authorised(req: IncomingMessage, url: URL): { ok: boolean; viaQuery: boolean } {
    const q = url.searchParams.get('token');
    if (q !== null && safeEqual(q, token)) return { ok: true, viaQuery: true };
    const c = cookieToken(req);
    return { ok: c !== undefined && safeEqual(c, token), viaQuery: false };
  }

  function refuse(res: ServerResponse, status: number, message: string): void {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`${message}\n`);
  }

  async function serveStatic(res: ServerResponse, pathname: string, setCookie: boolean): Promise<void> {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return refuse(res, 400, 'Bad request: malformed %-escape in the path');
    }
    if (rel === '/' || rel === '') rel = '/index.html';
    let file = normalize(join(root, rel));
    if (file !== root && !file.startsWith(root + sep)) return refuse(res, 403, 'Forbidden');
    let info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      // Client-side routes fall back to the app; missing assets are 404.
      if (extname(rel)) return refuse(res, 404, 'Not found');
      file = join(root, 'index.html');
      info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) return refuse(res, 500, 'The renderer is not built: run `npm run build`.');
    }
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': String(info.size),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cache-control': file.endsWith('index.html') ? 'no-store' : 'private, max-age=31536000, immutable',
    };
    if (file.endsWith('.html')) headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
    if (setCookie) headers['set-cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, headers);
    // The file may go between stat and read (a rebuild): end the response, never throw.
    createReadStream(file).on('error', (err) => {
      log.warn({ err }, 'static file read failed');
      res.destroy();
    }).pipe(res);
  }

  /** The health report (503 when it fails, as the IETF draft suggests for monitors) or the Prometheus exposition. */
  async function serveOps(res: ServerResponse, path: '/health' | '/metrics' | string, head: boolean): Promise<void> {
    const ops = opts.ops!;
    let status = 200;
    let type: string;
    let body: string;
    if (path === '/health') {
      const report = await ops.health();
      status = report.status === 'fail' ? 503 : 200;
      type = 'application/health+json';
      body = JSON.stringify(report);
    } else {
      if (!ops.metrics) return refuse(res, 404, 'Metrics are off (QC_METRICS=off)');
      const m = await ops.metrics();
      type = m.contentType;
      body = m.text;
    }
    res.writeHead(status, { 'content-type': type, 'content-length': String(Buffer.byteLength(body)), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(head ? undefined : body);
  }

  /** The request's URL, or undefined when it cannot be read (then the caller answers 400). */
  function parseUrl(req: IncomingMessage, host: string): URL | undefined {
    try {
      return new URL(req.url ?? '/', `http://${host}`);
    } catch {
      return undefined;
    }
  }

  const server = createServer((req, res) => {
    const host = req.headers.host ?? '';
    if (!allowedHosts().has(host)) return refuse(res, 421, 'Unknown Host header: this server only answers to 127.0.0.1 and localhost.');
    const url = parseUrl(req, host);
    if (!url) return refuse(res, 400, 'Bad request: unreadable URL');
    const auth = authorised(req, url);
    if (!auth.ok) return refuse(res, 401, 'Unauthorized: open the URL printed by `npm run web`, with its token.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed');
    if (opts.ops && (url.pathname === '/health' || url.pathname === '/metrics')) {
      serveOps(res, url.pathname, req.method === 'HEAD').catch((err: unknown) => {
        log.error({ err }, `web host: ${url.pathname} failed`);
        if (!res.headersSent) refuse(res, 500, 'Internal error');
      });
      return;
    }
    serveStatic(res, url.pathname, auth.viaQuery).catch((err: unknown) => {
      log.error({ err }, 'static file error');
      if (!res.headersSent) refuse(res, 500, 'Internal error');
    });
  });

  // Errors of the listening socket after start (start-up errors reject below): logged, never thrown.
  server.on('error', (err) => log.error({ err }, 'web host: server error'));
  // A malformed HTTP request: answer 400 when the socket still can, never throw.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    log.debug({ code: err.code }, 'web host: malformed HTTP request');
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  // Room for a CSV import (MAX_IMPORT_BYTES of text) with the JSON around it; a larger frame closes that connection
  // with 1009 (Message Too Big) and the host keeps serving. Only an authenticated loopback client can send at all.
  const maxFrameBytes = opts.limits?.maxFrameBytes ?? MAX_FRAME_BYTES;
  const inFlightLimit = opts.limits?.inFlight ?? MAX_IN_FLIGHT_PER_CONNECTION;
  const queuedLimit = opts.limits?.queued ?? MAX_QUEUED_PER_CONNECTION;
  const queuedBytesLimit = opts.limits?.queuedBytes ?? MAX_QUEUED_BYTES_PER_CONNECTION;
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes });
  wss.on('error', (err) => log.error({ err }, 'web host: WebSocket server error'));
  const clients = new Set<WebSocket>();

  function rejectUpgrade(socket: Duplex, status: number, text: string): void {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  server.on('upgrade', (req, socket, head) => {
    // The HTTP server no longer watches an upgraded socket: a reset during or after the handshake must not throw.
    // ws adds its own listener once the handshake completes; this one stays as the quiet fallback.
    socket.on('error', (err: NodeJS.ErrnoException) => log.debug({ code: err.code }, 'web host: upgrade socket error'));
    const host = req.headers.host ?? '';
    if (!allowedHosts().has(host)) return rejectUpgrade(socket, 421, 'Misdirected Request');
    const url = parseUrl(req, host);
    if (!url) return rejectUpgrade(socket, 400, 'Bad Request');
    if (!authorised(req, url).ok) return rejectUpgrade(socket, 401, 'Unauthorized');
    // Browsers always send Origin; a page from another site must not drive the terminal.
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) return rejectUpgrade(socket, 403, 'Forbidden');
    if (url.pathname !== '/api') return rejectUpgrade(socket, 404, 'Not Found');
    wss.handleUpgrade(req, socket, head, (ws) => onClient(ws));
  });

  function send(ws: WebSocket, frame: ServerFrame): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  }

  /**
   * One connection: a protocol error (invalid UTF-8, reserved bits, a bad close code, an over-size frame…) closes it
   * with the right code and is logged once; requests run at most `inFlightLimit` at a time in arrival order, so a
   * burst from one client waits behind itself and not in front of everyone else's requests.
   */
  function onClient(ws: WebSocket): void {
    clients.add(ws);
    let errorLogged = false;
    ws.on('error', (err: Error & { code?: string }) => {
      if (errorLogged) return;
      errorLogged = true;
      log.warn({ code: err.code, reason: err.message }, 'web host: WebSocket client error, connection closed');
    });
    const waiting: { raw: string; bytes: number }[] = [];
    let waitingBytes = 0;
    let inFlight = 0;

    const next = (): void => {
      while (inFlight < inFlightLimit && waiting.length) {
        const item = waiting.shift()!;
        waitingBytes -= item.bytes;
        inFlight++;
        void handle(item.raw).catch((err: unknown) => log.error({ err }, 'web host: request failed')).finally(() => {
          inFlight--;
          // The next waiting request starts on a later turn of the event loop, never in the same microtask chain:
          // handlers that answer without real I/O (paper orders, SQLite) would otherwise run a whole burst before any
          // other socket is read.
          setImmediate(next);
        });
      }
    };

    async function handle(raw: string): Promise<void> {
      let frame: ClientFrame;
      try {
        frame = ClientFrame.parse(JSON.parse(raw));
      } catch {
        send(ws, { id: -1, error: { code: 'BAD_REQUEST', message: 'Malformed frame: expected {"id","method","params"}' } });
        return;
      }
      if (ws.readyState !== ws.OPEN) return;
      const r = await opts.dispatch(frame.method, frame.params);
      send(ws, r.ok ? { id: frame.id, result: r.result } : { id: frame.id, error: r.error });
    }

    ws.on('close', () => {
      clients.delete(ws);
      waiting.length = 0;
      waitingBytes = 0;
    });
    ws.on('message', (data, isBinary) => {
      const bytes = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
      if (waiting.length >= queuedLimit || waitingBytes + bytes > queuedBytesLimit) {
        send(ws, { id: busyId(data, isBinary), error: { code: 'UNAVAILABLE', message: `Busy: ${waiting.length} requests of this connection are waiting; retry when they are answered` } });
        return;
      }
      waiting.push({ raw: String(data), bytes });
      waitingBytes += bytes;
      next();
    });
  }

  /** The id of a refused frame when it is cheap to read (small frames only), so the client can match the refusal. */
  function busyId(data: WebSocket.RawData, isBinary: boolean): number {
    if (isBinary || Array.isArray(data) || data.byteLength > 4096) return -1;
    const m = /^\s*\{\s*"id"\s*:\s*(-?\d{1,15})\s*[,}]/.exec(String(data));
    return m ? Number(m[1]) : -1;
  }

  const broadcast = (text: string, droppable: boolean) => {
    for (const ws of clients) {
      if (ws.readyState !== ws.OPEN) continue;
      if (droppable && ws.bufferedAmount > QUOTE_BACKLOG_LIMIT) continue;
      ws.send(text);
    }
  };
  // Quotes come in bursts (a feed's batch, 1,000 a second under load): those of one turn of the event loop go out as one
  // `batch` frame, since a browser pays per message (IPC into the renderer, onmessage, JSON) more than per byte. Any
  // other event first sends the quotes before it, so the order of events is kept. A single quote goes out plain.
  let quotes: { event: EventName; data: unknown }[] = [];
  let flushQueued = false;
  const flushQuotes = () => {
    flushQueued = false;
    if (quotes.length === 0) return;
    const frame: ServerFrame = quotes.length === 1 ? quotes[0]! : { batch: quotes };
    quotes = [];
    broadcast(JSON.stringify(frame), true);
  };
  const subscription = opts.hub.subscribe((event, data) => {
    if (event === 'quote' || event === 'account.quote') {
      quotes.push({ event, data });
      if (!flushQueued) {
        flushQueued = true;
        setImmediate(flushQuotes);
      }
      return;
    }
    flushQuotes();
    broadcast(JSON.stringify({ event, data } satisfies ServerFrame), false);
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('web host: no TCP address');
  port = address.port;

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    async close() {
      subscription.dispose();
      for (const ws of clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
