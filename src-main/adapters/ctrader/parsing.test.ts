// Hand-checked mappings of the cTrader venue: the stored credential, symbols to CFD specs (financing from a swap in
// percent or in pips), our orders to ProtoOANewOrderReq payloads, and error codes in words.
import { describe, expect, it } from 'vitest';
import type { Order } from '../../../src-shared/domain/types';
import { parseCredentials } from './config';
import { describeCtraderCode } from './errors';
import { cfdSpecOf, classify, orderRequestOf, specOf } from './parsing';

const eur = (swap: Record<string, unknown>) => specOf({ symbolId: 1, symbolName: 'EURUSD', description: 'Euro vs US Dollar' }, {
  symbolId: 1, digits: 5, pipPosition: 4, lotSize: 10_000_000, minVolume: 100_000, stepVolume: 100_000, maxVolume: 10_000_000_000, ...swap,
}, 30);

const order = (o: Partial<Order>): Order => ({
  id: 'a1b2', accountId: 'CTRADER-x', brokerOrderId: null, symbol: 'EURUSD', side: 'buy', type: 'limit', quantity: 2_000, limitPrice: 1.0812345, stopPrice: null,
  trailPercent: null, timeInForce: 'day', stopLoss: null, takeProfit: null, parentId: null, source: 'manual', status: 'submitted', filledQuantity: 0, avgFillPrice: null,
  rejectReason: null, createdAt: 0, updatedAt: 0, ...o,
});

describe('cTrader parsing', () => {
  it('reads the credential as CLIENT_SECRET:ACCESS_TOKEN (split at the first colon)', () => {
    expect(parseCredentials('abc:def')).toEqual({ clientSecret: 'abc', accessToken: 'def' });
    expect(parseCredentials('abc:de:f')).toEqual({ clientSecret: 'abc', accessToken: 'de:f' });
    for (const bad of [undefined, '', 'abc', ':def', 'abc:']) expect(parseCredentials(bad)).toBeNull();
  });

  it('classifies symbols by name into the regulator\'s categories', () => {
    expect(classify('EURUSD')).toEqual({ assetClass: 'fx', quoteCurrency: 'USD', category: 'major-fx' });
    expect(classify('EURGBP')).toEqual({ assetClass: 'fx', quoteCurrency: 'GBP', category: 'minor-fx' });
    expect(classify('XAUUSD')).toEqual({ assetClass: 'commodity-cfd', quoteCurrency: 'USD', category: 'gold' });
    expect(classify('XAGUSD').category).toBe('commodity');
    expect(classify('DE40')).toEqual({ assetClass: 'index-cfd', quoteCurrency: 'EUR', category: 'major-index' });
  });

  it('turns volumes in cents into units, and a PERCENTAGE swap into an annual rate as it is', () => {
    const spec = cfdSpecOf(eur({ swapCalculationType: 1, swapLong: -2.5, swapShort: 0.75 }));
    expect(spec).toMatchObject({ contractSize: 100_000, minSize: 1_000, sizeStep: 1_000, maxLeverage: 30, pipLocation: -4, financing: { long: '-0.025000', short: '0.007500' } });
  });

  it('turns a swap in pips a lot a day into an annual rate at the mid: −6.5 pips at 1.1 = −0.00065 × 365 / 1.1 = −21.5682 %', () => {
    const s = eur({ swapCalculationType: 0, swapLong: -6.5, swapShort: 1.2 });
    expect(cfdSpecOf(s, 1.1).financing).toEqual({ long: '-0.215682', short: '0.039818' });
    expect(cfdSpecOf(s).financing).toEqual({ long: '0', short: '0' }); // no price yet: unknown, not guessed
  });

  it('makes a ProtoOANewOrderReq: volume in cents, the price on the symbol\'s digits, our id as clientOrderId, GTC for pending orders', () => {
    expect(orderRequestOf(order({}), eur({}), 44)).toEqual({
      ctidTraderAccountId: 44, symbolId: 1, orderType: 2, tradeSide: 1, volume: 200_000, limitPrice: 1.08123, timeInForce: 2, clientOrderId: 'a1b2', label: 'quant-claude',
    });
    expect(orderRequestOf(order({ type: 'market', side: 'sell', limitPrice: null }), eur({}), 44)).toMatchObject({ orderType: 1, tradeSide: 2 });
    expect(() => orderRequestOf(order({ quantity: 1_500 }), eur({}), 44)).toThrow('EURUSD trades at least 1000 units, in steps of 1000');
    expect(() => orderRequestOf(order({ type: 'trailing-stop' }), eur({}), 44)).toThrow(/held by the app/);
  });

  it('says errors in plain words, and unknown ones by their code', () => {
    expect(describeCtraderCode('NOT_ENOUGH_MONEY')).toBe('cTrader: not enough free margin in the cTrader account for this order');
    expect(describeCtraderCode('SOMETHING_NEW', 'details')).toBe('cTrader refused the request (something new: details)');
  });
});
