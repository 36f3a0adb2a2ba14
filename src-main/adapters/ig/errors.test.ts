// IG's errorCodes and deal rejection reasons in plain words.
import { describe, expect, it } from 'vitest';
import { describeIgError, describeIgReason, IgHttpError, isAllowanceError } from './errors';

describe('IG errors', () => {
  it('names the known errorCodes and statuses, and keeps an unknown code visible', () => {
    expect(describeIgError(401, 'error.security.invalid-details')).toBe('IG: IG refused the identifier or password: check them in Settings → Connections');
    expect(describeIgError(403, 'error.public-api.exceeded-api-key-allowance')).toMatch(/API key used up its requests for the minute/);
    expect(describeIgError(400, 'validation.invalid.size')).toBe('IG refused the request as invalid (validation.invalid.size)');
    expect(describeIgError(503, null)).toBe("IG's servers had a problem (HTTP 503); retrying");
    expect(new IgHttpError(0, null, true, 'socket hang up').message).toBe('IG did not answer (socket hang up)');
    expect(isAllowanceError('error.public-api.exceeded-account-trading-allowance')).toBe(true);
    expect(isAllowanceError('error.security.client-token-invalid')).toBe(false);
  });

  it("words a rejected deal's reason, and an unknown one by its code", () => {
    expect(describeIgReason('INSUFFICIENT_FUNDS')).toBe('IG: not enough funds in the IG account for this deal');
    expect(describeIgReason('CR_SPACING')).toBe('IG: the deal was rejected (cr spacing)');
    expect(describeIgReason(undefined)).toBe('IG: IG rejected the deal without saying why');
  });
});
