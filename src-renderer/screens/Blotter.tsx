// Orders & Positions: positions with live P&L, working orders with Modify and Cancel, order history and fills.
import { OPEN_ORDER_STATUSES, type Order, type Position } from '../../src-shared/domain/types';
import { money, pnlClass, price, qty, time } from '../lib/format';
import { useShallow } from 'zustand/react/shallow';
import { useTerminal } from '../stores/terminal';
import { UnprotectedAlert } from '../components/UnprotectedAlert';
import { ModifyOrder } from '../components/ModifyOrder';
import { SlippageReport } from '../components/SlippageReport';
import { sessionState } from '../../src-shared/domain/sessions';
import { useNow, whenText } from '../lib/market-status';
import { csvName, downloadCsv, isoTime, toCsv } from '../lib/csv-export';
import { useState } from 'react';
import { filterFills, filterOrders, HistoryFilters, NO_FILTER, PnlCalendar } from './blotter/history';
import './blotter/history.css';

function orderPrice(o: Order, tick: number): string {
  if (o.type === 'limit') return `LMT ${price(o.limitPrice, tick)}`;
  if (o.type === 'stop') return `STP ${price(o.stopPrice, tick)}`;
  // A trailing stop's level moves with the price (held by the app: each move updates the order).
  if (o.type === 'trailing-stop') return `TRAIL ${price(o.stopPrice, tick)}${o.trailPercent ? ` (${o.trailPercent} %)` : ''}`;
  if (o.type === 'stop-limit') return `STP ${price(o.stopPrice, tick)} LMT ${price(o.limitPrice, tick)}`;
  return 'MKT';
}

/** An account's label ("Paper", "IB DU••••567") when several are connected; null with one (no Account column). */
function useAccountLabel(): ((accountId: string) => string) | null {
  const accounts = useTerminal((s) => s.accounts);
  if (accounts.length < 2) return null;
  return (accountId) => accounts.find((a) => a.accountId === accountId)?.label ?? accountId;
}

/** Price precision per symbol, from the instrument's tick size. */
function useTicks(): (symbol: string) => number {
  const instruments = useTerminal((s) => s.instruments);
  return (symbol) => instruments.find((i) => i.symbol === symbol)?.tickSize ?? 0.01;
}

/** Close, reverse, flatten all: market orders through the risk gate, each asked for first. An answer's rejection is shown. */
function usePositionActions() {
  const api = useTerminal((s) => s.api);
  const report = (results: { rejection: { message: string } | null }[]) => {
    const refused = results.filter((r) => r.rejection).map((r) => r.rejection!.message);
    if (refused.length) alert(`Refused: ${refused.join('; ')}`);
  };
  const failed = (e: unknown) => alert(e instanceof Error ? e.message : String(e));
  return {
    close(p: Position, account: string) {
      if (!confirm(`Close ${qty(Math.abs(p.quantity))} ${p.symbol} (${account}) at market?`)) return;
      api!.call('positions.flatten', { symbol: p.symbol, accountId: p.accountId }).then((r) => report([r]), failed);
    },
    reverse(p: Position, account: string) {
      const side = p.quantity > 0 ? 'sell' : 'buy';
      if (!confirm(`Reverse ${p.symbol} (${account}): ${side} ${qty(Math.abs(p.quantity) * 2)} at market, from ${qty(p.quantity)} to ${qty(-p.quantity)}?`)) return;
      api!.call('orders.place', { accountId: p.accountId, symbol: p.symbol, side, quantity: Math.abs(p.quantity) * 2, type: 'market', timeInForce: 'day' }).then((r) => report([r]), failed);
    },
    flattenAll(open: Position[], accountId: string, account: string) {
      const mine = open.filter((p) => p.accountId === accountId);
      if (!mine.length || !confirm(`Flatten all ${mine.length} position${mine.length > 1 ? 's' : ''} of ${account} at market?`)) return;
      Promise.all(mine.map((p) => api!.call('positions.flatten', { symbol: p.symbol, accountId }))).then(report, failed);
    },
  };
}

