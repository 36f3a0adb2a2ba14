// OANDA's answers in plain words, and Retry-After read the two ways HTTP allows.
import { describe, expect, it } from 'vitest';
import { describeCancelReason, describeOandaCode, describeOandaError } from './errors';
import { retryAfterMs } from './rest';

describe('OANDA errors in plain words', () => {
  it('name the problem for known codes and statuses, and still say something for unknown ones', () => {
    expect(describeOandaError(400, 'INSUFFICIENT_MARGIN', 'x')).toBe('OANDA: not enough free margin in the OANDA account for this order');
    expect(describeOandaError(401, null, 'Insufficient authorization')).toMatch(/refused the API token/);
    expect(describeOandaError(503, null, 'Service Unavailable')).toBe('OANDA\'s servers had a problem (HTTP 503); retrying');
    expect(describeOandaError(0, null, 'ECONNREFUSED')).toBe('OANDA did not answer (ECONNREFUSED)');
    expect(describeOandaCode('SOME_NEW_CODE')).toBe('OANDA refused the order (some new code)');
    expect(describeCancelReason('LINKED_TRADE_CLOSED')).toBe('its trade was closed, so OANDA cancelled it');
    expect(describeCancelReason(undefined)).toBe('cancelled by OANDA (no reason given)');
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(retryAfterMs('2', 0)).toBe(2_000);
    expect(retryAfterMs(null, 0)).toBe(1_000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
  });
});
