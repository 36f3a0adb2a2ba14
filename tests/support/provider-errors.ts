// Test helper: a call must fail with a ProviderError (never another error, never success), and never quote a secret.
import { expect } from 'vitest';
import { ProviderError } from '../../src-main/ports/data-provider';

export async function expectProviderError(call: Promise<unknown>, secret?: string): Promise<ProviderError> {
  const err = await call.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  const e = err as ProviderError;
  if (secret) expect(e.message).not.toContain(secret);
  return e;
}
