// The blotter's history (issue 15): filters over the trade and fill history (symbol, side, account, date range) and the
// realised P&L by day as a month calendar, from every fill main holds (not only the ones loaded at start).
import { useEffect, useMemo, useState } from 'react';
import { localDay, realizedByDay } from '../../../src-shared/domain/daily-pnl';
import type { Fill, Order } from '../../../src-shared/domain/types';
import { money } from '../../lib/format';
import { useTerminal } from '../../stores/terminal';

export interface HistoryFilter {
  symbol: string;
  side: '' | 'buy' | 'sell';
  accountId: string;
  /** Inclusive local dates, YYYY-MM-DD; empty: open. */
  from: string;
  to: string;
}

export const NO_FILTER: HistoryFilter = { symbol: '', side: '', accountId: '', from: '', to: '' };

function matches(f: HistoryFilter, row: { symbol: string; side: string; accountId: string; time: number }): boolean {
  if (f.symbol && !row.symbol.includes(f.symbol.trim().toUpperCase())) return false;
  if (f.side && row.side !== f.side) return false;
  if (f.accountId && row.accountId !== f.accountId) return false;
  const day = localDay(row.time);
  return (!f.from || day >= f.from) && (!f.to || day <= f.to);
}

export const filterFills = (f: HistoryFilter, fills: readonly Fill[]): Fill[] => fills.filter((x) => matches(f, x));
export const filterOrders = (f: HistoryFilter, orders: readonly Order[]): Order[] => orders.filter((o) => matches(f, { ...o, time: o.updatedAt }));

export function HistoryFilters({ value, onChange }: { value: HistoryFilter; onChange: (f: HistoryFilter) => void }) {
  const accounts = useTerminal((s) => s.accounts);
  const set = (patch: Partial<HistoryFilter>) => onChange({ ...value, ...patch });
  const active = JSON.stringify(value) !== JSON.stringify(NO_FILTER);
  return (
    <form className="history-filters" aria-label="History filters" onSubmit={(e) => e.preventDefault()}>
      <div className="field"><label htmlFor="hf-symbol">Filter symbol</label><input id="hf-symbol" value={value.symbol} placeholder="any" onChange={(e) => set({ symbol: e.target.value })} /></div>
      <div className="field">
        <label htmlFor="hf-side">Filter side</label>
        <select id="hf-side" value={value.side} onChange={(e) => set({ side: e.target.value as HistoryFilter['side'] })}>
          <option value="">Buy and sell</option><option value="buy">Buy</option><option value="sell">Sell</option>
        </select>
      </div>
      {accounts.length > 1 && (
        <div className="field">
          <label htmlFor="hf-account">Filter account</label>
          <select id="hf-account" value={value.accountId} onChange={(e) => set({ accountId: e.target.value })}>
            <option value="">All accounts</option>
            {accounts.map((a) => <option key={a.accountId} value={a.accountId}>{a.label}</option>)}
          </select>
        </div>
      )}
      <div className="field"><label htmlFor="hf-from">From date</label><input id="hf-from" type="date" value={value.from} onChange={(e) => set({ from: e.target.value })} /></div>
      <div className="field"><label htmlFor="hf-to">To date</label><input id="hf-to" type="date" value={value.to} onChange={(e) => set({ to: e.target.value })} /></div>
      {active && <button type="button" className="small" onClick={() => onChange(NO_FILTER)}>Clear filters</button>}
    </form>
  );
}

/** Every fill main holds (up to 5,000), kept current by the pushed ones: the calendar needs the opening fills too. */
function useAllFills(): Fill[] {
  const api = useTerminal((s) => s.api);
  const connected = useTerminal((s) => s.connected);
  const live = useTerminal((s) => s.fills);
  const [stored, setStored] = useState<Fill[]>([]);
  useEffect(() => {
    if (!api || !connected) return;
    let cancelled = false;
    api.call('fills.list', { limit: 5000, allAccounts: true }).then((f) => !cancelled && setStored(f), () => undefined);
    return () => {
      cancelled = true;
    };
  }, [api, connected]);
  return useMemo(() => {
    const byId = new Map(stored.map((f) => [f.id, f]));
    for (const f of live) byId.set(f.id, f);
    return [...byId.values()];
  }, [stored, live]);
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 0];

