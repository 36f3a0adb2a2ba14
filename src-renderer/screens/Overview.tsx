// Overview: NAV, day P&L, cash, P&L tiles, the broker's own account values (IB), top positions and the equity curve.
import type { BrokerAccountValue } from '../../src-shared/api/contract';
import { EquityChart } from '../components/EquityChart';
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
        <Tile id="exposure" label="Gross exposure" value={money(account?.grossExposure)} />
      </div>
      <BrokerValues />
      <section className="panel equity-panel"><h2>Equity curve</h2><EquityChart /></section>
      <section className="panel"><h2>Top positions</h2><PositionsTable limit={5} /></section>
    </div>
  );
}
