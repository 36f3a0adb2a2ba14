// Backtest figures as the screen shows them: the metrics in order with their decimals, numbers and days.

export const METRICS: [string, string, number][] = [
  ['returnPct', 'Return %', 2], ['buyHoldReturnPct', 'Buy & hold %', 2], ['cagrPct', 'CAGR %', 2], ['annualReturnPct', 'Annual return %', 2],
  ['volatilityPct', 'Volatility %', 2], ['sharpe', 'Sharpe', 3], ['sortino', 'Sortino', 3], ['calmar', 'Calmar', 3], ['maxDrawdownPct', 'Max drawdown %', 2],
  ['avgDrawdownPct', 'Avg drawdown %', 2], ['maxDrawdownDays', 'Max drawdown days', 0], ['trades', 'Trades', 0], ['winRatePct', 'Win rate %', 2],
  ['profitFactor', 'Profit factor', 3], ['expectancyPct', 'Expectancy %', 3], ['sqn', 'SQN', 3], ['exposurePct', 'Exposure %', 2],
  ['bestTradePct', 'Best trade %', 2], ['worstTradePct', 'Worst trade %', 2], ['finalEquity', 'Final equity', 2],
];

export const fmt = (v: number | null | undefined, d: number) => (v === null || v === undefined ? '—' : v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));

export const day = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);
