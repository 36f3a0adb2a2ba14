// The dispatcher's method lookup: only the contract's own names are methods, never names inherited from Object.
import { describe, expect, it } from 'vitest';
import { isMethodName } from '../../src-shared/api/contract';
import { createDispatcher, type ApiHandlers } from './dispatcher';

const PROTO = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', 'toLocaleString'];

describe('dispatcher lookups', () => {
  it('isMethodName: the contract\'s names yes, Object.prototype\'s names no', () => {
    expect(isMethodName('app.info')).toBe(true);
    for (const name of PROTO) expect(isMethodName(name)).toBe(false);
  });

  it('dispatching a prototype name is NOT_FOUND and runs no handler', async () => {
    let ran = 0;
    const handlers = new Proxy({}, { get: () => async () => { ran++; return {}; } }) as ApiHandlers;
    const dispatch = createDispatcher(handlers);
    for (const name of PROTO) expect(await dispatch(name, {})).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: `Unknown method "${name}"` } });
    expect(ran).toBe(0);
    const long = await dispatch('x'.repeat(1_000_000), {});
    expect(!long.ok && long.error.message.length).toBeLessThan(120);
  });
});
