// Overview: NAV, day P&L, cash, P&L tiles, top positions and the equity curve.
import { EquityChart } from '../components/EquityChart';
import { money, pnlClass } from '../lib/format';
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
      <section className="panel equity-panel"><h2>Equity curve</h2><EquityChart /></section>
      <section className="panel"><h2>Top positions</h2><PositionsTable limit={5} /></section>
    </div>
  );
}
