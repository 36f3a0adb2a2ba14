// Data completeness: per-day expected / stored / missing / quarantined / flagged bars of one stored series, against a
// trading calendar (the instrument's own, or one chosen for an imported series, which has none).
import { useEffect, useState } from 'react';
import type { CompletenessRow, StoredSeries } from '../../src-shared/api/contract';
import type { SessionKind } from '../../src-shared/domain/types';
import { useTerminal } from '../stores/terminal';

const DAY = 86_400;
const iso = (sec: number) => new Date(sec * 1000).toISOString().slice(0, 10);
const toSec = (d: string) => Math.floor(Date.parse(`${d}T00:00:00Z`) / 1000);
const CALENDARS: [SessionKind | '', string][] = [
  ['', 'Its own (chosen at import, or the instrument’s)'], ['us-equity', 'US equities'], ['fx-24x5', 'FX 24×5'], ['cfd-23x5', 'CFD 23×5'], ['crypto-24x7', 'Crypto 24×7'],
];
const keyOf = (s: StoredSeries) => `${s.symbol}|${s.timeframe}`;

/** `reload` changes when the store may have new series (after an import). */
export function Completeness({ reload = 0 }: { reload?: number }) {
  const api = useTerminal((s) => s.api);
  const [series, setSeries] = useState<StoredSeries[] | null>(null);
  const [key, setKey] = useState('');
  const [session, setSession] = useState<SessionKind | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [rows, setRows] = useState<CompletenessRow[] | null>(null);
  const [error, setError] = useState<string>();
  const chosen = series?.find((s) => keyOf(s) === key);

  useEffect(() => {
    if (!api) return;
    let live = true;
    api.call('data.series', {}).then((list) => { if (live) setSeries(list); }).catch((e: unknown) => { if (live) setError(e instanceof Error ? e.message : String(e)); });
    return () => { live = false; };
  }, [api, reload]);

  /** A series chosen: look at its last 30 days. */
  function choose(next: string) {
    setKey(next);
    const s = series?.find((x) => keyOf(x) === next);
    if (!s) return;
    setTo(iso(s.to));
    setFrom(iso(Math.max(s.from, s.to - 29 * DAY)));
  }

  useEffect(() => {
    if (!api || !chosen || !from || !to) return;
    let live = true;
    api.call('data.completeness', { symbol: chosen.symbol, timeframe: chosen.timeframe, from: toSec(from), to: toSec(to) + DAY - 1, ...(session ? { session } : {}) })
      .then((r) => { if (live) { setRows(r); setError(undefined); } })
      .catch((e: unknown) => { if (live) { setRows(null); setError(e instanceof Error ? e.message : String(e)); } });
    return () => { live = false; };
  }, [api, chosen, session, from, to]);

  if (series && series.length === 0) return <p className="empty">No bars stored yet: import a CSV file, or open the chart of an instrument from a real source.</p>;
  const total = (rows ?? []).reduce((a, r) => ({ expected: a.expected + r.expected, stored: a.stored + r.stored, missing: a.missing + r.missing,
    quarantined: a.quarantined + r.quarantined, flagged: a.flagged + r.flagged }), { expected: 0, stored: 0, missing: 0, quarantined: 0, flagged: 0 });
  const coverage = total.expected > 0 ? ((total.expected - total.missing) / total.expected) * 100 : null;

  return (
    <div className="completeness">
      <div className="row">
        <label>Series <select aria-label="Completeness series" value={key} onChange={(e) => choose(e.target.value)}>
          <option value="">Choose a stored series…</option>
          {(series ?? []).map((s) => <option key={keyOf(s)} value={keyOf(s)}>{s.symbol} · {s.timeframe} · {s.bars.toLocaleString()} bars, {iso(s.from)} → {iso(s.to)}</option>)}
        </select></label>
        <label>Calendar <select aria-label="Completeness calendar" value={session} onChange={(e) => setSession(e.target.value as SessionKind | '')}>
          {CALENDARS.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
        </select></label>
        <label>From <input type="date" aria-label="Completeness from" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
        <label>To <input type="date" aria-label="Completeness to" value={to} onChange={(e) => setTo(e.target.value)} /></label>
      </div>
      {error && <div className="error" role="alert">{error}</div>}
      {chosen && rows && !error && (
        <div className="completeness-wrap"><table aria-label="Data completeness">
          <thead><tr><th>Date</th><th className="num">Expected</th><th className="num">Stored</th><th className="num">Missing</th><th className="num">Quarantined</th><th className="num">Flagged</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.date}>
                <td>{r.date}</td><td className="num">{r.expected}</td><td className="num">{r.stored}</td>
                <td className={`num${r.missing > 0 ? ' neg' : ''}`}>{r.missing}</td>
                <td className={`num${r.quarantined > 0 ? ' neg' : ''}`}>{r.quarantined}</td>
                <td className="num">{r.flagged}</td>
              </tr>
            ))}
          </tbody>
          <tfoot><tr aria-label="Completeness total"><td><b>Total</b> {coverage === null ? '' : `${coverage.toFixed(1)} % coverage`}</td>
            <td className="num">{total.expected}</td><td className="num">{total.stored}</td><td className="num">{total.missing}</td>
            <td className="num">{total.quarantined}</td><td className="num">{total.flagged}</td></tr></tfoot>
        </table></div>
      )}
    </div>
  );
}
