// Broker session port: one connected account at one broker, with everything the app needs to trade it.
// The paper broker on the demo market is one session; an IB connection (adapters/ib) is another. The composition root
// (app.ts) holds the active session and the API handlers talk to it; sessions never know about the transports.
import type { ConnectionStatus, ReconciliationReport, BrokerAccountValue } from '../../src-shared/api/contract';
import type { Broker } from './broker';
import type { Disposable } from './disposable';
import type { MarketData } from './market-data';

export interface BrokerSession extends Disposable {
  readonly kind: 'paper' | 'ib';
  /** Our account id in the database (IB: the managed account; never logged). */
  readonly accountId: string;
  readonly broker: Broker;
  readonly market: MarketData;
  status(): ConnectionStatus;
  onStatus(listener: (s: ConnectionStatus) => void): Disposable;
  /** Broker-reported account values (IB: NetLiquidation, TotalCashValue, BuyingPower, margin…); empty for paper. */
  accountValues(): BrokerAccountValue[];
  onAccountValues(listener: (v: BrokerAccountValue[]) => void): Disposable;
  /** The outcome of the last reconciliation (IB: after every connect/reconnect), or null before the first. */
  lastReconciliation(): ReconciliationReport | null;
  onReconciliation(listener: (r: ReconciliationReport) => void): Disposable;
}
