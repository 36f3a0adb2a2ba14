// Backtest figures as the screen shows them: the metrics in order with their decimals, numbers and days.

export const METRICS: [string, string, number][] = [
  ['returnPct', 'Return %', 2], ['buyHoldReturnPct', 'Buy & hold %', 2], ['cagrPct', 'CAGR %', 2], ['annualReturnPct', 'Annual return %', 2],
  ['volatilityPct', 'Volatility %', 2], ['sharpe', 'Sharpe', 3], ['sortino', 'Sortino', 3], ['calmar', 'Calmar', 3], ['maxDrawdownPct', 'Max drawdown %', 2],
  ['avgDrawdownPct', 'Avg drawdown %', 2], ['maxDrawdownDays', 'Max drawdown days', 0], ['trades', 'Trades', 0], ['winRatePct', 'Win rate %', 2],
  ['profitFactor', 'Profit factor', 3], ['expectancyPct', 'Expectancy %', 3], ['sqn', 'SQN', 3], ['exposurePct', 'Exposure %', 2],
  ['bestTradePct', 'Best trade %', 2], ['worstTradePct', 'Worst trade %', 2], ['finalEquity', 'Final equity', 2],
];

// One formatter per number of decimals: toLocaleString with options builds one per call (270 ms for the tables of a
// 600-trade run in a CPU profile).
const formats = new Map<number, Intl.NumberFormat>();
export function fmt(v: number | null | undefined, d: number): string {
  if (v === null || v === undefined) return '—';
  let f = formats.get(d);
  if (!f) formats.set(d, (f = new Intl.NumberFormat('en-US', { minimumFractionDigits: d, maximumFractionDigits: d })));
  return f.format(v);
}

export const day = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);
