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
