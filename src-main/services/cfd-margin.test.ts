// Margin status as the contract carries it: the alert state between the alert level and the margin call, IB's own
// figures, and the account the top bar shows.
import { describe, expect, it } from 'vitest';
import { worstAccount, type MarginStatus } from '../../src-shared/domain/margin';
import { marginFigures } from '../domain/cfd/margin';
import { dec } from '../domain/money';
import { brokerMargin, toMarginStatus } from './cfd-margin';

const ids = { accountId: 'A', venue: 'paper-cfd', label: 'Paper CFD', currency: 'USD' };
const levels = { alert: 150, marginCall: 100, stopOut: 50 };
const status = (equity: number, used: number, accountId = 'A') =>
  toMarginStatus({ ...ids, accountId }, marginFigures(dec(equity), dec(used), levels), levels, 'app');

describe('margin status', () => {
  it('is an alert below the alert level and above the margin call, with the figures in cents', () => {
    expect(status(10_000, 5000)).toMatchObject({ state: 'ok', marginLevel: '200.00', freeMargin: '5000.00', toMarginCall: '5000.00', toStopOut: '7500.00' });
    expect(status(7000, 5000)).toMatchObject({ state: 'alert', marginLevel: '140.00' });
    expect(status(4000, 5000)).toMatchObject({ state: 'margin-call', marginLevel: '80.00', toMarginCall: '0.00', toStopOut: '1500.00' });
    expect(status(2000, 5000)).toMatchObject({ state: 'stop-out', marginLevel: '40.00' });
    expect(status(10_000, 0)).toMatchObject({ state: 'flat', marginLevel: null, toStopOut: null });
  });

  it('takes IB’s NetLiquidation over MaintMarginReq, and nothing without them', () => {
    const r = brokerMargin([{ key: 'NetLiquidation', value: '120000.50', currency: 'USD' }, { key: 'MaintMarginReq', value: '60000', currency: 'USD' }]);
    expect(r?.figures.level?.toFixed(4)).toBe('200.0008');
    expect(brokerMargin([{ key: 'NetLiquidation', value: '1', currency: 'USD' }])).toBeNull();
  });

  it('takes OANDA’s closeout NAV over its closeout margin used, with OANDA’s levels (margin call 100 %, closeout 50 %)', () => {
    const v = (key: string, value: string) => ({ key, value, currency: 'USD' });
    // NAV 1,200 over 1,000 of margin: 120 %, above the margin call, 200 from it, 700 from the closeout.
    const r = brokerMargin([v('NAV', '1200.0000'), v('marginUsed', '1000.0000'), v('marginCloseoutNAV', '1200.0000'), v('marginCloseoutMarginUsed', '1000.0000'), v('marginCloseoutPercent', '0.41667')]);
    expect(r?.levels).toEqual({ marginCall: 100, stopOut: 50 });
    expect(r?.figures.level?.toFixed(2)).toBe('120.00');
    expect(toMarginStatus(ids, r!.figures, { alert: 150, ...r!.levels }, 'broker')).toMatchObject({ state: 'alert', toMarginCall: '200.00', toStopOut: '700.00' });
    // Without the closeout figures, NAV and marginUsed; without marginCloseoutPercent it is not OANDA's summary.
    expect(brokerMargin([v('NAV', '900'), v('marginUsed', '1000'), v('marginCloseoutPercent', '0.55')])?.figures.state).toBe('margin-call');
    expect(brokerMargin([v('NAV', '900'), v('marginUsed', '1000')])).toBeNull();
  });

  it('takes cTrader’s equity over its used margin, with ESMA’s retail levels (close-out below 50 %)', () => {
    const v = (key: string, value: string) => ({ key, value, currency: 'EUR' });
    // 4,500 of equity over 5,000 of margin: 90 %, under the margin call; 2,000 above the 50 % close-out.
    const r = brokerMargin([v('balance', '5000.00'), v('usedMargin', '5000.00'), v('equity', '4500.00'), v('freeMargin', '-500.00')]);
    expect(r?.levels).toEqual({ marginCall: 100, stopOut: 50 });
    expect(r?.currency).toBe('EUR');
    expect(toMarginStatus(ids, r!.figures, { alert: 150, ...r!.levels }, 'broker')).toMatchObject({ state: 'margin-call', marginLevel: '90.00', toStopOut: '2000.00' });
    // Before the first quote cTrader's session has no equity: no figures rather than a level from the balance.
    expect(brokerMargin([v('balance', '5000.00'), v('usedMargin', '5000.00')])).toBeNull();
  });

  it('the top bar shows the lowest level; a flat account only when none has a level', () => {
    const list: MarginStatus[] = [status(10_000, 0, 'flat'), status(10_000, 5000, 'B'), status(7000, 5000, 'C')];
    expect(worstAccount(list)?.accountId).toBe('C');
    expect(worstAccount([status(10_000, 0, 'flat')])?.accountId).toBe('flat');
    expect(worstAccount([])).toBeNull();
  });
});
