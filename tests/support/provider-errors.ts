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

/** Collects unhandled promise rejections between start and stop (a provider must never leave one behind). */
export function collectUnhandledRejections(): { stop(): Promise<unknown[]> } {
  const seen: unknown[] = [];
  const onRejection = (err: unknown) => seen.push(err);
  process.on('unhandledRejection', onRejection);
  return {
    async stop() {
      // Let any stray rejection surface first.
      await new Promise((r) => setTimeout(r, 50));
      process.off('unhandledRejection', onRejection);
      return seen;
    },
  };
}
