// Performance over a period from daily valued series (valuation.ts): time-weighted return chain-linked from daily
// sub-periods, money-weighted return (XIRR of the dated flows and the end value), annualised only over a year or more,
// contribution per holding, with and without currency effect. Formulas: docs/portfolio-analytics.md.
import { addYears, dateOf, ymd } from '../../../src-shared/domain/dates';
import type { SeriesSet, Valuation } from './valuation';
import { xirr, type DatedFlow } from './xirr';

export type PeriodId = '1D' | 'MTD' | 'YTD' | '1Y' | '3Y' | 'inception' | 'custom';
export const PERIODS: readonly PeriodId[] = ['1D', 'MTD', 'YTD', '1Y', '3Y', 'inception'];

/** A period as day indices of a valuation: the return runs from the close of `startIndex` (−1: before the first day, value 0) to the close of `endIndex`. */
export interface PeriodRange {
  period: PeriodId;
  startIndex: number;
  endIndex: number;
  /** False when the period reaches back before the first valued day (it is then measured from inception). */
  complete: boolean;
}

/**
 * The range of a period ending at `endDay` (inclusive), for a valuation starting on `start`. Every period is "from a
 * day, inclusive": 1D = the end day itself, MTD from the 1st of the month, YTD from 1 January, 1Y/3Y from the day after
 * the same date one/three years earlier, custom from `from`; its return starts at the previous day's close.
 */
export function periodRange(v: Pick<Valuation, 'start' | 'days'>, period: PeriodId, endDay: number, from?: number): PeriodRange {
  const endIndex = Math.min(endDay - v.start, v.days - 1);
  const [y, m] = ymd(endDay);
  let fromDay: number;
  switch (period) {
    case '1D': fromDay = endDay; break;
    case 'MTD': fromDay = Math.round(Date.UTC(y, m - 1, 1) / 86_400_000); break;
    case 'YTD': fromDay = Math.round(Date.UTC(y, 0, 1) / 86_400_000); break;
    case '1Y': fromDay = addYears(endDay, -1) + 1; break;
    case '3Y': fromDay = addYears(endDay, -3) + 1; break;
    case 'inception': fromDay = v.start; break;
    case 'custom':
      if (from === undefined) throw new RangeError('a custom period needs its first day');
      fromDay = from;
      break;
  }
  const startIndex = fromDay - v.start - 1;
  return { period, startIndex: Math.max(-1, startIndex), endIndex, complete: startIndex >= -1 };
}

const at = (a: Float64Array, i: number) => (i < 0 ? 0 : a[i]!);

/**
 * The day's return: (nav[t] − nav[t−1] − flows[t]) / (nav[t−1] + max(flows[t], 0)), or over capital[t] when the
 * series has one. Money coming in counts from the start of its day (it is at work that day); money going out counts at
 * the end (it was at work until it left: securities transferred out are valued at the day's close). Flows are netted
 * per day. A day with no capital at work (denominator ≤ 0) is 0.
 */
export function dailyReturn(s: SeriesSet, t: number, constFx = false): number {
  const prev = at(s.nav, t - 1);
  const f = s.flows[t]!;
  const denominator = s.capital ? s.capital[t]! : f > 0 ? prev + f : prev;
  if (!(denominator > 1e-9)) return 0;
  const end = constFx && s.navConstFx ? s.navConstFx[t]! : s.nav[t]!;
  return (end - prev - s.flows[t]!) / denominator;
}

/** Chain-linked time-weighted return over (startIndex, endIndex]: Π(1 + r_t) − 1. */
export function twr(s: SeriesSet, startIndex: number, endIndex: number, constFx = false): number {
  let g = 1;
  for (let t = startIndex + 1; t <= endIndex; t++) g *= 1 + dailyReturn(s, t, constFx);
  return g - 1;
}

/** (1 + r)^(365 / days) − 1 over `days` calendar days; null below a year (a shorter return is not annualised). */
export function annualise(r: number, days: number): number | null {
  return days >= 365 ? (1 + r) ** (365 / days) - 1 : null;
}

/**
 * Money-weighted return: the IRR (actual/365, annual) of −start value at the start, −flows and +end value at the end;
 * null when there is none or it is not unique. As in the TWR, money in counts at the start of its day, which is the
 * close of the day before (it is dated there, so one deposit and no other flow give MWR = annualised TWR), and money
 * out at the end of its day.
 */
