// HTTP plumbing shared by the REST data providers: deadlines, Retry-After, and mapping failures to ProviderError.
import { ProviderError, type ProviderId } from '../ports/data-provider';

/** Parses Retry-After (delta seconds or an HTTP date) into milliseconds from `nowMs`; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export interface Deadline {
  signal: AbortSignal;
  /** True when the deadline (not the caller) aborted. */
  timedOut(): boolean;
  dispose(): void;
}

/** The caller's signal combined with a per-call timeout; dispose clears the timer. */
export function deadline(timeoutMs: number, caller?: AbortSignal): Deadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  const onAbort = () => controller.abort(caller?.reason);
  if (caller?.aborted) onAbort();
  else caller?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => expired,
    dispose() {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    },
  };
}

/** An HTTP status as a ProviderError reason. */
export function statusReason(status: number): ProviderError['reason'] {
  if (status === 429) return 'rate-limited';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not-found';
  if (status === 408 || status === 504) return 'timeout';
  return 'unavailable';
}

/**
 * The error for a failed call: the caller's abort passes through unchanged, our deadline becomes `timeout`, network
 * failures `unavailable`; a ProviderError is kept. URLs are never part of the message (they may carry an API key).
 */
export function toProviderError(provider: ProviderId, err: unknown, d: Deadline, caller: AbortSignal | undefined, what: string): unknown {
  if (err instanceof ProviderError) return err;
  if (caller?.aborted) return caller.reason;
  if (d.timedOut()) return new ProviderError(provider, 'timeout', `${what}: no answer within the time limit`);
  const message = err instanceof Error ? (err.cause instanceof Error ? `${err.message} (${err.cause.message})` : err.message) : String(err);
  return new ProviderError(provider, 'unavailable', `${what}: ${redactUrls(message)}`);
}

/** Strips query strings from any URL in a message: API keys travel as query parameters. */
export function redactUrls(message: string): string {
  return message.replace(/(https?:\/\/[^\s?"']+)\?[^\s"']*/g, '$1?…');
}

export interface JsonRequest {
  provider: ProviderId;
  /** For messages: "quote AAPL". */
  what: string;
  fetch: typeof fetch;
  timeoutMs: number;
  nowMs: number;
  signal?: AbortSignal;
}

/**
 * GET a JSON document: HTTP failures become ProviderErrors (with Retry-After), a body that is not JSON is bad-data.
 * Returns the status too, since some APIs put their error in a 200 body and others in a 4xx body worth reading.
 */
export async function getJson(url: string, r: JsonRequest): Promise<{ status: number; body: unknown }> {
  const d = deadline(r.timeoutMs, r.signal);
  try {
    const res = await r.fetch(url, { signal: d.signal, headers: { accept: 'application/json' } });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      if (res.ok) throw new ProviderError(r.provider, 'bad-data', `${r.what}: the answer is not JSON`);
      body = undefined;
    }
    if (!res.ok && res.status !== 404 && res.status !== 403 && res.status !== 401) {
      throw new ProviderError(r.provider, statusReason(res.status), `${r.what}: HTTP ${res.status}${errorText(body)}`, parseRetryAfter(res.headers.get('retry-after'), r.nowMs));
    }
    return { status: res.status, body };
  } catch (err) {
    throw toProviderError(r.provider, err, d, r.signal, r.what);
  } finally {
    d.dispose();
  }
}

function errorText(body: unknown): string {
  if (!body || typeof body !== 'object') return '';
  const b = body as Record<string, unknown>;
  const text = b['error'] ?? b['message'];
  return typeof text === 'string' ? ` (${redactUrls(text).slice(0, 200)})` : '';
}

/** A provider's lifetime: disposing it aborts every request in flight with a ProviderError, and refuses new ones. */
export class ProviderLifetime {
  private readonly controller = new AbortController();

  constructor(private readonly provider: ProviderId) {}

  /** The caller's signal joined with the lifetime; throws if already disposed. */
  signal(caller?: AbortSignal): AbortSignal {
    if (this.controller.signal.aborted) throw this.controller.signal.reason;
    return caller ? AbortSignal.any([caller, this.controller.signal]) : this.controller.signal;
  }

  dispose(): void {
    this.controller.abort(new ProviderError(this.provider, 'unavailable', `The ${this.provider} provider is closed`));
  }
}
