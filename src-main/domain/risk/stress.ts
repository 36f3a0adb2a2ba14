// Stress tests on the current holdings: replays of historical windows and hypothetical shocks, as P&L in account
// currency and as a fraction of NAV. Each instrument without data for a window is named, never silently counted as 0.
import type { Holding } from './leverage';
import { EQUITY_CLASSES, type RiskProfileLookup } from './profile';

export interface StressWindow {
  id: string;
  label: string;
  /** YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
}

export const HISTORICAL_WINDOWS: readonly StressWindow[] = [
  { id: 'gfc-2008', label: 'Lehman to the March 2009 low', from: '2008-09-15', to: '2009-03-09' },
  { id: 'covid-2020', label: 'COVID crash', from: '2020-02-19', to: '2020-03-23' },
  { id: 'rates-2022', label: '2022 rate hikes', from: '2022-01-03', to: '2022-12-30' },
];

export interface StressResult {
  id: string;
  label: string;
  kind: 'historical' | 'hypothetical';
  /** P&L in account currency (loss < 0). */
  pnl: number;
  /** pnl / NAV. */
  fraction: number;
  positions: { symbol: string; shock: number; pnl: number }[];
  /** Holdings the scenario could not price (no bars in the window): left out of pnl. */
  missing: string[];
}

/** The close on or before a date (YYYY-MM-DD), if the series covers that date; else undefined. */
export type CloseOnOrBefore = (symbol: string, date: string) => number | undefined;

/** Each holding moves by its own return over the window, close(to) / close(from) − 1. */
export function historicalStress(holdings: Holding[], nav: number, w: StressWindow, close: CloseOnOrBefore): StressResult {
  const positions: StressResult['positions'] = [];
  const missing: string[] = [];
  for (const h of holdings) {
    const a = close(h.symbol, w.from);
    const b = close(h.symbol, w.to);
    if (a === undefined || b === undefined || !(a > 0)) missing.push(h.symbol);
    else positions.push({ symbol: h.symbol, shock: b / a - 1, pnl: h.value * (b / a - 1) });
  }
  return result(w.id, w.label, 'historical', nav, positions, missing);
}

function result(id: string, label: string, kind: StressResult['kind'], nav: number, positions: StressResult['positions'], missing: string[]): StressResult {
  const pnl = positions.reduce((s, p) => s + p.pnl, 0);
  return { id, label, kind, pnl, fraction: nav > 0 ? pnl / nav : NaN, positions, missing };
}

/**
 * Hypothetical shocks: equities −10 % (stocks and index CFDs); each sector held −20 % (one scenario per sector); USD
 * +5 % and −5 % against every other currency: with a USD account a holding quoted in C changes by 1/(1 ± 5 %) − 1 (its
 * value converts into fewer or more dollars); with an account in another currency a USD holding changes by ±5 %;
 * holdings in neither currency do not move (crosses unchanged).
 */
export function hypotheticalStress(holdings: Holding[], nav: number, profile: RiskProfileLookup, accountCurrency: string): StressResult[] {
  const out: StressResult[] = [];
  const shock = (id: string, label: string, move: (symbol: string) => number) => {
    const positions = holdings.map((h) => ({ symbol: h.symbol, shock: move(h.symbol), pnl: h.value * move(h.symbol) })).filter((p) => p.shock !== 0);
    out.push(result(id, label, 'hypothetical', nav, positions, []));
  };
  shock('equities-10', 'Equities −10 %', (s) => (EQUITY_CLASSES.has(profile(s)?.assetClass ?? '') ? -0.1 : 0));
  const sectors = [...new Set(holdings.map((h) => profile(h.symbol)?.sector).filter((s): s is string => !!s))].sort();
  for (const sector of sectors) shock(`sector-${sector}-20`, `${sector} −20 %`, (s) => (profile(s)?.sector === sector ? -0.2 : 0));
  for (const usdMove of [0.05, -0.05]) {
    const sign = usdMove > 0 ? '+' : '−';
    shock(`usd${sign === '+' ? '+' : '-'}5`, `USD ${sign}5 %`, (s) => {
      const c = profile(s)?.currency ?? accountCurrency;
      if (c === accountCurrency) return 0;
      if (accountCurrency === 'USD') return 1 / (1 + usdMove) - 1;
      return c === 'USD' ? usdMove : 0;
    });
  }
  return out;
}
