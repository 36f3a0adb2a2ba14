// The "Import bars" dialog: a CSV file's header and first rows, the column mapping (guessed from the header, changed
// by hand: a date/time column, OHLCV or a single close column), symbol, bar size and calendar; then the import's report
// with every rejected row and its reason. The rows are validated and stored in main (data.import), as by the CLI.
import { useState } from 'react';
import type { CsvColumnMapping, CsvPreview, ImportReport } from '../../src-shared/api/contract';
import { formatMegabytes, MAX_IMPORT_BYTES } from '../../src-shared/api/limits';
import type { SessionKind, Timeframe } from '../../src-shared/domain/types';
import { useTerminal } from '../stores/terminal';

type Field = 'open' | 'high' | 'low' | 'close' | 'volume';
const FIELDS: { key: Field; label: string }[] = [
  { key: 'open', label: 'Open' }, { key: 'high', label: 'High' }, { key: 'low', label: 'Low' }, { key: 'close', label: 'Close' }, { key: 'volume', label: 'Volume' },
];
const SESSIONS: { id: SessionKind; label: string }[] = [
  { id: 'us-equity', label: 'US equities' }, { id: 'fx-24x5', label: 'FX 24×5' }, { id: 'cfd-23x5', label: 'CFD 23×5' }, { id: 'crypto-24x7', label: 'Crypto 24×7' },
];

/** The mapping to start from: the guessed one, else the first column as date and the second as close. */
function initialMapping(p: CsvPreview): CsvColumnMapping {
  if (p.suggested) return p.suggested;
  const decimal = p.rows.every((r) => /^\d{4}(\.\d+)?$/.test(r[0] ?? ''));
  return { time: 0, timeFormat: decimal ? 'decimal-year' : 'date', close: Math.min(1, p.header.length - 1) };
}

function columnName(header: string[], i: number): string {
  return header[i]?.trim() ? header[i]! : `column ${i + 1}`;
}

