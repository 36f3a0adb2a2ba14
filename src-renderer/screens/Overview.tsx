// Overview: NAV, day P&L, cash, P&L tiles, the broker's own account values (IB), top positions and the equity curve.
import type { BrokerAccountValue } from '../../src-shared/api/contract';
import { accountTotals } from '../../src-shared/domain/totals';
import { EquityChart } from '../components/EquityChart';
import { ModeBadge } from '../components/ModeBadge';
import { money, moneyIn, pnlClass } from '../lib/format';
import { useShallow } from 'zustand/react/shallow';
import { useTerminal } from '../stores/terminal';
import { PositionsTable } from './Blotter';

function Tile({ label, value, id, tone }: { label: string; value: string; id: string; tone?: string }) {
  return (
    <div className="tile">
      <div className="tile-label" id={`${id}-label`}>{label}</div>
      <div className={`tile-value ${tone ?? ''}`} data-testid={id} aria-labelledby={`${id}-label`}>{value}</div>
    </div>
  );
}

/** The IB account tags shown, in order (reqAccountSummary / updateAccountValue keys). */
const IB_VALUES: { key: string; label: string }[] = [
  { key: 'NetLiquidation', label: 'Net liquidation' },
  { key: 'TotalCashValue', label: 'Total cash' },
  { key: 'BuyingPower', label: 'Buying power' },
  { key: 'AvailableFunds', label: 'Available funds' },
  { key: 'ExcessLiquidity', label: 'Excess liquidity' },
  { key: 'InitMarginReq', label: 'Initial margin' },
  { key: 'MaintMarginReq', label: 'Maintenance margin' },
];

/** IB reports most keys per currency and once in the base currency: prefer BASE, then the first one reported. */
function pick(values: BrokerAccountValue[], key: string): BrokerAccountValue | undefined {
  const all = values.filter((v) => v.key === key);
  return all.find((v) => v.currency === 'BASE') ?? all[0];
}

function BrokerValues() {
  const { values, broker } = useTerminal(useShallow((s) => ({ values: s.brokerValues, broker: s.broker })));
  if (broker?.broker !== 'ib') return null;
  const base = values.find((v) => v.key === 'NetLiquidation' && v.currency !== 'BASE')?.currency;
  return (
    <section className="panel" aria-label="Interactive Brokers account">
      <h2>Interactive Brokers account {broker.accountLabel ? <span className="dim">{broker.accountLabel}</span> : null}</h2>
      {values.length === 0 ? <p className="dim small">Waiting for account values from TWS…</p> : (
        <div className="tiles broker-tiles">
          {IB_VALUES.map(({ key, label }) => {
            const v = pick(values, key);
            const currency = v?.currency === 'BASE' ? (base ?? 'USD') : v?.currency;
            return <Tile key={key} id={`ib-${key}`} label={label} value={v ? moneyIn(v.value, currency) : '—'} />;
          })}
        </div>
      )}
    </section>
  );
}

/** Every connected account's totals, and the sum over them per currency. */
function Accounts() {
  const { accounts, byAccount } = useTerminal(useShallow((s) => ({ accounts: s.accounts, byAccount: s.byAccount })));
  const summaries = accounts.flatMap((a) => byAccount[a.accountId]?.summary ?? []);
  const totals = accountTotals(summaries);
  const cells = (x: { nav: string; cash: string; dayPnl: string; unrealizedPnl: string; realizedPnl: string }) => (
    <>
      <td className="num">{money(x.nav)}</td><td className="num">{money(x.cash)}</td>
      <td className={`num ${pnlClass(x.dayPnl)}`}>{money(x.dayPnl, true)}</td>
      <td className={`num ${pnlClass(x.unrealizedPnl)}`}>{money(x.unrealizedPnl, true)}</td>
      <td className={`num ${pnlClass(x.realizedPnl)}`}>{money(x.realizedPnl, true)}</td>
    </>
  );
  return (
    <section className="panel"><h2>Accounts</h2>
      <table aria-label="Accounts">
        <thead><tr><th>Account</th><th>Kind</th><th>Connection</th><th className="num">NAV</th><th className="num">Cash</th><th className="num">Day P&amp;L</th><th className="num">Unrealised P&amp;L</th><th className="num">Realised P&amp;L</th></tr></thead>
        <tbody>
          {accounts.map((a) => {
            const summary = byAccount[a.accountId]?.summary;
            return (
              <tr key={a.accountId}>
                <td><b>{a.label}</b>{a.default && <span className="dim small"> default</span>}</td><td><ModeBadge mode={a.status.mode} /></td>
                <td>{a.status.state}{a.status.state === 'connected' && !a.status.ready ? ' (reconciling)' : ''}</td>
                {summary ? cells(summary) : <td colSpan={5} className="dim">…</td>}
              </tr>
            );
          })}
        </tbody>
        {accounts.length > 1 && (
          <tfoot>
            {totals.map((t) => (
              <tr key={t.currency} className="total"><td><b>Total{totals.length > 1 ? ` ${t.currency}` : ''}</b></td><td>{t.accounts} accounts</td><td />{cells(t)}</tr>
            ))}
          </tfoot>
        )}
      </table>
    </section>
  );
}

export function Overview() {
  const account = useTerminal((s) => s.account);
  return (
    <div className="overview">
      <div className="tiles">
        <Tile id="nav" label="Net asset value" value={money(account?.nav)} />
        <Tile id="day-pnl" label="Day P&L" value={money(account?.dayPnl, true)} tone={pnlClass(account?.dayPnl)} />
        <Tile id="cash" label="Cash" value={money(account?.cash)} />
        <Tile id="unrealized" label="Unrealised P&L" value={money(account?.unrealizedPnl, true)} tone={pnlClass(account?.unrealizedPnl)} />
        <Tile id="realized" label="Realised P&L" value={money(account?.realizedPnl, true)} tone={pnlClass(account?.realizedPnl)} />
        {/* CFD accounts: overnight financing booked so far (part of the realised P&L). */}
        {account?.financing !== undefined && <Tile id="financing" label="Financing (in realised)" value={money(account.financing, true)} tone={pnlClass(account.financing)} />}
        <Tile id="exposure" label="Gross exposure" value={money(account?.grossExposure)} />
      </div>
      <Accounts />
      <BrokerValues />
      <section className="panel equity-panel"><h2>Equity curve</h2><EquityChart /></section>
      <section className="panel"><h2>Top positions</h2><PositionsTable limit={5} /></section>
    </div>
  );
}