export function PositionsTable({ limit, actions = false }: { limit?: number; actions?: boolean }) {
  const positions = useTerminal((s) => s.positions);
  const accounts = useTerminal((s) => s.accounts);
  const act = usePositionActions();
  const accountName = (id: string) => accounts.find((a) => a.accountId === id)?.label ?? id;
  // Only the held instruments' last prices: other quotes do not re-render the table.
  const lasts = useTerminal(useShallow((s) => Object.fromEntries(s.positions.map((p) => [p.symbol, s.quotes[p.symbol]?.last])) as Record<string, number | undefined>));
  const tick = useTicks();
  const label = useAccountLabel();
  // The live quotes are the default account's market's: a position at another venue keeps its own account's mark.
  const liveLast = (p: (typeof positions)[number]) => (accounts.find((a) => a.accountId === p.accountId)?.onDefaultMarket ?? true ? lasts[p.symbol] : undefined);
  const value = (p: (typeof positions)[number]) => Math.abs((liveLast(p) ?? p.avgPrice) * p.quantity);
  // The overview shows the largest positions first; the blotter lists them by symbol.
  const open = positions.filter((p) => p.quantity !== 0);
  const rows = limit ? open.sort((a, b) => value(b) - value(a)).slice(0, limit) : open;
  const marked = rows.map((p) => {
    const last = liveLast(p) ?? p.marketPrice;
    const known = last !== null && last !== undefined;
    return { p, last, unreal: known ? ((last - p.avgPrice) * p.quantity).toFixed(2) : p.unrealizedPnl, mv: known ? (last * p.quantity).toFixed(2) : p.marketValue };
  });
  const sum = (xs: (string | null)[]) => xs.reduce((t, x) => t + Number(x ?? 0), 0).toFixed(2);
  // CFD accounts: the overnight financing booked on each position (part of its realised P&L); no column otherwise.
  const financing = rows.some((p) => p.financing !== undefined);
  const cols = 7 + (label ? 1 : 0) + (financing ? 1 : 0) + (actions ? 1 : 0);
  return (
    <table aria-label="Positions">
      {actions && open.length > 0 && (
        <caption className="flatten-all">
          {[...new Set(open.map((p) => p.accountId))].map((id) => (
            <button key={id} type="button" className="small danger-outline" onClick={() => act.flattenAll(open, id, accountName(id))}>Flatten all · {accountName(id)}</button>
          ))}
        </caption>
      )}
      <thead>
        <tr>
          <th>Symbol</th><th className="num">Qty</th><th className="num">Avg price</th><th className="num">Last</th><th className="num">Market value</th><th className="num">Unrealised P&amp;L</th>
          <th className="num">Realised P&amp;L</th>{financing && <th className="num" title="Overnight financing booked (in realised P&amp;L)">Financing</th>}{label && <th>Account</th>}{actions && <th />}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && <tr><td colSpan={cols} className="empty">No open positions</td></tr>}
        {marked.map(({ p, last, unreal, mv }) => (
          <tr key={`${p.accountId}:${p.symbol}`}>
            <td><b>{p.symbol}</b></td><td className="num">{qty(p.quantity)}</td><td className="num">{price(p.avgPrice, tick(p.symbol))}</td><td className="num">{price(last, tick(p.symbol))}</td>
            <td className="num">{money(mv)}</td><td className={`num ${pnlClass(unreal)}`}>{money(unreal, true)}</td><td className={`num ${pnlClass(p.realizedPnl)}`}>{money(p.realizedPnl, true)}</td>
            {financing && <td className={`num ${pnlClass(p.financing)}`}>{p.financing === undefined ? '—' : money(p.financing, true)}</td>}
            {label && <td className="account">{label(p.accountId)}</td>}
            {actions && (
              <td className="row-actions">
                <button type="button" className="small" aria-label={`Close ${p.symbol} ${accountName(p.accountId)}`} onClick={() => act.close(p, accountName(p.accountId))}>Close</button>
                <button type="button" className="small" aria-label={`Reverse ${p.symbol} ${accountName(p.accountId)}`} onClick={() => act.reverse(p, accountName(p.accountId))}>Reverse</button>
              </td>
            )}
          </tr>
        ))}
      </tbody>
      {/* Several accounts: the sum over all of them (one currency, USD, today). */}
      {label && !limit && rows.length > 0 && (
        <tfoot>
          <tr className="total">
            <td><b>Total</b></td><td /><td /><td />
            <td className="num">{money(sum(marked.map((m) => m.mv)))}</td>
            <td className={`num ${pnlClass(sum(marked.map((m) => m.unreal)))}`}>{money(sum(marked.map((m) => m.unreal)), true)}</td>
            <td className={`num ${pnlClass(sum(marked.map((m) => m.p.realizedPnl)))}`}>{money(sum(marked.map((m) => m.p.realizedPnl)), true)}</td>
            {financing && <td className={`num ${pnlClass(sum(marked.map((m) => m.p.financing ?? null)))}`}>{money(sum(marked.map((m) => m.p.financing ?? null)), true)}</td>}
            <td className="account">all accounts</td>{actions && <td />}
          </tr>
        </tfoot>
      )}
    </table>
  );
}

