// Broker port: what the trading service needs from any execution venue (the paper broker, later IB).
// The trading service has already risk-checked and journaled an order before calling placeOrder.
import type { Order } from '../../src-shared/domain/types';
import type { Disposable } from './disposable';

export type BrokerEvent =
  | { kind: 'ack'; orderId: string; brokerOrderId: string; time: number }
  | { kind: 'reject'; orderId: string; reason: string; time: number }
  | { kind: 'fill'; orderId: string; execId: string; quantity: number; price: number; commission: string; time: number }
  | { kind: 'cancelled'; orderId: string; time: number };

export interface Broker extends Disposable {
  readonly name: string;
  /** Send an order; the outcome arrives as events. Orders are keyed by our client order id. */
  placeOrder(order: Order): void;
  cancelOrder(orderId: string): void;
  /** Orders the broker still works (after a restart, the trading service re-sends its open orders). */
  workingOrderIds(): string[];
  onEvent(listener: (e: BrokerEvent) => void): Disposable;
}
