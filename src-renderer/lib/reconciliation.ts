// A reconciliation report in plain sentences, one per difference found with the broker.
import type { ReconciliationReport } from '../../src-shared/api/contract';
import { price, qty } from './format';

export function reconciliationDifferences(r: ReconciliationReport): string[] {
  return [
    ...r.missedFills.map((f) => `Missed fill inserted: ${f.side} ${qty(f.quantity)} ${f.symbol} at ${price(f.price)} (order ${f.orderId}, execution ${f.execId})`),
    ...r.closedOrders.map((o) => `Order ${o.orderId} ${o.symbol} closed while away: ${o.status}`),
    ...r.externalOrders.map((o) => `External order adopted: ${o.side} ${qty(o.quantity)} ${o.symbol} (broker order ${o.brokerOrderId})`),
    ...r.positionDiffs.map((p) => `Position ${p.symbol}: ours ${qty(p.ours)}, broker ${qty(p.broker)}`),
  ];
}
