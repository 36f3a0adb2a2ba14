// Import a transactions file: the documented CSV or an IB Flex Query XML (portfolio.import). The report says what was
// imported, what was already there (a re-import adds nothing) and each rejected row with its reason.
import { useState } from 'react';
import type { PortfolioImportReport } from '../../../src-shared/api/portfolio';
import { useTerminal } from '../../stores/terminal';
import { errorText } from './common';

type Format = 'csv' | 'ib-flex';

export function ImportPanel({ onImported }: { onImported: () => void }) {
  const api = useTerminal((s) => s.api);
  const [file, setFile] = useState<File | undefined>();
  const [format, setFormat] = useState<Format>('csv');
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<(PortfolioImportReport & { file: string }) | undefined>();
  const [error, setError] = useState<string | undefined>();

  function choose(f: File | undefined) {
    setFile(f);
    setReport(undefined);
    setError(undefined);
    // The extension says the format; the select can still override it.
    if (f) setFormat(/\.xml$/i.test(f.name) ? 'ib-flex' : 'csv');
  }

  async function run() {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    setReport(undefined);
    try {
      const r = await api!.call('portfolio.import', { format, text: await file.text() });
      setReport({ ...r, file: file.name });
      onImported();
    } catch (err) {
      setError(errorText(err));
      setReport(undefined);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-label="Import transactions">
      <h2>Import transactions</h2>
      <div className="pf-import-row">
        <div className="field">
          <label htmlFor="pf-import-file">File (CSV or IB Flex XML)</label>
          <input id="pf-import-file" type="file" accept=".csv,.xml,text/csv,text/xml,application/xml" onChange={(e) => choose(e.target.files?.[0])} />
        </div>
        <div className="field">
          <label htmlFor="pf-import-format">Format</label>
          <select id="pf-import-format" value={format} onChange={(e) => setFormat(e.target.value as Format)}>
            <option value="csv">CSV (date,account,type,symbol,…)</option>
            <option value="ib-flex">IB Flex Query XML</option>
          </select>
        </div>
        <button type="button" className="primary" disabled={!file || busy} onClick={() => void run()}>{busy ? 'Importing…' : 'Import'}</button>
      </div>
      {error && <div className="field-error" role="alert">{error}</div>}
      {report && (
        <div role="status" aria-label="Import report" className="pf-report">
          <p>
            {report.file}: <b>{report.imported}</b> imported, <b>{report.duplicates}</b> already there (duplicates), <b>{report.rejected.length}</b> rejected
            {report.accountsCreated.length > 0 && <> · accounts created: {report.accountsCreated.length}</>}
          </p>
          {report.rejected.length > 0 && (
            <div className="table-scroll pf-rejected">
              <table aria-label="Rejected rows">
                <thead><tr><th className="num">Row</th><th>Reason</th></tr></thead>
                <tbody>{report.rejected.map((r, i) => <tr key={i}><td className="num">{r.row}</td><td className="reason">{r.reason}</td></tr>)}</tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
