import { describe, expect, it } from 'vitest';
import { validateSettings, type SettingsForm } from './ib-settings';

const good: SettingsForm = { host: ' 127.0.0.1 ', port: '7497', clientId: '3', account: '', mode: 'paper', autoConnect: false };

describe('IB connection settings from the form', () => {
  it('parses a good form into the contract type, trimmed', () => {
    expect(validateSettings(good)).toEqual({ settings: { host: '127.0.0.1', port: 7497, clientId: 3, account: '', mode: 'paper', autoConnect: false }, errors: {} });
  });

  it('names every bad field in plain words', () => {
    const { settings, errors } = validateSettings({ ...good, host: ' ', port: '7497.5', clientId: '-1', account: 'U'.repeat(33) });
    expect(settings).toBeUndefined();
    expect(Object.keys(errors).sort()).toEqual(['account', 'clientId', 'host', 'port']);
    expect(errors['port']).toBe('Port must be a whole number from 1 to 65535');
  });

  it('refuses numbers with trailing text and ports out of range', () => {
    for (const port of ['12abc', '', '0', '65536']) expect(validateSettings({ ...good, port }).errors).toHaveProperty('port');
    expect(validateSettings({ ...good, port: '65535', clientId: '0' }).errors).toEqual({});
  });
});
