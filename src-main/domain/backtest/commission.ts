// Backtest commission models: the cost of one fill of `size` units at `price` (charged on entry and on exit).
export type CommissionModel = (size: number, price: number) => number;

/** A fraction of notional (0.002 = 0.2 %), the CLI's --commission. */
export const percentOfNotional = (rate: number): CommissionModel => (size, price) => Math.abs(size) * price * rate;

/** A fixed amount per order. */
export const fixedPerOrder = (amount: number): CommissionModel => () => amount;

/** Per share/unit with a minimum and a maximum as a fraction of trade value (0 = no cap). */
export const perShare = (rate: number, min: number, maxPctOfValue: number): CommissionModel => (size, price) => {
  const fee = Math.max(Math.abs(size) * rate, min);
  return maxPctOfValue > 0 ? Math.min(fee, Math.abs(size) * price * maxPctOfValue) : fee;
};

/** IB Pro fixed (US stocks): $0.005/share, min $1.00, max 1 % of trade value. */
export const ibFixed: CommissionModel = perShare(0.005, 1, 0.01);

/**
 * IB Pro tiered (US stocks), by the month's share volume so far: ≤300k $0.0035, ≤3M $0.002, ≤20M $0.0015,
 * ≤100M $0.001, above $0.0005; min $0.35, max 1 % of value. Exchange, clearing and regulatory fees are not included.
 */
export function ibTiered(): CommissionModel {
  let monthVolume = 0;
  const tiers: [number, number][] = [[300_000, 0.0035], [3_000_000, 0.002], [20_000_000, 0.0015], [100_000_000, 0.001], [Infinity, 0.0005]];
  return (size, price) => {
    const rate = tiers.find(([upTo]) => monthVolume < upTo)![1];
    monthVolume += Math.abs(size);
    return Math.min(Math.max(Math.abs(size) * rate, 0.35), Math.abs(size) * price * 0.01);
  };
}

export const noCommission: CommissionModel = () => 0;
