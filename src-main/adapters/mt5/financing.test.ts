// Hand-checked swap charges from MT5's TradePosition.swap (the total charged on the position so far).
import { describe, expect, it } from 'vitest';
import { mt5SwapCharge, swapTotalOf } from './financing';

const seen = (swap: number, volume = 0.1) => ({ positionId: 1001, symbol: 'EURUSD', swap, volume, time: 1_700_000_000_000 });

describe('MT5 swap charges', () => {
  it('a charge is the growth of the total since the one booked: −1.92 after nothing, then a triple of −5.77', () => {
    const first = mt5SwapCharge(seen(-1.92), undefined);
    expect(first.charge).toEqual({ id: 'MT5-SWAP-1001-0.1--1.92', time: 1_700_000_000_000, symbol: 'EURUSD', amount: '-1.92' });
    const triple = mt5SwapCharge(seen(-7.69), first.booked);
    expect(triple.charge!.amount).toBe('-5.77');
    expect(mt5SwapCharge(seen(-7.69), triple.booked).charge).toBeNull();
  });

  it('reads the double at the account currency\'s cents: −0.1 + −0.2 arriving as −0.30000000000000004 is −0.30', () => {
    expect(swapTotalOf(-0.1 + -0.2)).toBe('-0.30');
    expect(mt5SwapCharge(seen(-0.1 + -0.2), undefined).charge!.amount).toBe('-0.30');
  });

  it('a partial close takes its share to the deal (booked already): −7.69 on 0.1, half closed ⇒ −3.85 gone, −3.84 stays, no charge', () => {
    const booked = { total: '-7.69', volume: 0.1 };
    const after = mt5SwapCharge(seen(-3.84, 0.05), booked);
    expect(after.charge).toBeNull();
    expect(after.booked).toEqual({ total: '-3.84', volume: 0.05 });
    // A rollover after it is charged in full: −3.84 → −4.80 is −0.96.
    expect(mt5SwapCharge(seen(-4.8, 0.05), after.booked).charge!.amount).toBe('-0.96');
  });
});
