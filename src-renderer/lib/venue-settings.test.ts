import { describe, expect, it } from 'vitest';
import type { VenueInfo } from '../../src-shared/api/contract';
import { settingsErrors, toSettings, toValues } from './venue-settings';

const oanda: VenueInfo = {
  id: 'oanda', label: 'OANDA', alwaysOn: false, secret: { label: 'API token' },
  capabilities: { assetClasses: ['fx'], orderTypes: ['market'], quotes: 'streaming' },
  settingsFields: [
    { key: 'environment', label: 'Environment', kind: 'select', liveValue: 'live', options: [{ value: 'practice', label: 'Practice' }, { value: 'live', label: 'Live' }] },
    { key: 'account_id', label: 'Account', kind: 'text' },
    { key: 'base_url', label: 'REST URL', kind: 'url' },
    { key: 'auto_connect', label: 'Connect at start', kind: 'checkbox' },
  ],
};

describe('a venue settings form', () => {
  it('fills from the saved settings, absent fields empty and a select on its first option', () => {
    expect(toValues(oanda, { base_url: 'http://127.0.0.1:8080', auto_connect: true })).toEqual({ environment: 'practice', account_id: '', base_url: 'http://127.0.0.1:8080', auto_connect: true });
  });

  it('sends trimmed values; an empty URL is left out so the venue default applies, an empty text is sent empty', () => {
    expect(toSettings(oanda, { environment: 'live', account_id: ' 101-004-1-001 ', base_url: '  ', auto_connect: false })).toEqual({ environment: 'live', account_id: '101-004-1-001', auto_connect: false });
  });

  it('maps the handler\'s BAD_REQUEST message to the fields it names, ignoring others', () => {
    expect(settingsErrors('Invalid settings: base_url: Invalid URL; environment: Invalid option: expected one of "practice"|"live"; other: x', ['environment', 'base_url']))
      .toEqual({ base_url: 'Invalid URL', environment: 'Invalid option: expected one of "practice"|"live"' });
  });
});
