// IB-like tiered commissions, exact in decimal: a fill's commission is the order's cumulative charge minus what was charged.
import Decimal from 'decimal.js';
import type { Instrument } from '../market/instruments';

/**
 * Cumulative commission of an order that has filled `qty` units for a total notional of `value` (price × qty × multiplier).
 * Rates follow IB Pro "tiered" at the lowest volume tier (2024 schedule), simplified to the parts that depend only on the fill:
 * - STK/CFD: 0.0035 USD/share, min 0.35, max 1% of value; plus clearing 0.0002/share and exchange 0.003/share when
 *   removing liquidity (an adding fill pays none: the simulator does not model rebates).
 * - CASH: 0.2 bp of value, min 2.00 USD.
 * - FUT: 0.85 USD/contract plus exchange 1.28/contract.
 * - OPT: 0.65 USD/contract, min 1.00.
 */
export function cumulativeCommission(inst: Instrument, qty: Decimal.Value, value: Decimal.Value, removedLiquidity: boolean): Decimal {
  const q = new Decimal(qty).abs();
  const v = new Decimal(value).abs();
  if (q.isZero()) return new Decimal(0);
  switch (inst.secType) {
    case 'STK':
    case 'CFD': {
      const base = Decimal.min(Decimal.max(q.mul('0.0035'), '0.35'), v.mul('0.01'));
      const fees = q.mul('0.0002').add(removedLiquidity ? q.mul('0.003') : 0);
      return base.add(fees);
    }
    case 'CASH':
      return Decimal.max(v.mul('0.00002'), '2');
    case 'FUT':
      return q.mul('0.85').add(q.mul('1.28'));
    case 'OPT':
      return Decimal.max(q.mul('0.65'), '1');
  }
}

/** The commission of the next fill of an order, given its fills before and after. */
export function fillCommission(
  inst: Instrument,
  before: { qty: Decimal.Value; value: Decimal.Value },
  after: { qty: Decimal.Value; value: Decimal.Value },
  removedLiquidity: boolean,
): Decimal {
  const prev = cumulativeCommission(inst, before.qty, before.value, removedLiquidity);
  return cumulativeCommission(inst, after.qty, after.value, removedLiquidity).sub(prev);
}
