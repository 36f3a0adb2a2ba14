// MetaTrader 5's overnight financing (swap) as charges to book: MT5 keeps on each open position the swap charged on it
// so far (`TradePosition.swap`, in the account currency) and moves it to the balance with the deal that closes the
// position. A charge is the growth of a position's total since the one booked; its id names the position, its volume
// and the new total, so the same total seen again (every poll, a reconnect's positions) is one charge.
import Decimal from 'decimal.js';
import { dec } from '../../domain/money';
import type { VenueFinancing } from '../../ports/broker-session';

/** What was booked of one position's swap: the total and the volume (in lots) it was booked at. */
export interface Mt5SwapBooked {
  total: string;
  volume: number;
}

export interface Mt5SwapSeen {
  /** MT5's position identifier (`TradePosition.identifier`, else its ticket). */
  positionId: number;
  symbol: string;
  /** The position's swap as the package gave it (a double in the account currency). */
  swap: number;
  volume: number;
  time: number;
}

/**
 * The account currency's cents: MT5 reports swap as a double (−0.89 arrives as −0.89000000000000001 at worst), so the
 * total is read at the account currency's digits (2, or `account_info().currency_digits` when the terminal gives it).
 */
export function swapTotalOf(swap: number, digits = 2): string {
  return dec(String(swap)).toDecimalPlaces(digits).toFixed(digits);
}

/**
 * The charge since what was booked, or null. A position whose volume shrank since (a partial close on a netting
 * account) took the closed part's share of its swap to the closing deal, already booked while it was open: what is
 * expected to stay is the booked total less the closed share (booked × volume closed ÷ volume booked, half-up to the
 * cent, as the stand-in splits it), and only a difference from that is new.
 */
export function mt5SwapCharge(seen: Mt5SwapSeen, booked: Mt5SwapBooked | undefined, digits = 2): { charge: VenueFinancing | null; booked: Mt5SwapBooked } {
  const total = swapTotalOf(seen.swap, digits);
  const now: Mt5SwapBooked = { total, volume: seen.volume };
  const before = booked ? dec(booked.total) : dec(0);
  // The closing deal takes its share rounded to the cent; the rest stays on the position.
  const expected = booked && seen.volume < booked.volume && booked.volume > 0
    ? before.minus(before.times(dec(booked.volume).minus(seen.volume)).div(booked.volume).toDecimalPlaces(digits, Decimal.ROUND_HALF_UP)) : before;
  const delta = dec(total).minus(expected);
  if (delta.isZero()) return { charge: null, booked: now };
  return { charge: { id: `MT5-SWAP-${seen.positionId}-${seen.volume}-${total}`, time: seen.time, symbol: seen.symbol, amount: delta.toFixed(digits) }, booked: now };
}