export function mwr(s: SeriesSet, startDay: number, startIndex: number, endIndex: number): number | null {
  const flows: DatedFlow[] = [];
  const startValue = at(s.nav, startIndex);
  if (startValue !== 0) flows.push({ day: startDay + startIndex, amount: -startValue });
  for (let t = startIndex + 1; t <= endIndex; t++) if (s.flows[t] !== 0) flows.push({ day: startDay + t - (s.flows[t]! > 0 ? 1 : 0), amount: -s.flows[t]! });
  flows.push({ day: startDay + endIndex, amount: at(s.nav, endIndex) });
  return xirr(flows);
}

export interface PeriodPerformance {
  period: PeriodId;
  /** First day of the period (inclusive) and last day, YYYY-MM-DD. */
  from: string;
  to: string;
  complete: boolean;
  startValue: number;
  endValue: number;
  netFlows: number;
  /** endValue − startValue − netFlows. */
  gain: number;
  twr: number;
  /** Over a year or more only. */
  twrAnnual: number | null;
  /** At constant FX (previous day's rates each day): the return without currency effect; null for a series without it. */
  twrLocal: number | null;
  /** twr − twrLocal. */
  currencyEffect: number | null;
  /** Annual IRR; null when not unique or none. */
  mwr: number | null;
}

export function periodPerformance(v: Pick<Valuation, 'start' | 'days'>, s: SeriesSet, range: PeriodRange): PeriodPerformance {
  const { startIndex: a, endIndex: b } = range;
  let netFlows = 0;
  for (let t = a + 1; t <= b; t++) netFlows += s.flows[t]!;
  const startValue = at(s.nav, a);
  const endValue = at(s.nav, b);
  const r = twr(s, a, b);
  const local = s.navConstFx ? twr(s, a, b, true) : null;
  return {
    period: range.period,
    from: dateOf(v.start + a + 1),
    to: dateOf(v.start + b),
    complete: range.complete,
    startValue,
    endValue,
    netFlows,
    gain: endValue - startValue - netFlows,
    twr: r,
    twrAnnual: annualise(r, b - a),
    twrLocal: local,
    currencyEffect: local === null ? null : r - local,
    mwr: b > a ? mwr(s, v.start, a, b) : null,
  };
}

export interface Contribution {
  accountId: string | null;
  symbol: string | null;
  /** Σ_t gain_i,t / (NAV_{t−1} + F⁺_t) · Π_{s<t}(1 + r_s): the holdings' contributions and the cash row add up to the TWR. */
  contribution: number;
  /** The holding's own gain over the period, in the reporting currency. */
  gain: number;
}

/**
 * Contribution to the TWR (the total's, or one account's in the reporting currency) per holding over
 * (startIndex, endIndex], plus one row (symbol null) for cash:
 * interest, fees, taxes not tied to a holding and currency moves on cash. Daily contributions are the holding's gain
 * over the total's denominator, linked by the total's growth before the day, so they sum to the period's TWR exactly.
 */
export function contributions(v: Valuation, startIndex: number, endIndex: number, accountId?: string): Contribution[] {
  // One account: its holdings against its own series in the reporting currency; else every holding against the total.
  const total = accountId ? v.accounts.find((a) => a.id === accountId)?.base : v.total;
  if (!total) throw new RangeError(`no account ${accountId} in the valuation`);
  const holdings = accountId ? v.holdings.filter((h) => h.accountId === accountId) : v.holdings;
  const rows = holdings.map((h) => ({ accountId: h.accountId, symbol: h.symbol, contribution: 0, gain: 0 }));
  const cash: Contribution = { accountId: accountId ?? null, symbol: null, contribution: 0, gain: 0 };
  let growth = 1;
  for (let t = startIndex + 1; t <= endIndex; t++) {
    const prev = at(total.nav, t - 1);
    const denominator = prev + Math.max(0, total.flows[t]!);
    const dayGain = total.nav[t]! - prev - total.flows[t]!;
    let holdingsGain = 0;
    for (let i = 0; i < rows.length; i++) {
      const s = holdings[i]!.base;
      const g = s.nav[t]! - at(s.nav, t - 1) - s.flows[t]!;
      if (g === 0) continue;
      holdingsGain += g;
      rows[i]!.gain += g;
      if (denominator > 1e-9) rows[i]!.contribution += (g / denominator) * growth;
    }
    cash.gain += dayGain - holdingsGain;
    if (denominator > 1e-9) {
      cash.contribution += ((dayGain - holdingsGain) / denominator) * growth;
      growth *= 1 + dayGain / denominator;
    }
  }
  return [...rows, cash];
}
