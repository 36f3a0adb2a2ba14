// Manual entry and editing of one ledger transaction (portfolio.transactions.add / edit). The fields shown follow the
// type (docs/portfolio.md's table); the contract's schema checks them and its field errors are shown beside each.
import { useState } from 'react';
import { ApiCallError } from '../../../src-shared/api/contract';
import type { LedgerAccount, Transaction, TransactionType } from '../../../src-shared/domain/ledger';
import { TransactionType as Types } from '../../../src-shared/domain/ledger';
import { isoDay, moneyIn, qtyText } from '../../lib/format';
import { useTerminal } from '../../stores/terminal';
import { errorText, useLoad } from './common';

type Field = 'symbol' | 'quantity' | 'price' | 'fee' | 'amount' | 'ratio' | 'toCurrency' | 'toAmount' | 'acquired';
const FIELDS: Record<TransactionType, Field[]> = {
  BUY: ['symbol', 'quantity', 'price', 'fee'], SELL: ['symbol', 'quantity', 'price', 'fee'],
  DIVIDEND: ['symbol', 'amount'], INTEREST: ['amount'], FEE: ['symbol', 'amount'], TAX: ['symbol', 'amount'],
  DEPOSIT: ['amount'], WITHDRAWAL: ['amount'], FX: ['amount', 'toCurrency', 'toAmount', 'fee'],
  TRANSFER_IN: ['symbol', 'quantity', 'price', 'acquired'], TRANSFER_OUT: ['symbol', 'quantity'], SPLIT: ['symbol', 'ratio'],
};
const LABEL: Record<Field, string> = {
  symbol: 'Symbol', quantity: 'Quantity', price: 'Price', fee: 'Fee', amount: 'Amount', ratio: 'Ratio (new per old)',
  toCurrency: 'Currency bought', toAmount: 'Amount bought', acquired: 'Originally acquired',
};

type Draft = { accountId: string; date: string; type: TransactionType; currency: string; note: string } & Record<Field, string>;

const today = () => new Date().toISOString().slice(0, 10);
function draftOf(t: Transaction | undefined, accounts: LedgerAccount[]): Draft {
  const account = t?.accountId ?? accounts[0]?.id ?? '';
  return {
    accountId: account, date: t?.date ?? today(), type: t?.type ?? 'BUY',
    currency: t?.currency ?? accounts.find((a) => a.id === account)?.baseCurrency ?? 'USD', note: t?.note ?? '',
    symbol: t?.symbol ?? '', quantity: t?.quantity ?? '', price: t?.price ?? '', fee: t?.fee ?? '', amount: t?.amount ?? '',
    ratio: t?.ratio ?? '', toCurrency: t?.toCurrency ?? '', toAmount: t?.toAmount ?? '', acquired: t?.acquired ?? '',
  };
}

