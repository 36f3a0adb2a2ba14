// The trading state (ACTIVE / REDUCING / HALTED, issue 17) of an account, live: read once, then again on every pushed
// state change and kill-switch change. Shown in the top bar (the default account) and on the ticket (its account).
import { useEffect, useState } from 'react';
import type { RiskStateInfo } from '../../src-shared/api/risk';
import { useTerminal } from '../stores/terminal';

const MEANING: Record<RiskStateInfo['state'], string> = {
  ACTIVE: 'every order passes the risk gate as usual',
  REDUCING: 'only orders that reduce a position pass',
  HALTED: 'only cancels pass',
};

export function useTradingState(accountId: string | undefined): RiskStateInfo | undefined {
  const api = useTerminal((s) => s.api);
  const [info, setInfo] = useState<RiskStateInfo>();
  useEffect(() => {
    if (!api) return;
    let alive = true;
    const load = () => void api.call('risk.state.get', accountId ? { accountId } : {}).then((i) => alive && setInfo(i)).catch(() => undefined);
    load();
    const offState = api.on('risk.state', load);
    const offKill = api.on('risk', load);
    return () => {
      alive = false;
      offState();
      offKill();
    };
  }, [api, accountId]);
  return info && (accountId === undefined || info.accountId === accountId) ? info : undefined;
}

export function stateTitle(info: RiskStateInfo): string {
  const last = info.history[0];
  return [
    `${info.state}: ${MEANING[info.state]}`,
    `Account ${info.accountState}, terminal ${info.terminalState}${info.killSwitch ? ', kill switch engaged' : ''}`,
    ...(last ? [`Last change: ${last.from ?? '?'} → ${last.state} (${last.by}): ${last.reason}`] : []),
  ].join('\n');
}

/** The default account's state in the top bar. */
export function TradingStateBadge() {
  const info = useTradingState(undefined);
  if (!info) return null;
  return (
    <div className={`conn ${info.state === 'ACTIVE' ? 'ok' : 'bad'}`} role="status" aria-label="Top bar risk state" title={stateTitle(info)}>
      <span className="dim">State</span> <b className={`risk-state ${info.state.toLowerCase()}`}>{info.state}</b>
    </div>
  );
}
