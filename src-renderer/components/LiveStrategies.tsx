// Live strategies: what runs on the session's market data, its status, last signal and P&L, with a Stop button.
import type { LiveStrategy } from '../../src-shared/api/contract';
import { money, pnlClass, qty, time, timeOfDay } from '../lib/format';

const hhmm = (s: number) => timeOfDay(s * 1000, false);
const params = (p: LiveStrategy['params']) => Object.entries(p).map(([k, v]) => `${k}=${v}`).join(' ');

export function LiveStrategies({ list, onStop }: { list: LiveStrategy[]; onStop: (id: string) => void }) {
  return (
    <div className="trades-wrap">
    <div className="table-scroll"><table aria-label="Live strategies" className="live-table">
      <thead><tr><th>Strategy</th><th>Instrument</th><th>Status</th><th>Last bar</th><th>Last signal</th><th className="num">Position</th><th className="num">Orders</th><th className="num">P&amp;L</th><th /></tr></thead>
      <tbody>
        {list.length === 0 && <tr><td colSpan={9} className="empty">No live strategies: start one from the settings with “Run live on paper”</td></tr>}
        {list.map((s) => (
          <tr key={s.id} aria-label={`${s.strategy} ${params(s.params)} on ${s.symbols.join(', ')}`}>
            <td>{s.strategy}<div className="dim small">{params(s.params)}</div></td>
            <td>{s.symbols.join(', ')} · {s.timeframe}<div className="dim small">{s.accountId}</div></td>
            <td className={`live-${s.status}`} title={s.message ?? undefined}>{s.status === 'data-unavailable' ? 'waiting for data' : s.status}{s.message && <div className="dim small">{s.message}</div>}</td>
            <td title={s.lastBarTime === null ? undefined : time(s.lastBarTime * 1000)}>{s.lastBarTime === null ? '—' : hhmm(s.lastBarTime)}</td>
            <td title={s.lastSignal ? `on the bar of ${time(s.lastSignal.time * 1000)}` : undefined}>{s.lastSignal ? s.lastSignal.text.replace(` ${s.symbols[0]} `, ' ') : '—'}</td>
            <td className="num">{s.symbols.map((sym) => qty(s.positions[sym] ?? 0)).join(' / ')}</td>
            <td className="num">{s.orders}</td>
            <td className={`num ${pnlClass(s.pnl)}`}>{money(s.pnl, true)}</td>
            <td>{(s.status === 'running' || s.status === 'data-unavailable') && <button type="button" className="small" aria-label={`Stop ${s.strategy} on ${s.symbols.join(', ')}`} onClick={() => onStop(s.id)}>Stop</button>}</td>
          </tr>
        ))}
      </tbody>
    </table></div>
    </div>
  );
}
