// The ledger's accounts: base currency, tax type and lot method are editable (portfolio.accounts.upsert).
import { useState } from 'react';
import type { LedgerAccount, LotMethod, TaxType } from '../../../src-shared/domain/ledger';
import { useTerminal } from '../../stores/terminal';
import { errorText } from './common';

const KIND: Record<LedgerAccount['kind'], string> = { broker: 'Broker', paper: 'Paper', statement: 'Statements only' };

function AccountRow({ account, onSaved }: { account: LedgerAccount; onSaved: () => void }) {
  const api = useTerminal((s) => s.api);
  const [draft, setDraft] = useState(account);
  const [problem, setProblem] = useState<string | undefined>();
  const dirty = draft.baseCurrency !== account.baseCurrency || draft.taxType !== account.taxType || draft.lotMethod !== account.lotMethod;

  async function save() {
    try {
      await api!.call('portfolio.accounts.upsert', { ...draft, baseCurrency: draft.baseCurrency.trim().toUpperCase() });
      setProblem(undefined);
      onSaved();
    } catch (err) {
      setProblem(errorText(err));
    }
  }

  const label = account.name;
  return (
    <tr>
      <td>{account.name}</td>
      <td className="dim">{KIND[account.kind]}</td>
      <td><input aria-label={`Base currency of ${label}`} className="pf-ccy" maxLength={3} value={draft.baseCurrency} onChange={(e) => { setDraft({ ...draft, baseCurrency: e.target.value }); }} /></td>
      <td>
        <select aria-label={`Tax type of ${label}`} value={draft.taxType} onChange={(e) => { setDraft({ ...draft, taxType: e.target.value as TaxType }); }}>
          <option value="taxable">Taxable</option>
          <option value="tax-advantaged">Tax-advantaged</option>
        </select>
      </td>
      <td>
        <select aria-label={`Lot method of ${label}`} value={draft.lotMethod} onChange={(e) => { setDraft({ ...draft, lotMethod: e.target.value as LotMethod }); }}>
          <option value="fifo">FIFO</option>
          <option value="lifo">LIFO</option>
          <option value="hifo">HIFO</option>
          <option value="specific">Specific lot</option>
        </select>
      </td>
      <td>
        <button type="button" className="small" disabled={!dirty} onClick={() => void save()} aria-label={`Save ${label}`}>Save</button>
        {problem && <div className="field-error" role="alert">{problem}</div>}
      </td>
    </tr>
  );
}

export function AccountsPanel({ accounts, error, onSaved }: { accounts: LedgerAccount[]; error: string | undefined; onSaved: () => void }) {
  return (
    <section className="panel" aria-label="Portfolio accounts">
      <h2>Accounts</h2>
      {error && <div className="field-error" role="alert">{error}</div>}
      <div className="table-scroll">
        <table aria-label="Ledger accounts">
          <thead><tr><th>Account</th><th>Kind</th><th>Base currency</th><th>Tax type</th><th>Lot method</th><th /></tr></thead>
          <tbody>
            {accounts.length === 0 && <tr><td colSpan={6} className="empty">No accounts yet: import a file or trade; accounts named in a file are created.</td></tr>}
            {/* Keyed by the saved values too: a save elsewhere resets the row's draft to what is stored. */}
            {accounts.map((a) => <AccountRow key={`${a.id}|${a.baseCurrency}|${a.taxType}|${a.lotMethod}`} account={a} onSaved={onSaved} />)}
          </tbody>
        </table>
      </div>
    </section>
  );
}
