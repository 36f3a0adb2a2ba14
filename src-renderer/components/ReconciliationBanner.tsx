// The result of reconciling with the broker after a (re)connect: clean, or what differed. Dismissible until the next one.
import { time } from '../lib/format';
import { reconciliationDifferences } from '../lib/reconciliation';
import { useShallow } from 'zustand/react/shallow';
import { dismissReconciliation, useTerminal } from '../stores/terminal';

export function ReconciliationBanner() {
  const { report, seen } = useTerminal(useShallow((s) => ({ report: s.reconciliation, seen: s.reconciliationSeen })));
  if (!report || report.time === seen) return null;
  const diffs = reconciliationDifferences(report);
  const clean = report.clean && diffs.length === 0;
  return (
    <section className={`banner ${clean ? 'ok' : 'warn'}`} role="region" aria-label="Reconciliation">
      <div className="banner-head">
        <b>{clean ? 'Reconciled: everything matched the broker' : `Reconciled: ${diffs.length} difference${diffs.length === 1 ? '' : 's'} with the broker`}</b>
        <span className="dim" title={time(report.time)}>at {new Date(report.time).toLocaleTimeString('en-GB', { hour12: false })}</span>
        <span className="spacer" />
        <button type="button" className="small" onClick={dismissReconciliation}>Dismiss</button>
      </div>
      {diffs.length > 0 && <ul>{diffs.map((d, i) => <li key={i}>{d}</li>)}</ul>}
    </section>
  );
}
