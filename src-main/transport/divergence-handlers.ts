// The `divergence.*` methods of issue 17 item 7 (src-shared/api/divergence.ts) on the divergence service: thin glue.
import { DivergenceInputError, type StrategyDivergence } from '../services/strategy-divergence';
import { HandlerError, type ApiHandlers } from './dispatcher';

export function divergenceHandlers(divergence?: StrategyDivergence): Pick<ApiHandlers, 'divergence.run' | 'divergence.list'> {
  const need = (): StrategyDivergence => {
    if (!divergence) throw new HandlerError('UNAVAILABLE', 'Divergence reports are not running');
    return divergence;
  };
  return {
    'divergence.run': async ({ strategyId }) => {
      try {
        return await need().run(strategyId, 'manual');
      } catch (err) {
        if (err instanceof DivergenceInputError) throw new HandlerError('BAD_REQUEST', err.message);
        throw err;
      }
    },
    'divergence.list': ({ strategyId }) => need().list(strategyId),
  };
}
