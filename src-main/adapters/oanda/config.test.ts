// OANDA settings: defaults, config.yaml defaults under the request's fields, endpoints per environment, masking.
import { describe, expect, it } from 'vitest';
import { endpoints, maskOandaAccount, oandaAccountHash, OandaSettings, oandaSettingsWithDefaults } from './config';
import { oandaVenue } from './venue';

describe('OANDA settings', () => {
  it('default to practice on OANDA\'s practice hosts; a base URL (the simulator) serves both REST and streams', () => {
    const s = OandaSettings.parse({});
    expect(s).toEqual({ account_id: '', environment: 'practice', auto_connect: false });
    expect(endpoints(s)).toEqual({ rest: 'https://api-fxpractice.oanda.com', stream: 'https://stream-fxpractice.oanda.com' });
    expect(endpoints({ ...s, environment: 'live' })).toEqual({ rest: 'https://api-fxtrade.oanda.com', stream: 'https://stream-fxtrade.oanda.com' });
    expect(endpoints({ ...s, base_url: 'http://127.0.0.1:8080/' })).toEqual({ rest: 'http://127.0.0.1:8080', stream: 'http://127.0.0.1:8080' });
  });

  it('take config.yaml\'s values as defaults; the request\'s fields win; bad fields are named', () => {
    const schema = oandaSettingsWithDefaults({ account_id: '101-004-1-001', environment: 'live', base_url: undefined });
    expect(schema.parse({})).toMatchObject({ account_id: '101-004-1-001', environment: 'live' });
    expect(schema.parse({ environment: 'practice' }).environment).toBe('practice');
    expect(() => schema.parse({ base_url: 'ftp://x' })).toThrow(/base_url/);
    expect(() => OandaSettings.parse({ account_id: '101 004' })).toThrow(/account_id/);
  });

  it('are saved without the account id, which is kept only as a one-way key; live needs a confirmation', () => {
    const venue = oandaVenue(() => { throw new Error('not used'); });
    const s = OandaSettings.parse({ account_id: '101-004-7654321-001', environment: 'live' });
    expect(venue.saved(s).account_id).toBe('');
    expect(venue.accountKey(s)).toBe(oandaAccountHash('101-004-7654321-001'));
    expect(venue.accountKey(s)).toMatch(/^[0-9a-f]{16}$/);
    expect(venue.isLive(s)).toBe(true);
    expect(JSON.stringify(venue.describe(s))).not.toContain('7654321');
    expect(maskOandaAccount('101-004-7654321-001')).toBe('101-•••-001');
  });
});
