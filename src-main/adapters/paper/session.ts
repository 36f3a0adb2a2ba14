// The paper session: the paper broker on the demo market, always connected and ready.
import type { ConnectionStatus } from '../../../src-shared/domain/broker';
import type { Broker } from '../../ports/broker';
import type { BrokerSession } from '../../ports/broker-session';
import type { MarketData } from '../../ports/market-data';

/** The paper account's id; account ids are never logged (see logging.ts). */
export const PAPER_ACCOUNT_ID = 'PAPER-1';
/** The paper CFD account (leverage, margin, financing, stop-out: services/paper-cfd.ts). */
export const PAPER_CFD_ACCOUNT_ID = 'PAPER-CFD-1';

export const PAPER_STATUS: ConnectionStatus = {
  broker: 'paper', state: 'connected', mode: 'demo', endpoint: 'demo market', clientId: null, accountLabel: null, serverVersion: null,
  message: null, lastMessageAt: null, nextRetryAt: null, dataFarms: [], queuedOrders: 0, ready: true,
};

export function createPaperSession(accountId: string, broker: Broker, market: MarketData, kind = 'paper'): BrokerSession {
  return {
    kind, accountId, broker, market,
    start: () => market.start(),
    status: () => PAPER_STATUS,
    onStatus: () => ({ dispose: () => undefined }),
    accountValues: () => [],
    onAccountValues: () => ({ dispose: () => undefined }),
    // The demo market belongs to the app (backtests use it too); the session only owns its broker.
    dispose: () => broker.dispose(),
  };
}
