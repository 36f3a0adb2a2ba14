// Broker port: what the trading service needs from any execution venue (the paper broker, IB).
// The trading service has already risk-checked and journaled an order before calling placeOrder.
import type { Order, OrderSide, OrderType, TimeInForce } from '../../src-shared/domain/types';
import type { Disposable } from './disposable';

/** An order as the broker reports it (open orders, completed orders, orders placed outside the terminal). */
export interface BrokerOrderReport {
  brokerOrderId: string;
  /** The broker's permanent id (IB permId): stable across sessions and client ids. */
  permId: string | null;
  /** Our client order id when the order carries one (IB orderRef). */
  clientOrderId: string | null;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  quantity: number;
  limitPrice: number | null;
  stopPrice: number | null;
  timeInForce: TimeInForce;
  /** Bracket legs: the broker id of their parent. */
  parentBrokerOrderId: string | null;
  status: 'working' | 'filled' | 'cancelled' | 'rejected';
  filledQuantity: number;
}

/** One execution, with its commission (a fill is only complete with it). */
export interface BrokerExecution {
  execId: string;
  brokerOrderId: string;
  permId: string | null;
  clientOrderId: string | null;
  symbol: string;
  side: OrderSide;
  quantity: number;
  price: number;
  commission: string;
  time: number;
}

export interface BrokerPosition {
  symbol: string;
  quantity: number;
  avgPrice: number;
}

/** What the broker holds, fetched on every (re)connect before new orders flow. */
export interface BrokerSnapshot {
  time: number;
  /** Working orders (every client's, and those entered in TWS). */
  openOrders: BrokerOrderReport[];
  /** Orders that finished (filled, cancelled, rejected) that the broker still reports. */
  completedOrders: BrokerOrderReport[];
  executions: BrokerExecution[];
  positions: BrokerPosition[];
}

export type BrokerEvent =
  | { kind: 'ack'; orderId: string; brokerOrderId: string; time: number }
  | { kind: 'reject'; orderId: string; reason: string; time: number }
  | { kind: 'fill'; orderId: string; execId: string; quantity: number; price: number; commission: string; time: number; execution?: BrokerExecution }
  | { kind: 'cancelled'; orderId: string; time: number }
  /** The venue now works the order with these values (the acknowledgement of a modifyOrder). */
  | { kind: 'modified'; orderId: string; quantity: number; limitPrice: number | null; stopPrice: number | null; time: number }
  /** The venue refused a modifyOrder; the order keeps working unchanged (or has already finished). */
  | { kind: 'modify-rejected'; orderId: string; reason: string; time: number }
  /** An order the terminal did not place (entered in TWS or by another client), seen while connected. */
  | { kind: 'external'; report: BrokerOrderReport; time: number };

export interface BrokerCapabilities {
  /** Bracket legs are placed with the entry and the broker links them (parent id, OCA); otherwise the trading service
   * submits them after the entry fills. */
  nativeBrackets: boolean;
  /** The broker keeps orders across our restarts (IB): open orders are reconciled, not re-sent blindly. */
  keepsOrders: boolean;
  /** Order types the venue holds and triggers itself; the others are held by the app (services/held-orders.ts) and
   * sent as a market or limit order when they trigger. */
  nativeOrderTypes: readonly OrderType[];
}

/** Applies a snapshot to our books (the trading service); resolves when every step is journaled and applied. */
export type Reconciler = (snapshot: BrokerSnapshot) => Promise<void>;

export interface Broker extends Disposable {
  readonly name: string;
  readonly capabilities: BrokerCapabilities;
  /** Send an order (and, with native brackets, its protective legs); the outcome arrives as events. Orders are keyed by
   * our client order id; placing one the broker already holds or queues does nothing. */
  placeOrder(order: Order, children?: Order[]): void;
  cancelOrder(orderId: string): void;
  /**
   * Changes a working order in place: `order` is the order as the trading service has it, with its new total `quantity`
   * (filled part included) and its new `limitPrice` / `stopPrice`; same id, side, symbol and type. The outcome arrives
   * as a 'modified' event (the values the venue now works) or a 'modify-rejected' one (the order is unchanged). The
   * trading service has risk-checked and journaled the modify before calling this, and only calls it for orders the
   * venue works (not those the app holds). A venue without it: the trading service refuses modifies in plain words.
   * Paper: in place; IB: placeOrder again under the same order id; OANDA: replace (PUT orders/@clientId).
   */
  modifyOrder?(order: Order): void;
  /** Orders the broker still works (after a restart, the trading service re-sends its open orders). */
  workingOrderIds(): string[];
  onEvent(listener: (e: BrokerEvent) => void): Disposable;
  /** Why new orders cannot be accepted now (not connected, reconciling), or null when they can. */
  notReadyReason(): string | null;
  /** Brokers whose book lives in our store (the paper broker) reload their working orders from it; the trading
   * service calls this once at start, after closing orders a crash left unsent, instead of re-sending anything. */
  restore?(except?: ReadonlySet<string>): Promise<void>;
  /** Brokers that reconcile call this on every (re)connect, before accepting new orders. */
  setReconciler?(reconciler: Reconciler): void;
}
