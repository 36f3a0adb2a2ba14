// Broker session port: one connected account at one venue, with everything the app needs to trade it.
// The paper broker on the demo market is one session; an IB connection (adapters/ib) is another. The session manager
// (services/sessions.ts) holds every connected one and builds its trading and account services; sessions never know
// about the transports. Reconciliation reports come from the trading service (it applies them), not from the session.
import type { BrokerAccountValue, ConnectionStatus } from '../../src-shared/domain/broker';
import type { Broker } from './broker';
import type { Disposable } from './disposable';
import type { MarketData } from './market-data';

export interface BrokerSession extends Disposable {
  /** The venue's id (`paper`, `ib`, …): the registry's key, not a closed list. */
  readonly kind: string;
  /** Our account id in the database (IB: derived from the managed account by a one-way hash; never the id itself). */
  readonly accountId: string;
  readonly broker: Broker;
  readonly market: MarketData;
  /** Begins connecting / producing quotes; called once the trading service listens (so reconciliation has a taker). */
  start(): void;
  status(): ConnectionStatus;
  onStatus(listener: (s: ConnectionStatus) => void): Disposable;
  /** Broker-reported account values (IB: NetLiquidation, TotalCashValue, BuyingPower, margin…); empty for paper. */
  accountValues(): BrokerAccountValue[];
  onAccountValues(listener: (v: BrokerAccountValue[]) => void): Disposable;
}
