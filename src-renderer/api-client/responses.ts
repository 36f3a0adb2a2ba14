// Responses: every result is parsed with its method's schema; anything else becomes an ApiCallError.
import { ApiCallError, ApiError, methods, type MethodName, type ResponseOf } from '../../src-shared/api/contract';

export function parseResult<M extends MethodName>(method: M, result: unknown, log: (message: string, detail?: unknown) => void = console.error): ResponseOf<M> {
  const parsed = methods[method].response.safeParse(result);
  if (!parsed.success) {
    log(`Quant Claude API: malformed response to ${method} rejected`, parsed.error.issues);
    throw new ApiCallError({ code: 'INTERNAL', message: `Malformed response to ${method}` });
  }
  return parsed.data as ResponseOf<M>;
}

/** An error payload from main, or a generic one when main sent something that is not an ApiError. */
export function toApiCallError(raw: unknown): ApiCallError {
  const parsed = ApiError.safeParse(raw);
  return new ApiCallError(parsed.success ? parsed.data : { code: 'INTERNAL', message: 'Malformed error from Quant Claude' });
}
