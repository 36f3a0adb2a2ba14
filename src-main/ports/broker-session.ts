// Broker session port: one connected account at one venue, with everything the app needs to trade it.
// The paper broker on the demo market is one session; an IB connection (adapters/ib) is another. The session manager
// (services/sessions.ts) holds every connected one and builds its trading and account services; sessions never know
// about the transports. Reconciliation reports come from the trading service (it applies them), not from the session.
import type { BrokerAccountValue, ConnectionStatus } from '../../src-shared/domain/broker';
import type { Broker } from './broker';
import type { Disposable } from './disposable';
import type { MarketData } from './market-data';

/** Overnight financing a venue charged (negative) or paid on one position, in the account currency. `id` is unique at
 * the venue (OANDA: its DAILY_FINANCING transaction and the instrument), so a repeat is booked once. */
export interface VenueFinancing {
  id: string;
  time: number;
  symbol: string;
  amount: string;
}

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
  /** Venues that charge financing themselves (OANDA): each charge as they report it, also those made while away. The
   * app books it into cash and the position's realised P&L (services/venue-financing.ts). */
  onFinancing?(listener: (f: VenueFinancing) => void): Disposable;
}
