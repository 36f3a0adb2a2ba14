// The Analytics screen (issue 13): NAV against a benchmark (growth of 1 and the relative series), the returns by period
// (TWR, annualised only over a year, MWR, currency effect), per account, the contribution per holding, and the
// exposures with the concentration. Everything comes from analytics.*; what cannot be valued says why in words.
import { useState } from 'react';
import type { z } from 'zod';
import type { AnalyticsPeriod, Exposures } from '../../src-shared/api/analytics';
import { NavChart, RelativeChart } from '../components/RelativeChart';
import { isoDay, moneyIn, percent, pnlClass } from '../lib/format';
import { useTerminal } from '../stores/terminal';
import { useLedgerAccounts, useLoad } from './portfolio/common';
import { ProfilesPanel } from './analytics/ProfilesPanel';

const PERIODS: { id: Exclude<AnalyticsPeriod, 'custom'>; label: string }[] = [
  { id: '1D', label: '1 day' }, { id: 'MTD', label: 'Month to date' }, { id: 'YTD', label: 'Year to date' },
  { id: '1Y', label: '1 year' }, { id: '3Y', label: '3 years' }, { id: 'inception', label: 'Since inception' },
];
const periodLabel = (p: AnalyticsPeriod) => PERIODS.find((x) => x.id === p)?.label ?? p;
const ISO = /^\d{4}-\d{2}-\d{2}$/;

/** A valuation error names the price or rate missing: say where one comes from. */
function Problem({ text }: { text: string }) {
  const missing = /no (rate|close|price)/i.test(text);
  return (
    <div className="field-error an-problem" role="alert">
      {text}
      {missing && <div className="dim">Daily closes come from the market data (the demo market offline) and from bars imported on Data sources: import a CSV of daily bars for it there (FX rates as e.g. EURUSD).</div>}
    </div>
  );
}

/** Calendar days of a period, both ends included (the return starts at the close before `from`). */
const periodDays = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
/**
 * The MWR as shown: the API's annual IRR over a year or more; below a year the same IRR over the period
 * ((1 + irr)^(days / 365) − 1), as the TWR is never annualised below a year (a day's IRR annualised reads +300 %).
 */
const shownMwr = (mwr: number | null, from: string, to: string): number | null => {
  if (mwr === null) return null;
  const days = periodDays(from, to);
  return days >= 365 ? mwr : (1 + mwr) ** (days / 365) - 1;
};

const fraction = (v: number | null | undefined, signed = true) => <span className={pnlClass(String(v ?? 0))}>{percent(v, signed)}</span>;

