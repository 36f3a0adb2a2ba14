// Symbol mapping both ways, including the cases a naive mapping gets wrong.
import { describe, expect, it } from 'vitest';
import { fromYahooSymbol, toYahooSymbol } from './symbols';

describe('Yahoo symbols', () => {
  it.each([
    ['EURUSD', 'EURUSD=X'], ['USDJPY', 'USDJPY=X'], ['BTCUSD', 'BTC-USD'], ['ETHEUR', 'ETH-EUR'], ['US500', '^GSPC'], ['US30', '^DJI'],
    ['XAUUSD', 'GC=F'], ['BRK.B', 'BRK-B'], ['AAPL', 'AAPL'], ['SAP.DE', 'SAP.DE'], ['aapl', 'AAPL'], ['BTCUSDT', 'BTC-USDT'],
  ])('%s ↔ %s', (ours, yahoo) => {
    expect(toYahooSymbol(ours)).toBe(yahoo);
    expect(fromYahooSymbol(yahoo)).toBe(ours.toUpperCase());
  });

  it('maps Yahoo-only forms back to ours and passes unknown ones through', () => {
    expect(fromYahooSymbol('JPY=X')).toBe('USDJPY');
    expect(fromYahooSymbol('^GSPC')).toBe('US500');
    expect(fromYahooSymbol('^IXIC')).toBe('^IXIC');
    expect(fromYahooSymbol('ES=F')).toBe('ES=F');
    // Six letters that are not two currencies stay a ticker.
    expect(toYahooSymbol('ABCDEF')).toBe('ABCDEF');
  });
});
