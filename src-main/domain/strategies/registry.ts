// Built-in strategies by name, with their parameters parsed from `name=value` strings (the CLI, the UI, workers).
import type { PortfolioStrategy, Strategy } from '../strategy/strategy';
import { donchianBreakout } from './donchian-breakout';
import { meanReversion } from './mean-reversion';
import { smaCross } from './sma-cross';
import { pairsTrading } from './pairs';
import { factorRotation } from './rotation';

export interface StrategyInfo {
  name: string;
  description: string;
  params: Record<string, { default: number | string; description: string }>;
  create(params: Record<string, number | string>): Strategy;
}

const mode = (v: number | string | undefined): 'long-short' | 'long-only' => {
  const m = String(v ?? 'long-short');
  if (m !== 'long-short' && m !== 'long-only') throw new RangeError(`Parameter mode must be long-short or long-only (got "${m}")`);
  return m;
};

const num = (v: number | string, name: string): number => {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw new RangeError(`Parameter ${name} must be a number (got "${v}")`);
  return n;
};

export const STRATEGIES: Record<string, StrategyInfo> = {
  'sma-cross': {
    name: 'sma-cross',
    description: 'Fast/slow simple moving average crossover',
    params: {
      fast: { default: 10, description: 'fast SMA period' },
      slow: { default: 30, description: 'slow SMA period' },
      mode: { default: 'long-short', description: 'long-short (reverse on each cross) or long-only' },
      size: { default: 'all', description: '"all" (all-in) or a number of units' },
    },
    create: (p) => {
      const size = p['size'] === undefined || p['size'] === 'all' ? 'all' : num(p['size'], 'size');
      return smaCross({ fast: num(p['fast'] ?? 10, 'fast'), slow: num(p['slow'] ?? 30, 'slow'), mode: mode(p['mode']), size });
    },
  },
  'mean-reversion': {
    name: 'mean-reversion',
    description: 'Bollinger band + RSI mean reversion (long only)',
    params: {
      period: { default: 20, description: 'Bollinger period' },
      k: { default: 2, description: 'band width in standard deviations' },
      rsiPeriod: { default: 14, description: 'RSI period' },
      oversold: { default: 30, description: 'RSI entry level' },
      overbought: { default: 70, description: 'RSI exit level' },
    },
    create: (p) => meanReversion({
      period: num(p['period'] ?? 20, 'period'), k: num(p['k'] ?? 2, 'k'), rsiPeriod: num(p['rsiPeriod'] ?? 14, 'rsiPeriod'),
      oversold: num(p['oversold'] ?? 30, 'oversold'), overbought: num(p['overbought'] ?? 70, 'overbought'),
    }),
  },
  'donchian-breakout': {
    name: 'donchian-breakout',
    description: 'Donchian channel breakout (trend following)',
    params: {
      entry: { default: 20, description: 'entry channel length' },
      exit: { default: 10, description: 'exit channel length' },
      mode: { default: 'long-short', description: 'long-short or long-only' },
    },
    create: (p) => donchianBreakout({ entry: num(p['entry'] ?? 20, 'entry'), exit: num(p['exit'] ?? 10, 'exit'), mode: mode(p['mode']) }),
  },
};

/** Own entries only: "constructor" or "toString" must not pass for a strategy or a parameter through the prototype. */
const own = <T>(table: Record<string, T>, key: string): T | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);

/** Whether `name` is a portfolio strategy (several instruments). */
export function isPortfolioStrategy(name: string): boolean {
  return own(PORTFOLIO_STRATEGIES, name) !== undefined;
}

function checkParams(name: string, known: Record<string, unknown>, params: Record<string, number | string>): void {
  for (const key of Object.keys(params)) {
    if (!Object.hasOwn(known, key)) throw new RangeError(`Unknown parameter "${key}" for ${name} (available: ${Object.keys(known).join(', ')})`);
  }
}

export function createStrategy(name: string, params: Record<string, number | string>): Strategy {
  const info = own(STRATEGIES, name);
  if (!info) throw new RangeError(`Unknown strategy "${name}" (available: ${[...Object.keys(STRATEGIES), ...Object.keys(PORTFOLIO_STRATEGIES)].join(', ')})`);
  checkParams(name, info.params, params);
  return info.create(params);
}

export interface PortfolioStrategyInfo {
  name: string;
  description: string;
  /** How many instruments it needs: an exact count, or at least `min`. */
  instruments: { exact?: number; min?: number };
  params: Record<string, { default: number | string; description: string }>;
  create(params: Record<string, number | string>, symbols: string[]): PortfolioStrategy;
}

export const PORTFOLIO_STRATEGIES: Record<string, PortfolioStrategyInfo> = {
  pairs: {
    name: 'pairs',
    description: 'Pairs trading on the spread of two instruments (first = y, second = x): rolling hedge ratio, z-score entry/exit',
    instruments: { exact: 2 },
    params: {
      lookback: { default: 60, description: 'bars for the hedge ratio and the z-score' },
      entry: { default: 2, description: '|z| to enter' },
      exit: { default: 0.5, description: '|z| to exit' },
      fraction: { default: 0.5, description: 'fraction of equity per leg' },
    },
    create: (p, symbols) => pairsTrading({
      y: symbols[0]!, x: symbols[1]!, lookback: num(p['lookback'] ?? 60, 'lookback'), entry: num(p['entry'] ?? 2, 'entry'),
      exit: num(p['exit'] ?? 0.5, 'exit'), fraction: num(p['fraction'] ?? 0.5, 'fraction'),
    }),
  },
  rotation: {
    name: 'rotation',
    description: 'Factor rotation: hold the top N of the universe by momentum, rebalanced periodically',
    instruments: { min: 2 },
    params: {
      lookback: { default: 60, description: 'momentum lookback in bars' },
      top: { default: 2, description: 'instruments held' },
      rebalance: { default: 20, description: 'bars between rebalances' },
    },
    create: (p) => factorRotation({ lookback: num(p['lookback'] ?? 60, 'lookback'), top: num(p['top'] ?? 2, 'top'), rebalance: num(p['rebalance'] ?? 20, 'rebalance') }),
  },
};

export function createPortfolioStrategy(name: string, params: Record<string, number | string>, symbols: string[]): PortfolioStrategy {
  const info = own(PORTFOLIO_STRATEGIES, name);
  if (!info) throw new RangeError(`Unknown portfolio strategy "${name}" (available: ${Object.keys(PORTFOLIO_STRATEGIES).join(', ')})`);
  checkParams(name, info.params, params);
  const { exact, min } = info.instruments;
  if ((exact !== undefined && symbols.length !== exact) || (min !== undefined && symbols.length < min))
    throw new RangeError(`${name} needs ${exact !== undefined ? `exactly ${exact}` : `at least ${min}`} data files (got ${symbols.length})`);
  return info.create(params, symbols);
}
