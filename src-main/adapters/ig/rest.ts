// IG's REST gateway on Node's fetch: the API key and session tokens (CST, X-SECURITY-TOKEN) on every request, the
// `Version` header per endpoint, DELETE tunnelled as POST with `_method: DELETE` (IG's rule for DELETEs with a body),
// IG's per-minute allowances honoured by queueing (and an allowance refusal waited out), 429 Retry-After honoured,
// idempotent requests retried once on 5xx, and an expired session renewed by logging in again once.
import type { Timers } from '../../ports/timers';
import { IgHttpError, isAllowanceError } from './errors';
import type { Json } from './parsing';

export interface IgTokens {
  cst: string;
  securityToken: string;
}

export interface IgRestOptions {
  base: string;
  apiKey: string;
  timers: Timers;
  now: () => number;
  timeoutMs: number;
  maxRetryAfterMs: number;
  allowanceBackoffMs: number;
  nonTradingPerMinute: number;
  tradingPerMinute: number;
  /** Logs in again (POST /session) and returns the new tokens; called when IG says the session is no longer valid. */
  relogin: () => Promise<IgTokens>;
  onAnswer?: () => void;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export const sleep = (timers: Timers, ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
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

/** A rolling one-minute window of request times: `take` waits until one more request fits. */
class Allowance {
  private readonly times: number[] = [];
  constructor(private readonly perMinute: number, private readonly o: Pick<IgRestOptions, 'timers' | 'now'>) {}
  async take(signal?: AbortSignal): Promise<void> {
    if (this.perMinute <= 0) return;
    for (;;) {
      const now = this.o.now();
      while (this.times.length && this.times[0]! <= now - 60_000) this.times.shift();
      if (this.times.length < this.perMinute) {
        this.times.push(now);
        return;
      }
      await sleep(this.o.timers, this.times[0]! + 60_000 - now + 1, signal);
    }
  }
}

/** A login: POST /session (version 2) with the API key; the tokens come back as headers. */
export async function igLogin(base: string, apiKey: string, identifier: string, password: string, timeoutMs: number, signal?: AbortSignal): Promise<{ tokens: IgTokens; body: Json }> {
  const timeout = AbortSignal.timeout(timeoutMs);
  let res: Response;
  try {
    res = await fetch(`${base}/session`, {
      method: 'POST', signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      headers: { 'X-IG-API-KEY': apiKey, Version: '2', 'Content-Type': 'application/json; charset=UTF-8', Accept: 'application/json; charset=UTF-8' },
      body: JSON.stringify({ identifier, password, encryptedPassword: false }),
    });
  } catch (err) {
    throw new IgHttpError(0, null, false, (err as Error).message);
  }
  const text = await res.text();
  let json: Json = {};
  try {
    json = text ? (JSON.parse(text) as Json) : {};
  } catch {
    /* an unreadable answer: its status says enough */
  }
  const cst = res.headers.get('cst');
  const securityToken = res.headers.get('x-security-token');
  if (!res.ok || !cst || !securityToken) throw new IgHttpError(res.status || 0, typeof json['errorCode'] === 'string' ? json['errorCode'] : null, false, res.ok ? 'no session tokens in the answer' : res.statusText);
  return { tokens: { cst, securityToken }, body: json };
}

export class IgRest {
  private readonly nonTrading: Allowance;
  private readonly trading: Allowance;
  private relogging: Promise<IgTokens> | null = null;

  constructor(private readonly o: IgRestOptions, private tokens: IgTokens) {
    this.nonTrading = new Allowance(o.nonTradingPerMinute, o);
    this.trading = new Allowance(o.tradingPerMinute, o);
  }

  private async renew(): Promise<void> {
    // One login for every request that found the session expired at the same time.
    this.relogging ??= this.o.relogin().finally(() => {
      this.relogging = null;
    });
    this.tokens = await this.relogging;
  }

  /**
   * One REST call. GETs are retried once after a 5xx or a lost answer; a deal (POST, DELETE) is not: its failure is
   * `uncertain` and the caller asks IG what happened (its confirm, the activity history). A refusal before IG acted
   * (401 expired session, 403 over the allowance, 429) is sent again after the wait, which is always safe.
   */
  async request<T = Json>(method: Method, path: string, version: number, body?: Json, signal?: AbortSignal): Promise<T> {
    const idempotent = method === 'GET';
    let retries5xx = idempotent ? 1 : 0;
    let relogins = 1;
    for (let attempt = 0; ; attempt++) {
      await (idempotent ? this.nonTrading : this.trading).take(signal);
      const timeout = AbortSignal.timeout(this.o.timeoutMs);
      const tunnel = method === 'DELETE';
      let res: Response;
      try {
        res = await fetch(`${this.o.base}${path}`, {
          method: tunnel ? 'POST' : method, signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
          headers: {
            'X-IG-API-KEY': this.o.apiKey, CST: this.tokens.cst, 'X-SECURITY-TOKEN': this.tokens.securityToken, Version: String(version),
            Accept: 'application/json; charset=UTF-8', ...(body !== undefined || tunnel ? { 'Content-Type': 'application/json; charset=UTF-8' } : {}), ...(tunnel ? { _method: 'DELETE' } : {}),
          },
          body: body !== undefined ? JSON.stringify(body) : tunnel ? '{}' : undefined,
        });
      } catch (err) {
        if (signal?.aborted) throw err;
        if (retries5xx-- > 0) continue;
        throw new IgHttpError(0, null, !idempotent, (err as Error).message);
      }
      this.o.onAnswer?.();
      const text = await res.text();
      let json: Json | null;
      try {
        json = text ? (JSON.parse(text) as Json) : {};
      } catch {
        json = null;
      }
      const code = typeof json?.['errorCode'] === 'string' ? json['errorCode'] : null;
      if (res.ok && json) return json as T;
      if (res.status === 429 || (res.status === 403 && isAllowanceError(code))) {
        const wait = res.status === 429 ? retryAfterMs(res.headers.get('retry-after'), this.o.now()) : this.o.allowanceBackoffMs;
        if (wait > this.o.maxRetryAfterMs || attempt >= 10) throw new IgHttpError(res.status, code, false);
        await sleep(this.o.timers, wait, signal);
        continue;
      }
      if (res.status === 401 && code !== 'error.security.invalid-details' && relogins-- > 0) {
        await this.renew();
        continue;
      }
      if (res.status >= 500 && retries5xx-- > 0) {
        await sleep(this.o.timers, 200, signal);
        continue;
      }
      throw new IgHttpError(res.status, code, res.status >= 500 && !idempotent, res.ok ? 'unreadable answer' : res.statusText);
    }
  }
}

/** PUT /session: moves a fresh login to `accountId` (a login lands on the preferred account). */
export async function igSwitchAccount(base: string, apiKey: string, tokens: IgTokens, accountId: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const timeout = AbortSignal.timeout(timeoutMs);
  let res: Response;
  try {
    res = await fetch(`${base}/session`, {
      method: 'PUT', signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      headers: { 'X-IG-API-KEY': apiKey, CST: tokens.cst, 'X-SECURITY-TOKEN': tokens.securityToken, Version: '1', 'Content-Type': 'application/json; charset=UTF-8' },
      body: JSON.stringify({ accountId, defaultAccount: false }),
    });
  } catch (err) {
    throw new IgHttpError(0, null, false, (err as Error).message);
  }
  const json = (await res.json().catch(() => ({}))) as Json;
  if (!res.ok) throw new IgHttpError(res.status, typeof json['errorCode'] === 'string' ? json['errorCode'] : null, false, res.statusText);
}
