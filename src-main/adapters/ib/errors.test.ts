import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@stoqey/ib';
import { KNOWN_IB_CODES, classifyIbError, connectivityOf, dataFarmOf, describeIbError, isIbNotice } from './errors';

describe('IB error codes', () => {
  it('gives every code in the table a sentence and a class', () => {
    expect(new Set(KNOWN_IB_CODES).size).toBe(KNOWN_IB_CODES.length);
    for (const code of KNOWN_IB_CODES) {
      const e = classifyIbError(code, '');
      expect(e.known).toBe(true);
      expect(e.message.length, `code ${code}`).toBeGreaterThan(15);
      expect(e.message.endsWith('.'), `code ${code}`).toBe(true);
    }
  });

  it('covers the codes of the common real TWS messages', () => {
    const common = [100, 162, 165, 200, 201, 202, 300, 321, 322, 326, 354, 366, 502, 504, 507, 1100, 1101, 1102, 1300,
      2103, 2104, 2105, 2106, 2107, 2108, 2110, 2119, 2137, 2157, 2158, 10090, 10167, 10168, 10197];
    for (const code of common) expect(KNOWN_IB_CODES, `code ${code}`).toContain(code);
  });

  it('tells a 162 pacing violation from "no data" and a cancelled query by the TWS text', () => {
    const pacing = classifyIbError(162, 'Historical Market Data Service error message:Historical data request pacing violation');
    expect(pacing).toMatchObject({ class: 'pacing', action: 'retry-later' });
    const noData = classifyIbError(162, 'Historical Market Data Service error message:HMDS query returned no data: EUR.USD@IDEALPRO Midpoint');
    expect(noData).toMatchObject({ class: 'request', action: 'fail-request' });
    expect(noData.message).toMatch(/no historical data/);
    expect(classifyIbError(162, 'Historical Market Data Service error message:API historical data query cancelled: 12')).toMatchObject({ class: 'info' });
  });

  it('classes connection, farm, permission and order codes as the clients expect', () => {
    expect(classifyIbError(1101)).toMatchObject({ class: 'connection', action: 'resubscribe' });
    expect(classifyIbError(1100)).toMatchObject({ class: 'connection', action: 'wait-for-ib' });
    expect(classifyIbError(ErrorCode.CONNECT_FAIL)).toMatchObject({ class: 'connection', action: 'reconnect' });
    expect(classifyIbError(2104)).toMatchObject({ class: 'data-farm', severity: 'info' });
    expect(classifyIbError(10167)).toMatchObject({ class: 'market-data-permission', severity: 'warning' });
    expect(classifyIbError(10197).message).toMatch(/logged in elsewhere/);
    expect(classifyIbError(201)).toMatchObject({ class: 'order-reject', action: 'fail-request' });
    expect(classifyIbError(2137)).toMatchObject({ class: 'order-warning' });
    expect(classifyIbError(200, 'The contract description specified for X is ambiguous').message).toMatch(/ambiguous/);
  });

  it('falls back on the numbering for unknown codes, never with an empty message', () => {
    for (const code of [199, 577, 1199, 2199, 10999]) {
      const e = classifyIbError(code, 'something');
      expect(e.known).toBe(false);
      expect(e.message).not.toBe('');
      expect(describeIbError(e)).toContain(`IB ${code}: something`);
    }
    expect(classifyIbError(577).class).toBe('connection');
    expect(classifyIbError(2199).class).toBe('info');
  });

  it('reads connectivity and data farm notices', () => {
    expect(connectivityOf(1100)).toBe('lost');
    expect(connectivityOf(1101)).toBe('restored-data-lost');
    expect(connectivityOf(1102)).toBe('restored-data-kept');
    expect(connectivityOf(2104)).toBeUndefined();
    expect(dataFarmOf(2104, 'Market data farm connection is OK:usfarm')).toEqual({ kind: 'market', name: 'usfarm', ok: true });
    expect(dataFarmOf(2157, 'Sec-def data farm connection is broken:secdefnj')).toEqual({ kind: 'secdef', name: 'secdefnj', ok: false });
    expect(dataFarmOf(2105, 'A historical data farm is disconnected.')).toEqual({ kind: 'history', name: 'history', ok: false });
    expect(dataFarmOf(200)).toBeUndefined();
    expect(isIbNotice(2104)).toBe(true);
    expect(isIbNotice(2103)).toBe(false);
  });
});
