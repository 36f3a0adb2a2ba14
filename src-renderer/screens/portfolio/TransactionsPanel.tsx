// The ledger's transactions with filters (account, symbol, dates), newest first, each editable or deletable, and the
// manual entry form.
import { useState } from 'react';
import type { LedgerAccount, Transaction } from '../../../src-shared/domain/ledger';
import { isoDay, moneyIn, qtyText } from '../../lib/format';
import { useTerminal } from '../../stores/terminal';
import { errorText, useLoad } from './common';
import { TransactionForm } from './TransactionForm';

const SOURCE: Record<Transaction['source'], string> = { manual: 'manual', csv: 'CSV', 'ib-flex': 'IB Flex', fill: 'fill' };
/** Rows shown at most (the newest); the filters narrow the rest. */
const LIMIT = 500;

export function TransactionsPanel({ version, accounts, name, onChanged }: { version: number; accounts: LedgerAccount[]; name: (id: string) => string; onChanged: () => void }) {
  const api = useTerminal((s) => s.api);
  const [filter, setFilter] = useState({ accountId: '', symbol: '', from: '', to: '' });
  const [form, setForm] = useState<{ editing: Transaction | undefined } | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const query = {
    ...(filter.accountId ? { accountId: filter.accountId } : {}), ...(filter.symbol.trim() ? { symbol: filter.symbol.trim().toUpperCase() } : {}),
    ...(/^\d{4}-\d{2}-\d{2}$/.test(filter.from) ? { from: filter.from } : {}), ...(/^\d{4}-\d{2}-\d{2}$/.test(filter.to) ? { to: filter.to } : {}),
  };
  const { data, error } = useLoad(api ? () => api.call('portfolio.transactions.list', query) : undefined, [api, version, JSON.stringify(query)]);
  const rows = (data ?? []).slice(-LIMIT).reverse();

  async function remove(t: Transaction) {
    if (!confirm(`Delete the ${t.type} of ${isoDay(t.date)}${t.symbol ? ` (${t.symbol})` : ''}? A file import would bring an imported row back.`)) return;
    try {
      await api!.call('portfolio.transactions.delete', { id: t.id });
      setProblem(undefined);
      onChanged();
    } catch (err) {
      setProblem(errorText(err));
    }
  }

  const amountOf = (t: Transaction) => t.amount ?? (t.quantity && t.price ? (Number(t.quantity) * Number(t.price)).toFixed(2) : undefined);

  return (
    <section className="panel" aria-label="Transactions">
      <div className="panel-head">
        <h2>Transactions</h2>
        {!form && <button type="button" className="small export" disabled={accounts.length === 0} onClick={() => setForm({ editing: undefined })}>New transaction</button>}
      </div>
      {form && (
        <TransactionForm key={form.editing?.id ?? 'new'} accounts={accounts} editing={form.editing} onDone={(saved) => {
          setForm(undefined);
          if (saved) onChanged();
        }} />
      )}
      <div className="pf-filters" role="group" aria-label="Filters">
        <div className="field">
          <label htmlFor="pf-f-account">Account</label>
          <select id="pf-f-account" value={filter.accountId} onChange={(e) => setFilter({ ...filter, accountId: e.target.value })}>
            <option value="">All accounts</option>
            {accounts.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
          </select>
        </div>
        <div className="field"><label htmlFor="pf-f-symbol">Symbol</label><input id="pf-f-symbol" value={filter.symbol} onChange={(e) => setFilter({ ...filter, symbol: e.target.value })} /></div>
        <div className="field"><label htmlFor="pf-f-from">From</label><input id="pf-f-from" type="date" value={filter.from} onChange={(e) => setFilter({ ...filter, from: e.target.value })} /></div>
        <div className="field"><label htmlFor="pf-f-to">To</label><input id="pf-f-to" type="date" value={filter.to} onChange={(e) => setFilter({ ...filter, to: e.target.value })} /></div>
      </div>
      {(error ?? problem) && <div className="field-error" role="alert">{error ?? problem}</div>}
      <div className="table-scroll pf-tx-wrap">
        <table aria-label="Ledger transactions">
          <thead><tr><th>Date</th><th>Account</th><th>Type</th><th>Symbol</th><th className="num">Quantity</th><th className="num">Price</th><th className="num">Fee</th><th className="num">Amount</th><th>Source</th><th /></tr></thead>
          <tbody>
            {data && rows.length === 0 && <tr><td colSpan={10} className="empty">No transactions{Object.keys(query).length ? ' match the filters' : ''}</td></tr>}
            {rows.map((t) => (
              <tr key={t.id}>
                <td>{isoDay(t.date)}</td>
                <td className="account">{name(t.accountId)}</td>
                <td className={t.type === 'BUY' ? 'buy' : t.type === 'SELL' ? 'sell' : ''}>{t.type}</td>
                <td>{t.symbol ?? (t.toCurrency ? `→ ${t.toCurrency}` : '')}</td>
                <td className="num">{t.type === 'SPLIT' ? `×${qtyText(t.ratio)}` : t.quantity ? qtyText(t.quantity) : ''}</td>
                <td className="num">{t.price ? moneyIn(t.price, t.currency) : ''}</td>
                <td className="num">{Number(t.fee) ? moneyIn(t.fee, t.currency) : ''}</td>
                <td className="num">{amountOf(t) ? moneyIn(amountOf(t), t.currency) : ''}</td>
                <td className="dim">{SOURCE[t.source]}</td>
                <td className="pf-actions">
                  <button type="button" className="small" aria-label={`Edit ${t.type} ${t.symbol ?? ''} ${t.date}`} onClick={() => setForm({ editing: t })}>Edit</button>{' '}
                  <button type="button" className="small" aria-label={`Delete ${t.type} ${t.symbol ?? ''} ${t.date}`} onClick={() => void remove(t)}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data && data.length > LIMIT && <p className="dim">The newest {LIMIT} of {data.length}; narrow the filters to see older ones.</p>}
    </section>
  );
}
