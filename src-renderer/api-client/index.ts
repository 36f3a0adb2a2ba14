// The renderer's only door to main: the contract over Electron IPC (preload) or the web host's WebSocket.
// Responses and events are parsed with the contract's schemas; the rest of the UI never knows the transport.
import {
  ApiCallError, events as eventSchemas, methods, type ApiClient, type ApiError, type EventName, type EventOf, type MethodName,
  type RequestOf, type ResponseOf,
} from '../../src-shared/api/contract';
import { formatMegabytes, MAX_FRAME_BYTES } from '../../src-shared/api/limits';
import type { PreloadApi } from '../../src-shared/api/preload';
import { Emitter } from '../../src-shared/common/emitter';

declare global {
  interface Window {
    quantApi?: PreloadApi;
  }
}

type Listener = (data: unknown) => void;

function createEmitter() {
  const listeners = new Map<string, Set<Listener>>();
  return {
    on(name: string, l: Listener) {
      const set = listeners.get(name) ?? new Set();
      set.add(l);
      listeners.set(name, set);
      return () => void set.delete(l);
    },
    emit(name: string, raw: unknown) {
      const schema = eventSchemas[name as EventName];
      if (!schema) return console.error(`Unknown event ${name}`);
      const parsed = schema.safeParse(raw);
      if (!parsed.success) return console.error(`Malformed ${name} event`, parsed.error.issues);
      for (const l of listeners.get(name) ?? []) l(parsed.data);
    },
  };
}

function parseResult<M extends MethodName>(method: M, result: unknown): ResponseOf<M> {
  const parsed = methods[method].response.safeParse(result);
  if (!parsed.success) throw new ApiCallError({ code: 'INTERNAL', message: `Malformed response to ${method}` });
  return parsed.data as ResponseOf<M>;
}

function ipcClient(api: PreloadApi): ApiClient {
  const emitter = createEmitter();
  api.onEvent((name, data) => emitter.emit(name, data));
  return {
    async call(method, params) {
      const r = await api.invoke(method, params);
      if (!r.ok) throw new ApiCallError(r.error);
      return parseResult(method, r.result);
    },
    on: (event, listener) => emitter.on(event, listener as Listener),
    onConnection(listener) {
      listener(true);
      return () => undefined;
    },
  };
}

/** The token arrives in the page URL once; it is kept for this tab so reloads keep working. */
function webToken(): string {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) sessionStorage.setItem('qc.token', fromUrl);
  return fromUrl ?? sessionStorage.getItem('qc.token') ?? '';
}

function webSocketClient(): ApiClient {
  const emitter = createEmitter();
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void; method: MethodName }>();
  const connectionChanged = new Emitter<boolean>();
  const queue: string[] = [];
  let nextId = 1;
  let socket: WebSocket | undefined;
  let connected = false;
  let backoff = 250;

  const setConnected = (c: boolean) => {
    connected = c;
    connectionChanged.emit(c);
  };

  function connect(): void {
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${proto}://${location.host}/api?token=${encodeURIComponent(webToken())}`);
    socket = ws;
    ws.onopen = () => {
      backoff = 250;
      setConnected(true);
      for (const frame of queue.splice(0)) ws.send(frame);
    };
    ws.onmessage = (m) => {
      const frame = JSON.parse(String(m.data)) as { id?: number; result?: unknown; error?: ApiError; event?: string; data?: unknown; batch?: { event: string; data: unknown }[] };
      if (frame.event) return emitter.emit(frame.event, frame.data);
      if (frame.batch) {
        for (const e of frame.batch) emitter.emit(e.event, e.data);
        return;
      }
      const p = frame.id !== undefined ? pending.get(frame.id) : undefined;
      if (!p) return;
      pending.delete(frame.id!);
      if (frame.error) p.reject(new ApiCallError(frame.error));
      else {
        try {
          p.resolve(parseResult(p.method, frame.result));
        } catch (e) {
          p.reject(e);
        }
      }
    };
    ws.onclose = () => {
      setConnected(false);
      // A call that failed must never be sent later: rejected calls leave the queue with their promise.
      queue.length = 0;
      for (const [id, p] of pending) {
        p.reject(new ApiCallError({ code: 'UNAVAILABLE', message: 'Connection to Quant Claude lost' }));
        pending.delete(id);
      }
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 5000);
    };
  }
  connect();

  return {
    call<M extends MethodName>(method: M, params: RequestOf<M>): Promise<ResponseOf<M>> {
      return new Promise((resolve, reject) => {
        // Orders are never held back to be sent on reconnection: the trader decides again with fresh prices.
        if (method === 'orders.place' && !(connected && socket?.readyState === WebSocket.OPEN)) {
          reject(new ApiCallError({ code: 'UNAVAILABLE', message: 'Not connected to Quant Claude: the order was not sent' }));
          return;
        }
        const id = nextId++;
        const frame = JSON.stringify({ id, method, params });
        // The host closes a connection that sends more (1009): refuse here, with a message, and keep the connection.
        // UTF-16 length ≤ UTF-8 bytes ≤ 3 × length: only a frame near the limit needs the exact count.
        if (frame.length > MAX_FRAME_BYTES / 3 && new Blob([frame]).size > MAX_FRAME_BYTES) {
          reject(new ApiCallError({ code: 'BAD_REQUEST', message: `The request is too large to send (more than ${formatMegabytes(MAX_FRAME_BYTES)})` }));
          return;
        }
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
        if (connected && socket?.readyState === WebSocket.OPEN) socket.send(frame);
        else queue.push(frame);
      });
    },
    on: <E extends EventName>(event: E, listener: (data: EventOf<E>) => void) => emitter.on(event, listener as Listener),
    onConnection(listener) {
      const sub = connectionChanged.on(listener);
      listener(connected);
      return () => sub.dispose();
    },
  };
}

export function createApiClient(): ApiClient {
  return window.quantApi ? ipcClient(window.quantApi) : webSocketClient();
}