export function TransactionForm({ accounts, editing, onDone }: { accounts: LedgerAccount[]; editing: Transaction | undefined; onDone: (saved: boolean) => void }) {
  const api = useTerminal((s) => s.api);
  const [draft, setDraft] = useState<Draft>(() => draftOf(editing, accounts));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = (k: keyof Draft, v: string) => setDraft((d) => ({ ...d, [k]: v }));
  // A SELL in a specific-lot account names the lots it sells (quantity per lot id).
  const [picked, setPicked] = useState<Record<string, string>>(() => Object.fromEntries((editing?.lots ?? []).map((l) => [l.lotId, l.quantity])));
  const specific = draft.type === 'SELL' && (accounts.find((a) => a.id === draft.accountId)?.lotMethod === 'specific' || (editing?.lots?.length ?? 0) > 0);

  async function save() {
    const fields = FIELDS[draft.type];
    const tx: Record<string, unknown> = { accountId: draft.accountId, date: draft.date, type: draft.type, currency: draft.currency.trim().toUpperCase() };
    for (const f of fields) {
      const v = draft[f].trim();
      if (v !== '') tx[f] = f === 'symbol' || f === 'toCurrency' ? v.toUpperCase() : v;
    }
    if (draft.note.trim()) tx['note'] = draft.note.trim();
    if (specific) {
      const lots = Object.entries(picked).filter(([, q]) => q.trim() !== '' && Number(q) > 0).map(([lotId, quantity]) => ({ lotId, quantity: quantity.trim() }));
      if (lots.length) {
        tx['lots'] = lots;
        // The sale's quantity is the lots' total unless one was typed.
        if (tx['quantity'] === undefined) tx['quantity'] = String(lots.reduce((sum, l) => sum + Number(l.quantity), 0));
      }
    }
    setBusy(true);
    try {
      if (editing) await api!.call('portfolio.transactions.edit', { id: editing.id, transaction: tx as never });
      else await api!.call('portfolio.transactions.add', tx as never);
      setErrors({});
      onDone(true);
    } catch (err) {
      setErrors(err instanceof ApiCallError && err.error.fields ? err.error.fields : { _: errorText(err) });
    } finally {
      setBusy(false);
    }
  }

  const input = (f: Field | 'date' | 'currency' | 'note', label: string, type = 'text') => (
    <div className="field" key={f}>
      <label htmlFor={`pf-tx-${f}`}>{label}</label>
      <input id={`pf-tx-${f}`} type={type} autoComplete="off" inputMode={['quantity', 'price', 'fee', 'amount', 'ratio', 'toAmount'].includes(f) ? 'decimal' : undefined}
        value={draft[f]} aria-invalid={errors[f] ? true : undefined} onChange={(e) => set(f, e.target.value)} />
      {errors[f] && <div className="field-error" role="alert">{errors[f]}</div>}
    </div>
  );

  return (
    <form className="pf-form" aria-label={editing ? 'Edit transaction' : 'New transaction'} onSubmit={(e) => { e.preventDefault(); void save(); }} noValidate>
      <div className="pf-form-grid">
        <div className="field">
          <label htmlFor="pf-tx-account">Account</label>
          <select id="pf-tx-account" value={draft.accountId} onChange={(e) => {
            // The account's own currency unless the user chose another.
            const next = accounts.find((a) => a.id === e.target.value);
            setDraft((d) => ({ ...d, accountId: e.target.value, currency: next ? next.baseCurrency : d.currency }));
          }}>
            {accounts.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
          </select>
          {errors['accountId'] && <div className="field-error" role="alert">{errors['accountId']}</div>}
        </div>
        {input('date', 'Date', 'date')}
        <div className="field">
          <label htmlFor="pf-tx-type">Type</label>
          <select id="pf-tx-type" value={draft.type} onChange={(e) => set('type', e.target.value)}>
            {Types.options.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </div>
        {FIELDS[draft.type].map((f) => input(f, LABEL[f], f === 'acquired' ? 'date' : 'text'))}
        {input('currency', 'Currency')}
        {input('note', 'Note')}
      </div>
      {specific && <LotPicker accountId={draft.accountId} symbol={draft.symbol.trim().toUpperCase()} picked={picked} onPick={setPicked} />}
      {errors['lots'] && <div className="field-error" role="alert">{errors['lots']}</div>}
      {errors['_'] && <div className="field-error" role="alert">{errors['_']}</div>}
      <div className="settings-buttons">
        <button type="submit" className="primary" disabled={busy || accounts.length === 0}>{editing ? 'Save changes' : 'Add transaction'}</button>
        <button type="button" onClick={() => onDone(false)}>Cancel</button>
      </div>
    </form>
  );
}

/** The open long lots of the account and symbol, each with the quantity to sell from it. */
function LotPicker({ accountId, symbol, picked, onPick }: { accountId: string; symbol: string; picked: Record<string, string>; onPick: (p: Record<string, string>) => void }) {
  const api = useTerminal((s) => s.api);
  const { data, error } = useLoad(api ? () => api.call('portfolio.lots', {}) : undefined, [api]);
  const lots = (data?.lots ?? []).filter((l) => l.accountId === accountId && l.symbol === symbol && l.side === 'long');
  if (!symbol) return null;
  return (
    <fieldset className="pf-lot-picker">
      <legend>Lots to sell (specific-lot account)</legend>
      {error && <div className="field-error" role="alert">{error}</div>}
      {data && lots.length === 0 && <p className="dim small">No open {symbol} lots in this account.</p>}
      {lots.length > 0 && (
        <table aria-label="Lots to sell">
          <thead><tr><th>Acquired</th><th className="num">Open</th><th className="num">Per unit</th><th className="num">Sell</th></tr></thead>
          <tbody>
            {lots.map((l) => (
              <tr key={l.id}>
                <td>{isoDay(l.acquired)}</td>
                <td className="num">{qtyText(l.quantity)}</td>
                <td className="num">{moneyIn(l.costPerUnit, l.currency)}</td>
                <td className="num"><input className="pf-lot-qty" inputMode="decimal" aria-label={`Sell from the lot of ${isoDay(l.acquired)}`} value={picked[l.id] ?? ''} onChange={(e) => onPick({ ...picked, [l.id]: e.target.value })} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </fieldset>
  );
}
