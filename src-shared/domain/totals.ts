// Totals over several accounts: summed per currency (an account in another currency is never added to USD).
import Decimal from 'decimal.js';
import type { AccountTotal } from './broker';
import type { AccountSummary } from './types';

const SUMMED = ['cash', 'nav', 'dayPnl', 'realizedPnl', 'unrealizedPnl', 'grossExposure'] as const;

/** One total per currency, in the order the currencies first appear. */
export function accountTotals(summaries: readonly AccountSummary[]): AccountTotal[] {
  const byCurrency = new Map<string, { sums: Record<(typeof SUMMED)[number], Decimal>; accounts: number }>();
  for (const s of summaries) {
    let t = byCurrency.get(s.currency);
    if (!t) {
      t = { sums: Object.fromEntries(SUMMED.map((k) => [k, new Decimal(0)])) as Record<(typeof SUMMED)[number], Decimal>, accounts: 0 };
      byCurrency.set(s.currency, t);
    }
    for (const k of SUMMED) t.sums[k] = t.sums[k].plus(s[k]);
    t.accounts += 1;
  }
  return [...byCurrency].map(([currency, t]) => ({
    currency, accounts: t.accounts,
    ...(Object.fromEntries(SUMMED.map((k) => [k, t.sums[k].toFixed(2)])) as Record<(typeof SUMMED)[number], string>),
  }));
}
