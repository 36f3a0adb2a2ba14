// The analytics.* methods (issue 13) on the performance service: thin glue, spread into createApiHandlers.
import type { MethodName } from '../../src-shared/api/contract';
import { ValuationError } from '../domain/performance/valuation';
import { PerformanceInputError, type PerformanceService } from '../services/performance';
import { HandlerError, type ApiHandlers } from './dispatcher';
import { InstrumentProfileError, type InstrumentProfiles } from '../services/instrument-profiles';

type AnalyticsMethod = Extract<MethodName, `analytics.${string}`>;

/** A price or rate nobody has, an unknown account: the caller's to fix or to supply (BAD_REQUEST / NOT_FOUND). */
async function performanceInput<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof PerformanceInputError) throw new HandlerError('NOT_FOUND', err.message);
    if (err instanceof ValuationError) throw new HandlerError('UNAVAILABLE', `Cannot value the portfolio: ${err.message}`);
    throw err;
  }
}

export function analyticsHandlers(performance: PerformanceService | undefined, profiles?: InstrumentProfiles): Pick<ApiHandlers, AnalyticsMethod> {
  const profileService = (): InstrumentProfiles => {
    if (!profiles) throw new HandlerError('UNAVAILABLE', 'Instrument profiles are not set up in this build');
    return profiles;
  };
  const service = (): PerformanceService => {
    if (!performance) throw new HandlerError('UNAVAILABLE', 'Investment tracking is not set up in this build (no ledger)');
    return performance;
  };
  return {
    'analytics.summary': (q) => performanceInput(() => service().summary(q)),
    'analytics.returns': (q) => performanceInput(() => service().returnsTable(q)),
    'analytics.nav': (q) => performanceInput(() => service().navAndBenchmark(q)),
    'analytics.contribution': (q) => performanceInput(() => service().contribution(q)),
    'analytics.exposures': (q) => performanceInput(() => service().exposures(q)),
    'analytics.profiles': async ({ symbols, refresh }) => [...(await profileService().resolve(symbols, { wait: refresh })).values()],
    'analytics.profiles.set': async ({ symbol, ...fields }) => {
      try {
        return await profileService().edit(symbol, fields);
      } catch (err) {
        if (err instanceof InstrumentProfileError) throw new HandlerError('BAD_REQUEST', err.message);
        throw err;
      }
    },
  };
}
