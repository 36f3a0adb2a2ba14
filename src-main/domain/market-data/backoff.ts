// Retry delays: exponential backoff with "equal jitter" (half fixed, half random), so clients that failed together do
// not retry together, yet every retry waits at least half the nominal delay. A server's Retry-After wins when longer.

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/** Delay before retry number `attempt` (1 = first retry); `random` returns [0, 1). */
export function backoffDelay(attempt: number, opts: BackoffOptions, random: () => number, retryAfterMs?: number): number {
  const nominal = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = nominal / 2 + (nominal / 2) * random();
  return Math.round(Math.max(jittered, retryAfterMs ?? 0));
}
