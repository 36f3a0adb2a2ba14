// `npm run cli -- import`: every row accepted or rejected with its reason, bars in the real SQLite store, the rest in
// quarantine; column mapping for close-only decimal-year files.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';
import { decimalYearToTime } from '../../src-main/domain/data/csv';
import { repoRoot } from '../support/web-host';

const run = promisify(execFile);
async function cli(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main/cli/main.ts'), ...args], { cwd: repoRoot });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

function day(i: number): string {
  return new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
}

describe('cli import', () => {
  it('reports each rejected row with its reason and stores the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-import-'));
    const rows = Array.from({ length: 30 }, (_, i) => `${day(i)},${100 + i},${101 + i},${99 + i},${100.5 + i},1000`);
    rows[4] = `${day(4)},104,105,103`; // row 5: missing columns
    rows[9] = `2024-02-30,109,110,108,109.5,1000`; // row 10: bad date
    rows[14] = `${day(14)},114,115,113,-114.5,1000`; // row 15: negative price
    rows[19] = rows[18]!; // row 20: duplicate of row 19
    rows[24] = `${day(24)},124,130,123,129,1000`; // fine
    rows[25] = `${day(25)},125,400,124,390,1000`; // row 26: a one-bar spike, taken back next bar
    const file = join(dir, 'bad.csv');
    writeFileSync(file, [',Open,High,Low,Close,Volume', ...rows].join('\n'));
    const r = await cli('import', '--data', file, '--symbol', 'TEST', '--data-dir', dir, '--json');
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { accepted: number; rejected: { row: number; reason: string }[] };
    expect(out.rejected.map((x) => x.row)).toEqual([5, 10, 15, 20, 26]);
    expect(out.rejected[0]!.reason).toMatch(/missing columns/);
    expect(out.rejected[1]!.reason).toMatch(/bad date "2024-02-30"/);
    expect(out.rejected[2]!.reason).toMatch(/non-positive Close/);
    expect(out.rejected[3]!.reason).toMatch(/duplicate timestamp \(same as row 19\)/);
    expect(out.rejected[4]!.reason).toMatch(/outlier: a one-bar spike/);
    expect(out.accepted).toBe(25);
    const store = openSqliteStore({ file: join(dir, 'quant.db') });
    try {
      expect(await store.bars.range('TEST', '1d', 0, 4e9)).toHaveLength(25);
      expect((await store.quarantine.list({ symbol: 'TEST' })).map((q) => q.row)).toEqual([5, 10, 15, 20, 26]);
    } finally {
      store.dispose();
    }
  });

  it('maps close-only decimal-year series (EuStockMarkets) with --column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-import-'));
    const file = join(dir, 'eu.csv');
    const lines = ['"time","DAX","SMI"', ...Array.from({ length: 25 }, (_, i) => `${(1991.49615384615 + i / 260).toFixed(11)},${1600 + i},${1700 - i}`)];
    writeFileSync(file, lines.join('\n'));
    const bad = await cli('import', '--data', file, '--symbol', 'DAX', '--data-dir', dir);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/choose the series with --column \(one of DAX, SMI\)/);
    const r = await cli('import', '--data', file, '--symbol', 'SMI', '--column', 'SMI', '--data-dir', dir, '--json');
    expect(JSON.parse(r.stdout)).toEqual({ accepted: 25, rejected: [], flagged: [], gaps: [], restated: 0 });
    const store = openSqliteStore({ file: join(dir, 'quant.db') });
    try {
      const bars = await store.bars.range('SMI', '1d', 0, 4e9);
      expect(bars[0]).toMatchObject({ open: 1700, high: 1700, low: 1700, close: 1700 });
      expect(bars[0]!.time).toBe(decimalYearToTime(1991.49615384615));
    } finally {
      store.dispose();
    }
  });

  it('with --session reports gaps against the calendar, flags stale runs, and a re-import that differs is a restatement', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-import-'));
    // Weekdays of January 2024 from Tuesday the 2nd; Wednesday 10 and Thursday 11 left out (a gap), and the same
    // OHLC over 7 bars from the 22nd (a stale run: 6 repeats). Weekends are not gaps.
    const days: string[] = [];
    for (let i = 1; i < 31; i++) {
      const wd = new Date(Date.UTC(2024, 0, 1 + i)).getUTCDay();
      if (wd !== 0 && wd !== 6 && i !== 9 && i !== 10) days.push(day(i));
    }
    const line = (d: string, i: number) => (d >= '2024-01-22' && d <= '2024-01-30' ? `${d},50,50,50,50,0` : `${d},${40 + i},${41 + i},${39 + i},${40.5 + i},100`);
    const file = join(dir, 'jan.csv');
    writeFileSync(file, ['Date,Open,High,Low,Close,Volume', ...days.map(line)].join('\n'));
    const r = await cli('import', '--data', file, '--symbol', 'JAN', '--session', 'us-equity', '--data-dir', dir, '--json');
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { accepted: number; flagged: { row: number; reason: string }[]; gaps: { from: string; to: string; bars: number }[] };
    expect(out.accepted).toBe(days.length);
    expect(out.gaps).toEqual([{ from: '2024-01-10T00:00:00.000Z', to: '2024-01-11T00:00:00.000Z', bars: 2 }]);
    const staleRows = days.flatMap((d, i) => (d > '2024-01-22' && d <= '2024-01-30' ? [i + 1] : []));
    expect(out.flagged.map((f) => f.row)).toEqual(staleRows);
    expect(out.flagged[0]!.reason).toMatch(/^stale: OHLC 50 repeated unchanged over 7 bars \(row \d+ to row \d+\)/);
    // The same file again changes nothing; a corrected file is reported as a restatement.
    expect(JSON.parse((await cli('import', '--data', file, '--symbol', 'JAN', '--data-dir', dir, '--json')).stdout)).toMatchObject({ restated: 0 });
    writeFileSync(file, ['Date,Open,High,Low,Close,Volume', ...days.map(line).map((l) => (l.startsWith('2024-01-03') ? '2024-01-03,41,43,40,42.9,100' : l))].join('\n'));
    expect(JSON.parse((await cli('import', '--data', file, '--symbol', 'JAN', '--data-dir', dir, '--json')).stdout)).toMatchObject({ restated: 1 });
    const store = openSqliteStore({ file: join(dir, 'quant.db') });
    try {
      const [re] = await store.bars.restatements({ symbol: 'JAN' });
      expect(re).toMatchObject({ source: 'jan.csv', count: 1, changes: [{ time: Date.UTC(2024, 0, 3) / 1000, fields: ['high', 'close'], old: { close: 41.5 }, new: { close: 42.9 } }] });
      expect((await store.quarantine.list({ symbol: 'JAN' })).filter((q) => q.action === 'flagged')).toHaveLength(staleRows.length); // re-imports add nothing twice
    } finally {
      store.dispose();
    }
  });

  it('decimal years count 260 business days from 1 January', () => {
    expect(new Date(decimalYearToTime(1991) * 1000).toISOString().slice(0, 10)).toBe('1991-01-01'); // a Tuesday
    expect(new Date(decimalYearToTime(1991 + 4 / 260) * 1000).toISOString().slice(0, 10)).toBe('1991-01-07'); // skips the weekend
  });
});
