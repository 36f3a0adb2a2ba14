import { describe, expect, it } from 'vitest';
import { SecType } from '@stoqey/ib';
import { ourSymbol, parseIbSymbol, queryContract, SymbolError } from './contracts';
import { durationFor, parseBarTime, twsUtc } from './data';
import { isWithinIbHours } from './data-market';

describe('IB symbols', () => {
  it('reads stocks, FX pairs, CFDs, futures and aliases', () => {
    expect(parseIbSymbol('aapl')).toEqual({ symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' });
    expect(parseIbSymbol('IBM@NYSE')).toMatchObject({ symbol: 'IBM', primaryExch: 'NYSE' });
    expect(parseIbSymbol('EURUSD')).toEqual({ symbol: 'EUR', secType: SecType.CASH, exchange: 'IDEALPRO', currency: 'USD' });
    expect(parseIbSymbol('usd.jpy')).toMatchObject({ symbol: 'USD', currency: 'JPY', secType: SecType.CASH });
    expect(parseIbSymbol('AAPL.CFD')).toMatchObject({ symbol: 'AAPL', secType: SecType.CFD, exchange: 'SMART' });
    expect(parseIbSymbol('ES.FUT')).toMatchObject({ symbol: 'ES', secType: SecType.FUT, frontMonth: true });
    expect(parseIbSymbol('ESM6.FUT')).toMatchObject({ symbol: 'ES', secType: SecType.FUT, localSymbol: 'ESM6' });
    expect(parseIbSymbol('US500')).toMatchObject({ symbol: 'IBUS500', secType: SecType.CFD });
    // Six letters that are not two currencies are a stock ticker.
    expect(parseIbSymbol('GOOGLE')).toMatchObject({ secType: SecType.STK });
  });

  it('names what is wrong with a bad symbol', () => {
    expect(() => parseIbSymbol('  ')).toThrow(SymbolError);
    expect(() => parseIbSymbol('AA$PL')).toThrow(/not a stock/);
  });

  it('maps IB contracts back to our symbols', () => {
    expect(ourSymbol({ symbol: 'EUR', secType: SecType.CASH, currency: 'USD' })).toBe('EURUSD');
    expect(ourSymbol({ symbol: 'AAPL', secType: SecType.CFD })).toBe('AAPL.CFD');
    expect(ourSymbol({ symbol: 'ES', secType: SecType.FUT, localSymbol: 'ESM6' })).toBe('ESM6.FUT');
    expect(ourSymbol({ symbol: 'MSFT', secType: SecType.STK })).toBe('MSFT');
    for (const s of ['EURUSD', 'AAPL.CFD', 'ESM6.FUT', 'MSFT']) {
      const q = parseIbSymbol(s);
      expect(ourSymbol({ ...queryContract(q), localSymbol: q.localSymbol })).toBe(s);
    }
  });

  it('formats IB durations, end dates and bar times', () => {
    expect(durationFor(3600)).toBe('3600 S');
    expect(durationFor(86400)).toBe('86400 S');
    expect(durationFor(86401)).toBe('2 D');
    expect(durationFor(400 * 86400)).toBe('2 Y');
    expect(twsUtc(Date.UTC(2026, 0, 5, 15, 30, 0) / 1000)).toBe('20260105-15:30:00');
    expect(parseBarTime('1767627000')).toBe(1767627000);
    expect(parseBarTime('20260105')).toBe(Date.UTC(2026, 0, 5) / 1000);
    expect(parseBarTime('20260105 15:30:00 UTC')).toBe(Date.UTC(2026, 0, 5, 15, 30) / 1000);
    expect(parseBarTime('garbage')).toBeNaN();
  });
});

describe('IB trading hours', () => {
  it('reads both hour formats in the contract time zone, across DST', () => {
    const hours = '20260105:0930-20260105:1600;20260106:CLOSED;20260707:0930-1600';
    // 5 Jan 2026: EST (UTC-5) ⇒ 14:30–21:00 UTC.
    expect(isWithinIbHours(hours, 'US/Eastern', Date.UTC(2026, 0, 5, 14, 29))).toBe(false);
    expect(isWithinIbHours(hours, 'US/Eastern', Date.UTC(2026, 0, 5, 14, 30))).toBe(true);
    expect(isWithinIbHours(hours, 'US/Eastern', Date.UTC(2026, 0, 5, 20, 59))).toBe(true);
    expect(isWithinIbHours(hours, 'US/Eastern', Date.UTC(2026, 0, 5, 21, 0))).toBe(false);
    expect(isWithinIbHours(hours, 'US/Eastern', Date.UTC(2026, 0, 6, 15, 0))).toBe(false);
    // 7 Jul 2026: EDT (UTC-4), old format ⇒ 13:30–20:00 UTC.
    expect(isWithinIbHours(hours, 'US/Eastern', Date.UTC(2026, 6, 7, 13, 30))).toBe(true);
    expect(isWithinIbHours(hours, 'US/Eastern', Date.UTC(2026, 6, 7, 20, 0))).toBe(false);
    // Overnight session crossing midnight (futures).
    expect(isWithinIbHours('20260105:1700-20260106:1600', 'US/Central', Date.UTC(2026, 0, 6, 3, 0))).toBe(true);
  });
});
