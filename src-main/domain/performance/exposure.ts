// Exposure of the portfolio on one day by sector, industry, asset class, currency, country and account, and its
// concentration (largest weights, Herfindahl–Hirschman index, effective number of holdings = 1 / HHI).
import { dateOf } from '../../../src-shared/domain/dates';
import type { Valuation } from './valuation';

import type { InstrumentProfile } from '../../../src-shared/domain/profile';

/** The port exposure reads profiles through: undefined when nothing is known (the holding counts as "Unknown"). */
export type ProfileLookup = (symbol: string) => InstrumentProfile | undefined;

export type ExposureDimension = 'sector' | 'industry' | 'assetClass' | 'currency' | 'country' | 'account';
export const EXPOSURE_DIMENSIONS: readonly ExposureDimension[] = ['sector', 'industry', 'assetClass', 'currency', 'country', 'account'];

export interface ExposureRow {
  key: string;
  value: number;
  /** value / NAV (shorts are negative, cash included so the weights add up to 1). */
  weight: number;
}

export interface Concentration {
  /** Holdings by |weight|, largest first (at most 10), one row per symbol across accounts; weight of NAV. */
  largest: { symbol: string; value: number; weight: number }[];
  /** Σ w², w = |value| / Σ|value| over the holdings (cash excluded). */
  hhi: number | null;
  /** 1 / HHI. */
  effectiveHoldings: number | null;
}

export interface Exposure {
  /** YYYY-MM-DD. */
  date: string;
  nav: number;
  /** Every symbol held that day (any account in scope), sorted: the instruments whose profiles shape the charts. */
  symbols: string[];
  by: Record<ExposureDimension, ExposureRow[]>;
  concentration: Concentration;
}

const UNKNOWN = 'Unknown';

/** Exposure on day index `t` of a valuation, in its reporting currency. Cash counts as asset class and sector "Cash". */
export function exposure(v: Valuation, t: number, profiles: ProfileLookup, accountIds?: ReadonlySet<string>): Exposure {
  const sums = Object.fromEntries(EXPOSURE_DIMENSIONS.map((d) => [d, new Map<string, number>()])) as Record<ExposureDimension, Map<string, number>>;
  const add = (d: ExposureDimension, key: string, value: number) => sums[d].set(key, (sums[d].get(key) ?? 0) + value);
  const bySymbol = new Map<string, number>();
  let nav = 0;
  for (const h of v.holdings) {
    if (accountIds && !accountIds.has(h.accountId)) continue;
    const value = h.base.nav[t]!;
    if (value === 0) continue;
    nav += value;
    const p = profiles(h.symbol) ?? {};
    add('sector', p.sector ?? UNKNOWN, value);
    add('industry', p.industry ?? UNKNOWN, value);
    add('assetClass', p.assetClass ?? UNKNOWN, value);
    add('country', p.country ?? UNKNOWN, value);
    add('currency', h.currency, value);
    add('account', h.accountId, value);
    bySymbol.set(h.symbol, (bySymbol.get(h.symbol) ?? 0) + value);
  }
  for (const c of v.cash) {
    if (accountIds && !accountIds.has(c.accountId)) continue;
    const value = c.base[t]!;
    if (value === 0) continue;
    nav += value;
    for (const d of ['sector', 'industry', 'assetClass'] as const) add(d, 'Cash', value);
    add('country', UNKNOWN, value);
    add('currency', c.currency, value);
    add('account', c.accountId, value);
  }
  const rows = (m: Map<string, number>): ExposureRow[] =>
    [...m].map(([key, value]) => ({ key, value, weight: nav !== 0 ? value / nav : 0 })).sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
  let gross = 0;
  for (const value of bySymbol.values()) gross += Math.abs(value);
  let hhi = 0;
  for (const value of bySymbol.values()) hhi += (Math.abs(value) / gross) ** 2;
  const largest = [...bySymbol].map(([symbol, value]) => ({ symbol, value, weight: nav !== 0 ? value / nav : 0 }))
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value)).slice(0, 10);
  return {
    date: dateOf(v.start + t),
    nav,
    symbols: [...bySymbol.keys()].sort(),
    by: Object.fromEntries(EXPOSURE_DIMENSIONS.map((d) => [d, rows(sums[d])])) as Record<ExposureDimension, ExposureRow[]>,
    concentration: { largest, hhi: gross > 0 ? hhi : null, effectiveHoldings: gross > 0 ? 1 / hhi : null },
  };
}
