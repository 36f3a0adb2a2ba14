// The contract served: validates every request and response with the zod schemas of src-shared/api/contract.ts.
// Both transports (IPC and web) call `dispatch` and forward `EventHub` events; they hold no business logic.
import { z } from 'zod';
import {
  events as eventSchemas, isMethodName, methods,
  type ApiError, type EventName, type EventOf, type MethodName, type ParsedRequestOf, type ResponseOf,
} from '../../src-shared/api/contract';
import { fieldErrors } from '../../src-shared/api/order-request';
import type { Disposable } from '../ports/disposable';
import { diskFullMessage, isDiskFull } from '../storage-errors';

export type ApiHandlers = {
  [M in MethodName]: (params: ParsedRequestOf<M>) => Promise<ResponseOf<M>>;
};

export type DispatchResult = { ok: true; result: unknown } | { ok: false; error: ApiError };

/** An error a handler throws on purpose, with a code the client understands. */
export class HandlerError extends Error {
  constructor(readonly code: ApiError['code'], message: string) {
    super(message);
    this.name = 'HandlerError';
  }
}

export interface DispatcherOptions {
  /** Validate responses too (on in tests and development: a contract drift is a bug). */
  validateResponses?: boolean;
  onInternalError?: (method: string, err: unknown) => void;
}

export function createDispatcher(handlers: ApiHandlers, opts: DispatcherOptions = {}) {
  return async function dispatch(method: string, params: unknown): Promise<DispatchResult> {
    if (!isMethodName(method)) {
      // A name of any length may arrive: the answer quotes at most 100 characters of it.
      const shown = method.length > 100 ? `${method.slice(0, 100)}…` : method;
      return { ok: false, error: { code: 'NOT_FOUND', message: `Unknown method "${shown}"` } };
    }
    const spec = methods[method];
    const parsed = (spec.request as z.ZodType).safeParse(params ?? {});
    if (!parsed.success) {
      const fields = fieldErrors(parsed.error);
      const first = Object.entries(fields)[0];
      const message = first ? (first[0] === '_' ? first[1] : `${first[0]}: ${first[1]}`) : 'Invalid request';
      return { ok: false, error: { code: 'BAD_REQUEST', message, fields } };
    }
    try {
      const handler = handlers[method] as (p: unknown) => Promise<unknown>;
      const result = await handler(parsed.data);
      if (opts.validateResponses) (spec.response as z.ZodType).parse(result);
      return { ok: true, result };
    } catch (err) {
      if (err instanceof HandlerError) return { ok: false, error: { code: err.code, message: err.message } };
      opts.onInternalError?.(method, err);
      // A full disk is the user's to fix and the host keeps serving: say so instead of "internal error".
      if (isDiskFull(err)) return { ok: false, error: { code: 'UNAVAILABLE', message: `${diskFullMessage(err)}; ${method} was not completed.` } };
      return { ok: false, error: { code: 'INTERNAL', message: `Internal error in ${method}: ${err instanceof Error ? err.message : String(err)}` } };
    }
  };
}
export type Dispatch = ReturnType<typeof createDispatcher>;

type AnyListener = (name: EventName, data: unknown) => void;

/** Fan-out of pushed events to every connected transport client. Payloads are validated once, here. */
export class EventHub {
  private readonly listeners = new Set<AnyListener>();
  constructor(private readonly validate = false) {}

  emit<E extends EventName>(name: E, data: EventOf<E>): void {
    if (this.validate) eventSchemas[name].parse(data);
    for (const l of this.listeners) l(name, data);
  }

  subscribe(listener: AnyListener): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }
}
