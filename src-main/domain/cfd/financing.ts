// Overnight financing of CFD positions, charged at the daily rollover: 17:00 New York (21:00 UTC in US summer time,
// 22:00 UTC in winter). How many days one rollover charges depends on the instrument's convention:
// - 'fx': spot FX settles two business days after the trade, so the position held over Wednesday's rollover rolls
//   its value date over the weekend: Wednesday charges 3 days; Monday, Tuesday, Thursday and Friday 1; none at the
//   weekend (the market is shut).
// - 'cfd' (indices, commodities, share CFDs): they have no spot value date; the common convention of CFD brokers
//   (IG, CMC, Pepperstone among them) is to charge the weekend on the Friday night: Friday charges 3 days, Monday to
//   Thursday 1, none at the weekend. Chosen over the FX rule because these markets close for the weekend on Friday
//   and the position is held through Saturday and Sunday from then.
// - 'crypto': trades every day, so every rollover charges 1 day, Saturday and Sunday included.
// Amount per rollover and position = |units| × price × annual rate of its side × days ÷ 365, converted to the account
// currency, rounded to cents (half up) when booked (the money rule of ../money.ts). The annual rates are signed from the
// account's side (negative: paid). A 365-day year for every currency (brokers differ: USD money markets count 360; we
// take one rule and say so).
import { usDst, weekday } from '../../../src-shared/domain/sessions';
import { cents, dec, type Dec } from '../money';
import type { FinancingConvention } from './specs';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** UTC ms of the rollover of New York calendar day `day` (days since 1970-01-01). */
export function rolloverTime(day: number): number {
  return day * DAY + (usDst(day) ? 21 : 22) * HOUR;
}

/** The rollovers in (from, to], oldest first. */
export function rolloversBetween(from: number, to: number): number[] {
  const out: number[] = [];
  for (let day = Math.floor(from / DAY) - 1; rolloverTime(day) <= to; day++) {
    const t = rolloverTime(day);
    if (t > from) out.push(t);
  }
  return out;
}

/** Days one rollover charges (0, 1 or 3). */
export function financingDays(convention: FinancingConvention, rollover: number): number {
  const wd = weekday(Math.floor(rollover / DAY)); // 0 = Sunday; 21:00/22:00 UTC is the same date in New York
  if (convention === 'crypto') return 1;
  if (wd === 0 || wd === 6) return 0;
  if (convention === 'fx') return wd === 3 ? 3 : 1;
  return wd === 5 ? 3 : 1;
}

export interface FinancingInput {
  /** Signed units. */
  quantity: number;
  price: number;
  /** Signed annual rates (negative: the account pays). */
  rates: { long: string; short: string };
  days: number;
  /** Price of one unit of the quote currency in the account currency. */
  toAccount: Dec;
}

/** The amount booked for one position at one rollover, in the account currency, in cents (negative: a charge). */
export function financingAmount(f: FinancingInput): Dec {
  if (f.quantity === 0 || f.days === 0) return dec(0);
  const rate = dec(f.quantity > 0 ? f.rates.long : f.rates.short);
  return cents(dec(f.quantity).abs().times(dec(f.price)).times(f.toAccount).times(rate).times(f.days).div(365));
}
