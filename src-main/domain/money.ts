// Exact money math. Conventions (the one place they are written down):
// - Prices are numbers quoted at the instrument's tick size; quantities are exact decimals (shares, units, BTC).
// - Cash, commissions, P&L and NAV are decimal.js values, carried as strings across the contract and the database.
// - Internal products (quantity × price) are exact (34 significant digits, no rounding).
// - Booked cash and commissions are rounded to cents, ROUND_HALF_UP, at the moment they are booked; realised P&L is
//   the exact difference of booked amounts, so the ledger always adds up to the cent.
// - Average prices are kept to 10 decimal places (ROUND_HALF_EVEN); unrealised P&L is rounded to cents for display.
import Decimal from 'decimal.js';

export const D = Decimal.clone({ precision: 34, rounding: Decimal.ROUND_HALF_EVEN });
export type Dec = InstanceType<typeof D>;

export function dec(v: string | number | Dec): Dec {
  if (typeof v === 'number' && !Number.isFinite(v)) throw new RangeError(`not a finite number: ${v}`);
  return new D(v);
}

/** Round to cents, half up: the rule for every booked cash amount. */
export function cents(v: Dec): Dec {
  return v.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** Canonical string for storage and transport: fixed to cents. */
export function moneyString(v: Dec): string {
  return cents(v).toFixed(2);
}

export const ZERO = new D(0);
