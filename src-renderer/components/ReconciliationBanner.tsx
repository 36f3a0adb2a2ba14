// The result of reconciling with the broker after a (re)connect: clean, or what differed. Dismissible until the next one.
import type { ReconciliationReport } from '../../src-shared/api/contract';
import { price, qty, time } from '../lib/format';
import { useShallow } from 'zustand/react/shallow';
import { dismissReconciliation, useTerminal } from '../stores/terminal';

function differences(r: ReconciliationReport): string[] {
  return [
    ...r.missedFills.map((f) => `Missed fill inserted: ${f.side} ${qty(f.quantity)} ${f.symbol} at ${price(f.price)} (order ${f.orderId}, execution ${f.execId})`),
    ...r.closedOrders.map((o) => `Order ${o.orderId} ${o.symbol} closed while away: ${o.status}`),
    ...r.externalOrders.map((o) => `External order adopted: ${o.side} ${qty(o.quantity)} ${o.symbol} (broker order ${o.brokerOrderId})`),
    ...r.positionDiffs.map((p) => `Position ${p.symbol}: ours ${qty(p.ours)}, broker ${qty(p.broker)}`),
  ];
}

export function ReconciliationBanner() {
  const { report, seen } = useTerminal(useShallow((s) => ({ report: s.reconciliation, seen: s.reconciliationSeen })));
  if (!report || report.time === seen) return null;
  const diffs = differences(report);
  const clean = report.clean && diffs.length === 0;
  return (
    <section className={`banner ${clean ? 'ok' : 'warn'}`} role="region" aria-label="Reconciliation">
      <div className="banner-head">
        <b>{clean ? 'Reconciled: everything matched the broker' : `Reconciled: ${diffs.length} difference${diffs.length === 1 ? '' : 's'} with the broker`}</b>
        <span className="dim">{time(report.time)}</span>
        <span className="spacer" />
        <button type="button" className="small" onClick={dismissReconciliation}>Dismiss</button>
      </div>
      {diffs.length > 0 && <ul>{diffs.map((d) => <li key={d}>{d}</li>)}</ul>}
    </section>
  );
}
