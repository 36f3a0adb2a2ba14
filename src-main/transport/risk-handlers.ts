// The `risk.*` methods of issue 17 (src-shared/api/risk.ts) on the portfolio risk service: thin glue.
import type { PortfolioRiskService } from '../services/portfolio-risk';
import { riskView, type VenueAccount } from '../services/sessions';
import { TERMINAL, type TradingStates } from '../services/trading-states';
import { HandlerError, type ApiHandlers } from './dispatcher';
import type { RiskStateInfo } from '../../src-shared/api/risk';

type RiskMethod = 'risk.state.get' | 'risk.state.set' | 'risk.snapshot' | 'risk.limits';

export function riskHandlers(d: { risk?: PortfolioRiskService; states?: TradingStates; account: (accountId?: string) => VenueAccount }): Pick<ApiHandlers, RiskMethod> {
  const need = () => {
    if (!d.risk || !d.states) throw new HandlerError('UNAVAILABLE', 'Portfolio risk is not running');
    return { risk: d.risk, states: d.states };
  };
  const stateOf = async (accountId?: string): Promise<RiskStateInfo> => {
    const { risk, states } = need();
    const a = d.account(accountId);
    const s = await risk.state(riskView(a));
    return { accountId: a.accountId, state: s.state, accountState: s.account, terminalState: s.terminal, killSwitch: s.killSwitch, history: await states.history(a.accountId) };
  };
  return {
    'risk.state.get': ({ accountId }) => stateOf(accountId),
    'risk.state.set': async ({ scope, accountId, state, reason }) => {
      const { states } = need();
      const a = d.account(accountId);
      await states.set(scope === 'terminal' ? TERMINAL : a.accountId, state, reason, 'manual');
      return stateOf(a.accountId);
    },
    'risk.snapshot': ({ accountId }) => need().risk.snapshot(riskView(d.account(accountId))),
    'risk.limits': ({ accountId }) => need().risk.limits(riskView(d.account(accountId))),
  };
}