export function Analytics() {
  const api = useTerminal((s) => s.api);
  const { accounts, name } = useLedgerAccounts();
  const [accountId, setAccountId] = useState('');
  const [choice, setChoice] = useState<AnalyticsPeriod>('inception');
  const [customFrom, setCustomFrom] = useState('');
  // A custom period counts once its first day is a date; until then the chart stays on since inception.
  const custom = choice === 'custom' && ISO.test(customFrom);
  const period: AnalyticsPeriod = choice === 'custom' ? (custom ? 'custom' : 'inception') : choice;
  const periodArgs = custom ? { period, from: customFrom } : { period };
  const title = custom ? `from ${isoDay(customFrom)}` : periodLabel(period);
  const [benchmarkText, setBenchmarkText] = useState('SPY');
  const [benchmark, setBenchmark] = useState('SPY');
  const scope = accountId ? { accountId } : {};

  const returns = useLoad(api ? () => api.call('analytics.returns', scope) : undefined, [api, accountId]);
  const summary = useLoad(api ? () => api.call('analytics.summary', periodArgs) : undefined, [api, period, customFrom]);
  const nav = useLoad(api ? () => api.call('analytics.nav', { ...scope, ...periodArgs, benchmark }) : undefined, [api, accountId, period, customFrom, benchmark]);
  const contribution = useLoad(api ? () => api.call('analytics.contribution', { ...scope, ...periodArgs }) : undefined, [api, accountId, period, customFrom]);
  // Bumped by a profile edit: the exposure charts follow it.
  const [profileVersion, setProfileVersion] = useState(0);
  const exposures = useLoad(api ? () => api.call('analytics.exposures', scope) : undefined, [api, accountId, profileVersion]);
  const currency = nav.data?.currency ?? exposures.data?.currency ?? 'USD';
  const cmp = nav.data?.comparison;
  // One reason for everything (the portfolio cannot be valued): said once, instead of in every panel.
  const common = [nav, returns, contribution, exposures].every((x) => x.error !== undefined && x.error === returns.error) ? returns.error : undefined;

  return (
    <div className="analytics">
      <section className="panel an-controls" aria-label="Analytics scope">
        <div className="field">
          <label htmlFor="an-account">Account</label>
          <select id="an-account" value={accountId} onChange={(e) => setAccountId(e.target.value)}>
            <option value="">All accounts</option>
            {accounts.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="an-period">Period</label>
          <select id="an-period" value={choice} onChange={(e) => setChoice(e.target.value as AnalyticsPeriod)}>
            {PERIODS.map((p) => <option key={p.id} value={p.id}>{p.label}</option>)}
            <option value="custom">From a date…</option>
          </select>
        </div>
        {choice === 'custom' && (
          <div className="field">
            <label htmlFor="an-from">From</label>
            <input id="an-from" type="date" value={customFrom} onChange={(e) => setCustomFrom(e.target.value)} />
          </div>
        )}
        <form className="field an-benchmark" onSubmit={(e) => { e.preventDefault(); setBenchmark(benchmarkText.trim().toUpperCase() || 'SPY'); }}>
          <label htmlFor="an-benchmark">Benchmark</label>
          <div className="account-pick">
            <input id="an-benchmark" value={benchmarkText} onChange={(e) => setBenchmarkText(e.target.value)} />
            <button type="submit" className="small">Compare</button>
          </div>
        </form>
      </section>

      {common && (
        <section className="panel" aria-label="Cannot value the portfolio">
          <h2>Analytics</h2>
          <Problem text={common} />
        </section>
      )}
      {!common && <>
        <section className="panel" aria-label="NAV and benchmark">
          <h2>{cmp && nav.data?.benchmark ? `Growth of 1 against ${nav.data.benchmark}` : 'NAV'} · {title}</h2>
          {nav.error && <Problem text={nav.error} />}
          {nav.data && !nav.data.benchmark && (
            <div className="warning" role="note">No daily closes for {benchmark}: the benchmark needs them (import its daily bars on Data sources, or compare with an instrument the market data knows).</div>
          )}
          {nav.data && (cmp && nav.data.benchmark
            ? <RelativeChart points={cmp.points} benchmark={nav.data.benchmark} />
            : nav.data.nav.length > 0 && <NavChart nav={nav.data.nav} currency={nav.data.currency} />)}
          {cmp && nav.data?.benchmark && (
            <div className="table-scroll">
              <table aria-label="Benchmark comparison">
                <thead><tr><th>Portfolio</th><th>{nav.data.benchmark}</th><th>Beta</th><th>Alpha</th><th>Tracking error</th><th>Information ratio</th><th>Up capture</th><th>Down capture</th><th className="num">Days</th></tr></thead>
                <tbody><tr>
                  <td>{fraction(cmp.portfolioReturn)}</td><td>{fraction(cmp.benchmarkReturn)}</td>
                  <td className="num">{cmp.stats.beta?.toLocaleString(undefined, { maximumFractionDigits: 2 }) ?? '—'}</td><td>{fraction(cmp.stats.alpha)}</td>
                  <td>{percent(cmp.stats.trackingError)}</td><td className="num">{cmp.stats.informationRatio?.toLocaleString(undefined, { maximumFractionDigits: 2 }) ?? '—'}</td>
                  <td>{percent(cmp.stats.upCapture)}</td><td>{percent(cmp.stats.downCapture)}</td><td className="num">{cmp.observations}</td>
                </tr></tbody>
              </table>
            </div>
          )}
        </section>

        <section className="panel" aria-label="Returns">
          <h2>Returns{accountId ? ` · ${name(accountId)}` : ''}</h2>
          {returns.error && <Problem text={returns.error} />}
          {returns.data && (
            <div className="table-scroll">
              <table aria-label="Returns by period">
                <thead><tr><th>Period</th><th>From</th><th className="num">Start value</th><th className="num">End value</th><th className="num">Net flows</th><th className="num">TWR</th><th className="num">TWR annualised</th><th className="num">MWR</th><th className="num">Currency effect</th></tr></thead>
                <tbody>
                  {returns.data.map((r) => (
                    <tr key={r.period}>
                      <td>{periodLabel(r.period)}{!r.complete && <span className="dim" title="The period reaches back before the first transaction: measured from inception"> *</span>}</td>
                      <td>{isoDay(r.from)}</td>
                      <td className="num">{moneyIn(r.startValue.toFixed(2), currency)}</td>
                      <td className="num">{moneyIn(r.endValue.toFixed(2), currency)}</td>
                      <td className="num">{moneyIn(r.netFlows.toFixed(2), currency)}</td>
                      <td className="num">{fraction(r.twr)}</td>
                      <td className="num">{r.twrAnnual === null ? <span className="dim" title="Annualised only over a year or more">—</span> : fraction(r.twrAnnual)}</td>
                      <td className="num">{r.mwr === null ? <span className="dim" title="No unique IRR for these flows">—</span> : fraction(shownMwr(r.mwr, r.from, r.to))}</td>
                      <td className="num">{fraction(r.currencyEffect)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="dim small">* reaches back before the first transaction: measured since inception. TWR chains daily returns (money in counts from the start of its day, money out to its end); MWR is the IRR of the dated flows and the end value: annual over a year or more, over the period below a year.</p>
            </div>
          )}
          {summary.data && summary.data.length > 1 && !accountId && (
            <div className="table-scroll">
              <table aria-label="Returns by account">
                <thead><tr><th>Account · {title}</th><th className="num">End value</th><th className="num">Gain</th><th className="num">TWR</th><th className="num">TWR annualised</th><th className="num">MWR</th><th className="num">Currency effect</th></tr></thead>
                <tbody>
                  {summary.data.map((r) => (
                    <tr key={r.accountId ?? 'total'} className={r.accountId === null ? 'total' : ''}>
                      <td>{r.accountId === null ? 'Total' : name(r.accountId)}</td>
                      <td className="num">{moneyIn(r.endValue.toFixed(2), r.currency)}</td>
                      <td className="num">{moneyIn(r.gain.toFixed(2), r.currency)}</td>
                      <td className="num">{fraction(r.twr)}</td>
                      <td className="num">{r.twrAnnual === null ? '—' : fraction(r.twrAnnual)}</td>
                      <td className="num">{r.mwr === null ? '—' : fraction(shownMwr(r.mwr, r.from, r.to))}</td>
                      <td className="num">{fraction(r.currencyEffect)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <section className="panel" aria-label="Contribution">
          <h2>Contribution to return · {title}</h2>
          {contribution.error && <Problem text={contribution.error} />}
          {contribution.data && (
            <div className="table-scroll">
              <table aria-label="Contribution by holding">
                <thead><tr><th>Holding</th><th>Account</th><th className="num">Contribution</th><th className="num">Gain</th><th className="num">Own TWR</th><th className="num">Own MWR (annual)</th></tr></thead>
                <tbody>
                  {[...contribution.data.rows].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)).map((r, i) => (
                    <tr key={i}>
                      <td>{r.symbol ?? 'Cash (interest, fees, FX on cash)'}</td>
                      <td className="account">{r.accountId ? name(r.accountId) : ''}</td>
                      <td className="num">{fraction(r.contribution)}</td>
                      <td className="num">{moneyIn(r.gain.toFixed(2), currency)}</td>
                      <td className="num">{r.twr === null ? '—' : fraction(r.twr)}</td>
                      <td className="num">{r.mwr === null ? '—' : fraction(r.mwr)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot><tr className="total"><td>Total (TWR)</td><td /><td className="num">{fraction(contribution.data.twr)}</td><td colSpan={3} /></tr></tfoot>
              </table>
            </div>
          )}
        </section>

        <ExposurePanel data={exposures.data} error={exposures.error} name={name} onProfileSaved={() => setProfileVersion((v) => v + 1)} />
      </>}
    </div>
  );
}

const DIMENSIONS: { id: keyof z.infer<typeof Exposures>['by']; label: string }[] = [
  { id: 'assetClass', label: 'Asset class' }, { id: 'sector', label: 'Sector' }, { id: 'industry', label: 'Industry' },
  { id: 'currency', label: 'Currency' }, { id: 'country', label: 'Country' }, { id: 'account', label: 'Account' },
];

/** A dimension says something when a holding (not cash) has a known key. */
const known = (rows: { key: string }[]) => rows.some((r) => r.key !== 'Unknown' && r.key !== 'Cash');

function Bars({ label, rows, currency }: { label: string; rows: { key: string; value: number; weight: number }[]; currency: string }) {
  const max = Math.max(0.0001, ...rows.map((r) => Math.abs(r.weight)));
  return (
    <figure className="an-bars" aria-label={`Exposure by ${label.toLowerCase()}`}>
      <figcaption>{label}</figcaption>
      {rows.map((r) => (
        <div key={r.key} className="an-bar" title={`${r.key}: ${moneyIn(r.value.toFixed(2), currency)}`}>
          <span className="an-bar-key">{r.key}</span>
          <span className="an-bar-track"><span className={`an-bar-fill ${r.weight < 0 ? 'short' : ''}`} style={{ width: `${(Math.abs(r.weight) / max) * 100}%` }} /></span>
          <span className="an-bar-value">{percent(r.weight, false, 1)}</span>
        </div>
      ))}
    </figure>
  );
}

function ExposurePanel({ data, error, name, onProfileSaved }: { data: z.infer<typeof Exposures> | undefined; error: string | undefined; name: (id: string) => string; onProfileSaved: () => void }) {
  return (
    <section className="panel" aria-label="Exposures">
      <h2>Exposure{data ? ` · ${isoDay(data.date)} · NAV ${moneyIn(data.nav.toFixed(2), data.currency)}` : ''}</h2>
      {error && <Problem text={error} />}
      {data && (
        <>
          <div className="an-exposures">
            {DIMENSIONS.filter((d) => known(data.by[d.id])).map((d) => (
              <Bars key={d.id} label={d.label} currency={data.currency}
                rows={d.id === 'account' ? data.by.account.map((r) => ({ ...r, key: name(r.key) })) : data.by[d.id]} />
            ))}
          </div>
          {DIMENSIONS.some((d) => !known(data.by[d.id])) && (
            <p className="dim small">No {DIMENSIONS.filter((d) => !known(data.by[d.id])).map((d) => d.label.toLowerCase()).join(', ')} data for these holdings (no source has a profile for them; edit them under Instrument profiles), so those charts are left out.</p>
          )}
          <h2 className="an-subhead">Concentration</h2>
          <div className="tiles an-tiles">
            <div className="tile"><div className="tile-label">HHI</div><div className="tile-value" aria-label="HHI">{data.concentration.hhi?.toLocaleString(undefined, { maximumFractionDigits: 3 }) ?? '—'}</div></div>
            <div className="tile"><div className="tile-label">Effective holdings</div><div className="tile-value" aria-label="Effective holdings">{data.concentration.effectiveHoldings?.toLocaleString(undefined, { maximumFractionDigits: 1 }) ?? '—'}</div></div>
          </div>
          <div className="table-scroll">
            <table aria-label="Largest holdings">
              <thead><tr><th>Largest holdings</th><th className="num">Value</th><th className="num">Weight of NAV</th></tr></thead>
              <tbody>{data.concentration.largest.map((r) => (
                <tr key={r.symbol}><td>{r.symbol}</td><td className="num">{moneyIn(r.value.toFixed(2), data.currency)}</td><td className="num">{percent(r.weight, false, 1)}</td></tr>
              ))}</tbody>
            </table>
          </div>
          <ProfilesPanel symbols={data.symbols} onSaved={onProfileSaved} />
        </>
      )}
    </section>
  );
}
