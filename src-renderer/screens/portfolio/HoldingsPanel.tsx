// Holdings per account from the ledger, each with its open tax lots (acquired, quantity, cost basis including any
// wash-sale adjustment), and the cash per account and currency.
import { Fragment, useState } from 'react';
import { isoDay, moneyIn, qtyText } from '../../lib/format';
import { useTerminal } from '../../stores/terminal';
import { useLoad } from './common';

export function HoldingsPanel({ version, name }: { version: number; name: (id: string) => string }) {
  const api = useTerminal((s) => s.api);
  const { data, error } = useLoad(api ? async () => {
    const [balances, lots] = await Promise.all([api.call('portfolio.balances', {}), api.call('portfolio.lots', {})]);
    return { balances, lots };
  } : undefined, [api, version]);
  const [open, setOpen] = useState<string | undefined>();

  const lotsOf = (accountId: string, symbol: string) => (data?.lots.lots ?? []).filter((l) => l.accountId === accountId && l.symbol === symbol);
  const basis = (accountId: string, symbol: string) => lotsOf(accountId, symbol).reduce((s, l) => s + Number(l.costBasis) * (l.side === 'short' ? -1 : 1), 0);

  return (
    <section className="panel" aria-label="Holdings">
      <h2>Holdings</h2>
      {error && <div className="field-error" role="alert">{error}</div>}
      <div className="table-scroll">
        <table aria-label="Holdings">
          <thead><tr><th>Account</th><th>Symbol</th><th className="num">Quantity</th><th className="num">Cost basis</th><th className="num">Lots</th><th /></tr></thead>
          <tbody>
            {data && data.balances.holdings.length === 0 && <tr><td colSpan={6} className="empty">No holdings</td></tr>}
            {data?.balances.holdings.map((h) => {
              const key = `${h.accountId}|${h.symbol}`;
              const lots = lotsOf(h.accountId, h.symbol);
              const expanded = open === key;
              return (
                <Fragment key={key}>
                  <tr>
                    <td className="account">{name(h.accountId)}</td>
                    <td>{h.symbol}</td>
                    <td className={`num ${Number(h.quantity) < 0 ? 'neg' : ''}`}>{qtyText(h.quantity)}</td>
                    <td className="num">{lots.length ? moneyIn(basis(h.accountId, h.symbol).toFixed(2), h.currency) : '—'}</td>
                    <td className="num">{lots.length}</td>
                    <td>
                      {lots.length > 0 && (
                        <button type="button" className="small" aria-expanded={expanded} aria-label={`Lots of ${h.symbol} in ${name(h.accountId)}`} onClick={() => setOpen(expanded ? undefined : key)}>
                          {expanded ? 'Hide lots' : 'Lots'}
                        </button>
                      )}
                    </td>
                  </tr>
                  {expanded && (
                    <tr className="pf-lots-row">
                      <td colSpan={6}>
                        <table aria-label={`Tax lots of ${h.symbol}`} className="pf-lots">
                          <thead><tr><th>Acquired</th><th>Holding from</th><th>Side</th><th className="num">Quantity</th><th className="num">Cost basis</th><th className="num">Per unit</th><th className="num">Wash adjustment</th></tr></thead>
                          <tbody>
                            {lots.map((l) => (
                              <tr key={l.id}>
                                <td>{isoDay(l.acquired)}</td>
                                <td>{l.holdingFrom !== l.acquired ? isoDay(l.holdingFrom) : <span className="dim">same</span>}</td>
                                <td>{l.side}</td>
                                <td className="num">{qtyText(l.quantity)}</td>
                                <td className="num">{moneyIn(l.costBasis, l.currency)}</td>
                                <td className="num">{moneyIn(l.costPerUnit, l.currency)}</td>
                                <td className={`num ${Number(l.washAdjustment) !== 0 ? 'warning' : 'dim'}`}>{moneyIn(l.washAdjustment, l.currency)}</td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      {data && data.balances.cash.length > 0 && (
        <div className="table-scroll">
          <table aria-label="Cash">
            <thead><tr><th>Account</th><th>Currency</th><th className="num">Cash</th></tr></thead>
            <tbody>
              {data.balances.cash.map((c) => (
                <tr key={`${c.accountId}|${c.currency}`}><td className="account">{name(c.accountId)}</td><td>{c.currency}</td><td className="num">{moneyIn(c.amount, c.currency)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && data.lots.problems.length > 0 && (
        <ul className="warning" aria-label="Ledger problems">{data.lots.problems.map((p, i) => <li key={i}>{p.message}</li>)}</ul>
      )}
    </section>
  );
}
