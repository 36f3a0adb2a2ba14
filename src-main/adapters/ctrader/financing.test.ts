// Hand-checked swap charges from cTrader's ProtoOAPosition.swap (the total charged so far, in cents × 10^moneyDigits).
import { describe, expect, it } from 'vitest';
import { swapCharge, swapOf } from './financing';

const position = (swap: number, moneyDigits?: number) => ({
  positionId: 5001, tradeData: { symbolId: 1, volume: 10_000_000, tradeSide: 1 }, swap, utcLastUpdateTimestamp: 1_700_000_000_000, ...(moneyDigits === undefined ? {} : { moneyDigits }),
});

describe('cTrader swap charges', () => {
  it('a charge is the growth of the total since the one booked: −740 cents after nothing is −7.40', () => {
    const s = swapOf(position(-740), 2, 0)!;
    expect(swapCharge(s, 0, 'EURUSD')).toEqual({ id: 'CTRADER-SWAP-5001--740', time: 1_700_000_000_000, symbol: 'EURUSD', amount: '-7.40' });
  });

  it('a Wednesday triple after a day: −2960 total, −740 booked ⇒ −22.20; the same total again is nothing', () => {
    const s = swapOf(position(-2_960), 2, 0)!;
    expect(swapCharge(s, -740, 'EURUSD')!.amount).toBe('-22.20');
    expect(swapCharge(s, -2_960, 'EURUSD')).toBeNull();
  });

  it('reads the position\'s own moneyDigits exactly (no float division): 123457 at 3 digits is 123.457', () => {
    expect(swapCharge(swapOf(position(123_457, 3), 2, 0)!, 0, 'EURUSD')!.amount).toBe('123.457');
  });

  it('a position without a swap field is no charge', () => {
    expect(swapOf({ positionId: 1 }, 2, 0)).toBeNull();
    expect(swapOf(undefined, 2, 0)).toBeNull();
  });
});
