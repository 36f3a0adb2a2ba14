// Built-in strategies by name, with their parameters parsed from `name=value` strings (the CLI, the UI, workers).
import type { Strategy } from '../backtest/engine';
import { smaCross } from './sma-cross';

export interface StrategyInfo {
  name: string;
  description: string;
  params: Record<string, { default: number | string; description: string }>;
  create(params: Record<string, number | string>): Strategy;
}

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
      const mode = String(p['mode'] ?? 'long-short');
      if (mode !== 'long-short' && mode !== 'long-only') throw new RangeError(`Parameter mode must be long-short or long-only (got "${mode}")`);
      const size = p['size'] === undefined || p['size'] === 'all' ? 'all' : num(p['size'], 'size');
      return smaCross({ fast: num(p['fast'] ?? 10, 'fast'), slow: num(p['slow'] ?? 30, 'slow'), mode, size });
    },
  },
};

export function createStrategy(name: string, params: Record<string, number | string>): Strategy {
  const info = STRATEGIES[name];
  if (!info) throw new RangeError(`Unknown strategy "${name}" (available: ${Object.keys(STRATEGIES).join(', ')})`);
  for (const key of Object.keys(params)) {
    if (!(key in info.params)) throw new RangeError(`Unknown parameter "${key}" for ${name} (available: ${Object.keys(info.params).join(', ')})`);
  }
  return info.create(params);
}