export function Blotter() {
  const { orders, fills, api } = useTerminal(useShallow((s) => ({ orders: s.orders, fills: s.fills, api: s.api })));
  const tick = useTicks();
  const label = useAccountLabel();
  const accountCell = (accountId: string) => label && <td className="account">{label(accountId)}</td>;
  const accountHead = label && <th>Account</th>;
  const wide = label ? 1 : 0;
  // Sorted as displayed: the newest first by the time each table shows.
  const working = orders.filter((o) => OPEN_ORDER_STATUSES.includes(o.status)).sort((a, b) => b.createdAt - a.createdAt);
  const positions = useTerminal((s) => s.positions);
  const accounts = useTerminal((s) => s.accounts);
  const accountLabel = (id: string) => accounts.find((a) => a.accountId === id)?.label ?? 'account';
  const exportOrders = () => downloadCsv(csvName('orders'), toCsv(
    ['created', 'updated', 'account', 'symbol', 'side', 'type', 'quantity', 'limitPrice', 'stopPrice', 'timeInForce', 'status', 'filledQuantity', 'avgFillPrice', 'source', 'reason'],
    [...orders].sort((a, b) => b.updatedAt - a.updatedAt).map((o) => [isoTime(o.createdAt), isoTime(o.updatedAt), accountLabel(o.accountId), o.symbol, o.side, o.type, o.quantity, o.limitPrice, o.stopPrice, o.timeInForce, o.status, o.filledQuantity, o.avgFillPrice, o.source, o.rejectReason ?? o.note ?? '']),
  ));
  const exportFills = () => downloadCsv(csvName('fills'), toCsv(
    ['time', 'account', 'symbol', 'side', 'quantity', 'price', 'commission'],
    [...fills].sort((a, b) => b.time - a.time).map((f) => [isoTime(f.time), accountLabel(f.accountId), f.symbol, f.side, f.quantity, f.price, f.commission]),
  ));
  const exportPositions = () => downloadCsv(csvName('positions'), toCsv(
    ['account', 'symbol', 'quantity', 'avgPrice', 'marketPrice', 'marketValue', 'unrealizedPnl', 'realizedPnl'],
    positions.filter((p) => p.quantity !== 0).map((p) => [accountLabel(p.accountId), p.symbol, p.quantity, p.avgPrice, p.marketPrice, p.marketValue, p.unrealizedPnl, p.realizedPnl]),
  ));
  const exportButton = (what: string, onClick: () => void) => <button type="button" className="small export" onClick={onClick}>Export {what} CSV</button>;
  const sessions = useTerminal((s) => s.instruments);
  const now = useNow();
  /** A working order whose market is closed: when it will be sent (market) or start working (others). */
  const closedNote = (o: Order) => {
    const session = sessions.find((i) => i.symbol === o.symbol)?.session;
    const state = session ? sessionState(session, now) : undefined;
    if (!state || state.open) return null;
    const when = state.changesAt !== null ? whenText(state.changesAt) : 'the open';
    return <span className="dim"> · market closed, {o.type === 'market' ? 'sent' : 'works'} at {when}</span>;
  };
  // The history's filters (symbol, side, account, dates) apply to the calendar, the order history and the fills.
  const [filter, setFilter] = useState(NO_FILTER);
  const history = filterOrders(filter, orders.filter((o) => !OPEN_ORDER_STATUSES.includes(o.status))).sort((a, b) => b.updatedAt - a.updatedAt);
  const fillRows = filterFills(filter, fills).sort((a, b) => b.time - a.time);
  // Entries with a refused protective leg (the alert hides itself once the position is closed).
  const unprotected = [...new Set(orders.filter((o) => o.parentId !== null && o.source === 'bracket' && o.status === 'rejected').map((o) => o.parentId!))];
  return (
    <div className="blotter">
      {unprotected.map((id) => <UnprotectedAlert key={id} entryId={id} />)}
      <section className="panel"><div className="panel-head"><h2>Positions</h2>{exportButton('positions', exportPositions)}</div><PositionsTable actions /></section>
      <section className="panel">
        <h2>Working orders</h2>
        <table aria-label="Working orders">
          <thead><tr><th>Time</th><th>Symbol</th><th>Side</th><th className="num">Qty</th><th>Type</th><th className="num">Filled</th><th>Status</th><th />{accountHead}</tr></thead>
          <tbody>
            {working.length === 0 && <tr><td colSpan={8 + wide} className="empty">No working orders</td></tr>}
            {working.map((o) => (
              <tr key={o.id}>
                <td>{time(o.createdAt)}</td><td><b>{o.symbol}</b></td><td className={o.side}>{o.side}</td><td className="num">{qty(o.quantity)}</td>
                <td>{orderPrice(o, tick(o.symbol))}{o.parentId ? ' (bracket)' : ''}</td><td className="num">{qty(o.filledQuantity)}</td><td>{o.status}{closedNote(o)}</td>
                <td className="row-actions"><ModifyOrder order={o} tick={tick(o.symbol)} /><button type="button" className="small" aria-label={`Cancel order ${o.symbol} ${o.side} ${qty(o.quantity)}`}
                  onClick={() => void api!.call('orders.cancel', { orderId: o.id }).catch((e: unknown) => alert(e instanceof Error ? e.message : String(e)))}>Cancel</button></td>
                {accountCell(o.accountId)}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel" aria-label="History">
        <h2>History</h2>
        <HistoryFilters value={filter} onChange={setFilter} />
      </section>
      <PnlCalendar filter={filter} />
      <section className="panel">
        <div className="panel-head"><h2>Order history</h2>{exportButton('orders', exportOrders)}</div>
        <table aria-label="Order history">
          <thead><tr><th>Time</th><th>Symbol</th><th>Side</th><th className="num">Qty</th><th>Type</th><th className="num">Avg fill</th><th>Status</th><th>Reason</th>{accountHead}</tr></thead>
          <tbody>
            {history.length === 0 && <tr><td colSpan={8 + wide} className="empty">No orders yet</td></tr>}
            {history.map((o) => (
              <tr key={o.id}>
                <td>{time(o.updatedAt)}</td><td><b>{o.symbol}</b></td><td className={o.side}>{o.side}</td><td className="num">{qty(o.quantity)}</td><td>{orderPrice(o, tick(o.symbol))}</td>
                <td className="num">{price(o.avgFillPrice, tick(o.symbol))}</td><td className={`status-${o.status}`}>{o.status}</td><td className="reason">{o.rejectReason ?? o.note ?? ''}</td>
                {accountCell(o.accountId)}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel">
        <div className="panel-head"><h2>Fills</h2>{exportButton('fills', exportFills)}</div>
        <table aria-label="Fills">
          <thead><tr><th>Time</th><th>Symbol</th><th>Side</th><th className="num">Qty</th><th className="num">Price</th><th className="num">Commission</th>{accountHead}</tr></thead>
          <tbody>
            {fillRows.length === 0 && <tr><td colSpan={6 + wide} className="empty">{fills.length === 0 ? 'No fills yet' : 'No fills match the filters'}</td></tr>}
            {fillRows.map((f) => (
              <tr key={f.id}><td>{time(f.time)}</td><td><b>{f.symbol}</b></td><td className={f.side}>{f.side}</td><td className="num">{qty(f.quantity)}</td><td className="num">{price(f.price, tick(f.symbol))}</td><td className="num">{money(f.commission)}</td>{accountCell(f.accountId)}</tr>
            ))}
          </tbody>
        </table>
      </section>
      <SlippageReport />
    </div>
  );
}
