// IG's settings and its one secret (API key and password) as the venue reads them.
import { describe, expect, it } from 'vitest';
import { igSettingsWithDefaults, IgSettings, maskIgAccount, parseIgSecret } from './config';
import { dealReferenceOf, orderIdOfReference, sizeOf, unitsOf } from './parsing';

describe('IG config', () => {
  it('splits the secret at the first colon: the key, then the password (which may hold colons)', () => {
    expect(parseIgSecret('0123abcd:pa:ss')).toEqual({ apiKey: '0123abcd', password: 'pa:ss' });
    expect(parseIgSecret('0123abcd')).toBeNull();
    expect(parseIgSecret(undefined)).toBeNull();
  });

  it('defaults to the demo environment and five markets; config.yaml defaults lose to the request', () => {
    expect(IgSettings.parse({})).toMatchObject({ environment: 'demo', account_id: '', epics: ['CS.D.EURUSD.CFD.IP', 'CS.D.GBPUSD.CFD.IP', 'CS.D.USDJPY.CFD.IP', 'CS.D.CFDGOLD.CFD.IP', 'IX.D.SPTRD.DAILY.IP'] });
    expect(igSettingsWithDefaults({ identifier: 'me', environment: 'live' }).parse({ environment: 'demo' })).toMatchObject({ identifier: 'me', environment: 'demo' });
    expect(() => IgSettings.parse({ epics: ['eur usd'] })).toThrow('an IG epic such as CS.D.EURUSD.CFD.IP');
    expect(maskIgAccount('XQ12345')).toBe('••345');
  });

  it("carries a UUID order id as an IG deal reference (≤ 30 of IG's characters) and back", () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const ref = dealReferenceOf(id);
    expect(ref).toMatch(/^[A-Za-z0-9_-]{1,30}$/);
    expect(orderIdOfReference(ref)).toBe(id);
    expect(orderIdOfReference('SIMREF000000001')).toBeNull();
    expect(dealReferenceOf('not-a-uuid-but-long-enough-to-cut-0123456789')).toMatch(/^[A-Za-z0-9_-]{1,30}$/);
  });

  it('converts units to IG contracts and back', () => {
    const eur = { contractSize: 100_000, minDealSize: 0.01 } as const;
    expect(sizeOf(12_000, { ...eur } as never)).toBe(0.12);
    expect(unitsOf(0.12, eur)).toBe(12_000);
  });
});
