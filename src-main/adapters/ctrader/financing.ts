// cTrader's overnight financing (swap) as charges to book: cTrader keeps on each ProtoOAPosition the total swap
// charged on it so far (`swap`, in cents of the deposit currency: × 10^moneyDigits), and sends a ProtoOAExecutionEvent
// of type SWAP with the position when it changes at the rollover. A charge is the growth of that total since the last
// one booked; its id names the position and the new total, so the same event twice (or the reconcile's copy of a
// position already booked) is one charge.
import { dec } from '../../domain/money';
import type { VenueFinancing } from '../../ports/broker-session';
import type { Json } from './protocol';

export interface SwapState {
  positionId: number;
  /** The position's total swap, in cents of the deposit currency (× 10^moneyDigits). */
  total: number;
  moneyDigits: number;
  symbolId: number;
  time: number;
}

/** The swap state of a ProtoOAPosition (null when it carries none). */
export function swapOf(position: Json | undefined, moneyDigits: number, now: number): SwapState | null {
  if (!position || position['swap'] === undefined) return null;
  const td = position['tradeData'] as Json | undefined;
  return {
    positionId: Number(position['positionId']), total: Number(position['swap']), moneyDigits: Number(position['moneyDigits'] ?? moneyDigits),
    symbolId: Number(td?.['symbolId']), time: Number(position['utcLastUpdateTimestamp'] ?? now),
  };
}

/**
 * The charge since `bookedTotal` (the total booked before, in the same cents; 0 for a position never booked), exact:
 * cents are whole numbers, divided by 10^moneyDigits without rounding. Null when nothing changed.
 */
export function swapCharge(s: SwapState, bookedTotal: number, symbol: string): VenueFinancing | null {
  const delta = s.total - bookedTotal;
  if (delta === 0) return null;
  return { id: `CTRADER-SWAP-${s.positionId}-${s.total}`, time: s.time, symbol, amount: dec(delta).div(dec(10).pow(s.moneyDigits)).toFixed(s.moneyDigits) };
}
