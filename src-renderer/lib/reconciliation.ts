// A reconciliation report in plain sentences, one per difference found with the broker. Internal ids stay out of the
// sentences (the audit log has them); the broker's order id is kept, the trader sees it in TWS.
import type { ReconciliationReport } from '../../src-shared/api/contract';
import { price, qty } from './format';

export function reconciliationDifferences(r: ReconciliationReport): string[] {
  return [
    ...r.missedFills.map((f) => `Missed fill inserted: ${f.side} ${qty(f.quantity)} ${f.symbol} at ${price(f.price)}`),
    ...r.closedOrders.map((o) => `${o.symbol} order closed while away: ${o.status}`),
    ...r.externalOrders.map((o) => `External order adopted: ${o.side} ${qty(o.quantity)} ${o.symbol} (broker order ${o.brokerOrderId})`),
    ...r.positionDiffs.map((p) => `Position ${p.symbol}: ours ${qty(p.ours)}, broker ${qty(p.broker)}`),
  ];
}
