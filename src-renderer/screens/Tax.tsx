// The Tax screen (issue 13, US rules): realised gains of a year per lot (short/long term, code W, the adjustment) with
// the Form 8949 CSV, the wash sales, and the tax-loss harvesting list (unrealised losses, the saving at the user's
// rate, each lot's wash-sale window). All computed in main from the ledger (portfolio.gains/form8949/washSales/harvest).
import { useMemo, useState } from 'react';
import type { z } from 'zod';
import type { RealizedLot } from '../../src-shared/api/portfolio';
import { downloadCsv } from '../lib/csv-export';
import { isoDay, moneyIn, pnlClass, qtyText } from '../lib/format';
import { useTerminal } from '../stores/terminal';
import { errorText, useLedgerAccounts, useLoad } from './portfolio/common';

type Method = '' | 'fifo' | 'lifo' | 'hifo';
type Row = z.infer<typeof RealizedLot>;

/** Sums money strings per currency (rows of accounts in different base currencies are not added together). */
function totalsByCurrency(rows: Row[], pick: (r: Row) => string): [string, number][] {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r.currency, (m.get(r.currency) ?? 0) + Number(pick(r)));
  return [...m];
}

export function Tax() {
  const api = useTerminal((s) => s.api);
  const { name } = useLedgerAccounts();
  const txs = useLoad(api ? () => api.call('portfolio.transactions.list', {}) : undefined, [api]);
  // The years with sales, newest first; the current year when there are none.
  const years = useMemo(() => {
    const ys = new Set((txs.data ?? []).filter((t) => t.type === 'SELL' || t.type === 'BUY').map((t) => Number(t.date.slice(0, 4))));
    ys.add(new Date().getFullYear());
    return [...ys].sort((a, b) => b - a);
  }, [txs.data]);
  const latestSale = useMemo(() => (txs.data ?? []).filter((t) => t.type === 'SELL').map((t) => Number(t.date.slice(0, 4))).sort((a, b) => b - a)[0], [txs.data]);
  const [chosenYear, setYear] = useState<number | undefined>();
  const year = chosenYear ?? latestSale ?? new Date().getFullYear();
  const [method, setMethod] = useState<Method>('');
  const methodArg = method ? { method } : {};

  const gains = useLoad(api ? () => api.call('portfolio.gains', { year, ...methodArg }) : undefined, [api, year, method]);
  const washes = useLoad(api ? () => api.call('portfolio.washSales', { year }) : undefined, [api, year]);
  const [downloadProblem, setDownloadProblem] = useState<string | undefined>();

  async function download() {
    try {
      const { csv } = await api!.call('portfolio.form8949', { year, ...methodArg });
      downloadCsv(`form-8949-${year}.csv`, csv);
      setDownloadProblem(undefined);
    } catch (err) {
      setDownloadProblem(errorText(err));
    }
  }

  const rows = gains.data?.rows ?? [];
  return (
    <div className="tax">
      <section className="panel" aria-label="Realized gains">
        <div className="panel-head">
          <h2>Realized gains</h2>
          <button type="button" className="small export" disabled={!gains.data} onClick={() => void download()}>Download Form 8949 CSV</button>
        </div>
        <div className="pf-filters">
          <div className="field">
            <label htmlFor="tax-year">Tax year</label>
            <select id="tax-year" value={year} onChange={(e) => setYear(Number(e.target.value))}>
              {years.map((y) => <option key={y} value={y}>{y}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="tax-method">Lot method</label>
            <select id="tax-method" value={method} onChange={(e) => setMethod(e.target.value as Method)}>
              <option value="">Each account's own</option>
              <option value="fifo">FIFO</option><option value="lifo">LIFO</option><option value="hifo">HIFO</option>
            </select>
          </div>
        </div>
        {(gains.error ?? downloadProblem) && <div className="field-error" role="alert">{gains.error ?? downloadProblem}</div>}
        <div className="table-scroll">
          <table aria-label="Realized gains by lot">
            <thead><tr><th>Account</th><th>Symbol</th><th className="num">Quantity</th><th>Acquired</th><th>Sold</th><th className="num">Proceeds</th><th className="num">Cost basis</th><th>Code</th><th className="num">Adjustment</th><th className="num">Gain</th><th>Term</th></tr></thead>
            <tbody>
              {gains.data && rows.length === 0 && <tr><td colSpan={11} className="empty">No sales in taxable accounts in {year}</td></tr>}
              {rows.map((r) => (
                <tr key={`${r.txId}|${r.lotId}`}>
                  <td className="account">{name(r.accountId)}</td>
                  <td>{r.symbol}{r.side === 'short' && <span className="dim"> (short)</span>}</td>
                  <td className="num">{qtyText(r.quantity)}</td>
                  <td>{isoDay(r.acquired)}</td>
                  <td>{isoDay(r.sold)}</td>
                  <td className="num">{moneyIn(r.proceeds, r.currency)}</td>
                  <td className="num">{moneyIn(r.costBasis, r.currency)}</td>
                  <td>{r.code && <b className="warning" title={Number(r.permanentlyDisallowed) > 0 ? 'Wash sale; replaced in a tax-advantaged account: disallowed for good' : 'Wash sale'}>{r.code}</b>}</td>
                  <td className="num">{Number(r.adjustment) ? moneyIn(r.adjustment, r.currency) : ''}</td>
                  <td className={`num ${pnlClass(r.gain)}`}>{moneyIn(r.gain, r.currency)}</td>
                  <td>{r.term === 'long' ? 'Long' : 'Short'}</td>
                </tr>
              ))}
            </tbody>
            {rows.length > 0 && (
              <tfoot>
                {(['short', 'long'] as const).map((term) => totalsByCurrency(rows.filter((r) => r.term === term), (r) => r.gain).map(([ccy, gain]) => (
                  <tr key={`${term}|${ccy}`}><td colSpan={9}>{term === 'short' ? 'Short-term' : 'Long-term'} gain ({ccy})</td><td className={`num ${pnlClass(String(gain))}`}>{moneyIn(gain.toFixed(2), ccy)}</td><td /></tr>
                )))}
                {totalsByCurrency(rows, (r) => r.adjustment).filter(([, a]) => a !== 0).map(([ccy, a]) => (
                  <tr key={`adj|${ccy}`}><td colSpan={9}>Wash-sale adjustments (code W, {ccy})</td><td className="num">{moneyIn(a.toFixed(2), ccy)}</td><td /></tr>
                ))}
              </tfoot>
            )}
          </table>
        </div>
      </section>

      <section className="panel" aria-label="Wash sales">
        <h2>Wash sales · {year}</h2>
        {washes.error && <div className="field-error" role="alert">{washes.error}</div>}
        <div className="table-scroll">
          <table aria-label="Wash sales">
            <thead><tr><th>Sold</th><th>Account</th><th>Symbol</th><th className="num">Quantity</th><th className="num">Loss</th><th className="num">Disallowed</th><th>Replaced by</th></tr></thead>
            <tbody>
              {washes.data && washes.data.length === 0 && <tr><td colSpan={7} className="empty">No wash sales in {year}</td></tr>}
              {washes.data?.map((w) => (
                <tr key={`${w.saleTxId}|${w.lotId}`}>
                  <td>{isoDay(w.sold)}</td>
                  <td className="account">{name(w.accountId)}</td>
                  <td>{w.symbol}</td>
                  <td className="num">{qtyText(w.quantity)}</td>
                  <td className="num">{moneyIn(w.loss, w.currency)}</td>
                  <td className="num warning">{moneyIn(w.disallowed, w.currency)}{w.permanent && <span className="badge live" title="The replacement was bought in a tax-advantaged account: the loss is lost for good">for good</span>}</td>
                  <td className="reason">
                    {w.replacements.map((r) => `${qtyText(r.quantity)} on ${isoDay(r.date)} in ${name(r.accountId)}${r.permanent ? ' (tax-advantaged)' : ', added to its basis'}`).join('; ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <HarvestPanel name={name} />
    </div>
  );
}

/** "24" (percent) → "0.24" (the API's fraction). */
const rateFraction = (pct: string): string | undefined => {
  const n = Number(pct.trim());
  return pct.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= 100 ? String(Number((n / 100).toFixed(6))) : undefined;
};

function HarvestPanel({ name }: { name: (id: string) => string }) {
  const api = useTerminal((s) => s.api);
  const [rate, setRate] = useState('24');
  const [prices, setPrices] = useState<Record<string, string>>({});
  const [asked, setAsked] = useState<{ rate: string; prices: Record<string, string> }>({ rate: '0.24', prices: {} });
  const holdings = useLoad(api ? () => api.call('portfolio.lots', {}) : undefined, [api]);
  const symbols = [...new Set((holdings.data?.lots ?? []).filter((l) => l.side === 'long').map((l) => l.symbol))].sort();
  const list = useLoad(api ? () => api.call('portfolio.harvest', asked) : undefined, [api, JSON.stringify(asked)]);
  const fraction = rateFraction(rate);

  function update() {
    if (!fraction) return;
    const given = Object.fromEntries(Object.entries(prices).filter(([, v]) => /^\d+(\.\d+)?$/.test(v.trim()) && Number(v) > 0).map(([k, v]) => [k, v.trim()]));
    setAsked({ rate: fraction, prices: given });
  }

  return (
    <section className="panel" aria-label="Tax-loss harvesting">
      <h2>Tax-loss harvesting</h2>
      <form className="pf-filters" onSubmit={(e) => { e.preventDefault(); update(); }}>
        <div className="field">
          <label htmlFor="harvest-rate">Tax rate (%)</label>
          <input id="harvest-rate" inputMode="decimal" value={rate} aria-invalid={fraction ? undefined : true} onChange={(e) => setRate(e.target.value)} />
          {!fraction && <div className="field-error" role="alert">A rate between 0 and 100</div>}
        </div>
        {symbols.map((s) => (
          <div className="field" key={s}>
            <label htmlFor={`harvest-price-${s}`}>{s} price</label>
            <input id={`harvest-price-${s}`} inputMode="decimal" placeholder="last quote" value={prices[s] ?? ''} onChange={(e) => setPrices({ ...prices, [s]: e.target.value })} />
          </div>
        ))}
        <button type="submit" className="small">Update</button>
      </form>
      <p className="dim small">Prices left empty use the market's last quote where it has one; a lot without a price is left out.</p>
      {list.error && <div className="field-error" role="alert">{list.error}</div>}
      <div className="table-scroll">
        <table aria-label="Harvesting candidates">
          <thead><tr><th>Account</th><th>Symbol</th><th className="num">Quantity</th><th>Acquired</th><th className="num">Cost basis</th><th className="num">Price</th><th className="num">Unrealized</th><th>Term</th><th className="num">Est. saving</th><th>Wash-sale window</th><th>Notes</th></tr></thead>
          <tbody>
            {list.data && list.data.length === 0 && <tr><td colSpan={11} className="empty">No open lots with an unrealised loss at these prices</td></tr>}
            {list.data?.map((c) => (
              <tr key={c.lotId}>
                <td className="account">{name(c.accountId)}</td>
                <td>{c.symbol}</td>
                <td className="num">{qtyText(c.quantity)}</td>
                <td>{isoDay(c.acquired)}</td>
                <td className="num">{moneyIn(c.costBasis, c.currency)}</td>
                <td className="num">{moneyIn(c.price, c.currency)}</td>
                <td className={`num ${pnlClass(c.unrealized)}`}>{moneyIn(c.unrealized, c.currency)}</td>
                <td>{c.term === 'long' ? 'Long' : 'Short'}</td>
                <td className="num pos">{moneyIn(c.estimatedSaving, c.currency)}</td>
                <td>{isoDay(c.window.from)} – {isoDay(c.window.to)}</td>
                <td className="reason">
                  {c.recentPurchases.length > 0
                    ? `Bought ${c.recentPurchases.map((p) => `${qtyText(p.quantity)} on ${isoDay(p.date)}`).join(', ')}: selling now would be a wash sale${Number(c.washedNow) ? ` (${moneyIn(c.washedNow, c.currency)} disallowed)` : ''}; clear from ${isoDay(c.clearFrom)}`
                    : `Do not buy ${c.symbol} again until after ${isoDay(c.window.to)}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
