// Slippage and spread: each fill against its arrival mid (the mid when the order was sent), grouped by venue,
// instrument and UTC hour of the fill, with bar charts of the mean slippage in basis points. Positive = worse for the
// trader; a fill at the touch already costs half the spread against the mid.
import { useEffect, useState } from 'react';
import type { SlippageGroup, SlippageReport as Report } from '../../src-shared/domain/execution';
import { useTerminal } from '../stores/terminal';
import { price, qty, time } from '../lib/format';

const bps = (v: number) => `${v > 0 ? '+' : ''}${v.toFixed(2)}`;
/** An amount in its currency, signed ("+0.09 USD"). */
const amount = (v: string, currency: string) => `${Number(v) > 0 ? '+' : ''}${Number(v).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
const costText = (cost: Record<string, string>) => Object.entries(cost).map(([c, v]) => amount(v, c)).join(' · ') || '—';

/** Horizontal bars of the mean slippage (bps) per group, centred on zero: worse to the right in red, better to the left. */
function SlippageBars({ title, groups }: { title: string; groups: SlippageGroup[] }) {
  const max = Math.max(0.01, ...groups.map((g) => Math.abs(g.avgSlippageBps)));
  return (
    <figure className="slip-bars" aria-label={title}>
      <figcaption>{title}</figcaption>
      {groups.map((g) => {
        const w = `${(Math.abs(g.avgSlippageBps) / max) * 50}%`;
        const worse = g.avgSlippageBps > 0;
        return (
          <div className="slip-bar" key={g.key} role="group" aria-label={`${g.key} ${bps(g.avgSlippageBps)} bps`}>
            <span className="slip-key">{g.key}</span>
            <span className="slip-track">
              <span className={`slip-fill ${worse ? 'neg-bg' : 'pos-bg'}`} style={worse ? { left: '50%', width: w } : { right: '50%', width: w }} />
            </span>
            <span className="slip-value num">{bps(g.avgSlippageBps)} bps · {g.fills}</span>
          </div>
        );
      })}
    </figure>
  );
}

export function SlippageReport() {
  const api = useTerminal((s) => s.api);
  const fillCount = useTerminal((s) => s.fills.length);
  const instruments = useTerminal((s) => s.instruments);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!api) return;
    api.call('execution.slippage', { allAccounts: true }).then((r) => (setReport(r), setError(null)), (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [api, fillCount]);
  const tick = (symbol: string) => instruments.find((i) => i.symbol === symbol)?.tickSize ?? 0.01;
  return (
    <section className="panel slippage" aria-label="Slippage and spread">
      <h2>Slippage and spread</h2>
      <p className="dim">Each fill against the mid when its order was sent. Positive = worse for the trader; at the touch a fill already pays half the spread.</p>
      {error && <p className="error-text">{error}</p>}
      {report && report.fills.length === 0 && <p className="empty">No fills with a known arrival price yet</p>}
      {report && report.fills.length > 0 && (
        <>
          <table aria-label="Slippage by venue">
            <thead><tr><th>Venue</th><th className="num">Fills</th><th className="num">Slippage (bps)</th><th className="num">Slippage (pips)</th><th className="num">Spread (bps)</th><th className="num">Cost</th></tr></thead>
            <tbody>
              {report.byVenue.map((g) => (
                <tr key={g.key}><td>{g.key}</td><td className="num">{g.fills}</td><td className="num">{bps(g.avgSlippageBps)}</td><td className="num">{bps(g.avgSlippagePips)}</td><td className="num">{g.avgSpreadBps.toFixed(2)}</td><td className="num">{costText(g.cost)}</td></tr>
              ))}
            </tbody>
          </table>
          <div className="slip-charts">
            <SlippageBars title="By instrument (mean bps · fills)" groups={report.bySymbol} />
            <SlippageBars title="By hour of day, UTC (mean bps · fills)" groups={report.byHour} />
          </div>
          <div className="table-scroll">
            <table aria-label="Fill slippage">
              <thead><tr><th>Time</th><th>Venue</th><th>Symbol</th><th>Side</th><th className="num">Qty</th><th className="num">Arrival mid</th><th className="num">Spread</th><th className="num">Fill</th><th className="num">Pips</th><th className="num">Bps</th><th className="num">Cost</th></tr></thead>
              <tbody>
                {report.fills.slice(0, 100).map((f) => (
                  <tr key={f.fillId}>
                    <td>{time(f.time)}</td><td>{f.venue}</td><td><b>{f.symbol}</b></td><td className={f.side}>{f.side}</td><td className="num">{qty(f.quantity)}</td>
                    <td className="num">{price(f.arrivalMid, tick(f.symbol) / 10)}</td><td className="num">{price(f.spread, tick(f.symbol) / 10)}</td><td className="num">{price(f.fillPrice, tick(f.symbol))}</td>
                    <td className={`num ${f.slippagePips > 0 ? 'neg' : f.slippagePips < 0 ? 'pos' : ''}`}>{bps(f.slippagePips)}</td>
                    <td className="num">{bps(f.slippageBps)}</td><td className="num">{f.slippageCost === null ? '—' : amount(f.slippageCost, f.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