export function ImportBarsDialog({ onClose }: { onClose: () => void }) {
  const api = useTerminal((s) => s.api);
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [mapping, setMapping] = useState<CsvColumnMapping | null>(null);
  const [symbol, setSymbol] = useState('');
  const [timeframe, setTimeframe] = useState<Timeframe>('1d');
  const [session, setSession] = useState<SessionKind | ''>('');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const choose = async (f: File | undefined) => {
    setReport(null);
    setError(null);
    setPreview(null);
    setFile(null);
    if (!f || !api) return;
    // Checked before reading: a larger file would be refused by the host after a long read and a long send.
    if (f.size > MAX_IMPORT_BYTES) {
      setError(`${f.name} (${formatMegabytes(f.size)}) is over the ${formatMegabytes(MAX_IMPORT_BYTES)} import limit. Split the file (by years, for example) and import the parts one after the other.`);
      return;
    }
    const text = await f.text();
    setFile({ name: f.name, text });
    setSymbol(f.name.replace(/\.[^.]*$/, '').toUpperCase().replace(/[^A-Z0-9.^=_-]/g, '').slice(0, 32));
    try {
      const p = await api.call('data.csvPreview', { text, rows: 8 });
      setPreview(p);
      setMapping(initialMapping(p));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const run = async () => {
    if (!api || !file || !mapping) return;
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      setReport(await api.call('data.import', { symbol, timeframe, session: session || undefined, name: file.name, text: file.text, mapping }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const setColumn = (key: Field, value: string) => setMapping((m) => {
    if (!m) return m;
    const next = { ...m };
    if (value === '') {
      if (key !== 'close') delete next[key];
    } else next[key] = Number(value);
    return next;
  });

  return (
    <div className="modal-backdrop">
      <div className="modal panel import-dialog" role="dialog" aria-modal="true" aria-label="Import bars">
        <h2>Import bars from a CSV file</h2>
        <div className="field"><label htmlFor="imp-file">CSV file</label>
          <input id="imp-file" type="file" accept=".csv,.txt,text/csv" onChange={(e) => void choose(e.target.files?.[0])} /></div>
        {preview && mapping && (<>
          <div className="import-preview">
            <table aria-label="CSV preview">
              <thead><tr><th className="dim">row</th>{preview.header.map((h, i) => <th key={i}>{columnName(preview.header, i)}</th>)}</tr></thead>
              <tbody>
                {preview.rows.map((r, i) => <tr key={i}><td className="dim">{i + 1}</td>{preview.header.map((_, j) => <td key={j}>{r[j] ?? ''}</td>)}</tr>)}
              </tbody>
            </table>
            <p className="dim field-hint">{preview.rowCount} data rows{preview.suggested ? '; columns recognised from the header' : '; no Close column found: choose the series to import as close'}</p>
          </div>
          <fieldset className="import-mapping"><legend>Columns</legend>
            <div className="field"><label htmlFor="imp-time">Date / time</label>
              <select id="imp-time" value={mapping.time} onChange={(e) => setMapping({ ...mapping, time: Number(e.target.value) })}>
                {preview.header.map((_, i) => <option key={i} value={i}>{columnName(preview.header, i)}</option>)}
              </select></div>
            <div className="field"><label htmlFor="imp-timefmt">Date format</label>
              <select id="imp-timefmt" value={mapping.timeFormat} onChange={(e) => setMapping({ ...mapping, timeFormat: e.target.value as CsvColumnMapping['timeFormat'] })}>
                <option value="date">YYYY-MM-DD [HH:MM[:SS]] (UTC)</option>
                <option value="decimal-year">Decimal year (R ts, 260 days a year)</option>
              </select></div>
            {FIELDS.map(({ key, label }) => (
              <div className="field" key={key}><label htmlFor={`imp-${key}`}>{label}</label>
                <select id={`imp-${key}`} value={mapping[key] ?? ''} onChange={(e) => setColumn(key, e.target.value)}>
                  {key !== 'close' && <option value="">{key === 'volume' ? '— (0)' : '— (from close)'}</option>}
                  {preview.header.map((_, i) => <option key={i} value={i}>{columnName(preview.header, i)}</option>)}
                </select></div>
            ))}
          </fieldset>
          <div className="import-target">
            <div className="field"><label htmlFor="imp-symbol">Symbol</label><input id="imp-symbol" value={symbol} onChange={(e) => setSymbol(e.target.value.toUpperCase())} /></div>
            <div className="field"><label htmlFor="imp-tf">Bar size</label>
              <select id="imp-tf" value={timeframe} onChange={(e) => setTimeframe(e.target.value as Timeframe)}>
                <option value="1m">1 minute</option><option value="5m">5 minutes</option><option value="1h">1 hour</option><option value="1d">1 day</option>
              </select></div>
            <div className="field"><label htmlFor="imp-session">Calendar (gap report)</label>
              <select id="imp-session" value={session} onChange={(e) => setSession(e.target.value as SessionKind | '')}>
                <option value="">none</option>{SESSIONS.map((s) => <option key={s.id} value={s.id}>{s.label}</option>)}
              </select></div>
          </div>
        </>)}
        {error && <p role="alert" className="error-text">{error}</p>}
        {report && (
          <div className="import-report" role="status" aria-label="Import report">
            <p><b>{report.accepted}</b> bars imported; <b>{report.rejected.length}</b> row{report.rejected.length === 1 ? '' : 's'} rejected
              {report.flagged.length ? `; ${report.flagged.length} stored but flagged` : ''}{report.gaps.length ? `; ${report.gaps.length} gaps` : ''}
              {report.restated ? `; ${report.restated} stored bars replaced` : ''}</p>
            {report.rejected.length > 0 && (
              <div className="import-rejected">
                <table aria-label="Rejected rows">
                  <thead><tr><th className="num">Row</th><th>Reason</th></tr></thead>
                  <tbody>{report.rejected.slice(0, 500).map((r) => <tr key={r.row}><td className="num">{r.row}</td><td className="reason">{r.reason}</td></tr>)}</tbody>
                </table>
              </div>
            )}
          </div>
        )}
        <div className="modal-buttons">
          <button type="button" onClick={onClose}>Close</button>
          <button type="button" className="primary" disabled={!mapping || !symbol || busy} onClick={() => void run()}>{busy ? 'Importing…' : 'Import'}</button>
        </div>
      </div>
    </div>
  );
}
