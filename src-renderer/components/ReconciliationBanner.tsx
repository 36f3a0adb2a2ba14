// The result of reconciling with the broker after a (re)connect: clean, or what differed. Dismissible until the next one.
// Each position difference can be resolved: take the broker's position, or keep ours with a reason (both journaled).
import { useState } from 'react';
import type { ReconciliationReport } from '../../src-shared/api/contract';
import { time, timeOfDay } from '../lib/format';
import { reconciliationDifferences } from '../lib/reconciliation';
import { useShallow } from 'zustand/react/shallow';
import { dismissReconciliation, useTerminal } from '../stores/terminal';

function ResolveDiff({ diff }: { diff: ReconciliationReport['positionDiffs'][number] }) {
  const { api, accountId } = useTerminal(useShallow((s) => ({ api: s.api, accountId: s.reconciliation?.accountId })));
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  async function resolve(action: 'broker' | 'ours') {
    try {
      const report = await api!.call('reconciliation.resolve', { accountId, symbol: diff.symbol, action, reason: reason.trim() || (action === 'broker' ? "Took the broker's position" : '') });
      useTerminal.getState().setReconciliation(report);
      setError('');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }
  const id = `reconcile-reason-${diff.symbol}`;
  return (
    <div className="resolve" aria-label={`Resolve ${diff.symbol}`}>
      <label htmlFor={id}>Reason</label>
      <input id={id} value={reason} maxLength={500} placeholder="why (required to keep ours)" onChange={(e) => setReason(e.target.value)} />
      <button type="button" className="small" onClick={() => void resolve('broker')}>Take broker&apos;s position ({diff.broker})</button>
      <button type="button" className="small" onClick={() => void resolve('ours')}>Keep ours ({diff.ours})</button>
      {error && <span className="field-error" role="alert">{error}</span>}
    </div>
  );
}

export function ReconciliationBanner() {
  const { report, seen } = useTerminal(useShallow((s) => ({ report: s.reconciliation, seen: s.reconciliationSeen })));
  if (!report || report.time === seen) return null;
  const diffs = reconciliationDifferences(report);
  const clean = report.clean && diffs.length === 0;
  return (
    <section className={`banner ${clean ? 'ok' : 'warn'}`} role="region" aria-label="Reconciliation">
      <div className="banner-head">
        <b>{clean ? 'Reconciled: everything matched the broker' : `Reconciled: ${diffs.length} difference${diffs.length === 1 ? '' : 's'} with the broker`}</b>
        <span className="dim" title={time(report.time)}>at {timeOfDay(report.time)}</span>
        <span className="spacer" />
        <button type="button" className="small" onClick={dismissReconciliation}>Dismiss</button>
      </div>
      {diffs.length > 0 && <ul>{diffs.map((d, i) => <li key={i}>{d}</li>)}</ul>}
      {report.positionDiffs.map((d) => <ResolveDiff key={d.symbol} diff={d} />)}
    </section>
  );
}