/** Realised P&L per day of a month (local days), coloured by sign; the filters' symbol, side and account apply. */
export function PnlCalendar({ filter }: { filter: HistoryFilter }) {
  const fills = useAllFills();
  const instruments = useTerminal((s) => s.instruments);
  const [month, setMonth] = useState(() => {
    const now = new Date();
    return { y: now.getFullYear(), m: now.getMonth() };
  });
  // Symbol and account select the fills; a side filter would cut positions in half, so the calendar ignores it.
  const scoped = useMemo(() => fills.filter((f) => matches({ ...filter, side: '', from: '', to: '' }, f)), [fills, filter]);
  const byDay = useMemo(() => realizedByDay(scoped, localDay, (s) => instruments.find((i) => i.symbol === s)?.currency ?? 'USD'), [scoped, instruments]);
  const first = new Date(month.y, month.m, 1);
  const days = new Date(month.y, month.m + 1, 0).getDate();
  const lead = WEEKDAYS.indexOf(first.getDay());
  const cells: (number | null)[] = [...Array<null>(lead).fill(null), ...Array.from({ length: days }, (_, i) => i + 1)];
  while (cells.length % 7) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
  const iso = (d: number) => `${month.y}-${String(month.m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const amountText = (r: Record<string, string>) => Object.entries(r).map(([c, v]) => (c === 'USD' ? money(v, true) : `${Number(v) > 0 ? '+' : ''}${Number(v).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${c}`)).join(' · ');
  const monthTotal: Record<string, number> = {};
  for (let d = 1; d <= days; d++) for (const [c, v] of Object.entries(byDay.get(iso(d))?.realized ?? {})) monthTotal[c] = (monthTotal[c] ?? 0) + Number(v);
  const title = first.toLocaleDateString(undefined, { month: 'long', year: 'numeric' });
  const weekday = (d: number) => new Date(2026, 10, 29 + d).toLocaleDateString(undefined, { weekday: 'short' });
  const step = (k: number) => setMonth(({ y, m }) => ({ y: m + k < 0 ? y - 1 : m + k > 11 ? y + 1 : y, m: (m + k + 12) % 12 }));
  return (
    <section className="panel pnl-calendar" aria-label="P&L calendar">
      <div className="panel-head">
        <h2>P&amp;L by day</h2>
        <button type="button" className="small" aria-label="Previous month" onClick={() => step(-1)}>‹</button>
        <b className="cal-month" aria-live="polite">{title}</b>
        <button type="button" className="small" aria-label="Next month" onClick={() => step(1)}>›</button>
        <span className="cal-total">Month <b className={tone(Object.values(monthTotal)[0])}>{Object.keys(monthTotal).length ? amountText(Object.fromEntries(Object.entries(monthTotal).map(([c, v]) => [c, v.toFixed(2)]))) : '—'}</b></span>
      </div>
      <div className="table-scroll">
        <table className="cal-grid" aria-label={`P&L by day, ${title}`}>
          <thead><tr>{WEEKDAYS.map((d) => <th key={d} scope="col">{weekday(d)}</th>)}</tr></thead>
          <tbody>
            {weeks.map((w, i) => (
              <tr key={i}>
                {w.map((d, j) => {
                  if (d === null) return <td key={j} className="cal-empty" />;
                  const pnl = byDay.get(iso(d));
                  const shown = pnl ? Object.values(pnl.realized)[0] : undefined;
                  const label = new Date(month.y, month.m, d).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
                  return (
                    <td key={j} className={`cal-day ${pnl ? tone(Number(shown)) : ''}`} aria-label={pnl ? `${label}: ${amountText(pnl.realized)}, ${pnl.fills} fill${pnl.fills > 1 ? 's' : ''}` : label}>
                      <span className="cal-date">{d}</span>
                      {pnl && <span className="cal-pnl">{amountText(pnl.realized)}</span>}
                      {pnl && <span className="cal-fills dim">{pnl.fills} fill{pnl.fills > 1 ? 's' : ''}</span>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const tone = (v: number | string | undefined) => (v === undefined || Number(v) === 0 ? 'flat' : Number(v) > 0 ? 'pos' : 'neg');
