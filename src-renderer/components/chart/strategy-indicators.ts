// The indicators a backtested strategy trades on, from its name and parameters, so its result chart shows them (the
// same definitions as the live chart's indicator list and the same domain batch functions as the strategy).
import { paramError, type IndicatorConfig, type IndicatorKind } from './indicators';

type Params = Record<string, unknown>;

/** One indicator when every parameter is a usable number (a malformed saved run draws none rather than failing). */
function one(id: string, kind: IndicatorKind, ...params: unknown[]): IndicatorConfig[] {
  const values = params.filter((v): v is number => typeof v === 'number');
  return values.length === params.length && values.every((v, i) => paramError(kind, i, v) === undefined) ? [{ id, kind, params: values }] : [];
}

const BY_STRATEGY: Record<string, (p: Params) => IndicatorConfig[]> = {
  'sma-cross': (p) => [...one('fast', 'sma', p['fast']), ...one('slow', 'sma', p['slow'])],
  'mean-reversion': (p) => [...one('bb', 'bbands', p['period'], p['k']), ...one('rsi', 'rsi', p['rsiPeriod'])],
  // The entry channel, and the exit channel when it differs.
  'donchian-breakout': (p) => [...one('entry', 'donchian', p['entry']), ...(p['exit'] !== p['entry'] ? one('exit', 'donchian', p['exit']) : [])],
};

/** The strategy's indicators (none for a strategy without a price-chart reading, such as pairs or rotation). */
export function strategyIndicators(strategy: string, params: Params): IndicatorConfig[] {
  return BY_STRATEGY[strategy]?.(params) ?? [];
}
