// The contract over the web host's WebSocket: request/response frames matched by id, pushed events, reconnect with backoff.
import {
  ApiCallError, type ApiClient, type EventName, type EventOf, type MethodName, type RequestOf, type ResponseOf,
} from '../../src-shared/api/contract';
import { createEventHub } from './events';
import { parseResult, toApiCallError } from './responses';

/** The part of the browser's WebSocket this client uses (the `ws` package's client has the same shape, for tests). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(): void;
}

export interface WebSocketClientOptions {
  /** Evaluated at every (re)connect. */
  url: () => string;
  /** Defaults to the browser's WebSocket. */
  WebSocket?: new (url: string) => WebSocketLike;
  /** First retry delay, doubled after every failed attempt up to `maxBackoffMs`; reset once connected. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  log?: (message: string, detail?: unknown) => void;
}

export interface WebSocketClient extends ApiClient {
  /** Stops reconnecting and closes the socket; pending calls are rejected. */
  close(): void;
}

const OPEN = 1;

type Frame = { kind: 'event'; event: string; data: unknown } | { kind: 'result'; id: number; result: unknown } | { kind: 'error'; id: number; error: unknown };

/** Sorts a server frame into event / result / error, or explains why it is malformed. */
export function parseServerFrame(text: string): Frame | { kind: 'malformed'; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { kind: 'malformed', reason: 'not JSON' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { kind: 'malformed', reason: 'not an object' };
  const f = raw as Record<string, unknown>;
  if (typeof f['event'] === 'string') return { kind: 'event', event: f['event'], data: f['data'] };
  if (typeof f['id'] !== 'number' || !Number.isInteger(f['id'])) return { kind: 'malformed', reason: 'no event name and no integer id' };
  if ('error' in f) return { kind: 'error', id: f['id'], error: f['error'] };
  if ('result' in f) return { kind: 'result', id: f['id'], result: f['result'] };
  return { kind: 'malformed', reason: 'neither result nor error' };
}

export function createWebSocketClient(opts: WebSocketClientOptions): WebSocketClient {
  const log = opts.log ?? console.error;
  const Socket = opts.WebSocket ?? (globalThis.WebSocket as unknown as new (url: string) => WebSocketLike);
  const initialBackoff = opts.initialBackoffMs ?? 250;
  const maxBackoff = opts.maxBackoffMs ?? 5000;
  const hub = createEventHub(log);
  // Calls made while disconnected wait with `frame` set and are sent once the socket opens.
  const pending = new Map<number, { method: MethodName; frame?: string; resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  let nextId = 1;
  let socket: WebSocketLike | undefined;
  let connected = false;
  let closed = false;
  let backoff = initialBackoff;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const setConnected = (c: boolean) => {
    if (c === connected) return;
    connected = c;
    for (const l of connectionListeners) l(c);
  };

  /** Rejects the calls already sent (or, with `all`, the unsent ones too). */
  const rejectPending = (message: string, all = false) => {
    for (const [id, p] of pending) {
      if (p.frame !== undefined && !all) continue;
      pending.delete(id);
      p.reject(new ApiCallError({ code: 'UNAVAILABLE', message }));
    }
  };

  function onMessage(text: string): void {
    const frame = parseServerFrame(text);
    switch (frame.kind) {
      case 'malformed':
        return log(`Quant Claude API: malformed frame rejected (${frame.reason})`, text.slice(0, 200));
      case 'event':
        return hub.emit(frame.event, frame.data);
      default: {
        const p = pending.get(frame.id);
        if (!p) return log(`Quant Claude API: answer to unknown request ${frame.id}`);
        pending.delete(frame.id);
        if (frame.kind === 'error') return p.reject(toApiCallError(frame.error));
        try {
          p.resolve(parseResult(p.method, frame.result, log));
        } catch (err) {
          p.reject(err);
        }
      }
    }
  }

  function connect(): void {
    retry = undefined;
    const ws = new Socket(opts.url());
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      backoff = initialBackoff;
      for (const p of pending.values()) {
        if (p.frame === undefined) continue;
        ws.send(p.frame);
        p.frame = undefined;
      }
      setConnected(true);
    };
    ws.onmessage = (m) => onMessage(typeof m.data === 'string' ? m.data : String(m.data));
    // Errors are always followed by close, which handles them.
    ws.onerror = () => undefined;
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = undefined;
      setConnected(false);
      // Requests already sent may or may not have run: the caller decides whether to retry, not the transport.
      rejectPending('The connection to Quant Claude was lost');
      if (closed) return;
      retry = setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, maxBackoff);
    };
  }
  connect();

  return {
    call<M extends MethodName>(method: M, params: RequestOf<M>): Promise<ResponseOf<M>> {
      if (closed) return Promise.reject(new ApiCallError({ code: 'UNAVAILABLE', message: 'The API client is closed' }));
      return new Promise<ResponseOf<M>>((resolve, reject) => {
        const id = nextId++;
        const frame = JSON.stringify({ id, method, params });
        const open = socket?.readyState === OPEN;
        pending.set(id, { method, frame: open ? undefined : frame, resolve: resolve as (v: unknown) => void, reject });
        if (open) socket!.send(frame);
      });
    },
    on: <E extends EventName>(event: E, listener: (data: EventOf<E>) => void) => hub.on(event, listener as (data: unknown) => void),
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(connected);
      return () => void connectionListeners.delete(listener);
    },
    close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const ws = socket;
      socket = undefined;
      setConnected(false);
      rejectPending('The API client is closed', true);
      ws?.close();
    },
  };
}
