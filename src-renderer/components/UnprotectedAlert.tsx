// Loud warning for a filled bracket entry whose protective leg was refused while the position is still open, with a
// one-click Flatten (positions.flatten: a reducing market order through the risk gate, audited).
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useTerminal } from '../stores/terminal';

export function UnprotectedAlert({ entryId }: { entryId: string }) {
  const { api, orders, positions } = useTerminal(useShallow((s) => ({ api: s.api, orders: s.orders, positions: s.positions })));
  const [result, setResult] = useState<string>('');
  const entry = orders.find((o) => o.id === entryId);
  if (!entry || entry.filledQuantity === 0 || entry.parentId !== null) return null;
  const refused = orders.filter((o) => o.parentId === entry.id && o.status === 'rejected');
  const position = positions.find((p) => p.accountId === entry.accountId && p.symbol === entry.symbol)?.quantity ?? 0;
  if (refused.length === 0 || position === 0) return null;
  const reasons = refused.map((l) => `the ${l.type === 'stop' ? 'stop-loss' : 'take-profit'} was rejected: ${l.rejectReason ?? 'no reason given'}`).join('; ');
  async function flatten() {
    try {
      const r = await api!.call('positions.flatten', { symbol: entry!.symbol, accountId: entry!.accountId });
      useTerminal.getState().upsertOrder(r.order);
      setResult(r.rejection ? `Flatten refused: ${r.rejection.message}` : 'Flatten sent');
    } catch (err) {
      setResult(`Flatten failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return (
    <div className="unprotected" role="alert">
      <b>Unprotected position ({entry.symbol}):</b> {reasons}
      <button type="button" className="flatten" onClick={() => void flatten()}>Flatten {entry.symbol}</button>
      {result && <span className="flatten-result">{result}</span>}
    </div>
  );
}
