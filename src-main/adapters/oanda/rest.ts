// The v20 REST and streaming client on Node's fetch (undici): bearer token, JSON bodies, 429 Retry-After honoured,
// idempotent requests retried once on 5xx, and the chunked newline-delimited JSON streams read line by line.
import type { Timers } from '../../ports/timers';
import { OandaHttpError } from './errors';

export interface OandaRestOptions {
  rest: string;
  stream: string;
  token: string;
  timers: Timers;
  timeoutMs: number;
  maxRetryAfterMs: number;
  /** Called on every answer (the connection's liveness). */
  onAnswer?: () => void;
}

export type Json = Record<string, unknown>;

const sleep = (timers: Timers, ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
  if (signal?.aborted) return reject(signal.reason as Error);
  const cancel = timers.after(ms, () => {
    signal?.removeEventListener('abort', onAbort);
    resolve();
  });
  const onAbort = () => {
    cancel();
    reject(signal!.reason as Error);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
});

/** Retry-After in seconds or an HTTP date, as ms (1 s when absent or unreadable). */
export function retryAfterMs(header: string | null, now: number): number {
  if (!header) return 1_000;
  const s = Number(header);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : 1_000;
}

export class OandaRest {
  constructor(private readonly o: OandaRestOptions) {}

  private headers(body: boolean): Record<string, string> {
    return {
      Authorization: `Bearer ${this.o.token}`,
      'Accept-Datetime-Format': 'RFC3339',
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    };
  }

  /**
   * One REST call. GET and PUT (cancel, close) are idempotent at OANDA and retried once after a 5xx or a lost answer;
   * a POST (a new order) is not: its failure is `uncertain` and the caller checks what OANDA holds.
   */
  async request<T = Json>(method: 'GET' | 'POST' | 'PUT', path: string, body?: Json, signal?: AbortSignal): Promise<T> {
    const idempotent = method !== 'POST';
    let retries5xx = idempotent ? 1 : 0;
    for (let attempt = 0; ; attempt++) {
      const timeout = AbortSignal.timeout(this.o.timeoutMs);
      let res: Response;
      try {
        res = await fetch(`${this.o.rest}${path}`, {
          method, headers: this.headers(body !== undefined), body: body === undefined ? undefined : JSON.stringify(body),
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (err) {
        if (signal?.aborted) throw err;
        if (retries5xx-- > 0) continue;
        throw new OandaHttpError(0, null, (err as Error).message, null, method === 'POST');
      }
      this.o.onAnswer?.();
      if (res.status === 429) {
        // Rate-limited: nothing was done, so waiting and sending again is always safe.
        const wait = retryAfterMs(res.headers.get('retry-after'), Date.now());
        await res.body?.cancel();
        if (wait > this.o.maxRetryAfterMs || attempt >= 10) throw new OandaHttpError(429, null, 'rate limited', null, false);
        await sleep(this.o.timers, wait, signal);
        continue;
      }
      const text = await res.text();
      let json: Json | null;
      try {
        json = text ? (JSON.parse(text) as Json) : {};
      } catch {
        json = null;
      }
      if (res.ok && json) return json as T;
      if (res.status >= 500 && retries5xx-- > 0) {
        await sleep(this.o.timers, 200, signal);
        continue;
      }
      const code = typeof json?.['errorCode'] === 'string' ? json['errorCode'] : null;
      const message = typeof json?.['errorMessage'] === 'string' ? json['errorMessage'] : res.ok ? 'unreadable answer' : res.statusText;
      throw new OandaHttpError(res.status, code, message, json, res.status >= 500 && method === 'POST');
    }
  }

  /** Opens a stream and calls `onLine` with each JSON line until it ends (resolves) or fails (rejects). */
  async stream(path: string, onLine: (msg: Json) => void, signal: AbortSignal): Promise<void> {
    const res = await fetch(`${this.o.stream}${path}`, { headers: this.headers(false), signal });
    if (!res.ok || !res.body) {
      const text = await res.text().catch(() => '');
      let json: Json | null;
      try {
        json = JSON.parse(text) as Json;
      } catch {
        json = null;
      }
      throw new OandaHttpError(res.status, (json?.['errorCode'] as string | undefined) ?? null, (json?.['errorMessage'] as string | undefined) ?? res.statusText, json, false);
    }
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!line) continue;
        let msg: Json;
        try {
          msg = JSON.parse(line) as Json;
        } catch {
          // A torn line may have carried a fill: end the stream, so the reconnect's reconciliation fetches it.
          throw new OandaHttpError(0, null, 'a stream line was not JSON', null, false);
        }
        onLine(msg);
      }
    }
  }
}
